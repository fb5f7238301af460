"""The framework as pydantic models: the criteria grid, case details, scales and questions.

Field-level checks live here; checks across files (ids, references, rules) live in
`loader.py`, which knows the file and line of every item.
"""

from __future__ import annotations

import re
from functools import cached_property
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from criteria.rules import Rule

Scoring = Literal["sufficient", "insufficient", "not_applicable", "fact"]
FieldType = Literal["choice", "multi", "text", "int", "bool"]
QuestionKind = Literal["scoring", "fact", "interview"]

_SNAKE = re.compile(r"^[a-z][a-z0-9_]*$")
_VALUE = re.compile(r"^[a-z0-9][a-z0-9_]*$")


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Outcome(_Model):
    code: int = Field(ge=1, le=5)
    title: str
    short: str


class Theme(_Model):
    code: int = Field(ge=1, le=5)
    title: str


class Criterion(_Model):
    id: str = Field(pattern=r"^[1-5]\.[1-5]$")
    outcome: int = Field(ge=1, le=5)
    theme: int = Field(ge=1, le=5)
    title: str
    scored_from: Literal["cases", "interviews"]


class Section(_Model):
    id: str = Field(pattern=_SNAKE.pattern)
    title: str
    order: int


class Choice(_Model):
    value: str = Field(pattern=_VALUE.pattern)
    label: str
    short: str = ""  # the form the case list shows in a narrow column ("CO"); imports accept it


class CaseField(_Model):
    id: str = Field(pattern=_SNAKE.pattern)
    label: str
    type: FieldType
    choices: list[Choice] = []
    required: bool = False
    help: str = ""

    @field_validator("choices")
    @classmethod
    def _unique_choices(cls, choices: list[Choice]) -> list[Choice]:
        _no_duplicates([c.value for c in choices], "choice value")
        return choices

    def values(self) -> list[str]:
        return [c.value for c in self.choices]


class ScaleChoice(_Model):
    value: str = Field(pattern=_VALUE.pattern)
    label: str
    key: str = Field(pattern=r"^[a-z0-9]$")
    scoring: Scoring
    aliases: list[str] = []


class Scale(_Model):
    id: str = Field(pattern=_SNAKE.pattern)
    label: str = ""
    choices: list[ScaleChoice] = Field(min_length=2)

    @field_validator("choices")
    @classmethod
    def _unique_tokens(cls, choices: list[ScaleChoice]) -> list[ScaleChoice]:
        _no_duplicates([c.value for c in choices], "choice value")
        _no_duplicates([c.key for c in choices], "choice key")
        tokens = [t.lower() for c in choices for t in (c.value, *c.aliases)]
        _no_duplicates(tokens, "choice value or alias")
        return choices

    @property
    def is_fact(self) -> bool:
        return all(c.scoring == "fact" for c in self.choices)

    def values(self) -> list[str]:
        return [c.value for c in self.choices]

    def choice(self, value: str) -> ScaleChoice:
        for c in self.choices:
            if c.value == value:
                return c
        raise KeyError(value)

    def parse(self, token: str) -> str:
        """The choice value for a value, key, alias or label (case-insensitive); labels
        (`Yes`, `Not applicable`, as the data dictionary shows them) come last."""
        t = token.strip().lower()
        for c in self.choices:
            if t in (c.value, c.key, *(a.lower() for a in c.aliases)):
                return c.value
        for c in self.choices:
            if t == c.label.strip().lower():
                return c.value
        allowed = ", ".join(f"{c.value} ({c.key})" for c in self.choices)
        labels = ", ".join(c.label for c in self.choices)
        raise ValueError(f"{token!r} is not an answer on scale {self.id}: use {allowed} "
                         f"(or a label: {labels})")


class Question(_Model):
    id: str
    criterion: str
    section: str
    text: str
    guidance: str = ""
    short: str = ""  # a brief label for charts and tables
    scale: str = "yes_no_na"
    applies_when: str | None = None
    also_counts_towards: list[int] = []
    key_question: bool = False
    source: str = ""
    kind: QuestionKind = "scoring"

    @field_validator("text")
    @classmethod
    def _text_not_blank(cls, text: str) -> str:
        if not text.strip():
            raise ValueError("question text is empty")
        return " ".join(text.split())

    @field_validator("guidance")
    @classmethod
    def _tidy(cls, text: str) -> str:
        return " ".join(text.split())

    @property
    def number(self) -> int:
        return int(self.id.rsplit(".", 1)[1])


class Framework(_Model):
    version: str
    title: str = ""
    outcomes: list[Outcome]
    themes: list[Theme]
    criteria: list[Criterion]
    sections: list[Section]
    case_fields: list[CaseField]
    scales: dict[str, Scale]
    questions: list[Question]
    interview_questions: list[Question] = []

    # -- lookups (cached: the model is frozen) --
    @cached_property
    def _questions_by_id(self) -> dict[str, Question]:
        return {q.id: q for q in (*self.questions, *self.interview_questions)}

    @cached_property
    def _rules(self) -> dict[str, Rule | None]:
        types = self.field_types
        ids = list(self._questions_by_id)
        return {
            q.id: None if q.applies_when is None else Rule.parse(q.applies_when, types, ids)
            for q in self._questions_by_id.values()
        }

    @property
    def field_types(self) -> dict[str, str]:
        return {f.id: f.type for f in self.case_fields}

    def question(self, question_id: str) -> Question:
        try:
            return self._questions_by_id[question_id]
        except KeyError:
            raise KeyError(f"no question {question_id!r}") from None

    def criterion(self, criterion_id: str) -> Criterion:
        for c in self.criteria:
            if c.id == criterion_id:
                return c
        raise KeyError(f"no criterion {criterion_id!r}")

    def outcome(self, code: int) -> Outcome:
        for o in self.outcomes:
            if o.code == code:
                return o
        raise KeyError(f"no outcome {code!r}")

    def case_field(self, field_id: str) -> CaseField:
        for f in self.case_fields:
            if f.id == field_id:
                return f
        raise KeyError(f"no case detail field {field_id!r}")

    def questions_for_criterion(self, criterion_id: str) -> list[Question]:
        return [
            q for q in (*self.questions, *self.interview_questions)
            if q.criterion == criterion_id
        ]

    def questions_for_outcome(self, code: int) -> list[Question]:
        """Scoring questions that count towards an outcome: its own and those lent to it."""
        return [
            q for q in self.questions
            if q.kind == "scoring"
            and (self.criterion(q.criterion).outcome == code or code in q.also_counts_towards)
        ]

    def scale_for(self, question: Question | str) -> Scale:
        q = self.question(question) if isinstance(question, str) else question
        return self.scales[q.scale]

    def parse_answer(self, question_id: str, token: str) -> str:
        """Normalise a typed answer (value, key or alias) to the scale's choice value."""
        return self.scale_for(question_id).parse(token)

    def rule_for(self, question_id: str) -> Rule | None:
        """The parsed applicability rule of a question (None = always applies)."""
        self.question(question_id)
        return self._rules[question_id]

    def applies(
        self, question_id: str, details: dict[str, object], answers: dict[str, str | None]
    ) -> bool:
        rule = self.rule_for(question_id)
        return True if rule is None else rule.evaluate(details, answers)


def _no_duplicates(items: list[str], what: str) -> None:
    seen: set[str] = set()
    for item in items:
        if item in seen:
            raise ValueError(f"duplicate {what} {item!r}")
        seen.add(item)
