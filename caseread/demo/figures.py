"""The report's figures as the demo builder uses them (read from the criteria's report file).

Kept as small plain types so the sample and answer builders do not depend on how the
report file is laid out; `load_figures` is the one place that reads it.
"""

from __future__ import annotations

from dataclasses import dataclass


class DemoError(RuntimeError):
    """The reconstruction cannot meet a stated figure; the message says which and why."""


@dataclass(frozen=True)
class Fact:
    """`count` of the sampled cases satisfy `rule` (a criteria rule over case details)."""

    rule: str
    count: int
    where: str  # paragraph and quote, for messages


@dataclass(frozen=True)
class Split:
    """Exact answers to one question among the cases where it applies.

    Keys are scale values ('yes', 'late') or scoring classes ('sufficient',
    'insufficient', 'not_applicable'); a class is spread over that class's values.
    """

    question: str
    counts: dict[str, int]
    where: str

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class Figures:
    cases: int
    interviews: int
    facts: list[Fact]
    splits: list[Split]
    interview_splits: list[Split]
    targets: dict[int, float]  # outcome code -> score as a fraction (0.77)
    area: str = "Bedfordshire"
    date: str = "2013-08"

    def split_for(self, question_id: str) -> Split | None:
        return next((s for s in self.splits if s.question == question_id), None)
