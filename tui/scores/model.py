"""Plain score data behind the score overview, so the widgets can be tested without a store.

A `ScoreSet` holds every level (outcome, criterion, question) for one or more groups:
`ALL` alone, or `ALL` plus one group per value of the breakdown field, side by side.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from report import fmt as report_fmt

ALL = "All"

# The report's bands (75% and over, 60% to 74%, below 60%), named for the .tcss classes,
# and its rounding, so the screen and the printed report never disagree.
BAND_NAMES = ("good", "fair", "poor")


def band(score: float | None) -> str:
    """The band name for a score, 'none' when nothing was applicable."""
    found = report_fmt.band(score)
    return "none" if found is None else BAND_NAMES[report_fmt.BANDS.index(found)]


def pct(score: float | None) -> str:
    """A whole percentage as the report prints it, or an en dash when there is no score."""
    return report_fmt.pct(score)


@dataclass(frozen=True)
class Cell:
    """A score with the counts it came from."""

    score: float | None
    sufficient: int = 0
    applicable: int = 0
    not_applicable: int = 0

    @property
    def insufficient(self) -> int:
        return self.applicable - self.sufficient

    @property
    def n_of_m(self) -> str:
        return f"{self.sufficient} of {self.applicable}"


EMPTY = Cell(None)


@dataclass(frozen=True)
class OutcomeRow:
    code: int
    title: str
    method: str
    cells: dict[str, Cell] = field(default_factory=dict)


@dataclass(frozen=True)
class CriterionRow:
    id: str
    outcome: int
    theme: int
    title: str
    scored_from: str = "cases"
    cells: dict[str, Cell] = field(default_factory=dict)


@dataclass(frozen=True)
class QuestionRow:
    id: str
    criterion: str
    text: str
    cells: dict[str, Cell] = field(default_factory=dict)


@dataclass(frozen=True)
class InterviewRow:
    """An interview question of an x.4 criterion: answers are counted, never scored."""

    id: str
    criterion: str
    text: str
    counts: tuple[tuple[str, int], ...] = ()  # (answer label, how many), in scale order

    @property
    def summary(self) -> str:
        return " · ".join(f"{label} {n}" for label, n in self.counts) or "no answers yet"


@dataclass(frozen=True)
class ScoreSet:
    """Scores of one inspection for one method and breakdown."""

    inspection_id: str
    method: str
    by: str | None
    groups: tuple[str, ...]
    outcomes: list[OutcomeRow]
    criteria: list[CriterionRow]
    questions: list[QuestionRow]
    themes: dict[int, str] = field(default_factory=dict)
    shorts: dict[int, str] = field(default_factory=dict)  # outcome code -> short title
    interviews: list[InterviewRow] = field(default_factory=list)
    cases: int = 0

    def criterion(self, criterion_id: str) -> CriterionRow | None:
        return next((c for c in self.criteria if c.id == criterion_id), None)

    def questions_of(self, criterion_id: str) -> list[QuestionRow]:
        return [q for q in self.questions if q.criterion == criterion_id]

    def interviews_of(self, criterion_id: str) -> list[InterviewRow]:
        return [q for q in self.interviews if q.criterion == criterion_id]

    def criteria_of(self, outcome: int) -> list[CriterionRow]:
        return [c for c in self.criteria if c.outcome == outcome]
