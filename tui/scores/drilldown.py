"""The cases behind a question's counts: sufficient, insufficient and not applicable."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from store.scoring_sql import grouped_scored
from tui.common.footer import KeysFooter
from tui.scores.case_list import CaseList
from tui.scores.data import framework_of, group_labels
from tui.scores.query import StoreReader

if TYPE_CHECKING:
    from criteria.models import Framework
    from tui.common.store_seam import Store

LISTS = (
    ("sufficient", "Sufficient"),
    ("insufficient", "Insufficient"),
    ("not_applicable", "Not applicable"),
)


def cases_sql(framework: Framework, by: str | None) -> str:
    """Each case's answer to one question, sorted into the three lists as question_scores
    counts them; with a breakdown, the store's own group column (`by_value`)."""
    source = f"({grouped_scored(framework, by)})" if by else "answers_scored"
    group = "by_value" if by else "NULL"
    return f"""
SELECT case_id, list, grp FROM (
  SELECT case_id, {group} AS grp,
    CASE WHEN applies AND scoring IN ('sufficient', 'insufficient') THEN scoring
         WHEN scoring = 'not_applicable'
           OR (NOT applies AND scoring IN ('sufficient', 'insufficient')) THEN 'not_applicable'
    END AS list
  FROM {source} s WHERE inspection_id = ? AND question_id = ?)
WHERE list IS NOT NULL ORDER BY case_id"""


@dataclass(frozen=True)
class CaseLine:
    case_id: str
    list: str
    group: str | None


def _group(labels: dict[str, str], value: str | None) -> str:
    return "Not recorded" if value is None else labels.get(value, value)


class ScoreDrilldownScreen(Screen[None]):
    """Three lists of cases; Enter opens the case form on the highlighted one."""

    CSS_PATH = "overview.tcss"
    HELP_TITLE = "cases behind a score"
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
        store: Store,
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
                    yield CaseList(id=f"list-{key}", classes="drill-list")
        yield Static("", id="drill-status")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#list-sufficient", OptionList).focus()
        self.load()

    def on_screen_resume(self) -> None:
        """Back from the case form, where the answer may have changed: re-read the lists."""
        if self.lines:
            self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="drill")
    def load(self) -> None:
        try:
            sql = cases_sql(framework_of(self.store), self.by)
            table = self.reader.query(sql, [self.inspection_id, self.question_id])
        except Exception as exc:  # shown to the user; the screen stays usable
            self.post_message(self.Failed(str(exc).splitlines()[0]))
            return
        lines = [CaseLine(r["case_id"], r["list"], r["grp"]) for r in table.to_pylist()]
        self.post_message(self.Loaded(lines))

    def on_score_drilldown_screen_loaded(self, message: Loaded) -> None:
        first_load = not self.lines
        self._fill(message)
        # start in the first list that has cases (often only "not applicable" has any)
        filled = [w for w in self.query(".drill-list").results(OptionList) if w.option_count]
        if filled and first_load:
            filled[0].focus()

    def _fill(self, message: Loaded) -> None:
        self.lines = message.lines
        labels = group_labels(framework_of(self.store), self.by) if self.by else {}
        for key, label in LISTS:
            cases = [line for line in message.lines if line.list == key]
            chooser = self.query_one(f"#list-{key}", OptionList)
            chooser.clear_options()
            chooser.add_options(
                Option(f"{c.case_id}  {_group(labels, c.group)}" if self.by else c.case_id,
                       id=c.case_id)
                for c in cases
            )
            if cases:
                chooser.highlighted = 0
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
            from tui.form.screen import CaseFormScreen
        except ImportError as exc:
            self.notify(f"The case form is not available: {exc}", severity="error")
            return
        self.app.push_screen(CaseFormScreen(self.store, self.inspection_id, case_id,
                                            question_id=self.question_id))

    def action_move(self, step: int) -> None:
        lists = list(self.query(".drill-list").results(OptionList))
        current = next((i for i, w in enumerate(lists) if w.has_focus), 0)
        lists[(current + step) % len(lists)].focus()

    def action_back(self) -> None:
        self.dismiss()
