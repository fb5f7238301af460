"""The 5x5 criteria grid (report Appendix 6): outcomes down, process themes across."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.coordinate import Coordinate
from textual.widgets import DataTable

from tui.common.clip import clip
from tui.common.plain_table import PlainTable, columns_width
from tui.scores.model import ALL, EMPTY, CriterionRow, ScoreSet, pct
from tui.scores.style import BAND_CLASSES, banded

CELL_WIDTH = 9
HEADER_WIDTH = 10
LABEL_WIDTH = 19  # the outcome label's least room
_SMALL_WORDS = {"and", "of", "the", "to", "for"}


def theme_header(title: str, width: int = HEADER_WIDTH) -> Text:
    """A two-line column header: the theme title without small words."""
    words = [w for w in title.split() if w.lower() not in _SMALL_WORDS]
    lines = [w[:width] for w in words[:2]]
    return Text("\n".join(lines))


def cell_text(criterion: CriterionRow | None, group: str = ALL) -> str:
    """'2.1  73%' padded to the cell width so the band colour fills the cell."""
    if criterion is None:
        return " " * CELL_WIDTH
    cell = criterion.cells.get(group, EMPTY)
    value = "intvw" if criterion.scored_from == "interviews" else pct(cell.score)
    return f"{criterion.id} {value.rjust(CELL_WIDTH - len(criterion.id) - 1)}"


class CriteriaGrid(PlainTable):
    """Arrow keys move between criteria; the highlighted criterion drives the question bars."""

    COMPONENT_CLASSES = DataTable.COMPONENT_CLASSES | BAND_CLASSES
    BINDINGS = [
        Binding("enter", "select_cursor", "Questions", id="score_overview.drill_criterion"),
    ]

    def __init__(self, **kwargs: object) -> None:
        super().__init__(cursor_type="cell", header_height=2, **kwargs)  # type: ignore[arg-type]
        self.layout_ids: list[list[str | None]] = []

    def show(self, scores: ScoreSet, group: str = ALL) -> None:
        """Redraw the grid; the cursor stays on the same cell."""
        where = self.cursor_coordinate
        self.clear(columns=True)
        self.add_column("Outcome", key="outcome")
        for code in sorted(scores.themes):
            self.add_column(theme_header(scores.themes[code]), key=f"theme:{code}")
        by_place = {(c.outcome, c.theme): c for c in scores.criteria}
        self.layout_ids = []
        labels = self.outcome_labels(scores)
        for o in scores.outcomes:
            row: list[Text | str] = [labels[o.code]]
            ids: list[str | None] = [None]
            for theme in sorted(scores.themes):
                c = by_place.get((o.code, theme))
                ids.append(c.id if c else None)
                score = c.cells.get(group, EMPTY).score if c else None
                band_score = score if c and c.scored_from == "cases" else None
                row.append(banded(self, cell_text(c, group), band_score) if c else cell_text(c))
            self.layout_ids.append(ids)
            self.add_row(*row, key=str(o.code))
        self.fit_columns()  # now, not when the table next goes idle (it may not)
        if self.row_count:
            if not self.is_valid_coordinate(where) or where.column == 0:
                where = Coordinate(where.row if self.is_valid_coordinate(where) else 0, 1)
            self.cursor_coordinate = where

    def outcome_labels(self, scores: ScoreSet) -> dict[int, str]:
        """Outcome code -> row label: the whole title where the width allows (a wide
        terminal), else the short title, else that cut with an ellipsis."""
        room = self.room - columns_width(*[CELL_WIDTH] * len(scores.themes)) - 2
        titles = {o.code: f"{o.code} {o.title}" for o in scores.outcomes}
        if max(map(len, titles.values()), default=0) <= room:
            return titles
        width = max(room, LABEL_WIDTH)
        return {o.code: clip(f"{o.code} {scores.shorts.get(o.code, o.title)}", width)
                for o in scores.outcomes}

    def criterion_at(self, coordinate: Coordinate) -> str | None:
        if not (0 <= coordinate.row < len(self.layout_ids)):
            return None
        ids = self.layout_ids[coordinate.row]
        return ids[coordinate.column] if 0 <= coordinate.column < len(ids) else None

    @property
    def current_criterion(self) -> str | None:
        return self.criterion_at(self.cursor_coordinate)

    def focus_outcome(self, outcome_row: int) -> None:
        """Put the cursor on the first criterion of an outcome row."""
        if not (0 <= outcome_row < len(self.layout_ids)):
            return
        ids = self.layout_ids[outcome_row]
        column = next((i for i, cid in enumerate(ids) if cid), 1)
        self.cursor_coordinate = Coordinate(outcome_row, column)
        self.focus()
