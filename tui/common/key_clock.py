"""When the key being handled was typed, for actions that must tell type-ahead from a
key pressed after something was shown.

A binding's action gets no event, and Textual handles a key some time after the terminal
sent it (keys typed in a burst wait in the App's queue while the screen repaints). A
`Key` event's `time` is taken when the driver reads it from the terminal (textual's
`_time.get_time`: `time.monotonic` on POSIX), so the App notes it before handling the key
and `key_time` hands it to the action. The conflict guard (tui/form/conflict_handling.py)
uses it: a key read before a conflict notice could have been read never replaces an answer.
"""

from __future__ import annotations

import time
from typing import Any

from textual import events
from textual.app import App


class KeyClock(App[None]):
    """An App that remembers the read time of the key it is handling (a base of
    CasereadApp, before the key buffer, so replayed keys pass here too)."""

    key_read_at: float | None = None

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded:
            self.key_read_at = event.time
        await super().on_event(event)


def key_time(app: App[Any]) -> float:
    """When the key now being handled was read (time.monotonic seconds); now, for an App
    that does not keep it (a bare host in tests) or before any key."""
    read_at = getattr(app, "key_read_at", None)
    return read_at if isinstance(read_at, float) else time.monotonic()
