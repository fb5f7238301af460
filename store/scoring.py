"""Appendix 5 scores for one inspection, as a result object the CLI, TUI and report share.

`compute()` materialises answers_scored once (one pass over the inspection's fragments),
then derives every level from that small table with the same SQL as the views.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import duckdb

from criteria import Framework

from . import scoring_sql as S
from .views import (
    CASE_COUNT,
    Source,
    answers_current_sql,
    answers_scored_sql,
    as_ctes,
    definitions,
)

METHODS = ("questions", "criteria")
@dataclass
class Scores:
    """Scores of one inspection; fractions 0..1, None where nothing applies."""

    inspection_id: str
    method: str
    by: str | None
    outcomes: list[dict[str, Any]] = field(default_factory=list)
    criteria: list[dict[str, Any]] = field(default_factory=list)
    questions: list[dict[str, Any]] = field(default_factory=list)
    themes: list[dict[str, Any]] = field(default_factory=list)
    cases: int = 0  # case records (not interviews, not deleted) with details saved
    interviews: list[dict[str, Any]] = field(default_factory=list)  # question_id, answer, n

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"inspection_id": self.inspection_id, "method": self.method}
        if self.by:
            out["by"] = self.by
        out |= {
            "outcomes": self.outcomes, "criteria": self.criteria,
            "questions": self.questions, "themes": self.themes,
        }
        return out

    def outcome(self, code: int, group: str | None = None) -> dict[str, Any]:
        return _find(self.outcomes, "code", code, group)

    def criterion(self, criterion_id: str, group: str | None = None) -> dict[str, Any]:
        return _find(self.criteria, "code", criterion_id, group)

    def question(self, question_id: str, group: str | None = None) -> dict[str, Any]:
        return _find(self.questions, "id", question_id, group)

    def groups(self) -> list[str | None]:
        return list(dict.fromkeys(r.get("group") for r in self.questions))


def agree(a: Any, b: Any) -> bool:
    """Two score results (e.g. `to_json()`s) equal but for float rounding in the last bits
    (Python's fsum and DuckDB's avg may differ there)."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(agree(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(agree(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-12)
    return bool(a == b)


def _find(rows: list[dict[str, Any]], key: str, value: object, group: str | None) -> dict:
    for row in rows:
        if row[key] == value and row.get("group") == group:
            return row
    raise KeyError(f"no score for {key}={value!r} group={group!r}")


def _rows(cur: duckdb.DuckDBPyConnection, sql: str) -> list[dict[str, Any]]:
    table = cur.sql(sql).to_arrow_table()
    return table.to_pylist()


def _stage(defs: dict[str, str], names: list[str], aliases: dict[str, str]) -> str:
    """A WITH chain of `names` (from the view definitions), earlier stages aliased in."""
    parts = [(n, f"SELECT * FROM {t}") for n, t in aliases.items()]
    return as_ctes(parts + [(n, defs[n]) for n in names])


def compute(
    cur: duckdb.DuckDBPyConnection,
    fw: Framework,
    inspection_id: str,
    events: Source,
    framework: Source,
    method: str = "questions",
    by: str | None = None,
) -> Scores:
    """Run on a cursor whose database holds the fw_* tables; `events` names the files.

    Three statements: current answers and case rows are materialised once each (both are
    read several times), then one query derives every level from them.
    """
    check_method(method)
    defs = dict(definitions(fw, events, framework))
    # All scoring needs (cheaper); the source inline so its file-name filters reach the reader.
    narrow = answers_current_sql(["answer", "author"], f"({defs['answer_files']})")
    cur.execute(f"CREATE TEMP TABLE ac AS {narrow}")
    cur.execute(f"CREATE TEMP TABLE cr AS {_stage(defs, ['case_events', 'case_values'], {})}\n"
                f"{defs['case_rows']}")
    rows = _rows(cur, _levels_sql(fw, defs, method, by))
    result = Scores(inspection_id, method, by)
    result.cases, result.interviews = _counts(cur, defs)
    level = {name: [r for r in rows if r["level"] == name] for name in LEVELS}
    fill(result, fw, *(level[name] for name in LEVELS))
    return result


LEVELS = ("questions", "criteria", "outcomes", "themes")


def _counts(cur: duckdb.DuckDBPyConnection, defs: dict[str, str]) -> tuple[int, list]:
    """The number of cases and the interview answer counts, as the views count them."""
    chain = as_ctes([("answers_current", "SELECT * FROM ac"), ("case_rows", "SELECT * FROM cr"),
                     ("cases", defs["cases"])])
    ((n,),) = cur.execute(f"{chain}\n{CASE_COUNT}").fetchall()
    counts = defs["interview_counts"]
    interviews = _rows(cur, f"{chain}\nSELECT question_id, answer, n FROM ({counts})"
                            " ORDER BY question_id, answer")
    return int(n), interviews


