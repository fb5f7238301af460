"""Answers for the synthetic cases: every stated figure exactly, the rest solved to the scores.

A question with a figure gets exactly the stated answers among the cases where it applies
(the rest not applicable). Questions without a figure get a sufficiency rate chosen so that
each outcome's mean of question scores lands on the report's score (rates.py). Which cases
answer well follows a per-case "quality" with noise, a little better for cases held by a
probation officer (the report saw better reports from PO staff), so cases differ believably.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass, field

from caseread.demo.figures import DemoError, Figures
from caseread.demo.rates import FreeQuestion, solve_rates
from caseread.demo.solver import Details
from criteria.models import Framework, Question, Scale

CLASS_ORDER = {"sufficient": 0, "insufficient": 1, "not_applicable": 2, "fact": 3}
IN_PROGRESS_CASES = 3  # cases left part-answered, so the list shows work in progress
SKIPPED_PER_CASE = (2, 5)
NA_SHARE = 0.06  # questions without a figure: share of applicable cases judged not applicable


@dataclass
class Answered:
    answers: dict[str, dict[str, str]]  # case_id -> question_id -> scale value
    in_progress: set[str] = field(default_factory=set)


def by_class(scale: Scale) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for c in scale.choices:
        out.setdefault(c.scoring, []).append(c.value)
    return out


def applies(fw: Framework, question_id: str, details: Details,
            answers: Mapping[str, str | None]) -> bool:
    rule = fw.rule_for(question_id)
    return rule is None or rule.evaluate(details, answers)


def is_scored(fw: Framework, q: Question) -> bool:
    return q.kind == "scoring" and "sufficient" in by_class(fw.scale_for(q))


def _in_order(fw: Framework, questions: list[Question]) -> list[Question]:
    """Form order, but a question always after the questions its rule reads."""
    done: set[str] = set()
    out: list[Question] = []
    ids = {q.id for q in questions}

    def visit(q: Question, trail: tuple[str, ...]) -> None:
        if q.id in done:
            return
        if q.id in trail:
            raise DemoError(f"question {q.id}: its rule depends on itself via {trail}")
        rule = fw.rule_for(q.id)
        for dep in rule.questions if rule else ():
            if dep in ids:
                visit(fw.question(dep), (*trail, q.id))
        done.add(q.id)
        out.append(q)

    for q in questions:
        visit(q, ())
    return out


class _Builder:
    def __init__(self, fw: Framework, figures: Figures, cases: dict[str, Details],
                 rng: random.Random) -> None:
        self.fw, self.figures, self.cases, self.rng = fw, figures, cases, rng
        self.answers: dict[str, dict[str, str]] = {c: {} for c in cases}
        self.quality = {c: rng.gauss(0, 1) + (0.4 if d.get("om_grade") == "po" else 0.0)
                        for c, d in cases.items()}
        self.skipped: dict[str, set[str]] = {}

    def applicable(self, q: Question) -> list[str]:
        return [c for c, d in self.cases.items()
                if q.id not in self.skipped.get(c, set())
                and applies(self.fw, q.id, d, self.answers[c])]

    def ranked(self, case_ids: list[str]) -> list[str]:
        """Best first, with noise: good work clusters in some cases but not rigidly."""
        keyed = {c: self.quality[c] + self.rng.gauss(0, 1.2) for c in case_ids}
        return sorted(case_ids, key=lambda c: -keyed[c])

    def give(self, q: Question, split: dict[str, int], case_ids: list[str], where: str) -> None:
        """Answer exactly `split` (values or scoring classes) over the ranked cases."""
        scale = self.fw.scale_for(q)
        classes = by_class(scale)
        need = sum(split.values())
        if need > len(case_ids):
            raise DemoError(f"{where}: question {q.id} applies to {len(case_ids)} cases, "
                            f"the figure counts {need}")
        keys = sorted(split, key=lambda k: CLASS_ORDER.get(_class_of(scale, k), 9))
        queue = self.ranked(case_ids)
        for key in keys:
            for _ in range(split[key]):
                self.answers[queue.pop(0)][q.id] = self._value(key, classes)
        for c in queue:  # the rest of the applicable cases
            self.answers[c][q.id] = self._rest_value(scale, split, where, q)

    def _value(self, key: str, classes: dict[str, list[str]]) -> str:
        return self.rng.choice(classes[key]) if key in classes else key

    def _rest_value(self, scale: Scale, split: dict[str, int], where: str, q: Question) -> str:
        na = by_class(scale).get("not_applicable")
        if na:
            return na[0]
        unnamed = [v for v in scale.values() if v not in split]
        if not unnamed:
            raise DemoError(f"{where}: question {q.id} applies to more cases than the figure "
                            "accounts for, and its scale has no 'not applicable'")
        return self.rng.choice(unnamed)


def _class_of(scale: Scale, key: str) -> str:
    if key in CLASS_ORDER:
        return key
    return scale.choice(key).scoring


def build_answers(fw: Framework, figures: Figures, cases: dict[str, Details],
                  rng: random.Random) -> Answered:
    b = _Builder(fw, figures, cases, rng)
    depended = {d for q in fw.questions if (r := fw.rule_for(q.id)) for d in r.questions}
    free = [q for q in fw.questions
            if is_scored(fw, q) and figures.split_for(q.id) is None and q.id not in depended]
    free_ids = {q.id for q in free}
    in_progress = rng.sample(sorted(cases), min(IN_PROGRESS_CASES, len(cases)))
    for c in in_progress:
        k = min(len(free), rng.randint(*SKIPPED_PER_CASE))
        b.skipped[c] = {q.id for q in rng.sample(free, k)}
    for q in _in_order(fw, [q for q in fw.questions if q.id not in free_ids]):
        _answer_fixed(b, q)
    _answer_free(b, free)
    return Answered(b.answers, set(in_progress))


def _answer_fixed(b: _Builder, q: Question) -> None:
    """A question with a figure, a fact, or one other rules read (answered before the rest)."""
    split = b.figures.split_for(q.id)
    where = split.where if split else f"question {q.id}"
    cases = b.applicable(q)
    if split is not None:
        b.give(q, dict(split.counts), cases, where)
        return
    scale = b.fw.scale_for(q)
    classes = by_class(scale)
    if "sufficient" in classes:
        rate = b.rng.uniform(0.55, 0.9)
        k = round(rate * len(cases))
        b.give(q, {"sufficient": k, "insufficient": len(cases) - k}, cases, where)
    else:  # a fact: mostly the first choice, as facts like "no further offence" usually are
        weights = [3.0] + [1.0] * (len(scale.values()) - 1)
        for c in cases:
            b.answers[c][q.id] = b.rng.choices(scale.values(), weights=weights)[0]


def _answer_free(b: _Builder, free: list[Question]) -> None:
    """Questions without a figure: rates solved so outcome means hit the report's scores."""
    pending = []
    for q in free:
        cases = b.applicable(q)
        scale = b.fw.scale_for(q)
        na_values = by_class(scale).get("not_applicable")
        n_na = round(NA_SHARE * len(cases) * b.rng.random() * 2) if na_values else 0
        pending.append((q, cases, n_na))
    fixed = _fixed_scores(b, {q.id for q in free})
    rates = solve_rates(
        b.fw, b.figures.targets, fixed,
        [FreeQuestion(q.id, len(cases) - n_na) for q, cases, n_na in pending], b.rng,
    )
    for q, cases, n_na in pending:
        k = rates[q.id]
        split = {"sufficient": k, "insufficient": len(cases) - n_na - k}
        if n_na:
            split["not_applicable"] = n_na
        b.give(q, split, cases, f"question {q.id}")


def _fixed_scores(b: _Builder, free_ids: set[str]) -> dict[str, float]:
    """Score of every already answered scoring question (None-free: only applicable > 0)."""
    out = {}
    for q in b.fw.questions:
        if q.id in free_ids or not is_scored(b.fw, q):
            continue
        s, n = question_counts(b.fw, q, b.answers)
        if n:
            out[q.id] = s / n
    return out


def question_counts(fw: Framework, q: Question,
                    answers: dict[str, dict[str, str]]) -> tuple[int, int]:
    """(sufficient, applicable) over all cases: what the store's question_scores counts."""
    scale = fw.scale_for(q)
    s = n = 0
    for per_case in answers.values():
        value = per_case.get(q.id)
        if value is None:
            continue
        scoring = scale.choice(value).scoring
        s += scoring == "sufficient"
        n += scoring in ("sufficient", "insufficient")
    return s, n
