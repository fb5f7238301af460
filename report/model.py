"""Plain data for an inspection report.

The renderers (HTML, Markdown) only see these dataclasses, so they are testable without a
store and every figure they print has been read from the store's views by `gather`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from report.consistency import Consistency
    from report.qa import QaSummary


@dataclass(frozen=True)
class Count:
    """One bar of a distribution: a label and how many cases (or answers) have it."""

    label: str
    n: int


@dataclass(frozen=True)
class Distribution:
    """A chart of counts, e.g. the gender of the cases in the sample."""

    title: str
    counts: list[Count]

    @property
    def total(self) -> int:
        return sum(c.n for c in self.counts)


@dataclass(frozen=True)
class QuestionBar:
    """A key question in a Data Summary chart: sufficient and insufficient answers."""

    question_id: str
    text: str
    sufficient: int
    insufficient: int

    @property
    def applicable(self) -> int:
        return self.sufficient + self.insufficient


@dataclass(frozen=True)
class CriterionLine:
    """A criterion with its score; `score` is None when nothing was applicable."""

    criterion_id: str
    title: str
    score: float | None
    sufficient: int
    applicable: int
    scored_from: str = "cases"


@dataclass(frozen=True)
class InterviewFinding:
    """Counts of the answers to one interview question (counted, never scored)."""

    question_id: str
    text: str
    counts: list[Count]
    answered: int
    positive: int | None = None  # answers judged "sufficient" on the question's scale
    positive_label: str = "yes"
    asked: str = "who answered"  # who the question was put to, e.g. "who answered yes to ..."


@dataclass(frozen=True)
class BreakdownRow:
    group: str
    cases: int
    scores: dict[str, float | None]  # column label -> score


@dataclass(frozen=True)
class Breakdown:
    """Scores split by a case field, as a finding in the report relies on."""

    title: str
    reference: str  # the report paragraph the breakdown supports
    columns: list[str]
    rows: list[BreakdownRow]


@dataclass(frozen=True)
class OutcomeReport:
    code: int
    title: str
    score: float | None
    sufficient: int
    applicable: int
    criteria: list[CriterionLine] = field(default_factory=list)
    key_questions: list[QuestionBar] = field(default_factory=list)
    interviews: list[InterviewFinding] = field(default_factory=list)
    breakdowns: list[Breakdown] = field(default_factory=list)


@dataclass(frozen=True)
class GridCell:
    """One cell of the Appendix 6 criteria grid (outcome row x theme column)."""

    criterion_id: str
    title: str
    score: float | None
    scored_from: str = "cases"


@dataclass(frozen=True)
class CriteriaGrid:
    themes: list[tuple[int, str]]
    outcomes: list[tuple[int, str]]
    cells: dict[tuple[int, int], GridCell]  # (outcome, theme) -> cell


@dataclass(frozen=True)
class Check:
    """One figure stated in a published report beside the store's measurement."""

    paragraph: str
    quote: str
    measure: str  # what was measured: "Outcome 1", "1.1.03", "cases where psr == 'oral'"
    stated: str
    measured: str
    approx: bool  # the report gives words ("just over half"), not exact counts

    @property
    def matches(self) -> bool:
        return self.stated == self.measured


@dataclass(frozen=True)
class Comparison:
    report: str  # the published report's name, e.g. "Bedfordshire 2013"
    checks: list[Check]

    @property
    def matched(self) -> int:
        return sum(c.matches for c in self.checks)


@dataclass(frozen=True)
class ReportData:
    """Everything an inspection report prints."""

    inspection_id: str
    area: str
    date: str
    label: str | None
    synthetic: bool
    framework_version: str
    method: str
    method_text: str
    data_as_of: str  # latest saved_at of the data, ISO UTC
    generated_at: str
    cases: int
    interviews: int
    outcomes: list[OutcomeReport]
    grid: CriteriaGrid
    sample: list[Distribution]
    comparison: Comparison | None = None  # with --compare: the published figures checked
    qa: QaSummary | None = None  # the quality-assurance section (report/qa.py), if any QA
    consistency: Consistency | None = None  # second readings (report/consistency.py), if any

    @property
    def title(self) -> str:
        return f"Inspection of adult offending work in {self.area}"
