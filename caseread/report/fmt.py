"""Number formatting and score bands shared by the HTML and Markdown renderers."""

from __future__ import annotations

from dataclasses import dataclass


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
    if score is None:
        return None
    return next(b for b in BANDS if score >= b.low)


def pct(score: float | None) -> str:
    """A score as the report prints it: a whole percentage, or an en dash if none."""
    if score is None:
        return "–"
    return f"{round(score * 100 + 1e-9)}%"


def of(n: int, total: int) -> str:
    return f"{n} of {total}"
