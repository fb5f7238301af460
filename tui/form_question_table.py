"""The form's question table: a DataTable that repaints only the row whose answer changed.

`DataTable.update_cell` bumps a table-wide counter that is part of every render cache key,
so one answer re-renders every visible row (~25 ms at 120x40, the bulk of a keystroke).
`set_cell` drops only that row's cached renders. It relies on DataTable internals (checked
against textual 8.2); if they change it falls back to `update_cell`, slower but correct.
"""

from __future__ import annotations

from typing import Any

from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey, RowKey


class QuestionTable(DataTable[Any]):
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
        self.refresh()
