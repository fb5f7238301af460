"""Compaction while nobody types: the store's own auto-compaction starts at once, in a
thread of this process, and holds the interpreter for ~100-170 ms of a ~300-450 ms run,
which lands on the keys typed meanwhile. While the app saves answers it turns that off
(`store.auto_compact_at`, the documented switch) and compacts at the same threshold in a
worker once the saver has been idle for a second. Other processes compact as before.
"""

from __future__ import annotations

import contextlib
import threading
from typing import TYPE_CHECKING, Any

from textual.app import App

if TYPE_CHECKING:
    from tui.common.store_seam import Store


class IdleCompactor:
    def __init__(self, app: App[Any]) -> None:
        self.app = app
        self.limit: int | None = None  # the store's threshold, while we hold it off
        self._store: Store | None = None
        self._lock = threading.Lock()

    def hold(self, store: Store) -> None:
        """Before a save (saver thread): take over the store's auto-compaction."""
        with self._lock:
            if self._store is not None:
                return
            self._store = store
            self.limit = getattr(store, "auto_compact_at", None)
            if self.limit is not None:
                store.auto_compact_at = None

    def idle(self) -> None:
        """The saver has been idle (saver thread): compact in a worker if it is due."""
        if self.limit is None:
            return
        # RuntimeError: the app is closing; the next run (or another process) compacts
        with contextlib.suppress(RuntimeError):
            self.app.call_from_thread(self._start)

    def _start(self) -> None:
        self.app.run_worker(self._compact, thread=True, group="idle-compact", exclusive=True,
                            exit_on_error=False, name="compact")

    def _compact(self) -> None:
        store, limit = self._store, self.limit
        if store is not None and limit is not None:
            store.compact(min_fragments=limit, wait=False)  # skips if someone else is

    def release(self) -> None:
        """The app is ending: the store compacts by itself again."""
        with self._lock:
            if self._store is not None and self.limit is not None:
                self._store.auto_compact_at = self.limit
            self._store = None
