"""A DataTable whose str cells and column labels are plain text, never Rich markup.

DataTable reads a str as markup, so a label or value holding brackets (an office typed as
"Luton [North]", a group column of a breakdown, "[sic]" in a question) would lose them or,
with "[/x]", raise on render. Text objects also skip parsing markup on every render.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey, RowKey


def plain(value: Any) -> Any:
    return Text(value) if isinstance(value, str) else value


class PlainTable(DataTable[Text | str]):
    def add_column(self, label: Any, *args: Any, **kwargs: Any) -> ColumnKey:
        return super().add_column(plain(label), *args, **kwargs)

    def add_row(self, *cells: Any, **kwargs: Any) -> RowKey:
        return super().add_row(*(plain(c) for c in cells), **kwargs)
