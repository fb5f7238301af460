"""The cases behind a question's counts: sufficient, insufficient and not applicable."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Label, OptionList, Static
from textual.widgets.option_list import Option

from tui.score_query import StoreReader

LISTS = (
    ("sufficient", "Sufficient"),
    ("insufficient", "Insufficient"),
    ("not_applicable", "Not applicable"),
)


def cases_sql(by: str | None) -> str:
    """Each case's answer to one question, sorted into the three lists.

    An answer whose question does not apply to the case counts as not applicable, as in
    question_scores. `by` is a framework field id (checked by the caller), never user text.
    """
    group = f', CAST(c."{by}" AS VARCHAR)' if by else ", NULL"
    return f"""
SELECT a.case_id,
       CASE WHEN NOT coalesce(a.applies, false) THEN 'not_applicable' ELSE a.scoring END AS list
       {group} AS grp
FROM answers_scored a JOIN cases c USING (inspection_id, case_id)
WHERE a.inspection_id = ? AND a.question_id = ? AND a.scoring <> 'fact'
ORDER BY a.case_id"""


@dataclass(frozen=True)
class CaseLine:
    case_id: str
    list: str
    group: str | None


class ScoreDrilldownScreen(Screen[None]):
    """Three lists of cases; Enter opens the case form on the highlighted one."""

    CSS_PATH = "score_overview.tcss"
    BINDINGS = [
        Binding("escape", "back", "Back", id="score_drilldown.back"),
        Binding("left", "move(-1)", "Prev list", show=False, id="score_drilldown.left"),
        Binding("right", "move(1)", "Next list", show=False, id="score_drilldown.right"),
    ]

    class Loaded(Message):
        def __init__(self, lines: list[CaseLine]) -> None:
            super().__init__()
            self.lines = lines

    class Failed(Message):
        def __init__(self, error: str) -> None:
            super().__init__()
            self.error = error

    def __init__(
        self,
        store: Any,
        inspection_id: str,
        question_id: str,
        title: str,
        by: str | None = None,
        reader: StoreReader | None = None,
    ) -> None:
        super().__init__()
        self.store = store
        self.inspection_id = inspection_id
        self.question_id = question_id
        self.question_title = title
        self.by = by
        self.reader = reader or StoreReader(store)
        self.lines: list[CaseLine] = []

    def compose(self) -> ComposeResult:
        yield Static(f"{self.question_id} {self.question_title}", id="drill-title")
        with Horizontal(id="drill-lists"):
            for key, label in LISTS:
                with Vertical(classes="drill-column"):
                    yield Label(label, id=f"label-{key}", classes="drill-label")
                    yield OptionList(id=f"list-{key}", classes="drill-list")
        yield Static("", id="drill-status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#list-sufficient", OptionList).focus()
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="drill")
    def load(self) -> None:
        try:
            table = self.reader.query(cases_sql(self.by), [self.inspection_id, self.question_id])
        except Exception as exc:  # shown to the user; the screen stays usable
            self.post_message(self.Failed(str(exc).splitlines()[0]))
            return
        lines = [CaseLine(r["case_id"], r["list"], r["grp"]) for r in table.to_pylist()]
        self.post_message(self.Loaded(lines))

    def on_score_drilldown_screen_loaded(self, message: Loaded) -> None:
        self.lines = message.lines
        for key, label in LISTS:
            cases = [line for line in message.lines if line.list == key]
            chooser = self.query_one(f"#list-{key}", OptionList)
            chooser.clear_options()
            chooser.add_options(
                Option(c.case_id + (f"  {c.group}" if c.group else ""), id=c.case_id)
                for c in cases
            )
            self.query_one(f"#label-{key}", Label).update(f"{label} ({len(cases)})")
        self.query_one("#drill-status", Static).update("Enter opens the case")

    def on_score_drilldown_screen_failed(self, message: Failed) -> None:
        self.query_one("#drill-status", Static).update(f"Could not read cases: {message.error}")

    @on(OptionList.OptionSelected)
    def open_case(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        case_id = event.option.id
        if case_id is None:
            return
        try:
            from tui.case_form import CaseFormScreen
        except ImportError as exc:
            self.notify(f"The case form is not available: {exc}", severity="error")
            return
        self.app.push_screen(CaseFormScreen(self.store, self.inspection_id, case_id))

    def action_move(self, step: int) -> None:
        lists = list(self.query(".drill-list").results(OptionList))
        current = next((i for i, w in enumerate(lists) if w.has_focus), 0)
        lists[(current + step) % len(lists)].focus()

    def action_back(self) -> None:
        self.dismiss()
