"""Store access for the score screens, called from worker threads only.

Our own (trusted) queries go through `Store.query`, which runs each call on its own
cursor and retries a query that lost a file to compaction.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pyarrow as pa

if TYPE_CHECKING:
    from tui.common.store_seam import Store


class StoreReader:
    """A thin seam over the store, so tests can count or slow down queries."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def query(self, sql: str, params: list[object] | None = None) -> pa.Table:
        table: pa.Table = self.store.query(sql, params)
        return table

    def close(self) -> None:
        """Nothing to release: the store owns its connections."""
