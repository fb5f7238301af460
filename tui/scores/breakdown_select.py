"""Choose the case field that splits the scores into side-by-side columns."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

if TYPE_CHECKING:
    from criteria.models import Framework

# The splits inspectors ask for, in their order; offered when the framework has the field.
BREAKDOWN_FIELDS = ("rosh", "case_type", "om_grade", "office", "author")
NONE = "__none__"


def breakdown_options(framework: Framework) -> list[tuple[str | None, str]]:
    """(field id or None, label) for the selector: none, then the known case fields."""
    labels = {f.id: f.label for f in getattr(framework, "case_fields", [])}
    labels.setdefault("author", "Inspector (who answered)")
    options: list[tuple[str | None, str]] = [(None, "None (whole sample)")]
    options += [(fid, labels[fid]) for fid in BREAKDOWN_FIELDS if fid in labels]
    return options


class BreakdownSelect(ModalScreen[str | None]):
    """Returns the chosen field id, None for no breakdown; Esc keeps the current one."""

    CSS_PATH = "overview.tcss"

    BINDINGS = [
        Binding("escape", "cancel", "Keep", id="breakdown_select.cancel"),
    ]

    def __init__(self, options: list[tuple[str | None, str]], current: str | None) -> None:
        super().__init__()
        self.options = options
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="breakdown-box"):
            yield Label("Break down scores by", id="breakdown-title")
            yield OptionList(
                *(Option(label, id=fid or NONE) for fid, label in self.options),
                id="breakdown-list",
            )

    def on_mount(self) -> None:
        chooser = self.query_one(OptionList)
        ids = [fid for fid, _ in self.options]
        chooser.highlighted = ids.index(self.current) if self.current in ids else 0
        chooser.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        chosen = event.option.id
        self.dismiss(None if chosen == NONE else chosen)

    def action_cancel(self) -> None:
        self.dismiss(self.current)
