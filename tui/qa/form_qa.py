"""The case form's QA part: `q` opens a query on the focused answer; a line above the
guidance shows the sign-off lock, open queries (the focused question's first) and failed
data quality checks, live as answers change. A signed-off case refuses every change here
before the store would (the store refuses too: store/qa_lock.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from textual import work
from textual.binding import Binding
from textual.message import Message

from tui.common.store_opening import opened
from tui.form.details import DetailsEditing
from tui.form.form_text import FormText

if TYPE_CHECKING:
    from criteria.checks import Check


@dataclass(frozen=True)
class FormQaState:
    signed_off_by: str | None = None  # set while the case is signed off
    state: str = ""  # case_status.state
    reader: str | None = None
    queries: list[dict[str, Any]] = field(default_factory=list)  # not closed, oldest first
    accepted: frozenset[str] = frozenset()  # check ids a lead accepted for this case


class QaStateLoaded(Message):
    def __init__(self, state: FormQaState) -> None:
        super().__init__()
        self.state = state


class QueryOpened(Message):
    def __init__(self, question_id: str, query_id: str | None, error: str | None,
                 done: str | None = None) -> None:
        super().__init__()
        self.question_id, self.query_id, self.error = question_id, query_id, error
        self.done = done


class FormQa(DetailsEditing):
    """Mixed under CaseFormScreen."""

    BINDINGS = [Binding("q", "query", "Query", id="case_form.query")]
    qa_state = FormQaState()
    _checks: list[Check] | None = None

    def current_question(self) -> str | None:
        raise NotImplementedError  # CaseFormScreen's

    def start_qa(self) -> None:
        line = FormText("", id="form-qa")
        line.display = False
        self.mount(line, before="#guidance")
        self.reload_qa()

    def reload_qa(self) -> None:
        self._load_qa()

    @work(thread=True, exclusive=True, exit_on_error=False, group="qa-state")
    def _load_qa(self) -> None:
        from criteria.checks import load_checks

        store = opened(self.store)
        args = [self.inspection_id, self.case_id]
        try:
            lock = store.query("SELECT author FROM case_locks WHERE inspection_id = ? AND "
                               "case_id = ? AND signed_off", args).to_pylist()
            status = store.query("SELECT state, reader FROM case_status WHERE inspection_id = ? "
                                 "AND case_id = ?", args).to_pylist() or [{}]
            queries = store.query(
                "SELECT query_id, question_id, state, opened_by, text FROM queries WHERE "
                "inspection_id = ? AND case_id = ? AND state <> 'closed' ORDER BY opened_at",
                args).to_pylist()
            accepted = store.query("SELECT check_id FROM check_acceptances WHERE "
                                   "inspection_id = ? AND case_id = ?", args).to_pylist()
            self._checks = load_checks(store.framework)
        except Exception:
            return  # the QA line is extra: the form works without it
        self.post_message(QaStateLoaded(FormQaState(
            lock[0]["author"] if lock else None, str(status[0].get("state") or ""),
            status[0].get("reader"), queries, frozenset(r["check_id"] for r in accepted))))

    def on_qa_state_loaded(self, message: QaStateLoaded) -> None:
        self.qa_state = message.state
        self.refresh_qa()

    def failed_checks(self) -> list[Check]:
        if self.model is None or self._checks is None or self.model.kind != "case":
            return []
        from store.qa_checks import settled

        answers = {q: a.value for q, a in self.model.answers.items()}
        complete = self.marked_complete
        return [c for c in self._checks if c.id not in self.qa_state.accepted
                and c.fails(self.model.details, answers) and settled(c, complete, answers)]

    def qa_text(self) -> str:
        state = self.qa_state
        parts = []
        if state.signed_off_by:
            parts.append(f"SIGNED OFF by {state.signed_off_by}: read only")
        elif state.state in ("sampled", "queried", "resolved"):  # the QA states
            parts.append(f"{state.state} (reader {state.reader})")
        focused = self.current_question()
        queries = sorted(state.queries, key=lambda q: q["question_id"] != focused)
        if queries:
            first = queries[0]
            parts.append(f"{len(queries)} open quer{'y' if len(queries) == 1 else 'ies'}: "
                         f"{first['question_id']} {first['state']} ({first['opened_by']}: "
                         f"{first['text']})")
        failed = self.failed_checks()
        if failed:
            parts.append("check failed: " + ", ".join(f"{c.question} {c.text}" for c in failed))
        return "  |  ".join(parts)

    def refresh_qa(self) -> None:
        lines = self.query("#form-qa")
        if not lines:
            return
        text = self.qa_text()
        line = lines.first(FormText)
        line.update(text)
        line.display = bool(text)

    def refuse_if_locked(self) -> bool:
        if self.qa_state.signed_off_by is None:
            return False
        self.notify(f"case {self.case_id} is signed off: a lead must unlock it first.",
                    severity="warning", timeout=4)
        return True

    # -- guarded changes --
    def action_edit_details(self) -> None:
        if not self.refuse_if_locked():
            super().action_edit_details()

    def action_complete(self) -> None:
        if not self.refuse_if_locked():
            super().action_complete()

    # -- queries --
    def action_query(self) -> None:
        """Open a query on the focused answer, or respond to its open one."""
        qid = self.current_question()
        if self.model is None or qid is None or self.refuse_if_locked():
            return
        from tui.form.note_modal import NoteModal

        current = next((q for q in self.qa_state.queries if q["question_id"] == qid), None)
        if current is not None:
            query_id = str(current["query_id"])

            def respond(note: str | None) -> None:
                if note:
                    self._respond(query_id, note)

            self.app.push_screen(NoteModal(f"Respond to query {query_id} on {qid}: "
                                           f"{current['text']}", None), respond)
            return
        text = self.model.framework.question(qid).text
        def done(note: str | None) -> None:
            if note:
                self._open_query(qid, note)

        self.app.push_screen(NoteModal(f"Query on {qid} {text}", None), done)

    @work(thread=True, exclusive=False, exit_on_error=False, group="qa-query")
    def _open_query(self, question_id: str, text: str) -> None:
        from store import qa

        try:
            query_id = qa.open_query(opened(self.store), self.inspection_id, self.case_id,
                                     question_id, text)
        except Exception as exc:
            self.post_message(QueryOpened(question_id, None, str(exc)))
            return
        self.post_message(QueryOpened(question_id, query_id, None))

    @work(thread=True, exclusive=False, exit_on_error=False, group="qa-query")
    def _respond(self, query_id: str, text: str) -> None:
        from store import qa

        try:
            qa.respond(opened(self.store), self.inspection_id, query_id, text)
        except Exception as exc:
            self.post_message(QueryOpened("", None, f"response not saved: {exc}"))
            return
        self.post_message(QueryOpened("", None, None, f"Responded to query {query_id}."))

    def on_query_opened(self, message: QueryOpened) -> None:
        if message.error:
            self.notify(f"Query: {message.error}", severity="error", timeout=6)
            return
        self.notify(message.done or f"Opened query {message.query_id} on {message.question_id}.")
        self.reload_qa()
