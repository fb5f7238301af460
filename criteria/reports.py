"""A published report's stated figures (criteria/data/reports/*.yaml), checked against the
framework. Used by the tests (every figure is measured by some question) and by the demo
builder (a synthetic sample that reproduces the figures). Layout: docs/criteria.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from criteria.loader import DATA_DIR, load_framework
from criteria.models import Framework
from criteria.rules import Rule, RuleError
from criteria.yamlsource import FrameworkError, Source

SCORING_CLASSES = ("sufficient", "insufficient", "not_applicable")


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SampleFact(_Model):
    """`count` of the sampled cases satisfy `rule` (over case details)."""

    paragraph: str
    quote: str
    rule: str
    count: int = Field(ge=0)
    approx: bool = False


class Figure(_Model):
    """What the report says about one question: sufficient of applicable, or an answer split.

    `case` (details) and `given` (earlier answers) describe a case the figure counts; the
    question must apply to it. `approx`: counts chosen to fit words like "just over half".
    """

    paragraph: str
    quote: str
    question: str
    sufficient: int | None = Field(default=None, ge=0)
    applicable: int | None = Field(default=None, ge=0)
    answers: dict[str, int] | None = None
    approx: bool = False
    case: dict[str, Any] = {}
    given: dict[str, str] = {}

    @model_validator(mode="after")
    def _one_form(self) -> Figure:
        counted = self.sufficient is not None and self.applicable is not None
        if counted == (self.answers is not None):
            raise ValueError("give either sufficient and applicable, or answers")
        if counted and self.sufficient > self.applicable:  # type: ignore[operator]
            raise ValueError("sufficient is more than applicable")
        return self

    @property
    def total(self) -> int:
        """Cases (or interviews) the figure counts."""
        if self.answers is not None:
            return sum(self.answers.values())
        assert self.applicable is not None
        return self.applicable


class Report(_Model):
    report: str
    area: str
    date: str  # YYYY-MM
    cases: int = Field(gt=0)
    interview_count: int = Field(ge=0)
    outcome_scores: dict[int, int]  # percentages, as published
    sample: list[SampleFact]
    figures: list[Figure]
    interviews: list[Figure] = []


def load_report(
    name: str = "bedfordshire_2013",
    framework: Framework | None = None,
    path: Path | None = None,
) -> Report:
    """Load and check a report file; raises FrameworkError naming file, line and field."""
    path = path or DATA_DIR / "reports" / f"{name}.yaml"
    src = Source(path)
    try:
        report = Report.model_validate(src.data)
    except ValidationError as exc:
        err = exc.errors()[0]
        raise src.error(err["loc"], err["msg"]) from None
    problems = _check(report, framework or load_framework())
    if problems:
        first = src.error(*problems[0])
        first.errors = [first] + [src.error(*p) for p in problems[1:]]
        raise first
    return report


def _check(report: Report, fw: Framework) -> list[tuple[tuple[str | int, ...], str]]:
    problems: list[tuple[tuple[str | int, ...], str]] = []
    for i, fact in enumerate(report.sample):
        try:
            Rule.parse(fact.rule, fw.field_types, [])
        except RuleError as exc:
            problems.append((("sample", i, "rule"), str(exc)))
    for key, kind in (("figures", ("scoring", "fact")), ("interviews", ("interview",))):
        for i, fig in enumerate(getattr(report, key)):
            problems += [((key, i, f), p) for f, p in _check_figure(fig, fw, kind)]
    return problems


def _check_figure(fig: Figure, fw: Framework, kinds: tuple[str, ...]) -> list[tuple[str, str]]:
    try:
        q = fw.question(fig.question)
    except KeyError:
        return [("question", f"unknown question {fig.question!r}")]
    if q.kind not in kinds:
        return [("question", f"{q.id} is a {q.kind} question, expected {'/'.join(kinds)}")]
    scale = fw.scale_for(q)
    out = []
    if fig.answers is not None:
        for value in fig.answers:
            if value not in scale.values() and value not in SCORING_CLASSES:
                out.append(("answers", f"unknown choice {value!r} on scale {scale.id}"))
    elif scale.is_fact:
        out.append(("sufficient", f"{q.id} is not scored: give answers"))
    for field_id, value in fig.case.items():
        out += [("case", p) for p in _check_detail(fw, field_id, value)]
    for qid, value in fig.given.items():
        try:
            fw.parse_answer(qid, value)
        except (KeyError, ValueError) as exc:
            out.append(("given", str(exc)))
    return out


def _check_detail(fw: Framework, field_id: str, value: object) -> list[str]:
    try:
        fld = fw.case_field(field_id)
    except KeyError as exc:
        return [str(exc)]
    values = value if isinstance(value, list) else [value]
    if fld.type in ("choice", "multi"):
        return [f"unknown choice {v!r} for {field_id}" for v in values if v not in fld.values()]
    return []


__all__ = ["Figure", "FrameworkError", "Report", "SampleFact", "load_report"]
