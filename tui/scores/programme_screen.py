"""Programme screen: every inspection's scores beside the two programme aggregates.

The aggregates are computed by `store.programme.programme_scores` and always labelled:
"pooled answers" (all inspections' answers counted together) and "mean of inspections"
(the plain average of the inspections' own scores); they differ when sizes differ.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static

from tui.common.footer import KeysFooter
from tui.scores.data import framework_of
from tui.scores.programme_table import ProgrammeTable

if TYPE_CHECKING:
    from store.programme import ProgrammeScores
    from tui.common.store_seam import Store

METHODS = ("questions", "criteria")
EXPLAIN = (
    "Pooled answers: every inspection's answers counted together, then scored as one "
    "(a larger inspection weighs more). Mean of inspections: the average of the "
    "inspections' own scores."
)


class ProgrammeScreen(Screen[None]):
    """Rows: inspections then the two aggregates; columns: outcomes or criteria."""

    CSS_PATH = "programme_screen.tcss"
    HELP_TITLE = "programme"
    BINDINGS = [
        Binding("c", "toggle_level", "Criteria/outcomes", id="programme.toggle_level"),
        Binding("m", "toggle_method", "Method", id="programme.toggle_method"),
        Binding("escape", "back", "Back", id="programme.back"),
    ]

    class Loaded(Message):
        def __init__(self, programme: ProgrammeScores) -> None:
            super().__init__()
            self.programme = programme

    class Failed(Message):
        def __init__(self, error: str) -> None:
            super().__init__()
            self.error = error

    def __init__(self, store: Store, inspection_id: str | None = None,
                 method: str = "questions") -> None:
        super().__init__()
        self.store = store
        self.inspection_id = inspection_id
        self.method = method
        self.level = "outcome"
        self.programme: ProgrammeScores | None = None

    def compose(self) -> ComposeResult:
        yield Static("Programme: loading…", id="programme-title")
        yield ProgrammeTable(id="programme-table")
        yield Static("", id="programme-legend")
        yield Static(EXPLAIN, id="programme-explain")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one(ProgrammeTable).focus()
        self.load(self.method)

    @work(thread=True, exclusive=True, exit_on_error=False, group="programme")
    def load(self, method: str) -> None:
        from store.programme import programme_scores

        try:
            found = programme_scores(self.store, None, method)
        except Exception as exc:  # shown on the screen
            self.post_message(self.Failed(str(exc).splitlines()[0]))
            return
        self.post_message(self.Loaded(found))

    def on_programme_screen_loaded(self, message: Loaded) -> None:
        self.programme = message.programme
        self._show()

    def on_programme_screen_failed(self, message: Failed) -> None:
        self.query_one("#programme-title", Static).update(
            Text(f"Programme scores unavailable: {message.error}", style="bold")
        )

    def _show(self) -> None:
        if self.programme is None:
            return
        table = self.query_one(ProgrammeTable)
        fw = framework_of(self.store)
        shorts = {f"O{o.code}": o.short for o in fw.outcomes}
        legend = table.show(self.programme, self.level, self.inspection_id, shorts)
        n = len(self.programme.inspections)
        what = "outcome" if self.level == "outcome" else "criterion"
        self.query_one("#programme-title", Static).update(
            f"Programme · {n} inspection{'s' if n != 1 else ''} · {what} scores · "
            f"outcomes: mean over {self.method}"
        )
        self.query_one("#programme-legend", Static).update(legend)

    def action_toggle_level(self) -> None:
        self.level = "criterion" if self.level == "outcome" else "outcome"
        self._show()

    def action_toggle_method(self) -> None:
        self.method = METHODS[(METHODS.index(self.method) + 1) % len(METHODS)]
        self.query_one("#programme-title", Static).update("Programme: loading…")
        self.load(self.method)

    def action_back(self) -> None:
        self.dismiss()


