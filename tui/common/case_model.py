"""The open case in memory: questions in process order, answers, applicability, progress.

Pure Python (no Textual, no DuckDB) so that a key press costs microseconds: the form asks
this model what applies and what comes next, and never queries the store per keystroke.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # not at run time: the case list starts before pydantic is imported
    from criteria.models import Framework, Question, Scale, ScaleChoice

INTERVIEW_SECTION = "interview"


@dataclass(frozen=True)
class AnswerState:
    """One question's answer as the form knows it."""

    value: str | None = None
    note: str | None = None
    author: str | None = None
    saved_at: datetime | None = None
    status: str = "saved"  # saved | saving | unsaved
    seq: int = 0  # local change number, to match a save confirmation to the latest change
    changed_by_other: bool = False
    # what this inspector typed and the store refused, because another inspector's answer
    # (`value`, by `author`) was saved first; the next key on the question replaces it
    refused: str | None = None


@dataclass(frozen=True)
class SectionView:
    id: str
    title: str
    questions: tuple[Question, ...]


class CaseModel:
    """Answers and details of one case (or interview) with applicability kept up to date."""

    def __init__(
        self,
        framework: Framework,
        kind: str,
        details: dict[str, Any],
        answers: dict[str, AnswerState] | None = None,
    ) -> None:
        self.framework = framework
        self.kind = kind
        self.details = dict(details)
        self.answers: dict[str, AnswerState] = dict(answers or {})
        self.sections = _sections(framework, kind)
        self.order, self.index, self.section_of = _positions(framework, kind)
        self.applies: dict[str, bool] = {}
        self.reevaluate()

    # -- applicability --
    def values(self) -> dict[str, str | None]:
        return {qid: a.value for qid, a in self.answers.items()}

    def reevaluate(self) -> None:
        """Evaluate every question's applies_when against the current details and answers."""
        values = self.values()
        fw = self.framework
        decided: dict[str, bool] = {}
        self.applies = {
            q.id: rule is None or rule.evaluate_once(self.details, values, decided)
            for q in self.order for rule in [fw.rule_for(q.id)]
        }

    # -- answering --
    def scale(self, qid: str) -> Scale:
        return self.framework.scale_for(qid)

    def choice_for_key(self, qid: str, key: str) -> ScaleChoice | None:
        """The scale choice typed with `key`; a digit with no such key picks the Nth choice."""
        choices = self.scale(qid).choices
        for c in choices:
            if c.key == key:
                return c
        if key.isdigit() and 1 <= int(key) <= len(choices) and not any(
            c.key.isdigit() for c in choices
        ):
            return choices[int(key) - 1]
        return None

    def keys_for(self, qid: str, usable: Iterable[str]) -> list[tuple[str, ScaleChoice]]:
        """(key to press, choice): a choice whose own key is not an answer key in the form
        (a scale with no digit keys can also be typed by position: 1, 2, 3, ...)."""
        allowed = set(usable)
        choices = self.scale(qid).choices
        positional = not any(c.key.isdigit() for c in choices)
        return [
            (c.key if c.key in allowed or not positional else str(i), c)
            for i, c in enumerate(choices, 1)
        ]

    def set_answer(self, qid: str, value: str | None, seq: int, author: str) -> AnswerState:
        """Record a local answer (status saving) and return the state it replaced."""
        old = self.answers.get(qid, AnswerState())
        self.answers[qid] = replace(
            old, value=value, status="saving", seq=seq, author=author,
            saved_at=None, changed_by_other=False, refused=None,
        )
        self.reevaluate()
        return old

    def set_note(self, qid: str, note: str | None, seq: int, author: str) -> AnswerState:
        old = self.answers.get(qid, AnswerState())
        self.answers[qid] = replace(
            old, note=note, status="saving", seq=seq, author=author, saved_at=None
        )
        return old

    def mark(self, qid: str, seq: int, status: str, saved_at: datetime | None = None) -> bool:
        """Mark the save of change `seq`; ignored if a newer local change exists."""
        state = self.answers.get(qid)
        if state is None or state.seq != seq:
            return False
        self.answers[qid] = replace(state, status=status, saved_at=saved_at or state.saved_at)
        return True

    # -- navigation and progress --
    def is_open(self, qid: str) -> bool:
        """Applicable and not yet answered."""
        if not self.applies.get(qid, False):
            return False
        state = self.answers.get(qid)
        return state is None or state.value is None

    def next_open(self, after: str | None) -> str | None:
        """The next applicable unanswered question after `after`, wrapping round once."""
        start = -1 if after is None else self.index[after]
        n = len(self.order)
        for step in range(1, n + 1):
            q = self.order[(start + step) % n]
            if self.is_open(q.id):
                return q.id
        return None

    def previous_open(self, before: str | None) -> str | None:
        """The previous applicable unanswered question before `before`, wrapping once."""
        start = len(self.order) if before is None else self.index[before]
        n = len(self.order)
        for step in range(1, n + 1):
            q = self.order[(start - step) % n]
            if self.is_open(q.id):
                return q.id
        return None

    def progress(self, section: int | None = None) -> tuple[int, int]:
        """(answered, applicable) for one section or the whole case."""
        qs = self.order if section is None else self.sections[section].questions
        applies, answers = self.applies, self.answers  # per key, for ~200 questions: lean
        applicable = [q.id for q in qs if applies[q.id]]
        answered = sum(1 for qid in applicable if (a := answers.get(qid)) is not None and a.value)
        return answered, len(applicable)

    def complete_ready(self) -> bool:
        answered, applicable = self.progress()
        return answered == applicable

    def unsaved(self) -> list[str]:
        return [qid for qid, a in self.answers.items() if a.status != "saved"]


_SECTIONS: dict[tuple[int, str], tuple[Framework, list[SectionView]]] = {}


def _sections(framework: Framework, kind: str) -> list[SectionView]:
    """Sections in process order (cached: the framework is frozen)."""
    key = (id(framework), kind)
    cached = _SECTIONS.get(key)
    if cached is None or cached[0] is not framework:  # an id can be reused after GC
        cached = _SECTIONS[key] = (framework, _build_sections(framework, kind))
    return cached[1]


Positions = tuple[list["Question"], dict[str, int], dict[str, int]]
_POSITIONS: dict[tuple[int, str], tuple[Framework, Positions]] = {}


def _positions(framework: Framework, kind: str) -> Positions:
    """Questions in form order, their index, and their section's index (cached)."""
    key = (id(framework), kind)
    cached = _POSITIONS.get(key)
    if cached is None or cached[0] is not framework:
        sections = _sections(framework, kind)
        order = [q for s in sections for q in s.questions]
        index = {q.id: i for i, q in enumerate(order)}
        section_of = {q.id: si for si, s in enumerate(sections) for q in s.questions}
        cached = _POSITIONS[key] = (framework, (order, index, section_of))
    return cached[1]


def _build_sections(framework: Framework, kind: str) -> list[SectionView]:
    """Interviews get their own sections, one per criterion."""
    if kind == "interview":
        by_criterion: dict[str, list[Question]] = {}
        for q in framework.interview_questions:
            by_criterion.setdefault(q.criterion, []).append(q)
        return [
            SectionView(cid, f"{cid} {framework.outcome(framework.criterion(cid).outcome).short}",
                        tuple(qs))
            for cid, qs in sorted(by_criterion.items())
        ]
    out = []
    for s in sorted(framework.sections, key=lambda s: s.order):
        qs = tuple(q for q in framework.questions if q.section == s.id)
        if qs:
            out.append(SectionView(s.id, s.title, qs))
    return out
