"""A DataTable whose str cells and column labels are plain text, never Rich markup.

DataTable reads a str as markup, so a label or value holding brackets (an office typed as
"Luton [North]", a group column of a breakdown, "[sic]" in a question) would lose them or,
with "[/x]", raise on render. Text objects also skip parsing markup on every render.
"""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey, RowKey

from tui.common.shown import visible


def plain(value: Any) -> Any:
    """A str as plain Text, its control characters made visible (never run)."""
    return Text(visible(value)) if isinstance(value, str) else value


class PlainTable(DataTable[Text | str]):
    def add_column(self, label: Any, *args: Any, **kwargs: Any) -> ColumnKey:
        return super().add_column(plain(label), *args, **kwargs)

    def add_row(self, *cells: Any, **kwargs: Any) -> RowKey:
        return super().add_row(*(plain(c) for c in cells), **kwargs)

    def fit_columns(self) -> None:
        """Size every auto-width column to its label and cells now. DataTable widens
        columns only when it next goes idle; seen under load in tmux (and after a
        breakdown at 80x24), a table redrawn meanwhile kept header-wide columns ("Lice",
        "2464 of 32") until the next change."""
        for key, column in self.columns.items():
            if not column.auto_width:
                continue
            cells = (row.get(key) for row in self._data.values())
            column.content_width = max([_width(column.label),
                                        *(_width(c) for c in cells if c is not None)])
        self._require_update_dimensions = True
        self.refresh()


def _width(value: Any) -> int:
    return value.cell_len if isinstance(value, Text) else cell_len(str(value))
