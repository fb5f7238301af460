"""The quality-assurance views (documented in docs/store.md, "QA views").

Built on the `qa/` and `lead/` event kinds (store/qa_events.py) and on the answer and case
views; `definitions(events)` gives ordered (name, SELECT) pairs appended to the store's
views (store/views.py `store_definitions`). Latest-event-wins follows the answer views:
the last `saved_at`, then the larger `event_id`.
"""

from __future__ import annotations

from collections.abc import Callable

Source = Callable[[str], str]


TEAM = """
SELECT inspection_id, subject AS "user", value AS role, author AS added_by, saved_at
FROM (SELECT DISTINCT ON (event_id) * FROM qa_events WHERE event = 'team')
QUALIFY row_number() OVER (
  PARTITION BY inspection_id, subject ORDER BY saved_at DESC, event_id DESC) = 1
  AND value <> 'removed'"""

ASSIGNMENTS = """
SELECT inspection_id, case_id, subject AS reader, author AS assigned_by, saved_at AS assigned_at
FROM (SELECT DISTINCT ON (event_id) * FROM qa_events WHERE event = 'assign')
QUALIFY row_number() OVER (
  PARTITION BY inspection_id, case_id ORDER BY saved_at DESC, event_id DESC) = 1"""

QA_SAMPLES = """
SELECT DISTINCT ON (inspection_id, subject, case_id)
  inspection_id, subject AS sample_id, case_id,
  json_extract_string(text, '$.reader') AS reader, value AS seed,
  author AS drawn_by, saved_at AS drawn_at
FROM qa_events WHERE event = 'sample'
ORDER BY inspection_id, sample_id, case_id"""

QUERY_THREAD = """
SELECT DISTINCT ON (event_id) inspection_id, value AS query_id, case_id,
  subject AS question_id, replace(event, 'query_', '') AS step, author, saved_at, text, event_id
FROM qa_events WHERE event LIKE 'query_%'"""

QUERIES = """
SELECT o.inspection_id, o.query_id, o.case_id, o.question_id,
  o.author AS opened_by, o.saved_at AS opened_at, o.text,
  CASE WHEN bool_or(t.step = 'close') THEN 'closed'
       WHEN bool_or(t.step = 'respond') THEN 'responded' ELSE 'open' END AS state,
  arg_max(t.author, (t.saved_at, t.event_id)) AS last_by,
  max(t.saved_at) AS last_at,
  count(*) FILTER (WHERE t.step = 'respond') AS responses
FROM query_thread o
JOIN query_thread t ON t.inspection_id = o.inspection_id AND t.query_id = o.query_id
WHERE o.step = 'open'
GROUP BY ALL"""

CHECK_ACCEPTANCES = """
SELECT inspection_id, case_id, subject AS check_id, text AS reason, author AS accepted_by,
  saved_at AS accepted_at
FROM (SELECT DISTINCT ON (event_id) * FROM qa_events WHERE event = 'accept')
QUALIFY row_number() OVER (
  PARTITION BY inspection_id, case_id, subject ORDER BY saved_at DESC, event_id DESC) = 1"""

SIGNOFFS = """
SELECT DISTINCT ON (event_id) inspection_id, case_id, event, author, saved_at, text AS reason,
  event_id
FROM qa_events WHERE event IN ('signoff', 'unlock')"""

CASE_LOCKS = """
SELECT inspection_id, case_id, event = 'signoff' AS signed_off, author, saved_at, reason
FROM signoffs
QUALIFY row_number() OVER (
  PARTITION BY inspection_id, case_id ORDER BY saved_at DESC, event_id DESC) = 1"""

