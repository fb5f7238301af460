"""Command palette entries for the score screens (programme, report, method, breakdown).

On the score overview they run its actions; from any other screen the programme and
report entries use the app's `store` and `inspection_id`, when the app has them.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from textual.command import DiscoveryHit, Hit, Hits, Provider

COMMANDS = (
    ("Programme: compare inspections", "programme", "Scores across the store's inspections"),
    ("Report: preview and export", "report", "The inspection report, as HTML or Markdown"),
    ("Scores: switch outcome scoring method", "toggle_method", "Questions or criteria"),
    ("Scores: break down by a case field", "breakdown", "RoSH, type of case, grade, ..."),
)


class ScoreCommands(Provider):
    def _runner(self, action: str) -> Callable[[], Any] | None:
        screen = self.screen
        if hasattr(screen, f"action_{action}"):
            return partial(getattr(screen, f"action_{action}"))
        if action in ("programme", "report"):
            return partial(self._open_from_app, action)
        return None

    def _open_from_app(self, action: str) -> None:
        store = getattr(self.app, "store", None)
        inspection_id = getattr(self.app, "inspection_id", None)
        if store is None or inspection_id is None:
            self.app.notify("Open an inspection first", severity="warning")
            return
        if action == "programme":
            from tui.scores.programme_screen import ProgrammeScreen

            self.app.push_screen(ProgrammeScreen(store, inspection_id))
        else:
            from tui.scores.report_preview import ReportPreviewScreen

            self.app.push_screen(ReportPreviewScreen(store, inspection_id))

    async def discover(self) -> Hits:
        for title, action, help_text in COMMANDS:
            runner = self._runner(action)
            if runner is not None:
                yield DiscoveryHit(title, runner, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, action, help_text in COMMANDS:
            runner = self._runner(action)
            score = matcher.match(title)
            if runner is not None and score > 0:
                yield Hit(score, matcher.highlight(title), runner, help=help_text)
