"""A DataTable whose Home/End move a row cursor to the first/last row.

Textual's DataTable binds Home/End to the leftmost/rightmost column: with a row cursor
they only scrolled the columns sideways (a tester pressed End in the case list and saw
the columns move, not the last case). docs/keys.md promises Home/End move in every list.
Page Up/Down already move a row cursor; Ctrl+Home/End stay as Textual has them.
"""

from __future__ import annotations

from textual.widgets import DataTable
from textual.widgets.data_table import CellType


class RowTable(DataTable[CellType]):
    def action_scroll_home(self) -> None:
        if self.show_cursor and self.cursor_type == "row":
            self.action_scroll_top()  # the first row, the view scrolled to it
        else:
            super().action_scroll_home()

    def action_scroll_end(self) -> None:
        if self.show_cursor and self.cursor_type == "row":
            self.action_scroll_bottom()
        else:
            super().action_scroll_end()
