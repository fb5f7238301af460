"""The result area: an Arrow-backed table (textual-fastdatatable), swapped per result."""

from __future__ import annotations

import pyarrow as pa
from textual.containers import Container
from textual_fastdatatable import ArrowBackend, DataTable


class SqlResults(Container):
    """Holds at most one result table; the fast table cannot be cleared, so it is replaced."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.table: pa.Table | None = None

    async def show(self, table: pa.Table) -> None:
        self.table = table
        await self.remove_children()
        grid = DataTable(
            backend=ArrowBackend(table),
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
