"""Shared worker helpers: polling the store's fragment signature once a second."""

from __future__ import annotations

from typing import Any

from textual import work
from textual.screen import Screen

from tui.messages import StoreChanged
from tui.store_reads import signature

POLL_SECONDS = 1.0


class PollsStore(Screen[Any]):
    """A screen that hears `StoreChanged` within ~1 s of anyone's save.

    The worker only lists fragment names (cheap); the screen re-queries on a change.
    """

    store: Any
    inspection_id: str
    _signature: object = None

    def start_polling(self) -> None:
        self.set_interval(POLL_SECONDS, self._poll)

    def _poll(self) -> None:
        if self.is_attached and self.inspection_id:
            self._poll_signature()

    def take_baseline(self) -> None:
        """Call in a load worker *before* reading: a save after it is then always seen."""
        try:
            self._signature = (self.inspection_id, signature(self.store, self.inspection_id))
        except OSError:
            self._signature = None

    @work(thread=True, exclusive=True, exit_on_error=False, group="poll")
    def _poll_signature(self) -> None:
        try:
            found = (self.inspection_id, signature(self.store, self.inspection_id))
        except OSError:
            return  # a fragment vanished mid-listing (compaction): try again next second
        previous, self._signature = self._signature, found
        if previous is not None and found != previous:
            self.post_message(StoreChanged(found))
