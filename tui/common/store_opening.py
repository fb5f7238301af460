"""A store opened on first use, so the app's first frame never waits for duckdb/pyarrow.

The first thread that needs the store (a worker, never the event loop at start-up) opens
it; others wait for it. `root` is known at once and `problems` is empty until it is open.
"""

from __future__ import annotations

import threading
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from store import Store as OpenStore
    from tui.common.store_seam import Store


class OpeningStore:
    """Stands in for `Store.open(root)`: attribute access opens it (once) and delegates."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.error: Exception | None = None  # why it could not be opened
        self.notices: list[str] = []  # warnings from opening (e.g. read-only store)
        self._store: OpenStore | None = None
        self._lock = threading.Lock()

    @property
    def is_open(self) -> bool:
        return self._store is not None

    def get(self) -> OpenStore:
        """The open store, opening it in this thread if nobody has yet."""
        with self._lock:
            if self._store is None:
                if self.error is not None:
                    raise self.error
                self._store = self._open()
            return self._store

    def _open(self) -> OpenStore:
        from store import Store

        # record, not print: stderr belongs to the running app; the app shows them
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                store = Store.open(self.root)
            except Exception as exc:
                self.error = exc
                raise
        self.notices += [str(w.message) for w in caught]
        return store

    @property
    def problems(self) -> list[Any]:
        return list(self._store.problems) if self._store is not None else []

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):  # copy/pickle probes must not open the store
            raise AttributeError(name)
        return getattr(self.get(), name)


def opened(store: Store) -> Store:
    """The store itself (opening an `OpeningStore`), e.g. to set its attributes."""
    return store.get() if isinstance(store, OpeningStore) else store
