"""The Summary table: outcome scores with their counts, one column per breakdown group."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.widgets import DataTable

from tui.common.plain_table import PlainTable
from tui.scores.model import EMPTY, ScoreSet, pct
from tui.scores.style import BAND_CLASSES, banded, score_and_count

METHOD_WORDS = {
    "questions": "mean over questions",
    "criteria": "mean of criteria",
}
LABEL_WIDTH = 34


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


class SummaryTable(PlainTable):
    """One row per outcome; Enter drills down to the outcome's criteria."""

    COMPONENT_CLASSES = DataTable.COMPONENT_CLASSES | BAND_CLASSES
    BINDINGS = [
        Binding("enter", "select_cursor", "Criteria", id="score_overview.drill_outcome"),
    ]

    def __init__(self, **kwargs: object) -> None:
        super().__init__(cursor_type="row", zebra_stripes=False, **kwargs)  # type: ignore[arg-type]
        self.outcome_codes: list[int] = []

    def show(self, scores: ScoreSet) -> None:
        """Replace the rows, keeping the cursor on the same outcome."""
        row = self.cursor_row
        self.clear(columns=True)
        self.add_column("Outcome", key="outcome")
        if len(scores.groups) == 1:
            self.add_column("Score", key="score")
            self.add_column("Sufficient", key="count")
            self.add_column("Method", key="method")
        else:
            for group in scores.groups:
                self.add_column(group, key=f"group:{group}")
        self.outcome_codes = [o.code for o in scores.outcomes]
        for o in scores.outcomes:
            self.add_row(*self._cells(scores, o.code), key=str(o.code))
        self.fit_columns()
        if self.row_count:
            self.move_cursor(row=min(max(row, 0), self.row_count - 1), animate=False)

    def _cells(self, scores: ScoreSet, code: int) -> list[Text | str]:
        o = next(o for o in scores.outcomes if o.code == code)
        if len(scores.groups) > 1:  # short labels leave room for the group columns
            label = f"{o.code} {scores.shorts.get(o.code, o.title)}"
            return [label, *(score_and_count(self, o.cells.get(g, EMPTY)) for g in scores.groups)]
        cell = o.cells.get(scores.groups[0], EMPTY)
        return [
            _clip(f"{o.code} {o.title}", LABEL_WIDTH),
            banded(self, pct(cell.score).rjust(4), cell.score),
            cell.n_of_m,
            METHOD_WORDS.get(o.method, o.method),
        ]
