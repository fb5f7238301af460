"""A DataTable whose str cells and column labels are plain text, never Rich markup.

DataTable reads a str as markup, so a label or value holding brackets (an office typed as
"Luton [North]", a group column of a breakdown, "[sic]" in a question) would lose them or,
with "[/x]", raise on render. Text objects also skip parsing markup on every render.
"""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets.data_table import ColumnKey, RowKey

from tui.common.row_table import RowTable
from tui.common.shown import visible


def plain(value: Any) -> Any:
    """A str as plain Text, its control characters made visible (never run)."""
    return Text(visible(value)) if isinstance(value, str) else value


MIN_TEXT = 12  # cells a free-text column keeps when cut to fit: less says nothing


class PlainTable(RowTable[Text | str]):
    """`free_text`: keys of columns holding free text (a query, a check's message). Too
    wide for the room, such a column takes the room left, its cells cut with `…`, rather
    than being left to horizontal scrolling as a number column is."""

    def __init__(self, *args: Any, free_text: tuple[str, ...] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.free_text = free_text

    def add_column(self, label: Any, *args: Any, **kwargs: Any) -> ColumnKey:
        return super().add_column(plain(label), *args, **kwargs)

    def add_row(self, *cells: Any, **kwargs: Any) -> RowKey:
        texts = [plain(c) for c in cells]
        for text in texts:
            if isinstance(text, Text):
                text.overflow = "ellipsis"  # only ever cut in a free-text column (below)
        return super().add_row(*texts, **kwargs)

    def fit_columns(self) -> None:
        """Size every auto-width column to its label and cells now. DataTable widens
        columns only when it next goes idle; seen under load in tmux (and after a
        breakdown at 80x24), a table redrawn meanwhile kept header-wide columns ("Lice",
        "2464 of 32") until the next change."""
        for key, column in self.columns.items():
            if key.value in self.free_text:
                column.auto_width = True  # whole again, then cut to the room below
            if not column.auto_width:
                continue
            cells = (row.get(key) for row in self._data.values())
            column.content_width = max([_width(column.label),
                                        *(_width(c) for c in cells if c is not None)])
        self._require_update_dimensions = True
        self._end_on_a_column()
        self.refresh()

    def on_mount(self) -> None:
        super().on_mount()
        self._fitted_room = getattr(self, "_fitted_room", 0)  # 0: never fitted
        self.screen.screen_layout_refresh_signal.subscribe(self, self._layout_refreshed)

    def _layout_refreshed(self, _screen: object) -> None:
        """A resized terminal: the table's last whole column is another one."""
        if self._fitted_room and self.room != self._fitted_room and self.columns:
            if self.free_text:
                self.fit_columns()  # a free-text column cut for the old room: whole again
            else:
                self._end_on_a_column()

    def action_cursor_right(self) -> None:
        if self.show_cursor and self.cursor_type in ("cell", "column"):
            super().action_cursor_right()
        else:
            self._scroll_by_columns(1)

    def action_cursor_left(self) -> None:
        if self.show_cursor and self.cursor_type in ("cell", "column"):
            super().action_cursor_left()
        else:
            self._scroll_by_columns(-1)

    def _first_shown(self) -> int:
        """The index of the column at the left edge (the one scroll_x is in)."""
        x = int(self.scroll_x)
        for index, start in enumerate(_starts(self)):
            if start >= x:
                return index
        return 0

    def _scroll_by_columns(self, step: int) -> None:
        """Right/Left scroll by whole columns, never one cell: one cell at a time the
        edges cut numbers mid-value (`SP-F  INSP-G  IN` over `1%     68%     8`).
        Right shows the next column whole; Left brings back the one before."""
        if self.styles.max_width is None and not self.scroll_x:
            return  # every column whole: nothing to scroll
        widths = [column.get_render_width(self) for column in self.ordered_columns]
        first = self._first_shown()
        if step < 0:
            first = max(first - 1, 0)
        else:
            end = first + _fitting(widths[first:], self.room)
            if end >= len(widths):
                return  # the last column is shown whole
            first += 1
            while first < end and sum(widths[first:end + 1]) > self.room:
                first += 1
        self._end_on_a_column(first)
        x = sum(widths[:first])
        self.call_after_refresh(self.scroll_to, x=x, animate=False, force=True)

    def _end_on_a_column(self, first: int | None = None) -> None:
        """Too wide for its room, the table ends after its last whole column: the column
        the edge would cut (a number cut to `10` of `100%`) is left to horizontal scrolling.
        Scrolled (by whole columns), the window shown from column `first` ends likewise."""
        room = self._fitted_room = self.room
        if first is None:
            first = self._first_shown() if self.scroll_x else 0
        total = 0
        for column in self.ordered_columns[first:]:
            width = column.get_render_width(self)
            left = room - total - 2 * self.cell_padding
            if total + width > room and column.key.value in self.free_text and left >= MIN_TEXT:
                column.auto_width, column.width = False, left  # the cells end in `…`
                self._require_update_dimensions = True
                total = room
                continue
            if total + width > room:
                # the scrollbar's cells kept blank when there is none: never a cut column
                self.styles.scrollbar_gutter = "stable"
                self.styles.max_width = max(total, 1) + self.scrollbar_width
                return
            total += width
        if first:  # scrolled to the last columns: the left edge stays on a column
            self.styles.scrollbar_gutter = "stable"
            self.styles.max_width = total + self.scrollbar_width
            return
        self.styles.max_width = None
        self.styles.scrollbar_gutter = "auto"

    def render_line(self, y: int) -> Strip:
        """A line; with columns left to scrolling, blank in the scrollbar's cells. With no
        vertical scrollbar drawn there, they showed the next column's first cells (a
        header `I` of `INSP-G` at 80 columns)."""
        strip = super().render_line(y)
        if self.styles.scrollbar_gutter == "stable":  # set by _end_on_a_column only
            room = self.scrollable_content_region.width
            if strip.cell_length > room:
                return strip.crop(0, room).extend_cell_length(strip.cell_length,
                                                             self.rich_style)
        return strip

    @property
    def scrollbar_width(self) -> int:
        """Cells kept for the vertical scrollbar, which is drawn over the last columns."""
        return int(self.styles.scrollbar_size_vertical or 0)

    @property
    def room(self) -> int:
        """Cells the columns may use across: the container's width once laid out, else the
        screen's (a table filled before its first layout, e.g. by a worker's message),
        less the vertical scrollbar's."""
        parent = self.parent
        width = parent.size.width if isinstance(parent, Widget) else 0
        return (width or self.app.size.width) - self.scrollbar_width


def columns_width(*contents: int) -> int:
    """Cells a row of columns takes: each content width plus DataTable's cell padding."""
    return sum(width + 2 for width in contents)


def _starts(table: PlainTable) -> list[int]:
    """The cell each column starts at, across the whole (scrollable) table."""
    starts, x = [], 0
    for column in table.ordered_columns:
        starts.append(x)
        x += column.get_render_width(table)
    return starts


def _fitting(widths: list[int], room: int) -> int:
    """How many of these columns fit whole in `room` cells (at least one)."""
    total = 0
    for count, width in enumerate(widths):
        total += width
        if total > room:
            return max(count, 1)
    return len(widths)


def _width(value: Any) -> int:
    """Cells across: of the widest line (a two-line header is as wide as its longer line)."""
    text = value.plain if isinstance(value, Text) else str(value)
    return max(cell_len(line) for line in text.split("\n"))
