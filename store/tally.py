"""Appendix 5 levels from scored answers, in Python: the live path behind `Store.scores()`.

The views (`question_scores` ... `theme_scores`, built by `scoring_sql`) define the scores;
this module computes the very same rows from an inspection's scored answers held in memory,
because DuckDB needs about 35 ms just to plan the views' query while these sums take a few
milliseconds. tests/test_store_live.py checks that both give the same scores.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from math import fsum
from typing import Any, NamedTuple

from criteria import Framework

# What an answer adds to its question's counts (Appendix 5: answered and applicable only).
SUFFICIENT, INSUFFICIENT, NOT_APPLICABLE, FACT = "s", "i", "n", "f"


Counts = Counter[tuple[str, str]]  # (question id, counts_as) -> answers


class ScoredAnswer(NamedTuple):
    """One current answer of a case record: the row of the `answers_scored` view."""

    question_id: str
    counts_as: str  # SUFFICIENT, INSUFFICIENT, NOT_APPLICABLE or FACT
    author: str | None


def count_as(scoring: str, applies: bool) -> str:
    """How `answers_scored.scoring` and `.applies` count in `question_scores`."""
    if scoring == "not_applicable" or (not applies and scoring in ("sufficient", "insufficient")):
        return NOT_APPLICABLE
    return {"sufficient": SUFFICIENT, "insufficient": INSUFFICIENT}.get(scoring, FACT)


@dataclass(frozen=True)
class Plan:
    """The framework's shape, worked out once: what is scored and where it counts."""

    questions: list[tuple[str, str]]  # (question id, criterion) scored from cases, in order
    criteria: dict[str, tuple[int, int, str]]  # criterion -> (outcome, theme, title)
    lent: dict[str, list[int]]  # question -> every outcome it counts towards

    @classmethod
    def of(cls, fw: Framework) -> Plan:
        from_cases = {c.id: c for c in fw.criteria if c.scored_from == "cases"}
        questions = [(q.id, q.criterion) for q in fw.questions
                     if q.kind == "scoring" and q.criterion in from_cases]
        used = {crit for _, crit in questions}
        criteria = {c.id: (c.outcome, c.theme, c.title) for c in fw.criteria if c.id in used}
        lent = {
            q.id: list(dict.fromkeys([from_cases[q.criterion].outcome, *q.also_counts_towards]))
            for q in fw.questions if q.criterion in from_cases
        }
        return cls(questions, criteria, lent)


def levels(
    plan: Plan, groups: dict[str | None, Counts], method: str
) -> dict[str, list[dict[str, Any]]]:
    """Rows of every level, shaped like the views' rows (with `by_value` per group)."""
    out: dict[str, list[dict[str, Any]]] = {"questions": [], "criteria": [], "outcomes": [],
                                           "themes": []}
    for group, counts in groups.items():
        qs = _question_rows(plan, counts, group)
        cs = _criterion_rows(plan, qs, group)
        out["questions"] += qs
        out["criteria"] += cs
        if method == "questions":
            lent = ((o, q) for q in qs for o in plan.lent[q["question_id"]])
            out["outcomes"] += _means(lent, "outcome", group)
        else:
            out["outcomes"] += _means(((c["outcome"], c) for c in cs), "outcome", group)
        out["themes"] += _means(((c["theme"], c) for c in cs), "theme", group)
    return out


def _question_rows(plan: Plan, counts: Counts, group: str | None) -> list[dict[str, Any]]:
    rows = []
    for qid, crit in plan.questions:
        suff, insuff = counts[(qid, SUFFICIENT)], counts[(qid, INSUFFICIENT)]
        na = counts[(qid, NOT_APPLICABLE)]
        applicable = suff + insuff
        rows.append({
            "by_value": group, "question_id": qid, "criterion_id": crit,
            "sufficient": suff, "insufficient": insuff, "not_applicable": na,
            "applicable": applicable, "score": suff / applicable if applicable else None,
        })
    return rows


def _criterion_rows(
    plan: Plan, qs: list[dict[str, Any]], group: str | None
) -> list[dict[str, Any]]:
    by_criterion: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for q in qs:
        by_criterion[q["criterion_id"]].append(q)
    rows = []
    for crit, members in by_criterion.items():
        outcome, theme, title = plan.criteria[crit]
        row = _mean_row(members) | {"by_value": group, "criterion_id": crit,
                                    "outcome": outcome, "theme": theme, "title": title}
        row["questions_scored"] = sum(q["score"] is not None for q in members)
        rows.append(row)
    return rows


def _means(
    items: Iterable[tuple[int, dict[str, Any]]], key: str, group: str | None
) -> list[dict[str, Any]]:
    """AVG(score), SUM(sufficient), SUM(applicable) of rows grouped by an outcome/theme code."""
    grouped: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for code, row in items:
        grouped[code].append(row)
    return [_mean_row(rows) | {"by_value": group, key: code} for code, rows in grouped.items()]


def _mean_row(rows: list[dict[str, Any]]) -> dict[str, Any]:
    scores = [r["score"] for r in rows if r["score"] is not None]
    return {
        "score": fsum(scores) / len(scores) if scores else None,
        "sufficient": sum(r["sufficient"] for r in rows),
        "applicable": sum(r["applicable"] for r in rows),
    }
