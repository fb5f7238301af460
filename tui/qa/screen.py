"""The lead's QA screen (`q` from the case list): progress per reader, the dip-sample work
list, open queries and failed checks. Enter on a row opens the case at the question
concerned (a progress row shows that reader's cases in the list). Tab moves between the
four tables. What a lead does here is data in the store, like everything else.

Issue 16 (double reading) will add "second reading assign" on the sample work list: a
Binding in `BINDINGS` and an action taking `self.selected_case()` and calling the store in
`self.run_step(...)`; nothing else here needs to change for it.

Lead keys: `s` signs off the highlighted row's case, `u` unlocks it (asks for the reason),
`c` closes the highlighted query, `x` accepts the highlighted failed check (asks for the
reason), `d` draws a dip sample (10% of each reader's complete cases, assessors at twice
the rate, a random seed, kept with the sample; `caseread qa sample` takes other rates).
The store checks the role and the sign-off rules; a refusal is shown as it says.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable, Static

from tui.common.footer import KeysFooter
from tui.common.messages import LoadFailed, StoreChanged
from tui.common.plain_table import PlainTable
from tui.common.workers import PollsStore

if TYPE_CHECKING:
    from store.qa_checks import QaStore
    from tui.common.store_seam import Store
    from tui.qa.data import QaData

TABLES: dict[str, tuple[str, list[tuple[str, str]]]] = {  # id -> (heading, [(key, header)])
    "qa-progress": ("Progress per reader", [
        ("reader", "Reader"), ("role", "Role"), ("cases", "Cases"), ("assigned", "Assigned"),
        ("started", "Started"), ("complete", "Complete"), ("sampled", "Sampled"),
        ("queried", "Queried"), ("signed_off", "Signed off")]),
    "qa-sample": ("Dip sample work list", [
        ("sample_id", "Sample"), ("case_id", "Case"), ("reader", "Reader"),
        ("state", "State"), ("open_queries", "Queries")]),
    "qa-queries": ("Open queries", [
        ("query_id", "Query"), ("case_id", "Case"), ("question_id", "Question"),
        ("state", "State"), ("opened_by", "By"), ("text", "Text")]),
    "qa-checks": ("Failed checks", [
        ("case_id", "Case"), ("question_id", "Question"), ("check_id", "Check"),
        ("text", "Text")]),
}


class StepDone(Message):
    def __init__(self, done: str, error: str | None) -> None:
        super().__init__()
        self.done, self.error = done, error


class QaLoaded(Message):
    def __init__(self, data: QaData) -> None:
        super().__init__()
        self.data = data


class QaScreen(PollsStore):
    """Tab between the tables, Enter opens the case at the question, Esc goes back."""

    CSS_PATH = "screen.tcss"
    HELP_TITLE = "QA screen"
    BINDINGS = [
        Binding("enter", "open_row", "Open", id="qa.open", priority=True),
        Binding("escape", "back", "Back", id="qa.back"),
        Binding("s", "signoff", "Sign off", id="qa.signoff"),
        Binding("c", "close_query", "Close query", id="qa.close_query"),
        Binding("x", "accept_check", "Accept check", id="qa.accept_check"),
        Binding("d", "draw_sample", "Draw sample", show=False, id="qa.draw_sample"),
        Binding("u", "unlock", "Unlock", show=False, id="qa.unlock"),
    ]

    def __init__(self, store: Store, inspection_id: str) -> None:
        super().__init__()
        self.store = store
        self.inspection_id = inspection_id
        self.data: QaData | None = None
        self.rows: dict[str, list[dict[str, Any]]] = {key: [] for key in TABLES}

    def compose(self) -> ComposeResult:
        yield Static(f"QA {self.inspection_id}: loading", id="qa-title")
        for table_id, (heading, _) in TABLES.items():
            yield Static(heading, classes="qa-heading", id=f"{table_id}-heading")
            yield PlainTable(cursor_type="row", zebra_stripes=True, id=table_id,
                             free_text=("text",))
        yield KeysFooter()

    def on_mount(self) -> None:
        for table_id, (_, columns) in TABLES.items():
            table = self.query_one(f"#{table_id}", PlainTable)
            for key, header in columns:
                table.add_column(header, key=key)
        self.query_one("#qa-sample", PlainTable).focus()
        self.reload()
        self.start_polling()

    def reload(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="qa-load")
    def _load(self) -> None:
        from tui.qa.data import load

        self.take_baseline()
        try:
            data = load(self.store, self.inspection_id)
        except Exception as exc:
            self.post_message(LoadFailed("QA", str(exc)))
            return
        self.post_message(QaLoaded(data))

    @on(StoreChanged)
    def _store_changed(self) -> None:
        self.reload()

    def on_screen_resume(self) -> None:
        if self.data is not None:
            self.reload()

    def on_qa_loaded(self, message: QaLoaded) -> None:
        data = self.data = message.data
        self.rows = {"qa-progress": data.progress, "qa-sample": data.sample,
                     "qa-queries": data.queries, "qa-checks": data.checks}
        for table_id, (heading, columns) in TABLES.items():
            table = self.query_one(f"#{table_id}", PlainTable)
            cursor = table.cursor_row
            table.clear()
            for row in self.rows[table_id]:
                table.add_row(*(_cell(row.get(key)) for key, _ in columns))
            table.fit_columns()  # a long query's text cut with `…`, not the column lost
            if self.rows[table_id]:
                table.move_cursor(row=min(cursor, table.row_count - 1))
            self.query_one(f"#{table_id}-heading", Static).update(
                f"{heading} ({len(self.rows[table_id])})")
        role = data.role or "not in the team"
        self.query_one("#qa-title", Static).update(
            f"QA {self.inspection_id}: {data.me} ({role}); "
            f"{len(data.sample)} sampled, {_n(len(data.queries), 'open query', 'open queries')}, "
            f"{_n(len(data.checks), 'failed check', 'failed checks')}")

    # -- keys --
    def selected(self) -> tuple[str, dict[str, Any]] | None:
        """The focused table's id and its highlighted row."""
        table = self.focused
        if not isinstance(table, DataTable) or table.id not in self.rows:
            return None
        found = self.rows[table.id]
        if not found or table.cursor_row >= len(found):
            return None
        return table.id, found[table.cursor_row]

    def selected_case(self) -> str | None:
        picked = self.selected()
        return None if picked is None else picked[1].get("case_id")

    def action_open_row(self) -> None:
        picked = self.selected()
        if picked is None:
            return
        table_id, row = picked
        if table_id == "qa-progress":
            self._show_reader(str(row["reader"]))
            return
        from tui.form.screen import CaseFormScreen

        self.app.push_screen(CaseFormScreen(self.store, self.inspection_id, row["case_id"],
                                            question_id=row.get("question_id")))

    def _show_reader(self, reader: str) -> None:
        """Back to the case list, showing this reader's cases."""
        self.app.pop_screen()
        under = self.app.screen
        if hasattr(under, "reader_filter") and hasattr(under, "show_rows"):
            under.reader_filter = reader
            under.show_rows()

    def action_back(self) -> None:
        self.app.pop_screen()

    # -- lead steps (the store refuses what the user may not do) --
    def action_signoff(self) -> None:
        case_id = self.selected_case()
        if case_id is not None:
            from store import qa

            self.run_step(f"Signed off {case_id}.",
                          lambda store: qa.signoff(store, self.inspection_id, case_id))

    def action_close_query(self) -> None:
        picked = self.selected()
        if picked is None or picked[0] != "qa-queries":
            self.notify("Highlight a query in Open queries first.", timeout=3)
            return
        query_id = str(picked[1]["query_id"])
        from store import qa

        self.run_step(f"Closed query {query_id}.",
                      lambda store: qa.close(store, self.inspection_id, query_id))

    def action_accept_check(self) -> None:
        picked = self.selected()
        if picked is None or picked[0] != "qa-checks":
            self.notify("Highlight a check in Failed checks first.", timeout=3)
            return
        row = picked[1]
        from store import qa
        from tui.form.note_modal import NoteModal

        def done(reason: str | None) -> None:
            if reason:
                self.run_step(f"Accepted {row['check_id']} for {row['case_id']}.",
                              lambda store: qa.accept_check(
                                  store, self.inspection_id, row["case_id"], row["check_id"],
                                  reason))

        self.app.push_screen(NoteModal(f"Why is {row['check_id']} acceptable for "
                                       f"{row['case_id']}? (kept)", None), done)

    def action_unlock(self) -> None:
        case_id = self.selected_case()
        if case_id is None:
            return
        from store import qa
        from tui.form.note_modal import NoteModal

        def done(reason: str | None) -> None:
            if reason:
                self.run_step(f"Unlocked {case_id}.", lambda store: qa.unlock(
                    store, self.inspection_id, case_id, reason))

        self.app.push_screen(NoteModal(f"Why must {case_id} change again? (kept)", None), done)

    def action_draw_sample(self) -> None:
        from store import qa

        def draw(store: QaStore) -> None:
            sample = qa.draw_sample(store, self.inspection_id)
            self.app.call_from_thread(
                self.notify, f"Sample {sample.sample_id}: {len(sample.cases)} cases "
                f"(seed {sample.seed}).")

        self.run_step("", draw)

    @work(thread=True, exclusive=False, exit_on_error=False, group="qa-step")
    def run_step(self, done: str, step: Callable[[QaStore], None]) -> None:
        """Run one QA step on the opened store in a worker; StepDone reports it."""
        from tui.common.store_opening import opened

        try:
            step(opened(self.store))
        except Exception as exc:
            self.post_message(StepDone(done, str(exc)))
            return
        self.post_message(StepDone(done, None))

    def on_step_done(self, message: StepDone) -> None:
        if message.error:
            self.notify(message.error, severity="error", timeout=8)
        elif message.done:
            self.notify(message.done)
        self.reload()


def _n(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def _cell(value: Any) -> str:
    return "" if value is None else str(value)
