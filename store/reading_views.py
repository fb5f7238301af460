"""Views of second readings (readings >= 2), kept apart from the answer views.

Reading 1 is the primary reading: the answers in `answers/`, exactly as before. Readings
>= 2 are their own event kind (`readings/`, schema `schemas.READINGS`), so
`answers_current` and every score view cannot see them by construction. These views put
the readings side by side for agreement statistics and moderation:

- `reading_events`: every reading >= 2 event (may show an event twice during compaction)
- `readings`: `inspection_id, case_id, reading, reader, question_id, answer, note, saved_at`:
  reading 1 from `answers_current` (reader = author of the current answer) and the latest
  answer per case, reading and question of readings >= 2 (cleared ones dropped; reader =
  the assigned reader, else the author: a data manager may import a reading for them)
- `reading_assignments`: `inspection_id, case_id, reading, reader, complete` from the case
  detail events `_reading_<n>` (the assigned reader) and `_reading_<n>_complete`
"""

from __future__ import annotations

from collections.abc import Callable

Source = Callable[[str], str]

# The readings source of a store made before second readings existed and opened read-only
# (no `readings/.empty/` can be written, and DuckDB refuses a glob that matches nothing).
NO_READINGS = """(SELECT NULL::VARCHAR AS inspection_id, NULL::VARCHAR AS case_id,
  NULL::VARCHAR AS question_id, NULL::VARCHAR AS answer, NULL::VARCHAR AS note,
  NULL::VARCHAR AS author, NULL::TIMESTAMP AS saved_at, NULL::VARCHAR AS framework_version,
  NULL::VARCHAR AS event_id, NULL::INTEGER AS reading WHERE false)"""

READINGS = """
SELECT inspection_id, case_id, 1::INTEGER AS reading, author AS reader, question_id, answer,
  note, saved_at
FROM answers_current
UNION ALL
SELECT e.inspection_id, e.case_id, e.reading, coalesce(a.reader, e.r.author) AS reader,
  e.question_id, e.r.answer, e.r.note, e.r.saved_at
FROM (SELECT inspection_id, case_id, reading, question_id,
        arg_max({'answer': answer, 'note': note, 'author': author, 'saved_at': saved_at},
                (saved_at, event_id)) AS r
      FROM reading_events GROUP BY inspection_id, case_id, reading, question_id) e
LEFT JOIN reading_assignments a ON a.inspection_id = e.inspection_id
  AND a.case_id = e.case_id AND a.reading = e.reading
WHERE e.r.answer IS NOT NULL"""

ASSIGNMENTS = r"""
SELECT a.inspection_id, a.case_id, CAST(substr(a.field, 10) AS INTEGER) AS reading,
  a.value AS reader, coalesce(c.value = 'true', FALSE) AS complete
FROM case_values a
LEFT JOIN case_values c ON c.inspection_id = a.inspection_id AND c.case_id = a.case_id
  AND c.field = a.field || '_complete'
WHERE regexp_full_match(a.field, '_reading_[0-9]+') AND a.value IS NOT NULL"""


def definitions(events: Source) -> list[tuple[str, str]]:
    """(view, SELECT) pairs, after the answer and case views they read."""
    return [
        ("reading_events", f"SELECT * FROM {events('readings')}"),
        ("reading_assignments", ASSIGNMENTS),
        ("readings", READINGS),
    ]
