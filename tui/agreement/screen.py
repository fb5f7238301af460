"""Agreement screen: how far second readings agree with reading 1.

Three views (ContentSwitcher): the per-question table (sortable by AC1 or kappa, lowest
first), a small chart of AC1 by criterion, and the disagreements (the moderation list).
Enter on a disagreement opens the case at the question; 1 or 2 settles it with that
reading's answer (a moderated reading-1 answer, the note saying so).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import ContentSwitcher, DataTable, Static

from store.agreement import interval_text  # pure: no DuckDB, no pydantic
from tui.agreement.chart import criterion_chart
from tui.agreement.data import AgreementData, load, sorted_rows
from tui.common.footer import KeysFooter
from tui.common.plain_table import PlainTable

if TYPE_CHECKING:
    from store.agreement_data import Row
    from tui.common.store_seam import Store

QUESTION_COLUMNS = ("Question", "Pairs", "Agree", "Kappa", "95% CI", "AC1", "95% CI",
                    "Alpha", "Suff")
DISAGREEMENT_COLUMNS = ("Case", "Question", "Reading 1", "Reading 2", "By", "Moderated")
VIEWS = ("agreement-questions", "agreement-criteria", "agreement-disagreements")


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _ci(ci: tuple[float, float] | None) -> str:
    return interval_text(ci)


def question_cells(row: Row) -> tuple[str, ...]:
    s = row.stats
    return (row.id, str(s.pairs), _num(s.agreement), _num(s.kappa.value), _ci(s.kappa.ci),
            _num(s.ac1.value), _ci(s.ac1.ci), _num(s.alpha.value), _num(s.prevalence))


class AgreementScreen(Screen[None]):
    """Inter-rater agreement of one inspection's second readings."""

    CSS_PATH = "screen.tcss"
    HELP_TITLE = "agreement"
    FOOTER_HERE = ("agreement",)  # F5 brings you here: no room for it in the footer
    BINDINGS = [
        Binding("a", "sort('ac1')", "Sort AC1", id="agreement.sort_ac1"),
        Binding("k", "sort('kappa')", "Sort kappa", id="agreement.sort_kappa"),
        Binding("o", "sort('order')", "Order", show=False, id="agreement.sort_order"),
        Binding("c", "view(1)", "Criteria", id="agreement.criteria"),
        Binding("d", "view(2)", "Disagreements", id="agreement.disagreements"),
        Binding("q", "view(0)", "Questions", show=False, id="agreement.questions"),
        Binding("1", "settle(1)", "Take reading 1", show=False, id="agreement.take_1"),
        Binding("2", "settle(2)", "Take reading 2", show=False, id="agreement.take_2"),
        Binding("escape", "back", "Back", id="agreement.back"),
    ]

    class Loaded(Message):
        def __init__(self, data: AgreementData) -> None:
            super().__init__()
            self.data = data

    class Failed(Message):
        def __init__(self, error: str) -> None:
            super().__init__()
            self.error = error

    def __init__(self, store: Store, inspection_id: str) -> None:
        super().__init__()
        self.store = store
        self.inspection_id = inspection_id
        self.data: AgreementData | None = None
        self.sort = "order"

    def compose(self) -> ComposeResult:
        yield Static("Agreement: loading…", id="agreement-title")
        with ContentSwitcher(initial=VIEWS[0], id="agreement-body"):
            yield PlainTable(id=VIEWS[0], cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id=VIEWS[1]):
                yield Static("", id="agreement-chart-text")
            yield PlainTable(id=VIEWS[2], cursor_type="row", zebra_stripes=True)
        yield Static("", id="agreement-status")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one(f"#{VIEWS[0]}", DataTable).add_columns(*QUESTION_COLUMNS)
        self.query_one(f"#{VIEWS[2]}", DataTable).add_columns(*DISAGREEMENT_COLUMNS)
        self.query_one(f"#{VIEWS[0]}", DataTable).focus()
        self.load()

    def on_screen_resume(self) -> None:
        if self.data is not None:  # back from a case: a moderated answer changes the list
            self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="agreement")
    def load(self) -> None:
        try:
            found = load(self.store, self.inspection_id)
        except Exception as exc:  # shown on the screen
            self.post_message(self.Failed(str(exc).splitlines()[0]))
            return
        self.post_message(self.Loaded(found))

    def on_agreement_screen_loaded(self, message: Loaded) -> None:
        self.data = message.data
        self._show()

    def on_agreement_screen_failed(self, message: Failed) -> None:
        self.query_one("#agreement-title", Static).update(
            Text(f"Agreement unavailable: {message.error}", style="bold"))

    def _show(self) -> None:
        data = self.data
        if data is None:
            return
        title = self.query_one("#agreement-title", Static)
        if data.overall is None:
            title.update(f"Agreement · {self.inspection_id}: no second readings yet")
        else:
            s = data.overall.stats
            title.update(f"Agreement {data.cases} cases {s.pairs} pairs: "
                         f"agree {_num(s.agreement)} kappa {_num(s.kappa.value)} "
                         f"AC1 {_num(s.ac1.value)} alpha {_num(s.alpha.value)}")
        table = self.query_one(f"#{VIEWS[0]}", PlainTable)
        table.clear()
        for row in sorted_rows(data.questions, self.sort):
            table.add_row(*question_cells(row), key=row.id)
        table.fit_columns()  # a column too wide for 80 cells left whole to scrolling
        self.query_one("#agreement-chart-text", Static).update(
            criterion_chart(data.criteria) if data.criteria else "No paired readings.")
        self._show_disagreements()
        self._status()

    def _show_disagreements(self) -> None:
        assert self.data is not None
        table = self.query_one(f"#{VIEWS[2]}", PlainTable)
        table.clear()
        for i, d in enumerate(self.data.disagreements):
            table.add_row(d["case_id"], d["question_id"], d["answer_1"], d["answer_2"],
                          f"{d['reader_1']}/{d['reader_2']}",
                          d["current_answer"] if d["moderated"] else "", key=str(i))
        table.fit_columns()

    def _status(self) -> None:
        view = self.query_one(ContentSwitcher).current
        n = len(self.data.disagreements) if self.data else 0
        text = {
            VIEWS[0]: f"Sorted by {self.sort}: a AC1 · k kappa · o order · c criteria · "
                      f"d {n} disagreements",
            VIEWS[1]: "AC1 by criterion (bar 0..1), agreement, pairs · q questions",
            VIEWS[2]: "Enter opens the case at the question · 1/2 takes that reading's answer "
                      "as the moderated answer",
        }[view or VIEWS[0]]
        self.query_one("#agreement-status", Static).update(text)

    def action_sort(self, by: str) -> None:
        self.sort = by
        self.action_view(0)
        self._show()

    def action_view(self, index: int) -> None:
        switcher = self.query_one(ContentSwitcher)
        switcher.current = VIEWS[index]
        self.query_one(f"#{VIEWS[index]}").focus()
        self._status()

    def _selected(self) -> dict[str, Any] | None:
        if self.data is None or self.query_one(ContentSwitcher).current != VIEWS[2]:
            return None
        table = self.query_one(f"#{VIEWS[2]}", DataTable)
        if not table.row_count:
            return None
        return self.data.disagreements[table.cursor_row]

    @on(DataTable.RowSelected, f"#{VIEWS[2]}")
    def open_case(self, event: DataTable.RowSelected) -> None:
        event.stop()
        item = self._selected()
        if item is None:
            return
        from tui.form.screen import CaseFormScreen

        self.app.push_screen(CaseFormScreen(self.store, self.inspection_id, item["case_id"],
                                            question_id=item["question_id"], moderating=True))
        self.notify(f"Moderating {item['question_id']}: your answer is saved as the "
                    "moderated reading-1 answer", timeout=4)

    def action_settle(self, reading: int) -> None:
        item = self._selected()
        if item is None:
            return
        self.settle(item, item["answer_1"] if reading == 1 else item["answer_2"])

    @work(thread=True, exclusive=True, exit_on_error=False, group="agreement-save")
    def settle(self, item: dict[str, Any], answer: str) -> None:
        from store import AnswerInput
        from store.second_reading import MODERATED_PREFIX

        try:
            self.store.save_answers(self.inspection_id, [AnswerInput(
                item["case_id"], item["question_id"], answer, MODERATED_PREFIX)])
        except Exception as exc:
            self.app.call_from_thread(self.notify, f"Not saved: {exc}", severity="error")
            return
        self.app.call_from_thread(self.notify, f"Moderated {item['case_id']} "
                                               f"{item['question_id']} = {answer}")
        self.load()

    def action_back(self) -> None:
        self.dismiss()
