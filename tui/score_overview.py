"""Score overview: outcome Summary table, criteria grid and question bars."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Static


class ScoreOverviewScreen(Screen[None]):
    """Scores of one inspection, recomputed from the live views."""

    CSS_PATH = "score_overview.tcss"

    def __init__(self, store: Any, inspection_id: str) -> None:
        super().__init__()
        self.store = store
        self.inspection_id = inspection_id

    def compose(self) -> ComposeResult:
        yield Static(f"Scores for {self.inspection_id}", id="score-title")
        yield Footer()
