"""Read scores from the store into a `ScoreSet` (runs in worker threads).

`Store.scores()` gives every level, the case count and the interview answer counts from
the store's live answers (the same figures as the views). The framework gives the
skeleton: every outcome, criterion and question, even before anything is answered.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from tui.common.clip import clip
from tui.scores.model import (
    ALL,
    Cell,
    CriterionRow,
    InterviewRow,
    OutcomeRow,
    QuestionRow,
    ScoreSet,
)

if TYPE_CHECKING:
    from criteria.models import Framework
    from tui.common.store_seam import Store

NOT_RECORDED = "Not recorded"
GROUP_WIDTH = 12

Cells = dict[Any, dict[str, Cell]]


def framework_of(store: Store) -> Framework:
    """The store's framework, or the packaged one (as the report and programme do)."""
    from criteria import Framework, load_framework

    fw = getattr(store, "framework", None)
    return fw if isinstance(fw, Framework) else load_framework()


def _cell(row: dict[str, Any]) -> Cell:
    sufficient = int(row.get("sufficient") or 0)
    applicable = row.get("applicable")
    if applicable is None:  # question rows carry insufficient instead
        applicable = sufficient + int(row.get("insufficient") or 0)
    return Cell(row.get("score"), sufficient, int(applicable),
                int(row.get("not_applicable") or 0))


def group_labels(fw: Framework, by: str) -> dict[str, str]:
    """Choice value -> short column label, in the framework's order."""
    try:
        field = fw.case_field(by)
    except KeyError:
        return {}
    return {c.value: clip(c.label, GROUP_WIDTH) for c in field.choices}


def _cells(scores: Any, label: Any) -> tuple[Cells, Cells, Cells]:
    """(outcomes, criteria, questions): key -> {group label: Cell}."""
    out: tuple[Cells, Cells, Cells] = ({}, {}, {})
    levels = ((scores.outcomes, "code"), (scores.criteria, "code"), (scores.questions, "id"))
    for target, (rows, key) in zip(out, levels, strict=True):
        for r in rows:
            target.setdefault(r[key], {})[label(r.get("group"))] = _cell(r)
    return out


def load_scores(
    store: Store, inspection_id: str, method: str, by: str | None
) -> ScoreSet:
    """The whole sample, plus one column per value of `by` when a breakdown is chosen."""
    fw = framework_of(store)
    whole = store.scores(inspection_id, method)
    outcomes, criteria, questions = _cells(whole, lambda _: ALL)
    groups: tuple[str, ...] = (ALL,)
    if by is not None:
        split = store.scores(inspection_id, method, by)
        labels = group_labels(fw, by)

        def label(value: str | None) -> str:
            return NOT_RECORDED if value is None else labels.get(value, clip(value, GROUP_WIDTH))

        seen = set(split.groups())
        order = [v for v in labels if v in seen] + sorted(v for v in seen - set(labels) if v)
        groups += tuple(label(v) for v in [*order, *([None] if None in seen else [])])
        for target, extra in zip((outcomes, criteria, questions), _cells(split, label),
                                 strict=True):
            for key, cells in extra.items():
                target.setdefault(key, {}).update(cells)
    base = skeleton(fw, inspection_id, method, by, groups, whole.cases)
    return replace(
        base,
        interviews=interviews(fw, whole.interviews),
        outcomes=[replace(o, cells=outcomes.get(o.code, {})) for o in base.outcomes],
        criteria=[replace(c, cells=criteria.get(c.id, {})) for c in base.criteria],
        questions=[replace(q, cells=questions.get(q.id, {})) for q in base.questions],
    )


def skeleton(
    fw: Framework, inspection_id: str, method: str, by: str | None, groups: tuple[str, ...],
    cases: int = 0,
) -> ScoreSet:
    """Every outcome, criterion and scoring question of the framework, with no figures."""
    return ScoreSet(
        inspection_id=inspection_id,
        method=method,
        by=by,
        groups=groups,
        outcomes=[OutcomeRow(o.code, o.title, method) for o in fw.outcomes],
        criteria=[CriterionRow(c.id, c.outcome, c.theme, c.title, c.scored_from)
                  for c in fw.criteria],
        questions=[QuestionRow(q.id, q.criterion, q.short or q.text)
                   for q in fw.questions if q.kind == "scoring"],
        themes={t.code: t.title for t in fw.themes},
        shorts={o.code: o.short for o in fw.outcomes},
        cases=cases,
    )


def interviews(fw: Framework, rows: list[dict[str, Any]]) -> list[InterviewRow]:
    """Each interview question with its answer counts, in the order of its scale."""
    found: dict[str, dict[str, int]] = {}
    for r in rows:
        found.setdefault(r["question_id"], {})[r["answer"]] = int(r["n"])
    out = []
    for q in fw.interview_questions:
        counts = found.get(q.id, {})
        choices = fw.scale_for(q).choices
        ordered = [(c.label, counts[c.value]) for c in choices if c.value in counts]
        out.append(InterviewRow(q.id, q.criterion, q.short or q.text, tuple(ordered)))
    return out
