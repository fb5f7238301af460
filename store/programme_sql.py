"""Every inspection's scores in one DuckDB pass (for the programme: `scores --by inspection`,
`report --programme`, the app's programme screen).

The same statements as `scoring.compute` (the views' SQL: current answers and case rows
materialised once, then every level in one query), run over all the inspections' files
at once and grouped by inspection, then split into one `Scores` per inspection. No loop
over inspections in Python: the cost is one scan of the events, whatever their number.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import duckdb

from criteria import Framework

from .scoring import LEVELS, Scores, _levels_sql, _stage, check_method, fill
from .views import CASE_COUNT, Source, answers_current_sql, as_ctes, definitions


def only(events: Source, ids: list[str] | None) -> Source:
    """`events` limited to the inspections `ids` (hive pruning: only their files are read)."""
    if ids is None:
        return events
    inside = ", ".join("'" + i.replace("'", "''") + "'" for i in ids) or "NULL"

    def limited(kind: str) -> str:
        if kind == "inspections":
            return events(kind)
        return f"(SELECT * FROM {events(kind)} WHERE inspection_id IN ({inside}))"

    return limited


def compute_many(
    cur: duckdb.DuckDBPyConnection, fw: Framework, ids: list[str], events: Source,
    framework: Source, method: str = "questions",
) -> dict[str, Scores]:
    """Scores of each inspection in `ids` (fractions 0..1), from one pass over `events`."""
    check_method(method)
    defs = dict(definitions(fw, only(events, ids), framework))
    # The source inline, not a CTE: its file-name filters must reach the Parquet reader.
    narrow = answers_current_sql(["answer", "author"], f"({defs['answer_files']})")
    cur.execute(f"CREATE OR REPLACE TEMP TABLE ac AS {narrow}")
    cur.execute(f"CREATE OR REPLACE TEMP TABLE cr AS "
                f"{_stage(defs, ['case_events', 'case_values'], {})}\n{defs['case_rows']}")
    rows = cur.sql(_levels_sql(fw, defs, method, None)).to_arrow_table().to_pylist()
    by: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for r in rows:
        by[r["inspection_id"]][r["level"]].append(r)
    cases, interviews = _counts(cur, defs)
    out = {}
    for iid in ids:
        result = Scores(iid, method, None, cases=cases.get(iid, 0),
                        interviews=interviews.get(iid, []))
        fill(result, fw, *(by[iid][name] for name in LEVELS))
        out[iid] = result
    return out


def _counts(cur: duckdb.DuckDBPyConnection, defs: dict[str, str]) -> tuple[dict, dict]:
    """Cases and interview answer counts per inspection, as the views count them."""
    chain = as_ctes([("answers_current", "SELECT * FROM ac"), ("case_rows", "SELECT * FROM cr"),
                     ("cases", defs["cases"])])
    grouped = CASE_COUNT.replace("SELECT count(*)", "SELECT inspection_id, count(*) AS n")
    cases = {r["inspection_id"]: int(r["n"]) for r in cur.sql(
        f"{chain}\n{grouped} GROUP BY inspection_id").to_arrow_table().to_pylist()}
    interviews: dict[str, list[dict[str, Any]]] = defaultdict(list)
    sql = (f"{chain}\nSELECT inspection_id, question_id, answer, n FROM "
           f"({defs['interview_counts']})"
           " ORDER BY question_id, answer")
    for r in cur.sql(sql).to_arrow_table().to_pylist():
        interviews[r.pop("inspection_id")].append(r)
    return cases, interviews
