"""When the key being handled was typed, for actions that must tell type-ahead from a
key pressed after something was shown.

A binding's action gets no event, and Textual handles a key some time after the terminal
sent it (keys typed in a burst wait in the App's queue while the screen repaints). A
`Key` event's `time` is taken when the driver reads it from the terminal (textual's
`_time.get_time`: `time.monotonic` on POSIX), so the App notes it before handling the key
and `key_time` hands it to the action. The conflict guard (tui/form/conflict_handling.py)
uses it: a key read before a conflict notice could have been read never replaces an answer.

Keys the key buffer (tui/common/key_buffer.py) holds while a field opens are replayed as
new `Key` events, stamped with the replay's time; so the clock notes the read time of
each key taken while the buffer holds, and gives it back to the key replayed in its place.
"""

from __future__ import annotations

import time
from typing import Any

from textual import events
from textual.app import App

from tui.common.key_buffer import HoldsKeys, KeysReleased


class KeyClock(HoldsKeys):
    """An App that remembers the read time of the key it is handling (a base of
    CasereadApp, before the key buffer's own handling, so replayed keys pass here too)."""

    key_read_at: float | None = None
    _held_reads: list[float] | None = None  # read times of the keys held, in order
    _replays: list[float] | None = None  # ...of the keys being replayed now

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded:
            if self._replays:  # a held key given back: it was read when it was typed
                event.time = min(event.time, self._replays.pop(0))
            self.key_read_at = event.time
            if self.holding_keys:
                self._held_reads = [*(self._held_reads or []), event.time]
        await super().on_event(event)

    def on_keys_released(self, message: KeysReleased) -> None:
        """Runs before the buffer's replay (subclass handlers first): hand it the times."""
        self._replays, self._held_reads = list(self._held_reads or []), None
        self.call_later(self._replayed)  # after the replay, before any later key

    def _replayed(self) -> None:
        self._replays = None


def key_time(app: App[Any]) -> float:
    """When the key now being handled was read (time.monotonic seconds); now, for an App
    that does not keep it (a bare host in tests) or before any key."""
    read_at = getattr(app, "key_read_at", None)
    return read_at if isinstance(read_at, float) else time.monotonic()
