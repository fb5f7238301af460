"""`g` in the case form: jump to a question by its id (e.g. 4.1.05 or 4.1.5)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from tui.common.key_buffer import release_keys, release_when_ready
from tui.form.search import matches

if TYPE_CHECKING:
    from criteria.models import Question


def match_question(typed: str, ids: list[str]) -> str | None:
    """The question id typed, tolerating a missing leading zero (4.1.5 = 4.1.05)."""
    typed = typed.strip()
    if typed in ids:
        return typed
    parts = typed.split(".")
    if len(parts) == 3 and parts[2].isdigit():
        padded = f"{parts[0]}.{parts[1]}.{int(parts[2]):02d}"
        if padded in ids:
            return padded
    starts = [i for i in ids if i.startswith(typed)] if typed else []
    return starts[0] if starts else None


class GotoModal(ModalScreen[str | None]):
    DEFAULT_CSS = """
    GotoModal { align: center middle; }
    GotoModal > Vertical { width: 40; height: auto; border: round $accent; background: $panel;
                           padding: 0 1; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="goto.cancel")]
    CLOSING_KEYS = ("enter", "escape")  # keys typed after them are for the form (key_buffer)

    def __init__(self, ids: list[str], questions: list[Question] | None = None) -> None:
        super().__init__()
        self.ids = ids
        self.questions = questions or []  # to find by words when no id matches

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Go to question (Enter):")
            yield Input(placeholder="e.g. 4.1.05", id="goto-input")
            yield Label("", id="goto-error")

    def on_mount(self) -> None:
        self.query_one("#goto-input", Input).focus()
        release_when_ready(self)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        found = match_question(event.value, self.ids)
        if found is None:  # "g accommodation": the first question with those words
            found = next(iter(matches(self.questions, event.value)), None)
        if found is None:
            self.query_one("#goto-error", Label).update(f"No question {event.value!r}")
            release_keys(self.app)  # still open: what follows is typed here
            return
        self.dismiss(found)

    def action_cancel(self) -> None:
        self.dismiss(None)
