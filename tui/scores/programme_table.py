"""The programme table: one row per inspection, then the two labelled aggregates."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import DataTable

from tui.common.clip import clip
from tui.common.plain_table import PlainTable
from tui.scores.model import pct
from tui.scores.style import BAND_CLASSES, banded

if TYPE_CHECKING:
    from store.programme import ProgrammeScores

LABEL_WIDTH = 32


class ProgrammeTable(PlainTable):
    COMPONENT_CLASSES = DataTable.COMPONENT_CLASSES | BAND_CLASSES | {"programme--aggregate"}

    def __init__(self, **kwargs: object) -> None:
        super().__init__(cursor_type="row", **kwargs)  # type: ignore[arg-type]

    def show(
        self, programme: ProgrammeScores, level: str, current: str | None, shorts: dict[str, str]
    ) -> str:
        """Fill the table; returns the legend of the column headers."""
        self.clear(columns=True)
        columns = [c for c in programme.columns if c.kind == level]
        self.add_column("", key="label")
        self.add_column("Cases", key="cases")
        for c in columns:
            self.add_column(c.key, key=c.key)
        aggregate = self.get_component_rich_style("programme--aggregate", partial=True)
        for row in programme.rows():
            label = clip(row.label, LABEL_WIDTH)
            if row.inspection_id is not None and row.inspection_id == current:
                label = f"▸ {label}"
            style = aggregate if row.kind != "inspection" else None
            cells: list[Text | str] = [Text(label, style=style or ""), str(row.cases)]
            cells += [banded(self, pct(row.scores.get(c.key)).rjust(4), row.scores.get(c.key))
                      for c in columns]
            self.add_row(*cells, key=row.label)
        if level == "outcome":
            return " · ".join(f"{c.key} {shorts.get(c.key, c.title)}" for c in columns)
        return "Criteria scored from cases; interview-based criteria (x.4) are not scored."
