"""Number formatting and score bands shared by the HTML and Markdown renderers."""

from __future__ import annotations

from dataclasses import dataclass

from report.model import InterviewFinding


@dataclass(frozen=True)
class Band:
    name: str
    low: float  # inclusive lower bound of the score, 0..1
    fill: str  # chosen so the three bands also differ in greyscale print
    text: str  # text colour readable on `fill`


# Bands are for reading the charts at a glance; the number is always printed too.
BANDS = [
    Band("75% and over", 0.75, "#1f3b63", "#ffffff"),
    Band("60% to 74%", 0.60, "#6d8fbf", "#000000"),
    Band("below 60%", 0.0, "#d9dee8", "#000000"),
]
NO_SCORE_FILL = "#ffffff"


def band(score: float | None) -> Band | None:
    """The band of the percentage as printed (`pct`), never of the unrounded score: a
    0.5982 printed "60%" is in the 60% to 74% band, as its reader expects."""
    if score is None:
        return None
    shown = whole_percent(score)
    return next(b for b in BANDS if shown >= round(b.low * 100))


def whole_percent(score: float) -> int:
    return round(score * 100 + 1e-9)


def pct(score: float | None) -> str:
    """A score as the report prints it: a whole percentage, or an en dash if none."""
    if score is None:
        return "–"
    return f"{whole_percent(score)}%"


def of(n: int, total: int) -> str:
    return f"{n} of {total}"


def finding(f: InterviewFinding) -> str:
    """The report's way of giving an interview count: "Of the 16 who ..., 12 said yes"."""
    if f.positive is None:
        return f"{f.answered} answered"
    return f"Of the {f.answered} {f.asked}, {f.positive} said {f.positive_label}."


def count_labels(findings: list[InterviewFinding]) -> list[str]:
    """Answer labels across findings, in scale order, for one table of counts."""
    labels: dict[str, None] = {}
    for f in findings:
        labels.update(dict.fromkeys(c.label for c in f.counts))
    return list(labels)


def count_cells(f: InterviewFinding, labels: list[str]) -> list[str]:
    by = {c.label: c.n for c in f.counts}
    return [str(by[label]) if label in by else "" for label in labels]
