"""Scores split by a case detail, for findings that compare groups of cases.

The report says, for example, that work was better in high than in medium RoSH cases
(Outcome 4, paragraph 4.3) and that PO reports were better than PSO reports (Outcome 1,
paragraph 1.3). Each split is scored by `Store.scores(by=FIELD)`, the same SQL builder
as the views and `caseread scores --by`, so a group is scored exactly as a whole
inspection is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from criteria import Framework
from report.model import Breakdown, BreakdownRow

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


def _title(key: str) -> str:
    return f"Outcome {key[1:]}" if key.startswith("O") else f"Criterion {key}"


def group_scores(
    store: Any, inspection_id: str, field: str, method: str
) -> dict[str | None, dict[str, float | None]]:
    """Per group value: outcome ("O1") and criterion ("1.1") scores."""
    sc = store.scores(inspection_id, method=method, by=field)
    found: dict[str | None, dict[str, float | None]] = {}
    for r in sc.outcomes:
        found.setdefault(r["group"], {})[f"O{r['code']}"] = r["score"]
    for r in sc.criteria:
        found.setdefault(r["group"], {})[r["code"]] = r["score"]
    return found


def group_cases(store: Any, inspection_id: str, field: str) -> dict[str | None, int]:
    sql = (
        f'SELECT CAST("{field}" AS VARCHAR) AS v, count(*) AS n FROM cases '
        "WHERE inspection_id = ? AND kind = 'case' GROUP BY 1"
    )
    return {r["v"]: int(r["n"]) for r in store.query(sql, [inspection_id]).to_pylist()}


def _label(fw: Framework, field: str, value: str | None) -> str:
    if value is None:
        return NOT_RECORDED
    f = fw.case_field(field)
    if f.type == "bool":
        return {"true": "Yes", "false": "No"}.get(value, value)
    return {c.value: c.label for c in f.choices}.get(value, value)


def split_breakdown(
    fw: Framework,
    split: Split,
    scores: dict[str | None, dict[str, float | None]],
    cases: dict[str | None, int],
) -> Breakdown:
    order = [c.value for c in fw.case_field(split.field).choices] + ["true", "false"]

    def rank(value: str | None) -> tuple[bool, int, str]:
        return (value is None, order.index(value) if value in order else 99, str(value))

    titles = [_title(k) for k in split.columns]
    rows = [
        BreakdownRow(
            _label(fw, split.field, value),
            cases.get(value, 0),
            {t: scores[value].get(k) for k, t in zip(split.columns, titles, strict=True)},
        )
        for value in sorted(scores, key=rank)
    ]
    label = fw.case_field(split.field).label
    first = label.split(" ", 1)[0]
    if first[1:].islower():  # "offender manager grade", but "RoSH classification"
        label = label[0].lower() + label[1:]
    return Breakdown(f"Scores by {label}", split.reference, titles, rows)


def breakdowns_for(
    store: Any, fw: Framework, inspection_id: str, method: str = "questions"
) -> dict[int, list[Breakdown]]:
    """The report's breakdowns by outcome section; splits on unknown fields are skipped."""
    found: dict[int, list[Breakdown]] = {}
    for split in SPLITS:
        if split.field not in fw.field_types:
            continue
        scores = group_scores(store, inspection_id, split.field, method)
        cases = group_cases(store, inspection_id, split.field)
        found.setdefault(split.outcome, []).append(split_breakdown(fw, split, scores, cases))
    return found
