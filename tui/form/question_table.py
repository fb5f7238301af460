"""The form's question table: a DataTable that repaints only the row whose answer changed.

`DataTable.update_cell` bumps a table-wide counter that is part of every render cache key,
so one answer re-renders every visible row (~25 ms at 120x40, the bulk of a keystroke).
`set_cell` drops only that row's cached renders and repaints only that row's lines (a
whole-table refresh re-rendered every visible line: the line cache is keyed by the cursor,
which an answer moves). It relies on DataTable internals (checked against textual 8.2); if
they change it falls back to `update_cell`, slower but correct.

Likewise a row's render cache key holds the cursor's coordinate, so moving the cursor one
row (every answer does) re-rendered every visible row; with a row cursor only "is the
cursor on this row" matters, so rows away from it all share one key and stay cached.

A scroll draws every visible line again, and answering down a section moved the view one
row per key once the cursor reached the bottom: a cursor that leaves the view now scrolls
it by half a page, so that full repaint comes once every few answers, not on each.
"""

from __future__ import annotations

from typing import Any

from rich.style import Style
from textual.coordinate import Coordinate
from textual.widgets.data_table import ColumnKey, RowKey

from tui.common.row_table import RowTable

AWAY = Coordinate(-9, -9)  # matches no row: the header is row -1, labels column -1


class QuestionTable(RowTable[Any]):
    def _render_line_in_row(self, row_key: RowKey, line_no: int, base_style: Style,
                            cursor_location: Coordinate, hover_location: Coordinate) -> Any:
        if self.cursor_type == "row":
            row = self._row_locations.get(row_key) if row_key in self._row_locations else -1
            if cursor_location.row != row:
                cursor_location = AWAY
            if hover_location.row != row:
                hover_location = AWAY
        return super()._render_line_in_row(row_key, line_no, base_style, cursor_location,
                                           hover_location)

    def keep_cursor_in_view(self) -> None:
        """Scroll the cursor's row into view once the table is laid out again: after the
        rows were rebuilt (a resize, a section change) a scroll now would use the old size."""
        self.call_after_refresh(self._show_cursor)

    def on_resize(self) -> None:
        # a scroll made at an in-between size (while the form lays out) must not stay
        self.keep_cursor_in_view()

    def _show_cursor(self) -> None:
        """The cursor's row in view; when it fits from the top, the section from its start,
        so where the rows sit depends on the final size only, not on the layout's steps."""
        visible = self.scrollable_content_region.height - self.header_height
        if 0 <= self.cursor_row < visible:
            self.scroll_to(y=0, animate=False)
        else:
            self._scroll_cursor_into_view()

    def _scroll_cursor_into_view(self, animate: bool = False) -> None:
        visible = self.scrollable_content_region.height - self.header_height
        row, top = self.cursor_row, round(self.scroll_y)
        if visible < 4 or top <= row < top + visible or any(
                r.height != 1 for r in self.ordered_rows):
            super()._scroll_cursor_into_view(animate)  # in view (a no-op), or not one-line rows
            return
        half = visible // 2
        target = row - visible + 1 + half if row >= top + visible else row - half
        self.scroll_to(y=max(0, min(target, round(self.max_scroll_y))), animate=False,
                       force=True, immediate=True)

    def set_cell(self, row_key: str, column_key: str, value: Any) -> None:
        try:
            self._set_cell_cached(RowKey(row_key), ColumnKey(column_key), value)
        except (AttributeError, KeyError, TypeError, IndexError):
            self.update_cell(row_key, column_key, value)

    def _set_cell_cached(self, row: RowKey, column: ColumnKey, value: Any) -> None:
        index = self._row_locations.get(row)
        if index is None or column not in self._data[row]:
            raise KeyError(row)
        self._data[row][column] = value
        for cache, part, match in (
            (self._cell_render_cache, 0, row),
            (self._row_render_cache, 0, row),
            (self._row_renderable_cache, 1, index),
        ):
            for key in [k for k in cache.keys() if k[part] == match]:  # noqa: SIM118
                cache.discard(key)  # type: ignore[arg-type]
        self._line_cache.clear()  # lines are cheap to rebuild from the cached rows
        self.refresh_row(index)  # only this row's lines are drawn again
