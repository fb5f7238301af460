"""Shared worker helpers: polling the store's fragment signature once a second."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import ScreenStackError
from textual.screen import Screen

from tui.common.messages import StoreChanged
from tui.common.store_reads import signature

if TYPE_CHECKING:
    from tui.common.store_seam import Store

POLL_SECONDS = 1.0


def is_top(screen: Screen[Any]) -> bool:
    """Is this the screen the user sees? (`Screen.is_current` is also true of the one just
    below the top.) False while the app has no screen at all (switching modes, closing)."""
    try:
        return screen.is_attached and screen.app.screen is screen
    except ScreenStackError:
        return False


class PollsStore(Screen[Any]):
    """A screen that hears `StoreChanged` within ~1 s of anyone's save.

    The worker only lists fragment names (cheap); the screen re-queries on a change.
    """

    store: Store
    inspection_id: str
    _signature: object = None
    own_fragments: set[str] | None = None  # names this app wrote: no need to re-read them

    def start_polling(self) -> None:
        self.set_interval(POLL_SECONDS, self._poll)

    def _poll(self) -> None:
        # a screen underneath (the list below an open form) reloads when it shows again:
        # re-reading it on every save would compete with the form for the interpreter.
        if is_top(self) and self.inspection_id:
            self._poll_signature()

    def take_baseline(self) -> object:
        """Call in a load worker *before* reading: a save after it is then always seen.
        Returns the baseline taken (the poll may replace `_signature` meanwhile)."""
        try:
            found: object = (self.inspection_id, signature(self.store, self.inspection_id))
        except OSError:
            found = None
        self._signature = found
        return found

    @work(thread=True, exclusive=True, exit_on_error=False, group="poll")
    def _poll_signature(self) -> None:
        try:
            found = (self.inspection_id, signature(self.store, self.inspection_id))
        except OSError:
            return  # a fragment vanished mid-listing (compaction): try again next second
        previous, self._signature = self._signature, found
        if previous is None or found == previous or self._only_ours(previous, found):
            return
        self.post_message(StoreChanged(found))

    def _only_ours(self, previous: Any, found: Any) -> bool:
        """True if the change is just fragments we saved ourselves (nothing removed)."""
        if self.own_fragments is None or previous[0] != found[0]:
            return False
        before = {name for names in previous[1] for name in names}
        after = {name for names in found[1] for name in names}
        return before <= after and (after - before) <= self.own_fragments
