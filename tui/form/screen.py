"""The case question form: one key per answer, durable as soon as it is shown.

Sections (process order, with progress) on the left, the current section's questions on
the right, the focused question's guidance and history below. A key updates the in-memory
`CaseModel` and the table at once (optimistic), hands the answer to the App's saver, and
moves to the next applicable unanswered question; the saver's confirmation turns
"saving" into "saved". Other inspectors' saves arrive through the store poll.

The parts: `view.py` draws the model, `changes.py` takes in others' saves, `details.py`
edits details and completion, `saver.py` makes answers durable.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import DataTable, OptionList

from tui.common import heap
from tui.common.case_model import AnswerState, CaseModel
from tui.common.footer import KeysFooter
from tui.common.key_buffer import release_keys, release_when_ready
from tui.common.messages import AnswersSaved, AnswersSaveFailed, LoadFailed
from tui.common.presence import RENEW_SECONDS
from tui.common.store_reads import LoadedCase, load_case, new_case_model
from tui.form.changes import FollowsChanges, naive
from tui.form.form_text import FormText
from tui.form.in_place import AnsweredInPlace
from tui.form.notes import TakesNotes
from tui.form.question_table import QuestionTable
from tui.form.reading_mode import (
    ReadingMode,
    complete_reading,
    guidance_line,
    load_reading,
    title_suffix,
)
from tui.form.saver import PendingAnswer, saver_for
from tui.form.view import ANSWER_KEYS, FormView
from tui.qa.form_qa import FormQa

if TYPE_CHECKING:
    from tui.common.store_seam import Store


def _answer_bindings() -> list[Binding]:
    names = {"y": ("Yes", "yes"), "n": ("No", "no"), "x": ("N/A", "na")}
    out = []
    for key in ANSWER_KEYS:
        label, bid = names.get(key, (f"Choice {key}", key))
        out.append(Binding(key, f"answer('{key}')", label, show=key in names,
                           id=f"case_form.answer_{bid}"))
    return out


class CaseLoaded(Message):
    def __init__(self, loaded: LoadedCase, since: datetime,
                 mode: ReadingMode | None = None) -> None:
        super().__init__()
        self.loaded = loaded
        self.since = since
        self.mode = mode


class CaseFormScreen(FollowsChanges, FormQa, TakesNotes):
    """Answer one case or interview from the keyboard (QA: `q`, lock, checks: form_qa.py;
    conflicts, presence, navigation and notes: notes.py and its bases)."""

    CSS_PATH = "case_form.tcss"
    HELP_TITLE = "case form"
    BINDINGS = [
        *_answer_bindings(),
        Binding("enter", "note", "Note", id="case_form.note", priority=True),
        Binding("u", "undo", "Undo", id="case_form.undo"),
        Binding("tab", "section(1)", "Next section", show=False, id="case_form.next_section",
                priority=True),
        Binding("shift+tab", "section(-1)", "Previous section", show=False,
                id="case_form.previous_section", priority=True),
        Binding("right_square_bracket", "next_open", "Next", id="case_form.next_open"),
        Binding("left_square_bracket", "previous_open", "Prev open", show=False,
                id="case_form.previous_open"),
        Binding("slash", "search", "Find", id="case_form.search"),
        Binding("g", "goto", "Go to", show=False, id="case_form.goto"),
        Binding("f", "only_open", "Unanswered only", show=False, id="case_form.only_open"),
        Binding("e", "edit_details", "Details", show=False, id="case_form.edit_details"),
        Binding("c", "complete", "Complete", show=False, id="case_form.complete"),
        Binding("escape", "back", "Back", show=False, id="case_form.back"),
    ]

    def __init__(self, store: Store, inspection_id: str, case_id: str,
                 question_id: str | None = None, moderating: bool = False) -> None:
        super().__init__()
        self.start_at = question_id  # open at this question (the agreement screen's list)
        self.moderating = question_id if moderating else None  # its answer: a moderated one
        self.store = store
        self.inspection_id = inspection_id
        self.case_id = case_id
        self.model: CaseModel | None = None
        self.marked_complete = False
        self.section = 0
        self.undo_stack: list[tuple[str, str | None]] = []
        self.since = datetime.now(UTC).replace(tzinfo=None)
        self.details_saving = 0  # edits in flight: the store's details are older than ours
        self.reading_mode: ReadingMode | None = None  # a blind second reading (reading_mode.py)
        self.conflict_shown = {}  # question -> its refused save (conflict_handling.py)
        self.open_by = ""  # "open by bob since 10:02": another process has this case open
        self.in_place = AnsweredInPlace()  # the last open question, just answered

    @property
    def reading(self) -> int:
        return 1 if self.reading_mode is None else self.reading_mode.reading

    @property
    def me(self) -> str:
        return str(getattr(self.store, "author", "") or "")

    # -- layout and loading --
    def compose(self) -> ComposeResult:
        yield FormText(f"{self.case_id}: loading", id="form-title")
        with Horizontal(id="form-body"):
            sections = OptionList(id="sections")
            sections.can_focus = False
            yield sections
            table = QuestionTable(cursor_type="row", id="questions")
            yield table
        yield FormText("", id="guidance")
        yield KeysFooter()

    def on_mount(self) -> None:
        table = self.query_one("#questions", QuestionTable)
        self.view = FormView(self.query_one("#form-title", FormText),
                             self.query_one("#sections", OptionList), table,
                             self.query_one("#guidance", FormText))
        self.view.add_columns()
        table.focus()
        saver = saver_for(self.app, self.store)
        saver.listeners.add(self)
        self.own_fragments = saver.own_fragments
        self._load()
        self.start_qa()
        self.start_polling()
        self._presence()
        self.set_interval(RENEW_SECONDS, self._presence)

    def on_unmount(self) -> None:
        saver_for(self.app, self.store).listeners.discard(self)
        self.release_presence()

    def on_resize(self) -> None:
        current = self.current_question()
        if self.view.fit_sections(self.size.width) and self.model is not None:
            self.view.fill_sections(self.model)
            self.view.refresh_sections(self.model, self.section)
            self.call_after_refresh(self.on_resize)  # the table's width follows
        if self.view.fit_width():
            self.refresh_all()
            if current is not None and self.model is not None:
                self.go_to(current)

    @work(thread=True, exclusive=True, exit_on_error=False, group="load")
    def _load(self) -> None:
        # changes_since starts a little before the read, so no save falls in between
        since = self.store.now() - timedelta(seconds=2)  # saves carry the store's time
        self.take_baseline()
        try:
            found = load_reading(self.store, self.inspection_id, self.case_id, self.me)
            loaded = load_case(self.store, self.inspection_id, self.case_id) \
                if found is None else found[0]
        except Exception as exc:
            self.post_message(LoadFailed(f"case {self.case_id}", str(exc)))
            return
        self.post_message(CaseLoaded(loaded, since, None if found is None else found[1]))

    def on_case_loaded(self, message: CaseLoaded) -> None:
        loaded = message.loaded
        self.reading_mode = message.mode
        self.marked_complete = loaded.marked_complete
        self.since = message.since
        self.model = new_case_model(self.framework, loaded)
        self.view.fill_sections(self.model)
        first = self.model.next_open(None) or self.model.order[0].id
        if self.start_at in self.model.index:
            first = str(self.start_at)
        self.go_to(first)
        self.refresh_all()
        release_when_ready(self)  # the keys typed since Enter opened the case
        heap.settle()  # what is loaded now lives as long as the form: not worth scanning

    @on(LoadFailed)
    def _load_failed(self, message: LoadFailed) -> None:
        message.stop()  # shown here, not again by the App
        release_keys(self.app)
        self.query_one("#form-title", FormText).update(f"Could not read {message.what}: "
                                                      f"{message.error}")

    # -- rendering --
    def refresh_all(self) -> None:
        """Bring title, section list, rows and guidance up to date with the model."""
        if self.model is None:
            return
        self.view.refresh_sections(self.model, self.section)
        if self.view.render_rows(self.model, self.section) and self.view.keep in self.view.rendered:
            table = self.query_one("#questions", QuestionTable)  # rebuilt: cursor back on it
            table.move_cursor(row=table.get_row_index(str(self.view.keep)))
        self._refresh_title()
        self._refresh_guidance()
        self.refresh_qa()

    def _refresh_title(self) -> None:
        assert self.model is not None
        mode = self.reading_mode
        self.view.refresh_title(self.model, self.case_id, self.marked_complete,
                                "" if mode is None else title_suffix(mode), self.open_by)

    def _repaint(self, qids: set[str], applied: dict[str, bool] | None = None) -> None:
        """After answers to `qids` (or their saves): their rows, sections and the title
        only, unless which questions apply changed since `applied` or only the open ones
        are shown (`f`: rows come and go), then everything.
        Every key goes through here: the less it touches, the less is drawn again."""
        if self.model is None:
            return
        if self.view.only_open or (applied is not None and applied != self.model.applies):
            self.refresh_all()
            return
        sections = {self.model.section_of[q] for q in qids if q in self.model.section_of}
        self.view.render_some(self.model, qids, sections)
        self._refresh_title()
        if self.current_question() in qids:  # its status line: "saving..." -> "Saved."
            self._refresh_guidance()
        self.refresh_qa()

    def _refresh_guidance(self) -> None:
        qid = self.current_question()
        if self.model is not None and qid is not None:
            mode = self.reading_mode
            self.view.refresh_guidance(self.model, qid, guidance_line(mode, qid) if mode else None)

    def action_complete(self) -> None:
        mode = self.reading_mode
        if mode is None or self.model is None:
            super().action_complete()
            return
        if not mode.complete and not self.model.complete_ready():
            answered, applicable = self.model.progress()
            self.notify(f"{applicable - answered} applicable question(s) still unanswered.",
                        severity="warning")
            return
        self._complete_reading(mode.reading, not mode.complete)

    @work(thread=True, exclusive=True, exit_on_error=False, group="reading")
    def _complete_reading(self, reading: int, complete: bool) -> None:
        try:
            complete_reading(self.store, self.inspection_id, self.case_id, reading, complete)
        except Exception as exc:
            self.app.call_from_thread(self.notify, f"Not saved: {exc}", severity="error")
            return
        self.app.call_from_thread(self.notify, f"Reading {reading} marked "
                                  + ("complete: reading 1 shown" if complete else "not complete"))
        self._load()

    # -- cursor --
    def current_question(self) -> str | None:
        table = self.query_one("#questions", QuestionTable)
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        return str(key.value) if key.value is not None else None

    def go_to(self, qid: str) -> None:
        assert self.model is not None
        section = self.model.section_of[qid]
        self.view.keep = qid
        self.in_place.moved(qid)
        if section != self.section or qid not in self.view.rendered:
            self.section = section
            self.refresh_all()
        table = self.query_one("#questions", QuestionTable)
        table.move_cursor(row=table.get_row_index(qid))
        table.keep_cursor_in_view()
        self._refresh_guidance()

    @on(DataTable.RowHighlighted, "#questions")
    def _row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.in_place.moved(event.row_key.value)
        self._refresh_guidance()

    def _ignored_in_place(self, qid: str) -> bool:
        shown = self.view.rendered.get(qid, ("", "", ""))[2].strip() or "?"
        notice = self.in_place.notice(qid, shown)
        if notice is not None:
            self.notify(notice, severity="warning", timeout=4)
        return notice is not None

    # -- answering --
    def action_answer(self, key: str) -> None:
        qid = self.current_question()
        if self.model is None or qid is None or self.refuse_if_locked():
            return
        if not self.model.applies[qid]:
            self.notify(f"{qid} does not apply to this case.", severity="warning", timeout=2)
            return
        if self.conflict_guard(qid) or self._ignored_in_place(qid):
            return
        choice = self.model.choice_for_key(qid, key)
        if choice is None:
            keys = ", ".join(k for k, _ in self.model.keys_for(qid, ANSWER_KEYS))
            self.notify(f"{key} is not an answer to {qid}: use {keys}", severity="warning",
                        timeout=2)
            return
        was_open, applied = self.open_questions(), self.model.applies
        old = self._set(qid, choice.value)
        self.undo_stack.append((qid, old.value))
        if self._reopened(was_open, f"{qid} = {choice.label}"):
            return
        following = self.model.next_open(qid)
        if following is None:
            self.in_place.answered(qid)  # the cursor stays: see in_place.py
            self._repaint({qid}, applied)
            if not self.marked_complete:
                self.notify("Every applicable question is answered: c marks the case "
                            "complete.", timeout=3)
        else:
            self.go_to(following)
            self._repaint({qid}, applied)

    def _reopened(self, was_open: set[str], why: str) -> bool:
        """An answer that opened questions (or left a complete case with open ones):
        un-mark it and go to the first new one. True if the cursor was moved."""
        assert self.model is not None
        if not self.marked_complete:  # typing on: the next open question comes next
            return False
        opened = bool(self.open_questions() - was_open)
        fields = self.honest_completion(was_open, why)
        if fields:
            self.save_details(fields, {"_complete": "true"})
        if opened:
            self.refresh_all()
        return opened

    def _set(self, qid: str, value: str | None) -> AnswerState:
        """Change an answer in memory and queue its save (keeping the note)."""
        assert self.model is not None
        saver = saver_for(self.app, self.store)
        seq = saver.next_seq()
        old = self.model.set_answer(qid, value, seq, self.me)
        note = old.note
        if qid == self.moderating and self.reading == 1:  # the history must say so
            from store.second_reading import MODERATED_PREFIX

            note = MODERATED_PREFIX
        saver.submit(PendingAnswer(self.inspection_id, self.case_id, qid, value, note, seq,
                                   self.reading, base=old.value))
        return old

    def action_undo(self) -> None:
        if self.model is None or not self.undo_stack:
            self.notify("Nothing to undo.", timeout=2)
            return
        if self.refuse_if_locked():
            return
        qid, previous = self.undo_stack.pop()
        self.in_place.moved(None)
        was_open = self.open_questions()
        self._set(qid, previous)
        self.go_to(qid)
        self._reopened(was_open, f"undoing {qid}")
        self.refresh_all()
        self.notify(f"Undid {qid}: now {previous or 'unanswered'}.", timeout=2)

    def on_answers_saved(self, message: AnswersSaved) -> None:
        self._marked(message.items, "saved", message.saved_at)

    def on_answers_save_failed(self, message: AnswersSaveFailed) -> None:
        self._marked(message.items, "unsaved", None)
        if message.retry_in < 0:
            self.notify(f"Answer rejected: {message.error}", severity="error", timeout=8)
            return
        self.notify(f"Save failed ({message.error}); retrying in {message.retry_in:g} s.",
                    severity="error", timeout=3)

    def _marked(self, items: list[PendingAnswer], status: str, saved_at: Any) -> None:
        if self.model is None:
            return
        when = naive(saved_at) if saved_at is not None else None
        mine = [i for i in items if (i.case_id, i.inspection_id) == (self.case_id,
                                                                     self.inspection_id)]
        hit = {i.question_id for i in mine if self.model.mark(i.question_id, i.seq, status, when)}
        if hit:
            self._repaint(hit)

    def action_back(self) -> None:
        self.app.pop_screen()
        release_when_ready(self.app.screen)  # keys typed after Esc: for the list
