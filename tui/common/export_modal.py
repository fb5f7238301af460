"""Ask where to write an export (default: a file in the current directory)."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label


class ExportModal(ModalScreen[Path | None]):
    """Enter writes to the typed path; Esc cancels."""

    CSS_PATH = "export_modal.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="export.cancel")]

    def __init__(self, default: Path, what: str = "result", kind: str = "CSV") -> None:
        super().__init__()
        self.default = default
        self.what = what
        self.kind = kind
        self.confirmed: Path | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="export-box"):
            yield Label(f"Export the {self.what} as {self.kind} to:", id="export-title")
            yield Input(str(self.default), id="export-path")
            yield Label("Enter to write, Esc to cancel", id="export-help")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        if not text:
            self.query_one("#export-help", Label).update("Type a file name first")
            return
        path = Path(text).expanduser()
        if path.is_dir():
            self.query_one("#export-help", Label).update(f"{path} is a folder: add a file name")
            return
        if path.exists() and path != self.confirmed:
            self.confirmed = path
            self.query_one("#export-help", Label).update(
                f"{path.name} exists: Enter again to replace it, Esc to cancel"
            )
            return
        self.dismiss(path)

    def action_cancel(self) -> None:
        self.dismiss(None)
