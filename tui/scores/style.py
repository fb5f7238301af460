"""Band styles shared by the score widgets: the colour comes from .tcss component classes.

The number is always printed next to the colour, so scores stay readable under NO_COLOR.
"""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

from tui.scores.model import Cell, band, pct

BAND_CLASSES = {"score--good", "score--fair", "score--poor", "score--none"}


def banded(widget: Widget, text: str, score: float | None) -> Text:
    """`text` styled with the widget's component class for the score's band."""
    style = widget.get_component_rich_style(f"score--{band(score)}", partial=True)
    return Text(text, style=style, no_wrap=True)


def score_and_count(widget: Widget, cell: Cell) -> Text:
    """'77% 38/50': the score in its band colour, then the counts behind it."""
    text = banded(widget, pct(cell.score).rjust(4), cell.score)
    text.append(f" {cell.sufficient}/{cell.applicable}")
    return text