# The case's reader: who it is assigned to, else who first answered it.
CASE_STATUS = """
WITH first_answer AS (
  SELECT inspection_id, case_id, arg_min(author, (saved_at, event_id)) AS author,
    min(saved_at) AS started_at, count(*) AS saves
  FROM answer_events GROUP BY ALL),
completed AS (
  SELECT inspection_id, case_id, max(saved_at) AS at FROM case_history
  WHERE field = '_complete' AND new_value = 'true' GROUP BY ALL),
sampled AS (
  SELECT inspection_id, case_id, min(drawn_at) AS at FROM qa_samples GROUP BY ALL),
q AS (
  SELECT inspection_id, case_id, count(*) AS n,
    count(*) FILTER (WHERE state <> 'closed') AS not_closed,
    count(*) FILTER (WHERE state = 'open') AS unanswered, max(last_at) AS at
  FROM queries GROUP BY ALL)
SELECT c.inspection_id, c.case_id, c.kind,
  coalesce(a.reader, f.author) AS reader,
  CASE WHEN l.signed_off THEN 'signed off'
       WHEN q.unanswered > 0 THEN 'queried'
       WHEN q.n > 0 THEN 'resolved'
       WHEN s.at IS NOT NULL THEN 'sampled'
       WHEN c.marked_complete THEN 'complete'
       WHEN f.saves > 0 THEN 'in progress'
       ELSE 'not started' END AS state,
  CASE WHEN l.signed_off THEN l.saved_at
       WHEN q.n > 0 THEN q.at
       WHEN s.at IS NOT NULL THEN s.at
       WHEN c.marked_complete THEN cp.at
       ELSE f.started_at END AS since,
  coalesce(q.not_closed, 0) AS open_queries,
  s.at IS NOT NULL AS sampled, c.marked_complete,
  coalesce(l.signed_off, FALSE) AS signed_off
FROM cases c
LEFT JOIN assignments a USING (inspection_id, case_id)
LEFT JOIN first_answer f USING (inspection_id, case_id)
LEFT JOIN completed cp USING (inspection_id, case_id)
LEFT JOIN sampled s USING (inspection_id, case_id)
LEFT JOIN q USING (inspection_id, case_id)
LEFT JOIN case_locks l USING (inspection_id, case_id)"""

READER_PROGRESS = """
SELECT s.inspection_id, s.reader, any_value(t.role) AS role,
  count(*) FILTER (WHERE a.case_id IS NOT NULL) AS assigned,
  count(*) FILTER (WHERE s.state <> 'not started') AS started,
  count(*) FILTER (WHERE s.marked_complete OR s.signed_off) AS complete,
  count(*) FILTER (WHERE s.sampled) AS sampled,
  count(*) FILTER (WHERE s.open_queries > 0) AS queried,
  count(*) FILTER (WHERE s.signed_off) AS signed_off,
  count(*) AS cases
FROM case_status s
LEFT JOIN assignments a USING (inspection_id, case_id)
LEFT JOIN team t ON t.inspection_id = s.inspection_id AND t."user" = s.reader
WHERE s.kind = 'case' AND s.reader IS NOT NULL
GROUP BY s.inspection_id, s.reader"""

# An answer changed once its case was in QA (sampled or queried): old and new both kept.
QA_CHANGES = """
WITH entered AS (
  SELECT inspection_id, case_id, min(t) AS entered_at FROM (
    SELECT inspection_id, case_id, drawn_at AS t FROM qa_samples
    UNION ALL SELECT inspection_id, case_id, opened_at FROM queries) GROUP BY ALL)
SELECT h.inspection_id, h.case_id, h.question_id, h.old_answer, h.new_answer, h.author,
  h.saved_at, s.reader, h.author IS DISTINCT FROM s.reader AS by_qa, h.event_id
FROM answer_history h
JOIN entered e ON e.inspection_id = h.inspection_id AND e.case_id = h.case_id
  AND h.saved_at > e.entered_at
LEFT JOIN case_status s ON s.inspection_id = h.inspection_id AND s.case_id = h.case_id
WHERE h.old_answer IS NOT NULL AND h.new_answer IS DISTINCT FROM h.old_answer"""


def definitions(events: Source) -> list[tuple[str, str]]:
    """Ordered (view, SELECT) pairs; they use `cases`, `case_history`, `answer_events` and
    `answer_history`, so they come after the store's own views."""
    return [
        ("qa_events", f"""
SELECT *, 'qa' AS source FROM {events('qa')}
UNION ALL BY NAME SELECT *, 'lead' AS source FROM {events('lead')}"""),
        ("team", TEAM),
        ("assignments", ASSIGNMENTS),
        ("qa_samples", QA_SAMPLES),
        ("query_thread", QUERY_THREAD),
        ("queries", QUERIES),
        ("check_acceptances", CHECK_ACCEPTANCES),
        ("signoffs", SIGNOFFS),
        ("case_locks", CASE_LOCKS),
        ("case_status", CASE_STATUS),
        ("reader_progress", READER_PROGRESS),
        ("qa_changes", QA_CHANGES),
    ]
