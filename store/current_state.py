"""Current-state files: compaction splits an answer partition into the latest event per key
and the events those replaced, so the views read the current answers without grouping
every event ever saved.

Compacting `answers/inspection_id=<id>/` writes (both before any input is deleted):
- `current-<stamp>.parquet`: the latest event of every case and question (a cleared
  answer included: it hides older saves), exactly one row per key;
- `history-<stamp>.parquet`: every other event (the audit trail; no row is dropped).

Together they hold exactly the events of the inputs, in the same schema, so `answer_events`
and `answer_history` read all of them as before (and an older caseread, which globs every
file, still reads the store right). The latest-answer views skip `history-` files (every
event in one is replaced by a later event of its own `current-` file) and then:
- an inspection whose only other file is one `current-` file ("settled") takes its rows as
  they are: one per key, no grouping;
- any other inspection (fragments saved since, two `current-` files while a compaction
  replaces one, an older caseread's `compacted-` file holding every event) is grouped as
  before: latest save, ties to the larger event id.
Both are exact for any mix of files, so a reader never needs to know what was compacted.
Compaction deletes `current-` inputs before the others: while a new and an old `current-`
file are both visible the inspection is grouped, never settled (store/compaction.py).
"""

from __future__ import annotations

CURRENT = "current"
HISTORY = "history"
KEYS = "inspection_id, case_id, question_id"
# Latest first within a key: the same order as every reader's tie rule.
_NEWEST = "row_number() OVER (PARTITION BY case_id, question_id ORDER BY saved_at DESC, " \
          "event_id DESC)"


def is_history(name: str) -> bool:
    return name.startswith(f"{HISTORY}-")


def split_sql(merged: str, order: str) -> list[tuple[str, str]]:
    """(prefix, SELECT) of the `current-` and `history-` files of one inspection's merged
    answer events (`merged`: a relation without repeated events), each sorted by `order`."""
    return [
        (CURRENT, f"SELECT * FROM {merged} QUALIFY {_NEWEST} = 1 ORDER BY {order}"),
        (HISTORY, f"SELECT * FROM {merged} QUALIFY {_NEWEST} > 1 ORDER BY {order}"),
    ]


def latest_sql(source: str, cols: list[str]) -> str:
    """Latest event per case and question from `source` (answer events with DuckDB's
    `filename` column; a view or a read_parquet, never a materialised CTE, whose rows the
    filters below would scan), `cols` of it as a struct column `r`. The filters on the file
    name are constant, so DuckDB never opens a `history-` file, nor reads the rows of
    settled inspections more than once. Joined (not `IN (...)`) on inspection_id, so a
    filter on it reaches every scan and DuckDB opens only that inspection's files."""
    fields = ", ".join(f"'{c}': {c}" for c in cols)
    return f"""
WITH _ev AS NOT MATERIALIZED (
  SELECT {KEYS}, {", ".join(dict.fromkeys([*cols, "saved_at", "event_id"]))}, filename AS _file,
    starts_with(parse_filename(filename), '{CURRENT}-') AS _cur
  FROM {source} WHERE NOT starts_with(parse_filename(filename), '{HISTORY}-')),
_settled AS (
  SELECT inspection_id, bool_and(_cur) AND count(DISTINCT _file) = 1 AS settled
  FROM _ev GROUP BY inspection_id)
SELECT {KEYS}, {{{fields}}} AS r FROM _ev JOIN _settled USING (inspection_id)
WHERE settled
UNION ALL
SELECT {KEYS}, arg_max({{{fields}}}, (saved_at, event_id)) AS r
FROM _ev JOIN _settled USING (inspection_id) WHERE NOT settled
GROUP BY {KEYS}"""
