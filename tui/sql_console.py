"""SQL console: read-only queries on the store's views."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, TextArea


class SqlConsoleScreen(Screen[None]):
    """Editor, schema and results for read-only SQL on one store."""

    CSS_PATH = "sql_console.tcss"

    def __init__(self, store: Any) -> None:
        super().__init__()
        self.store = store

    def compose(self) -> ComposeResult:
        yield TextArea.code_editor("SELECT * FROM outcome_scores", language="sql", id="sql-editor")
        yield Footer()
