"""Scores split by a case detail, for findings that compare groups of cases.

The report says, for example, that work was better in high than in medium RoSH cases
(Outcome 4, paragraph 4.3) and that PO reports were better than PSO reports (Outcome 1,
paragraph 1.3). Each split is scored exactly as the whole inspection is: per group, each
question's proportion of applicable answers judged sufficient (counted by DuckDB over the
`answers_scored` and `cases` views), then the average over the outcome's or criterion's
questions.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import fmean
from typing import Any

from caseread.report.model import Breakdown, BreakdownRow
from criteria import Framework

NOT_RECORDED = "Not recorded"


@dataclass(frozen=True)
class Split:
    outcome: int  # the outcome section the breakdown is printed in
    field: str  # case detail field to group by
    columns: tuple[str, ...]  # "O4" for an outcome score, "4.1" for a criterion score
    reference: str


SPLITS = [
    Split(1, "om_grade", ("O1", "1.1"), "Outcome 1, paragraph 1.3: PO against PSO reports"),
    Split(
        4,
        "rosh",
        ("O4", "O5", "4.1", "4.2", "4.3"),
        "Outcome 4, paragraph 4.3: high against medium RoSH cases",
    ),
]


def _questions(fw: Framework, key: str) -> list[str]:
    if key.startswith("O"):
        return [q.id for q in fw.questions_for_outcome(int(key[1:]))]
    return [q.id for q in fw.questions_for_criterion(key) if q.kind == "scoring"]


def _column_title(fw: Framework, key: str) -> str:
    return f"Outcome {key[1:]}" if key.startswith("O") else f"Criterion {key}"


def group_counts(store: Any, inspection_id: str, field: str) -> list[dict[str, Any]]:
    """Per group and question: sufficient and applicable answers, and cases answered."""
    sql = (
        f'SELECT c."{field}" AS grp, a.question_id, '
        "count(*) FILTER (WHERE a.scoring = 'sufficient') AS s, "
        "count(*) FILTER (WHERE a.scoring IN ('sufficient', 'insufficient')) AS a, "
        "list(DISTINCT a.case_id) AS case_ids "
        "FROM answers_scored a JOIN cases c USING (inspection_id, case_id) "
        "WHERE a.inspection_id = ? AND a.applies AND c.kind = 'case' GROUP BY ALL"
    )
    return list(store.query(sql, [inspection_id]).to_pylist())


def _label(fw: Framework, field: str, value: object) -> str:
    if value is None:
        return NOT_RECORDED
    if isinstance(value, bool):
        return "Yes" if value else "No"
    labels = {c.value: c.label for c in fw.case_field(field).choices}
    return labels.get(str(value), str(value))


def split_scores(fw: Framework, counts: list[dict[str, Any]], split: Split) -> Breakdown:
    """Score every group of a split from its per-question counts."""
    order = [c.value for c in fw.case_field(split.field).choices]
    groups: dict[object, dict[str, float]] = {}
    cases: dict[object, set[str]] = {}
    wanted = {q for key in split.columns for q in _questions(fw, key)}
    for r in counts:
        if r["question_id"] not in wanted or not r["a"]:
            continue
        groups.setdefault(r["grp"], {})[r["question_id"]] = r["s"] / r["a"]
        cases.setdefault(r["grp"], set()).update(r["case_ids"])
    titles = [_column_title(fw, k) for k in split.columns]
    rows = []
    for grp in sorted(groups, key=lambda g: (g is None, order.index(g) if g in order else 99)):
        scores = {}
        for key, title in zip(split.columns, titles, strict=True):
            known = [groups[grp][q] for q in _questions(fw, key) if q in groups[grp]]
            scores[title] = fmean(known) if known else None
        rows.append(BreakdownRow(_label(fw, split.field, grp), len(cases[grp]), scores))
    field_label = fw.case_field(split.field).label
    return Breakdown(f"Scores by {field_label.lower()}", split.reference, titles, rows)


def breakdowns_for(
    store: Any, fw: Framework, inspection_id: str, method: str = "questions"
) -> dict[int, list[Breakdown]]:
    """The report's breakdowns by outcome section; splits on unknown fields are skipped.

    Criteria-method outcome scores average criteria, so a split's outcome columns then
    average its criterion scores too.
    """
    found: dict[int, list[Breakdown]] = {}
    for split in SPLITS:
        if split.field not in fw.field_types:
            continue
        counts = group_counts(store, inspection_id, split.field)
        b = split_scores(fw, counts, split)
        if method == "criteria":
            b = _criteria_method(fw, counts, split, b)
        found.setdefault(split.outcome, []).append(b)
    return found


def _criteria_method(
    fw: Framework, counts: list[dict[str, Any]], split: Split, b: Breakdown
) -> Breakdown:
    crit_cols = [c.id for c in fw.criteria if c.scored_from == "cases"]
    full = split_scores(fw, counts, Split(split.outcome, split.field, tuple(crit_cols), ""))
    by_group = {r.group: r for r in full.rows}
    rows = []
    for row in b.rows:
        crit = by_group.get(row.group, BreakdownRow(row.group, 0, {}))
        scores = dict(row.scores)
        for key in split.columns:
            if key.startswith("O"):
                code = int(key[1:])
                vals = [
                    crit.scores.get(f"Criterion {c.id}")
                    for c in fw.criteria
                    if c.outcome == code and c.scored_from == "cases"
                ]
                known = [v for v in vals if v is not None]
                scores[f"Outcome {code}"] = fmean(known) if known else None
        rows.append(BreakdownRow(row.group, row.cases, scores))
    return Breakdown(b.title, b.reference, b.columns, rows)