def check_method(method: str) -> None:
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}: use questions or criteria")


def _levels_sql(fw: Framework, defs: dict[str, str], method: str, by: str | None) -> str:
    """Every level in one query (one plan, one round trip), tagged by a `level` column."""
    g = by is not None
    body = S.grouped_scored(fw, by) if by is not None else "SELECT * FROM answers_scored"
    cols = "inspection_id, question_id, scoring, applies" + (", by_value" if g else "")
    chain = [
        ("answers_latest", "SELECT * FROM ac"), ("case_rows", "SELECT * FROM cr"),
        ("answers_scored", answers_scored_sql(fw, tables=True)),
        ("scored", f"SELECT {cols} FROM ({body})"),
        ("qs", S.question_level("scored", g)),
        ("cs", S.criterion_level("qs", g)),
        ("os", f"SELECT * FROM ({S.outcome_level('qs', 'cs', g)}) WHERE method = '{method}'"),
        ("ts", S.theme_level("cs", g)),
    ]
    tables = zip(LEVELS, ("qs", "cs", "os", "ts"), strict=True)
    union = "\nUNION ALL BY NAME\n".join(f"SELECT '{lv}' AS level, * FROM {t}" for lv, t in tables)
    # ac and cr are tables: read where needed, not copied; `scored` is read once.
    inline = ("answers_latest", "case_rows", "answers_scored", "scored")
    return f"{as_ctes(chain, materialized=('qs', 'cs'), inline=inline)}\n{union}"


def fill(
    res: Scores, fw: Framework, qs: list[dict], cs: list[dict], os_: list[dict], ts: list[dict]
) -> None:
    """Shape rows in framework order; with no breakdown, every item appears (None = no data)."""
    groups = sorted({r.get("by_value") for r in qs}, key=group_order(fw, res.by))
    if res.by is None:
        groups = [None]
    for grp in groups:
        res.questions += _questions(fw, [r for r in qs if r.get("by_value") == grp], grp, res.by)
        res.criteria += _level(
            [(c.id, c.title) for c in fw.criteria if c.scored_from == "cases"],
            {r["criterion_id"]: r for r in cs if r.get("by_value") == grp}, grp, res.by,
        )
        res.outcomes += _level(
            [(o.code, o.title) for o in fw.outcomes],
            {r["outcome"]: r for r in os_ if r.get("by_value") == grp}, grp, res.by,
        )
        res.themes += _level(  # every theme, also per group (as the theme_scores view)
            [(t.code, t.title) for t in fw.themes],
            {r["theme"]: r for r in ts if r.get("by_value") == grp}, grp, res.by, every=True,
        )


def group_order(fw: Framework, by: str | None) -> Callable[[str | None], tuple]:
    """Sort key of breakdown groups: a case detail's choices in the framework's order
    (low, medium, high, very high), then other values alphabetically, then no value."""
    try:
        order = {c.value: i for i, c in enumerate(fw.case_field(by or "").choices)}
    except KeyError:
        order = {}
    return lambda v: (v is None, order.get(v or "", len(order)), v or "")


def _level(items: list[tuple[Any, str]], found: dict, grp: str | None, by: str | None,
           every: bool = False) -> list:
    out = []
    for code, title in items:
        r = found.get(code)
        if r is None and by is not None and not every:
            continue
        row: dict[str, Any] = {
            "code": code, "title": title,
            "score": r["score"] if r else None,
            "sufficient": int(r["sufficient"]) if r else 0,
            "applicable": int(r["applicable"]) if r else 0,
        }
        out.append(row | ({"group": grp} if by else {}))
    return out


def _questions(fw: Framework, rows: list[dict], grp: str | None, by: str | None) -> list:
    found = {r["question_id"]: r for r in rows}
    scored_from_cases = {c.id for c in fw.criteria if c.scored_from == "cases"}
    out = []
    for q in fw.questions:
        r = found.get(q.id)
        if q.kind != "scoring" or q.criterion not in scored_from_cases or (r is None and by):
            continue
        r = r or {"sufficient": 0, "insufficient": 0, "not_applicable": 0, "score": None}
        row = {
            "id": q.id, "criterion": q.criterion, "sufficient": int(r["sufficient"]),
            "insufficient": int(r["insufficient"]), "not_applicable": int(r["not_applicable"]),
            "score": r["score"],
        }
        out.append(row | ({"group": grp} if by else {}))
    return out
