"""Choose an inspection when the store holds several and none was used last."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from tui.common.key_buffer import release_when_ready


class InspectionPicker(ModalScreen[str | None]):
    DEFAULT_CSS = """
    InspectionPicker { align: center middle; }
    InspectionPicker > Vertical { width: 70; max-height: 20; height: auto;
                                  border: round $accent; background: $panel; padding: 0 1; }
    InspectionPicker OptionList { height: auto; max-height: 16; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="picker.cancel")]

    def __init__(self, found: list[dict[str, Any]]) -> None:
        super().__init__()
        self.found = found

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Open which inspection? (arrows, Enter)")
            yield OptionList(*[self._option(r) for r in self.found], id="picker-list")

    def on_mount(self) -> None:
        release_when_ready(self)  # keys typed at launch: for the picker

    @staticmethod
    def _option(row: dict[str, Any]) -> Option:
        label = row.get("label") or row.get("area") or ""
        date = row.get("date") or ""
        synthetic = "  (synthetic)" if row.get("synthetic") else ""
        return Option(f"{row['inspection_id']}  {label}  {date}{synthetic}",
                      id=row["inspection_id"])

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
