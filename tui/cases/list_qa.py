"""The case list's QA keys: `a` assigns the case to a reader, `m` shows only my cases,
`b` steps through the readers, `q` opens the QA screen. The store enforces who may
assign (a lead); a refusal is shown as is."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work
from textual.binding import Binding
from textual.message import Message

from tui.common.store_opening import opened
from tui.common.workers import PollsStore

if TYPE_CHECKING:
    from tui.common.store_reads import CaseRow


class CaseListQa(PollsStore):
    """Mixed under CaseListScreen: reader filters, assignment and the QA screen."""

    BINDINGS = [
        Binding("a", "assign", "Assign", id="case_list.assign"),
        Binding("m", "mine", "Mine", id="case_list.mine"),
        Binding("b", "by_reader", "By reader", show=False, id="case_list.by_reader"),
        Binding("q", "qa", "QA", id="case_list.qa"),
    ]
    reader_filter: str | None = None
    all_rows: list[CaseRow]
    kind: str

    class TeamLoaded(Message):
        def __init__(self, case_id: str, team: dict[str, str], current: str | None) -> None:
            super().__init__()
            self.case_id, self.team, self.current = case_id, team, current

    class Assigned(Message):
        def __init__(self, case_id: str, reader: str, error: str | None) -> None:
            super().__init__()
            self.case_id, self.reader, self.error = case_id, reader, error

    # the list's own, defined by CaseListScreen
    def show_rows(self) -> None:
        raise NotImplementedError

    def current_case(self) -> str | None:
        raise NotImplementedError

    def reload(self) -> None:
        raise NotImplementedError

    # -- filters --
    def reader_matches(self, row: CaseRow) -> bool:
        return self.reader_filter is None or row.cells.get("inspector") == self.reader_filter

    def reader_caption(self) -> str:
        if self.reader_filter is None:
            return ""
        mine = self.reader_filter == self.store.author
        return " (mine)" if mine else f" (reader {self.reader_filter})"

    def action_mine(self) -> None:
        me = str(getattr(self.store, "author", ""))
        self.reader_filter = None if self.reader_filter == me else me
        self.show_rows()

    def action_by_reader(self) -> None:
        readers = sorted({r.cells.get("inspector", "") for r in self.all_rows
                          if r.kind == self.kind} - {""})
        steps: list[str | None] = [None, *readers]
        at = steps.index(self.reader_filter) if self.reader_filter in steps else 0
        self.reader_filter = steps[(at + 1) % len(steps)]
        self.show_rows()

    # -- assign --
    def action_assign(self) -> None:
        case_id = self.current_case()
        if case_id is not None:
            self._load_team(case_id)

    @work(thread=True, exclusive=True, exit_on_error=False, group="qa-team")
    def _load_team(self, case_id: str) -> None:
        from store import qa

        try:
            store = opened(self.store)
            team = qa.team(store, self.inspection_id)
            current = next((r.cells.get("inspector") for r in self.all_rows
                            if r.case_id == case_id), None)
        except Exception as exc:
            self.post_message(self.Assigned(case_id, "", str(exc)))
            return
        self.post_message(self.TeamLoaded(case_id, team, current))

    def on_case_list_qa_team_loaded(self, message: CaseListQa.TeamLoaded) -> None:
        if not message.team:
            self.notify("No team yet: a lead adds it with `caseread team add USER --role "
                        "lead|inspector|assessor`.", severity="warning", timeout=6)
            return
        from tui.qa.assign_modal import AssignModal

        def done(user: str | None) -> None:
            if user:
                self._assign(message.case_id, user)

        self.app.push_screen(AssignModal(message.case_id, message.team, message.current), done)

    @work(thread=True, exclusive=False, exit_on_error=False, group="qa-assign")
    def _assign(self, case_id: str, reader: str) -> None:
        from store import qa

        try:
            qa.assign(opened(self.store), self.inspection_id, [case_id], reader)
        except Exception as exc:
            self.post_message(self.Assigned(case_id, reader, str(exc)))
            return
        self.post_message(self.Assigned(case_id, reader, None))

    def on_case_list_qa_assigned(self, message: CaseListQa.Assigned) -> None:
        if message.error:
            self.notify(message.error, severity="error", timeout=6)
            return
        self.notify(f"Assigned {message.case_id} to {message.reader}.")
        self.reload()

    # -- the QA screen --
    def action_qa(self) -> None:
        from tui.qa.screen import QaScreen

        self.app.push_screen(QaScreen(self.store, self.inspection_id))
