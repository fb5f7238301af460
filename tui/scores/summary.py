"""The Summary table: outcome scores with their counts, one column per breakdown group."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.widgets import DataTable

from tui.common.clip import clip
from tui.common.plain_table import PlainTable, columns_width
from tui.scores.data import GROUP_WIDTH  # a group's whole header (its label is cut to it)
from tui.scores.model import EMPTY, Cell, ScoreSet, pct
from tui.scores.style import BAND_CLASSES, banded, score_and_count

METHOD_WORDS = {
    "questions": "mean over questions",
    "criteria": "mean of criteria",
}
LABEL_WIDTH = 34  # the outcome title's least room without a breakdown
HEADER_MIN = 7  # a group's header is cut to its cells' width, not below this


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
        """Replace the rows, keeping the cursor on the same outcome.

        The columns are chosen for the table's width: whole outcome titles where they fit;
        with a breakdown, each group's counts beside its score where they fit, else the
        score alone (a number is never cut; F3's question bars and the drill-down keep
        the counts)."""
        row = self.cursor_row
        self.clear(columns=True)
        self.outcome_codes = [o.code for o in scores.outcomes]
        if len(scores.groups) == 1:
            self._show_whole(scores)
        else:
            self._show_groups(scores)
        self.fit_columns()
        if self.row_count:
            self.move_cursor(row=min(max(row, 0), self.row_count - 1), animate=False)

    def _show_whole(self, scores: ScoreSet) -> None:
        group = scores.groups[0]
        cells = [o.cells.get(group, EMPTY) for o in scores.outcomes]
        methods = [METHOD_WORDS.get(o.method, o.method) for o in scores.outcomes]
        count_width = max([len("Sufficient"), *(len(c.n_of_m) for c in cells)])
        method_width = max([len("Method"), *(len(m) for m in methods)])
        label_width = self.room - columns_width(0, len("Score"), count_width,
                                                        method_width)
        self.add_column("Outcome", key="outcome")
        self.add_column("Score", key="score")
        self.add_column("Sufficient", key="count")
        self.add_column("Method", key="method")
        for o, cell, method in zip(scores.outcomes, cells, methods, strict=True):
            self.add_row(clip(f"{o.code} {o.title}", max(label_width, LABEL_WIDTH)),
                         banded(self, pct(cell.score).rjust(4), cell.score),
                         cell.n_of_m, method, key=str(o.code))

    def _show_groups(self, scores: ScoreSet) -> None:
        shorts = [f"{o.code} {scores.shorts.get(o.code, o.title)}" for o in scores.outcomes]
        titles = [f"{o.code} {o.title}" for o in scores.outcomes]
        room = self.room
        # (All's counts, each group's counts, header least width): the first that fits
        for *counts, header in ((True, True, GROUP_WIDTH), (True, True, HEADER_MIN),
                                (True, False, HEADER_MIN), (False, False, HEADER_MIN)):
            widths = [self._group_width(scores, g, counts[i > 0], header)
                      for i, g in enumerate(scores.groups)]
            if columns_width(max(map(len, shorts)), *widths) <= room:
                break
        labels = titles if columns_width(max(map(len, titles)), *widths) <= room else shorts
        self.add_column("Outcome", key="outcome")
        for group, width in zip(scores.groups, widths, strict=True):
            self.add_column(clip(group, width), key=f"group:{group}")
        for o, label in zip(scores.outcomes, labels, strict=True):
            cells = [self._group_cell(o.cells.get(g, EMPTY), counts[i > 0])
                     for i, g in enumerate(scores.groups)]
            self.add_row(label, *cells, key=str(o.code))

    def _group_cell(self, cell: Cell, with_counts: bool) -> Text:
        if with_counts:
            return score_and_count(self, cell)
        return banded(self, pct(cell.score).rjust(4), cell.score)

    def _group_width(self, scores: ScoreSet, group: str, with_counts: bool,
                     header: int) -> int:
        """The column's width: its cells, and its header abbreviated to no less than
        `header` cells (headers may be cut, numbers never)."""
        cells = [self._group_cell(o.cells.get(group, EMPTY), with_counts).cell_len
                 for o in scores.outcomes]
        return max([*cells, min(len(group), header)])
