"""A small bar chart of agreement (AC1) by criterion, as Rich text."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text

if TYPE_CHECKING:
    from store.agreement_data import Row

WIDTH = 20


def _style(value: float | None) -> str:
    if value is None:
        return "dim"
    return "green" if value >= 0.8 else "yellow" if value >= 0.6 else "red"


def criterion_chart(rows: list[Row], width: int = WIDTH) -> Text:
    """One line per criterion: id, AC1 bar (0..1), AC1 and observed agreement, pairs."""
    out = Text()
    for row in rows:
        ac1 = row.stats.ac1.value
        cells = 0 if ac1 is None else round(max(0.0, ac1) * width)
        out.append(f"{row.id:<5}")
        out.append("█" * cells, style=_style(ac1))
        out.append("░" * (width - cells), style="dim")
        shown = "  -  " if ac1 is None else f"{ac1:5.2f}"
        agree = row.stats.agreement
        out.append(f" {shown}  {0 if agree is None else agree * 100:3.0f}%  n={row.stats.pairs}\n")
    return out
