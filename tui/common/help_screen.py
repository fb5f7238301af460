"""F1: every key of the screen underneath, generated from its live bindings.

Built from `Screen.active_bindings`, which already applies the user's keymap, so the help
can never disagree with what the keys do.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Static

from tui.common.row_table import RowTable


def key_rows(screen: Screen[Any]) -> list[tuple[str, str, str]]:
    """(keys, what it does, binding id) for every described binding, keys grouped by action."""
    grouped: dict[tuple[str, str], list[str]] = {}
    ids: dict[tuple[str, str], str] = {}
    for key, active in screen.active_bindings.items():
        binding = active.binding
        if not binding.description:
            continue
        what = (binding.description, binding.action)
        display = screen.app.get_key_display(Binding(key, binding.action))
        grouped.setdefault(what, [])
        if display not in grouped[what]:
            grouped[what].append(display)
        ids[what] = binding.id or ""
    rows = [(" ".join(keys), what[0], ids[what]) for what, keys in grouped.items()]
    return sorted(rows, key=lambda row: not row[2])  # ours first, then the widgets' own


class HelpScreen(ModalScreen[None]):
    """A table of the keys; Esc or F1 closes it."""

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > Vertical { width: 76; max-height: 22; border: round $accent; background: $panel; }
    HelpScreen DataTable { height: 1fr; }
    HelpScreen #help-title { padding: 0 1; text-style: bold; }
    HelpScreen #help-foot { padding: 0 1; color: $text-muted; }
    """
    BINDINGS = [
        Binding("escape", "dismiss", "Close", id="help.close"),
        Binding("q", "dismiss", "Close", show=False, id="help.close_q"),
    ]

    def __init__(self, under: Screen[Any]) -> None:
        super().__init__()
        self.rows = key_rows(under)
        self.title_text = f"Keys: {getattr(under, 'HELP_TITLE', type(under).__name__)}"

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.title_text, id="help-title")
            table: DataTable[str] = RowTable(cursor_type="row", zebra_stripes=True)
            table.add_columns("Key", "Does", "Remap id")
            for row in self.rows:
                table.add_row(*row)
            yield table
            yield Static('Remap in config.toml, table [keys]: id = "key". '
                         "All screens: caseread help keys",
                         id="help-foot", markup=False)
