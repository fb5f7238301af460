"""Enter in the case form: the note (evidence) for a question, saved with its answer."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, TextArea

from tui.common.key_buffer import release_when_ready


class NoteModal(ModalScreen[str | None]):
    """Ctrl+S saves the note (empty clears it); Esc cancels."""

    DEFAULT_CSS = """
    NoteModal { align: center middle; }
    NoteModal > Vertical { width: 72; height: 16; border: round $accent; background: $panel;
                           padding: 0 1; }
    NoteModal TextArea { height: 1fr; }
    NoteModal #note-keys { color: $text-muted; }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", "Save note", id="note.save", priority=True),
        Binding("escape", "cancel", "Cancel", id="note.cancel"),
    ]

    def __init__(self, question: str, note: str | None) -> None:
        super().__init__()
        self.question = question
        self.note = note or ""

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.question, id="note-question")
            yield TextArea(self.note, id="note-text", soft_wrap=True)
            yield Label("Ctrl+S save   Esc cancel", id="note-keys")

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)
        release_when_ready(self)  # the text typed right after Enter

    def action_save(self) -> None:
        self.dismiss(self.query_one(TextArea).text.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)
