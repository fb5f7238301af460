"""Keys typed while the screen changes land where they were meant to, in order, however fast.

`n`, `/`, `e`, `g` and Enter (note) open a field (a modal, or the filter box) that takes
a moment to appear and take focus (the new-case form may first wait for the store to
open); Enter on a case opens a form that must load its answers first; Esc and F2 go back
to the list; and at launch the case list is not up yet. Keys typed meanwhile would go to
the screen underneath (or Textual's empty default screen at launch), be lost, or land in
the wrong field. Textual hands a key to the focused widget's queue and goes on with the
next key before the binding's action has run, so holding must start in the App, as soon
as it sees a key bound to one of OPENERS (binding ids; remapped keys included): the App
keeps every key event from then on (the actions also call `hold_keys(app)`, for a command
palette), and when the screen is ready (`release_when_ready(screen)`, after its first
refresh; the form once its answers are loaded) the App replays them, in order, before any
later key, to whatever has focus then. The App holds from its mount until the first case
list has its rows (or a picker, or the SQL console, is up). A hold that is never released
ends by itself after HOLD_SECONDS (LOAD_SECONDS where a store read is awaited), so no key
is kept for good. The quit key typed behind held keys is held too and replayed after them
(`Enter y n Ctrl+Q`: the answers are saved, or the unsaved-answers guard asks), but with
nothing held before it, or pressed again while held, it quits at once: quitting is never
held for longer than the hold's timer, and never at all when asked twice. A modal that
closes on a key and hands the screen under it back (`g`, `/` in the form: CLOSING_KEYS)
holds the keys typed after that key until the screen under it is ready (`g 4.1.02 Enter y`
answers 4.1.02).
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
import time
from typing import Any

from textual import events, on
from textual.app import App
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.timer import Timer
from textual.widgets import DataTable, Input

HOLD_SECONDS = 3.0
LOAD_SECONDS = 10.0  # the case list at launch, a case's answers: a store read or two
DRAIN_SECONDS = 1.0
LIST_WAIT_SECONDS = 0.5  # a dropdown's list opening or closing
# the bindings that open a field to type in, or change the screen the keys go to
OPENERS = {"case_list.filter", "case_list.new", "case_form.goto", "case_form.edit_details",
           "case_form.search", "case_form.note", "case_list.open", "case_form.back",
           "app.cases"}
QUIT_BINDINGS = {"app.quit"}  # held only behind other held keys (see above)


class KeysReleased(Message):
    """Posted to the App: replay the keys held (handled on the App's own queue, so the
    replay comes before any key that arrives after it). `hold` is the hold it ends: a
    second release of a hold already replayed (the list's rows and its return both say
    ready) must not end the next hold early (`Esc down Enter y`: `y` reached the form
    before its answers were loaded)."""

    def __init__(self, hold: int) -> None:
        super().__init__()
        self.hold = hold


class HoldsKeys(App[None]):
    """An App that can hold key events while a field opens (a base of CasereadApp)."""

    _held: list[tuple[str, str | None]] | None = None
    _hold_timer: Timer | None = None
    _hold_id = 0  # counts the holds: which one a release ends
    _launching = False  # holding since the App mounted: the first hold, not yet released

    def hold_launch_keys(self) -> None:
        """Hold from mount until the first screen is ready. An Enter typed before Textual
        set the terminal to raw mode was turned into a line feed by the terminal's line
        editing and arrives as Ctrl+J (bound to nothing): it is taken as the Enter it was."""
        self._launching = True
        self.hold_keys(LOAD_SECONDS)

    def hold_keys(self, seconds: float = HOLD_SECONDS) -> None:
        if self._held is None:
            self._held = []
            self._hold_id += 1
        if self._hold_timer is not None:
            self._hold_timer.stop()
        self._hold_timer = self.set_timer(seconds, self.release_keys)

    def release_keys(self) -> None:
        if self._held is not None:
            self.post_message(KeysReleased(self._hold_id))

    @property
    def holding_keys(self) -> bool:
        return self._held is not None

    async def on_event(self, event: events.Event) -> None:
        if not isinstance(event, events.Key) or event.is_forwarded:
            await super().on_event(event)
            return
        if self._held is not None and self._holds(event.key):
            enter = self._launching and event.key == "ctrl+j"
            self._held.append(("enter", "\r") if enter else (event.key, event.character))
            return
        if self._opens_field(event):  # before its action runs: it may release at once
            self.hold_keys()
        self._hold_while_list_toggles(event)
        if (self._moves_focus_now(event) or await self._input_binding_in_order(event)
                or await self._table_binding_now(event)):
            return
        await super().on_event(event)

    def _holds(self, key: str) -> bool:
        """Hold this key? Quit only behind other held keys, and only once."""
        if not self._quits(key):
            return True
        held = self._held or []
        return bool(held) and not any(self._quits(k) for k, _ in held)

    def _quits(self, key: str) -> bool:
        bindings = self._bindings.key_to_bindings.get(key, [])
        return any(b.id in QUIT_BINDINGS for b in bindings)

    def _hold_while_list_toggles(self, event: events.Key) -> None:
        """A dropdown (Select) opening or closing: its list takes the focus (and gives it
        back) a moment later, so in a burst `Enter Down Enter` the Down and Enter went to
        the closed dropdown and were lost. Hold what follows until the focus has moved
        (or LIST_WAIT_SECONDS: Enter on no option leaves the list open)."""
        module = sys.modules.get("textual.widgets._select")
        if module is None:
            return
        focused = self.focused
        if isinstance(focused, module.SelectOverlay) and event.key in ("enter", "escape"):
            closing = True
        elif (isinstance(focused, module.Select) and not focused.expanded
              and event.key in ("enter", "down", "space", "up")):
            closing = False
        else:
            return
        self.hold_keys()
        hold, end = self._hold_id, time.monotonic() + LIST_WAIT_SECONDS

        def check() -> None:
            if self._hold_id != hold or self._held is None:
                return  # released already
            on_list = isinstance(self.focused, module.SelectOverlay)
            if on_list != closing or time.monotonic() > end:
                self.release_keys()
            else:
                self.set_timer(0.01, check)

        self.set_timer(0.01, check)

    def _moves_focus_now(self, event: events.Key) -> bool:
        """Tab / Shift+Tab in a form (a modal): move the focus before the next key is
        handed on. Textual would move it only once the key has gone to the focused field
        and come back up, and the keys typed right after it would land in the old field."""
        if event.key not in ("tab", "shift+tab") or not isinstance(self.screen, ModalScreen):
            return False
        if _is_text_area(self.focused):
            return False
        if event.key == "tab":
            self.screen.focus_next()
        else:
            self.screen.focus_previous()
        return True

    async def _input_binding_in_order(self, event: events.Key) -> bool:
        """A bound key in a text field (Ctrl+U, Home, Enter, Ctrl+S...) after a burst of text:
        Textual runs a binding only when the key comes back up to the App, after the
        characters typed behind it are already in the field (Ctrl+U would then delete
        them too). So: let the field take what it was given, then run the binding now."""
        focused = self.focused
        if event.is_printable or focused is None or not (
                isinstance(focused, Input) or _is_text_area(focused)):
            return False
        done = asyncio.Event()
        focused.call_later(done.set)  # runs once the field has handled what came before
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(done.wait(), DRAIN_SECONDS)
        if event.key in getattr(self.screen, "CLOSING_KEYS", ()):
            self.hold_keys()  # the keys after it are for the screen under the modal
        if await self._check_bindings(event.key, priority=True):
            return True
        return await self._check_bindings(event.key)

    async def _table_binding_now(self, event: events.Key) -> bool:
        """A key on a table (the case list, the form's questions): run its binding now.
        Textual runs a priority binding (Enter) at once but the others only when the key
        comes back up from the table, so in a burst `down Enter` opened the case under
        the cursor before it moved. Tables take no keys but their bindings."""
        if not isinstance(self.focused, DataTable):
            return False
        self.app_focus = True
        if await self._check_bindings(event.key, priority=True):
            return True
        return await self._check_bindings(event.key)

    def _opens_field(self, event: events.Key) -> bool:
        """Is this key bound to an opener (and not text typed into a field)?"""
        if event.is_printable and (isinstance(self.focused, Input)
                                   or _is_text_area(self.focused)):
            return False
        try:
            active = self.screen.active_bindings.get(event.key)
        except Exception:  # no screen yet, or one being replaced
            return False
        return active is not None and active.binding.id in OPENERS

    @on(KeysReleased)
    async def _replay_keys(self, message: KeysReleased) -> None:
        if message.hold != self._hold_id:
            return  # that hold is over: replayed already
        held, self._held = self._held, None
        self._launching = False
        if self._hold_timer is not None:
            self._hold_timer.stop()
            self._hold_timer = None
        for key, character in held or []:  # an opener among them holds the rest again
            await self.on_event(events.Key(key, character))


def hold_keys(app: App[Any], seconds: float = HOLD_SECONDS) -> None:
    """Start holding keys, if the app can (a bare host in tests may not)."""
    if isinstance(app, HoldsKeys):
        app.hold_keys(seconds)


def release_keys(app: App[Any]) -> None:
    """An opener that opens nothing after all: give the keys back now."""
    if isinstance(app, HoldsKeys) and app.holding_keys:
        app.release_keys()


def release_when_ready(screen: Screen[Any]) -> None:
    """Replay the held keys once `screen` has drawn and taken focus."""
    app = screen.app
    if isinstance(app, HoldsKeys) and app.holding_keys:
        screen.call_after_refresh(app.release_keys)


def _is_text_area(widget: object) -> bool:
    """isinstance(widget, TextArea) without importing TextArea (its document and syntax
    modules cost ~30 ms of every launch): nothing can be one before its module loads."""
    module = sys.modules.get("textual.widgets._text_area")
    return module is not None and isinstance(widget, module.TextArea)
