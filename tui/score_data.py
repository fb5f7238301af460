"""Read scores from the store's views into a `ScoreSet` (runs in worker threads).

The framework gives the skeleton (every outcome, criterion and question, even with no
answers yet); the views give the figures. Breakdowns use the store's own breakdown SQL
(`store.scoring_sql.breakdown_sql`), the views' scoring with an extra `by_value` column.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any

import pyarrow as pa

from tui.score_model import ALL, Cell, CriterionRow, OutcomeRow, QuestionRow, ScoreSet

Query = Callable[[str, list[object]], pa.Table]

OUTCOME_SQL = """
SELECT outcome, score, sufficient, applicable FROM outcome_scores
WHERE inspection_id = ? AND method = ?"""
CRITERION_SQL = """
SELECT criterion_id, score, sufficient, applicable FROM criterion_scores
WHERE inspection_id = ?"""
QUESTION_SQL = """
SELECT question_id, score, sufficient, applicable, not_applicable FROM question_scores
WHERE inspection_id = ?"""
CASES_SQL = "SELECT count(*) AS n FROM cases WHERE inspection_id = ? AND kind = 'case'"


def _rows(table: pa.Table) -> Iterable[dict[str, Any]]:
    return table.to_pylist()


def _cell(row: dict[str, Any]) -> Cell:
    return Cell(
        score=row.get("score"),
        sufficient=int(row.get("sufficient") or 0),
        applicable=int(row.get("applicable") or 0),
        not_applicable=int(row.get("not_applicable") or 0),
    )


def load_overall(query: Query, framework: Any, inspection_id: str, method: str) -> ScoreSet:
    """Scores with no breakdown, straight from the views."""
    outcomes = {r["outcome"]: _cell(r) for r in _rows(query(OUTCOME_SQL, [inspection_id, method]))}
    criteria = {r["criterion_id"]: _cell(r) for r in _rows(query(CRITERION_SQL, [inspection_id]))}
    questions = {r["question_id"]: _cell(r) for r in _rows(query(QUESTION_SQL, [inspection_id]))}
    cases = query(CASES_SQL, [inspection_id]).column("n")[0].as_py()
    return skeleton(
        framework,
        inspection_id,
        method,
        None,
        (ALL,),
        outcome_cells={k: {ALL: v} for k, v in outcomes.items()},
        criterion_cells={k: {ALL: v} for k, v in criteria.items()},
        question_cells={k: {ALL: v} for k, v in questions.items()},
        cases=int(cases or 0),
    )


def skeleton(
    framework: Any,
    inspection_id: str,
    method: str,
    by: str | None,
    groups: tuple[str, ...],
    *,
    outcome_cells: dict[int, dict[str, Cell]],
    criterion_cells: dict[str, dict[str, Cell]],
    question_cells: dict[str, dict[str, Cell]],
    cases: int = 0,
) -> ScoreSet:
    """Every outcome, criterion and scoring question of the framework, with the figures."""
    return ScoreSet(
        inspection_id=inspection_id,
        method=method,
        by=by,
        groups=groups,
        outcomes=[
            OutcomeRow(o.code, o.title, method, outcome_cells.get(o.code, {}))
            for o in framework.outcomes
        ],
        criteria=[
            CriterionRow(c.id, c.outcome, c.theme, c.title, c.scored_from,
                         criterion_cells.get(c.id, {}))
            for c in framework.criteria
        ],
        questions=[
            QuestionRow(q.id, q.criterion, q.short or q.text, question_cells.get(q.id, {}))
            for q in framework.questions
            if q.kind == "scoring"
        ],
        themes={t.code: t.title for t in framework.themes},
        cases=cases,
    )


def framework_of(store: Any) -> Any:
    """The store's framework, or the packaged one (as the report and programme do)."""
    from criteria import Framework, load_framework

    fw = getattr(store, "framework", None)
    return fw if isinstance(fw, Framework) else load_framework()


def load_scores(
    store: Any, reader: Any, inspection_id: str, method: str, by: str | None
) -> ScoreSet:
    """The overview's scores: the views directly, or the store's breakdown SQL."""
    fw = framework_of(store)
    overall = load_overall(reader.query, fw, inspection_id, method)
    if by is None:
        return overall
    return load_breakdown(reader.query, fw, overall, by)


NOT_RECORDED = "Not recorded"
GROUP_WIDTH = 12


def group_labels(fw: Any, by: str) -> dict[str, str]:
    """Choice value -> short column label, in the framework's order."""
    try:
        field = fw.case_field(by)
    except KeyError:
        return {}
    return {c.value: _clip(c.label, GROUP_WIDTH) for c in field.choices}


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def load_breakdown(query: Query, fw: Any, overall: ScoreSet, by: str) -> ScoreSet:
    """The overall scores plus one column per value of `by` (values with answers only)."""
    from store.scoring_sql import breakdown_sql

    labels = group_labels(fw, by)
    where = " WHERE inspection_id = ?"
    levels = {}
    for level in ("outcomes", "criteria", "questions"):
        sql = f"SELECT * FROM ({breakdown_sql(fw, level, by, overall.method)})" + where
        levels[level] = query(sql, [overall.inspection_id]).to_pylist()
    seen = {r["by_value"] for rows in levels.values() for r in rows}

    def label(value: str | None) -> str:
        return NOT_RECORDED if value is None else labels.get(value, _clip(value, GROUP_WIDTH))

    order = [v for v in labels if v in seen] + sorted(v for v in seen - set(labels) if v)
    order += [None] if None in seen else []
    groups = (ALL, *(label(v) for v in order))

    def cells(level: str, key: str) -> dict[Any, dict[str, Cell]]:
        out: dict[Any, dict[str, Cell]] = {}
        for r in levels[level]:
            out.setdefault(r[key], {})[label(r["by_value"])] = _cell(r)
        return out

    return _merge(overall, groups, by, cells("outcomes", "outcome"),
                  cells("criteria", "criterion_id"), cells("questions", "question_id"))


def _merge(
    overall: ScoreSet,
    groups: tuple[str, ...],
    by: str,
    outcomes: dict[Any, dict[str, Cell]],
    criteria: dict[Any, dict[str, Cell]],
    questions: dict[Any, dict[str, Cell]],
) -> ScoreSet:
    return replace(
        overall,
        by=by,
        groups=groups,
        outcomes=[replace(o, cells={**o.cells, **outcomes.get(o.code, {})})
                  for o in overall.outcomes],
        criteria=[replace(c, cells={**c.cells, **criteria.get(c.id, {})})
                  for c in overall.criteria],
        questions=[replace(q, cells={**q.cells, **questions.get(q.id, {})})
                   for q in overall.questions],
    )
