"""`a` in the case list: pick the reader to assign the case to, from the team."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option


class AssignModal(ModalScreen[str | None]):
    """Enter assigns to the highlighted member; Esc cancels."""

    DEFAULT_CSS = """
    AssignModal { align: center middle; }
    AssignModal > Vertical { width: 50; height: 16; border: round $accent; background: $panel;
                             padding: 0 1; }
    AssignModal OptionList { height: 1fr; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="assign.cancel")]

    def __init__(self, case_id: str, team: dict[str, str], current: str | None) -> None:
        super().__init__()
        self.case_id = case_id
        self.team = team
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(f"Assign {self.case_id} to:")
            yield OptionList(*[Option(f"{user}  ({role})", id=user)
                               for user, role in sorted(self.team.items())], id="assign-to")
            yield Label("Enter assign   Esc cancel")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.focus()
        users = sorted(self.team)
        if self.current in users:
            options.highlighted = users.index(self.current)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
