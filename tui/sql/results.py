"""The result area: an Arrow-backed table (textual-fastdatatable), swapped per result."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc
from textual.containers import Container
from textual_fastdatatable import ArrowBackend, DataTable

from tui.common.shown import CONTROL_PATTERN

# the replacement visible() uses: a control character in a result is shown, never run
_SHOWN_AS = "\N{REPLACEMENT CHARACTER}"


def visible_table(table: pa.Table) -> pa.Table:
    """`table` with control characters in its text (and lists of text) shown as U+FFFD,
    column by column in Arrow: a note holding ESC ] 0;...BEL must not retitle the
    terminal of whoever queries it. Other columns are returned as they are."""
    columns = [_visible_column(column) for column in table.columns]
    return pa.Table.from_arrays(columns, schema=table.schema)


def _visible_column(column: pa.ChunkedArray) -> pa.ChunkedArray:
    kind = column.type
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        return pc.replace_substring_regex(column, CONTROL_PATTERN, _SHOWN_AS)
    if (pa.types.is_list(kind) or pa.types.is_large_list(kind)) and (
            pa.types.is_string(kind.value_type) or pa.types.is_large_string(kind.value_type)):
        chunks = [type(chunk).from_arrays(chunk.offsets, _visible_column(
            pa.chunked_array([chunk.values], kind.value_type)).combine_chunks(),
            mask=chunk.is_null()) for chunk in column.chunks]
        return pa.chunked_array(chunks, kind)
    return column


class SqlResults(Container):
    """Holds at most one result table; the fast table cannot be cleared, so it is replaced."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.table: pa.Table | None = None

    async def show(self, table: pa.Table) -> None:
        self.table = table  # exported as it is; only what is drawn is made visible
        await self.remove_children()
        grid = DataTable(
            backend=ArrowBackend(visible_table(table)),
            id="sql-table",
            max_column_content_width=40,
            null_rep="NULL",
            render_markup=False,
        )
        await self.mount(grid)

    async def clear_result(self) -> None:
        self.table = None
        await self.remove_children()

    @property
    def grid(self) -> DataTable | None:
        found = self.query(DataTable)
        return found.first() if found else None
