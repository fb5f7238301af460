"""The footer every screen uses: each key it shows is shown whole, or not at all.

Textual's footer lays its keys out in one line and cuts whatever passes the right edge,
so at 80 columns the last keys read `f4 S` or vanish mid-word (issue 12, fault 9).
`KeysFooter` measures each key before showing it: the screen's own keys come first, then
the app's (F1 help, then the modes), and a key that would not fit whole is left out.
Nothing is lost: F1 lists every key of the screen, shown in the footer or not.

It also leaves out the key of the place you are already on (F2 on the case list, F3 on
the score overview and the screens opened from it, F4 in the SQL console, F5 on the
agreement screen): pressing it does nothing there, and the room goes to a key that does
something. F2 stays on a case form or the QA screen: it goes back to the case list.
"""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

GAP = 1  # the compact footer's margin after each key


def key_width(key_display: str, description: str) -> int:
    """Cells a compact FooterKey takes: `key description` (no padding in compact style)."""
    return cell_len(key_display) + (1 + cell_len(description) if description else 0)


class KeysFooter(Footer):
    """A compact footer that never cuts a key; see the module docstring."""

    def __init__(self) -> None:
        super().__init__(compact=True, show_command_palette=False)
        self._width = 0

    def leads_here(self, binding: Binding) -> bool:
        """Whether the binding only brings you to the screen you are on."""
        app: Any = self.app
        if binding.action == f"mode('{app.current_mode}')":
            # the mode's own key does nothing within it, but F2 leaves a form for the list
            return len(app.screen_stack) == 1 or app.current_mode != "cases"
        return binding.action in getattr(self.screen, "FOOTER_HERE", ())

    def shown_bindings(self) -> list[tuple[Binding, bool, str]]:
        """(binding, enabled, tooltip) of the keys to show, the screen's before the app's."""
        own: list[tuple[Binding, bool, str]] = []
        app_keys: list[tuple[Binding, bool, str]] = []
        seen: set[str] = set()
        for node, binding, enabled, tooltip in self.screen.active_bindings.values():
            if not binding.show or binding.action in seen or self.leads_here(binding):
                continue
            seen.add(binding.action)  # one key per action, as Textual's footer does
            (app_keys if node is self.app else own).append((binding, enabled, tooltip))
        return own + app_keys

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        room = self.app.size.width  # docked at the bottom, as wide as the screen
        self._width = room
        used = 0
        for binding, enabled, tooltip in self.shown_bindings():
            display = self.app.get_key_display(binding)
            width = key_width(display, binding.description)
            if used + width > room:
                continue  # left out whole; a shorter one after it may still fit
            used += width + GAP
            yield FooterKey(binding.key, display, binding.description, binding.action,
                            disabled=not enabled, tooltip=tooltip).data_bind(
                compact=Footer.compact)

    def on_resize(self, event: events.Resize) -> None:
        if self._bindings_ready and self.app.size.width != self._width:
            self.call_after_refresh(self.recompose)
