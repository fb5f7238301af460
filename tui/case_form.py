"""The case question form: one key per answer, durable as soon as it is shown.

Sections (process order, with progress) on the left, the current section's questions on
the right, the focused question's guidance and history below. A key updates the in-memory
`CaseModel` and the table at once (optimistic), hands the answer to the App's saver, and
moves to the next applicable unanswered question; the saver's confirmation turns
"saving" into "saved". Other inspectors' saves arrive through the store poll.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import DataTable, Footer, OptionList

from tui import heap
from tui.case_details_modal import CaseDetailsModal, DetailsResult
from tui.case_model import AnswerState, CaseModel
from tui.form_question_table import QuestionTable
from tui.form_saver import PendingAnswer, saver_for
from tui.form_text import FormText
from tui.goto_modal import GotoModal
from tui.messages import (
    AnswersSaved,
    AnswersSaveFailed,
    CaseSaved,
    CaseSaveFailed,
    LoadFailed,
    StoreChanged,
)
from tui.note_modal import NoteModal
from tui.store_reads import LoadedCase, case_details, load_case, new_case_model
from tui.workers import PollsStore

ANSWER_KEYS = ["y", "n", "x", *"123456789"]
# Beside the id: "!" not saved (retrying), "*" changed by another inspector. "Saving" shows
# in the title only, so a key costs one table repaint, not two (keystroke latency).
MARKS = {"saving": " ", "unsaved": "!", "saved": " "}
COLUMNS = ("id", "text", "answer")


def _answer_bindings() -> list[Binding]:
    names = {"y": ("Yes", "yes"), "n": ("No", "no"), "x": ("N/A", "na")}
    out = []
    for key in ANSWER_KEYS:
        label, bid = names.get(key, (f"Choice {key}", key))
        out.append(Binding(key, f"answer('{key}')", label, show=key in names,
                           id=f"case_form.answer_{bid}"))
    return out


class CaseLoaded(Message):
    def __init__(self, loaded: LoadedCase, since: datetime) -> None:
        super().__init__()
        self.loaded = loaded
        self.since = since


class CaseChanged(Message):
    """Answer events saved since the last look, and the case's details now."""

    def __init__(self, events: list[Any], details: dict[str, Any] | None) -> None:
        super().__init__()
        self.events = events
        self.details = details


def hhmm(when: datetime | None) -> str:
    """Local HH:MM of a stored (naive UTC) timestamp."""
    if when is None:
        return ""
    aware = when if when.tzinfo else when.replace(tzinfo=UTC)
    return aware.astimezone().strftime("%H:%M")


class CaseFormScreen(PollsStore):
    """Answer one case or interview from the keyboard."""

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
        Binding("g", "goto", "Go to", show=False, id="case_form.goto"),
        Binding("e", "edit_details", "Details", show=False, id="case_form.edit_details"),
        Binding("c", "complete", "Complete", id="case_form.complete"),
        Binding("escape", "back", "Back", show=False, id="case_form.back"),
    ]

    def __init__(self, store: Any, inspection_id: str, case_id: str) -> None:
        super().__init__()
        self.store = store
        self.inspection_id = inspection_id
        self.case_id = case_id
        self.model: CaseModel | None = None
        self.marked_complete = False
        self.section = 0
        self.rendered: dict[str, tuple[str, ...]] = {}
        self.undo_stack: list[tuple[str, str | None]] = []
        self.since = datetime.now(UTC).replace(tzinfo=None)
        self.details_saving = 0  # edits in flight: the store's details are older than ours
        self.text_width = 40

    @property
    def framework(self) -> Any:
        return getattr(self.app, "framework", None) or self.store.framework

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
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        table = self.query_one("#questions", QuestionTable)
        table.add_column(" Id", key="id", width=8)
        table.add_column("Question", key="text")
        table.add_column("Answer", key="answer", width=12)
        table.focus()
        saver = saver_for(self.app, self.store)
        saver.listeners.add(self)
        self.own_fragments = saver.own_fragments
        self._load()
        self.start_polling()

    def on_unmount(self) -> None:
        saver_for(self.app, self.store).listeners.discard(self)

    def on_resize(self) -> None:
        table = self.query_one("#questions", QuestionTable)
        text_width = max(10, table.size.width - 8 - 12 - 6 - 2)  # padding, scrollbar
        column = table.columns.get("text")  # type: ignore[call-overload]
        if column is not None and column.width != text_width:
            column.width = text_width
            column.auto_width = False
            self.text_width = text_width
            current = self.current_question()
            self.rendered = {}  # rebuild the rows with texts cut to the new width
            self.refresh_all()
            if current is not None and self.model is not None:
                self.go_to(current)

    @work(thread=True, exclusive=True, exit_on_error=False, group="load")
    def _load(self) -> None:
        # changes_since starts a little before the read, so no save falls in between
        since = _store_now(self.store) - timedelta(seconds=2)  # saves carry its time
        self.take_baseline()
        try:
            loaded = load_case(self.store, self.inspection_id, self.case_id)
        except Exception as exc:
            self.post_message(LoadFailed(f"case {self.case_id}", str(exc)))
            return
        self.post_message(CaseLoaded(loaded, since))

    def on_case_loaded(self, message: CaseLoaded) -> None:
        loaded = message.loaded
        self.marked_complete = loaded.marked_complete
        self.since = message.since
        self.model = new_case_model(self.framework, loaded)
        self._fill_sections()
        first = self.model.next_open(None) or self.model.order[0].id
        self.go_to(first)
        self.refresh_all()
        heap.settle()  # what is loaded now lives as long as the form: not worth scanning

    @on(LoadFailed)
    def _load_failed(self, message: LoadFailed) -> None:
        message.stop()  # shown here, not again by the App
        self.query_one("#form-title", FormText).update(f"Could not read {message.what}: "
                                                      f"{message.error}")

    @on(StoreChanged)
    def _store_changed(self) -> None:
        if self.model is not None:
            self._changes(self.since)

    @work(thread=True, exclusive=True, exit_on_error=False, group="changes")
    def _changes(self, since: datetime) -> None:
        try:
            events = self.store.changes_since(self.inspection_id, self.case_id, since)
            details = case_details(self.store, self.inspection_id, self.case_id)
        except Exception as exc:
            self.post_message(LoadFailed(f"changes to {self.case_id}", str(exc)))
            return
        self.post_message(CaseChanged(events, details))

    def on_case_changed(self, message: CaseChanged) -> None:
        """Apply other inspectors' saves; never touch an answer still being saved here."""
        model = self.model
        if model is None:
            return
        own = saver_for(self.app, self.store).own_events
        changed = []
        for event in message.events:
            self.since = max(self.since, _naive(event.saved_at))
            local = model.answers.get(event.question_id, AnswerState())
            if event.event_id in own or event.question_id not in model.index:
                continue
            if local.status != "saved":
                continue  # ours is newer and on its way
            if (event.answer, event.note) == (local.value, local.note) or (
                local.saved_at is not None and _naive(event.saved_at) <= _naive(local.saved_at)
            ):
                continue  # already known (the load overlaps the first look for changes)
            model.answers[event.question_id] = AnswerState(
                event.answer, event.note, event.author, event.saved_at, changed_by_other=True
            )
            changed.append(event)
        dirty = bool(changed)
        if message.details is not None and not self.details_saving:
            complete = bool(message.details.get("marked_complete"))
            if message.details != model.details or complete != self.marked_complete:
                self.marked_complete = complete
                model.details = dict(message.details)
                dirty = True
        if not dirty:
            return
        model.reevaluate()
        for event in changed[-3:]:
            self.notify(f"{event.question_id} changed by {event.author} "
                        f"at {hhmm(event.saved_at)}", timeout=4)
        self.refresh_all()

    # -- rendering --
    def _fill_sections(self) -> None:
        assert self.model is not None
        options = self.query_one("#sections", OptionList)
        options.clear_options()
        options.add_options([self._section_prompt(i) for i in range(len(self.model.sections))])

    def _section_prompt(self, index: int) -> str:
        assert self.model is not None
        answered, applicable = self.model.progress(index)
        mark = "*" if answered == applicable else " "
        title = self.model.sections[index].title
        return f"{title[:14]:<14}{answered:>3}/{applicable:<3}{mark}"

    def refresh_all(self) -> None:
        """Bring title, section list, rows and guidance up to date with the model."""
        if self.model is None:
            return
        options = self.query_one("#sections", OptionList)
        for i in range(len(self.model.sections)):
            prompt = self._section_prompt(i)
            if options.get_option_at_index(i).prompt != prompt:
                options.replace_option_prompt_at_index(i, prompt)
        if options.highlighted != self.section:
            options.highlighted = self.section
        self._render_rows()
        self._refresh_title()
        self._refresh_guidance()

    def _row(self, qid: str) -> tuple[Any, ...]:
        assert self.model is not None
        question = self.model.framework.question(qid)
        state = self.model.answers.get(qid, AnswerState())
        # cut to the column: Rich would otherwise wrap the whole text on every repaint
        text = question.text[: self.text_width]
        if not self.model.applies[qid]:
            return (f" {qid}", Text(text, style="dim"), Text("(skipped)", "dim"))
        answer = ""
        if state.value is not None:
            try:
                choice = self.model.scale(qid).choice(state.value)
                answer = "N/A" if choice.scoring == "not_applicable" else choice.label
            except KeyError:
                answer = state.value
        mark = "*" if state.changed_by_other and state.status == "saved" else MARKS[state.status]
        return (mark + qid, text, answer)

    def _render_rows(self) -> None:
        """Rebuild on a section change, else update only the cells that changed."""
        assert self.model is not None
        table = self.query_one("#questions", QuestionTable)
        questions = self.model.sections[self.section].questions
        ids = [q.id for q in questions]
        if list(self.rendered) != ids:
            table.clear()
            self.rendered = {}
            for qid in ids:
                row = self._row(qid)
                table.add_row(*row, key=qid)
                self.rendered[qid] = tuple(str(c) for c in row)
            return
        for qid in ids:
            row = self._row(qid)
            flat = tuple(str(c) for c in row)
            old = self.rendered[qid]
            if flat != old:
                for i, column in enumerate(COLUMNS):
                    if old[i] != flat[i]:
                        table.set_cell(qid, column, row[i])
                self.rendered[qid] = flat

    def _refresh_title(self) -> None:
        assert self.model is not None
        answered, applicable = self.model.progress()
        details = self.model.details
        parts = [self.case_id]
        if self.model.kind == "interview":
            parts.append("interview")
        for field in ("case_type", "rosh"):
            value = details.get(field)
            if value:
                parts.append(self._label(field, value))
        parts.append(f"{answered}/{applicable} answered")
        if self.marked_complete:
            parts.append("COMPLETE")
        unsaved = self.model.unsaved()
        if unsaved:
            parts.append(f"{len(unsaved)} saving")
        self.query_one("#form-title", FormText).update("  ".join(parts))

    def _label(self, field: str, value: Any) -> str:
        try:
            choices = {c.value: c.label for c in self.framework.case_field(field).choices}
        except KeyError:
            return str(value)
        return choices.get(value, str(value))

    def _refresh_guidance(self) -> None:
        qid = self.current_question()
        if self.model is None or qid is None:
            return
        question = self.model.framework.question(qid)
        state = self.model.answers.get(qid, AnswerState())
        keys = "  ".join(f"{k} {c.label}" for k, c in self.model.keys_for(qid, ANSWER_KEYS))
        lines = [Text(f"{qid} {question.text}", style="bold")]
        if question.guidance:
            lines.append(Text(question.guidance))
        if not self.model.applies[qid]:
            rule = question.applies_when or ""
            lines.append(Text(f"Does not apply to this case ({rule}).", style="italic"))
        lines.append(Text(f"Keys: {keys}", style="dim"))
        lines.append(self._history_line(state))
        if state.note:
            lines.append(Text(f"Note: {state.note}", style="italic"))
        self.query_one("#guidance", FormText).update(Text("\n").join(lines))

    def _history_line(self, state: AnswerState) -> Text:
        if state.status == "saving":
            return Text("saving...", style="bold yellow")
        if state.status == "unsaved":
            return Text("NOT SAVED: retrying (your answer is kept here)", style="bold red")
        if state.author is None or state.value is None:
            return Text("Not answered yet.", style="dim")
        verb = "changed" if state.changed_by_other else "answered"
        return Text(f"Saved. Last {verb} by {state.author} at {hhmm(state.saved_at)}",
                    style="green")

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
        if section != self.section or not self.rendered:
            self.section = section
            self.refresh_all()
        table = self.query_one("#questions", QuestionTable)
        table.move_cursor(row=table.get_row_index(qid))
        self._refresh_guidance()

    @on(DataTable.RowHighlighted, "#questions")
    def _row_highlighted(self) -> None:
        self._refresh_guidance()

    # -- answering --
    def action_answer(self, key: str) -> None:
        qid = self.current_question()
        if self.model is None or qid is None:
            return
        if not self.model.applies[qid]:
            self.notify(f"{qid} does not apply to this case.", severity="warning", timeout=2)
            return
        choice = self.model.choice_for_key(qid, key)
        if choice is None:
            keys = ", ".join(k for k, _ in self.model.keys_for(qid, ANSWER_KEYS))
            self.notify(f"{key} is not an answer to {qid}: use {keys}", severity="warning",
                        timeout=2)
            return
        old = self._set(qid, choice.value)
        self.undo_stack.append((qid, old.value))
        following = self.model.next_open(qid)
        if following is None:
            self.refresh_all()
            self.notify("Every applicable question is answered: c marks the case complete.",
                        timeout=3)
        else:
            self.go_to(following)
            self.refresh_all()

    def _set(self, qid: str, value: str | None) -> AnswerState:
        """Change an answer in memory and queue its save (keeping the note)."""
        assert self.model is not None
        saver = saver_for(self.app, self.store)
        seq = saver.next_seq()
        old = self.model.set_answer(qid, value, seq, self.me)
        saver.submit(PendingAnswer(self.inspection_id, self.case_id, qid, value, old.note, seq))
        return old

    def action_undo(self) -> None:
        if self.model is None or not self.undo_stack:
            self.notify("Nothing to undo.", timeout=2)
            return
        qid, previous = self.undo_stack.pop()
        self._set(qid, previous)
        self.go_to(qid)
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
        when = _naive(saved_at) if saved_at is not None else None
        hit = False
        for item in items:
            if item.case_id == self.case_id and item.inspection_id == self.inspection_id:
                hit = self.model.mark(item.question_id, item.seq, status, when) or hit
        if hit:
            self.refresh_all()

    # -- note, goto, sections --
    def action_note(self) -> None:
        qid = self.current_question()
        if self.model is None or qid is None:
            return
        state = self.model.answers.get(qid, AnswerState())
        text = self.model.framework.question(qid).text
        self.app.push_screen(NoteModal(f"{qid} {text}", state.note),
                             lambda note: self._note_done(qid, note))

    def _note_done(self, qid: str, note: str | None) -> None:
        if note is None or self.model is None:
            return
        saver = saver_for(self.app, self.store)
        seq = saver.next_seq()
        state = self.model.answers.get(qid, AnswerState())
        self.model.set_note(qid, note or None, seq, self.me)
        saver.submit(PendingAnswer(self.inspection_id, self.case_id, qid, state.value,
                                   note or None, seq))
        if state.value is None:
            self.notify("Note saved; it shows once the question is answered.", timeout=3)
        self.refresh_all()

    def action_goto(self) -> None:
        if self.model is None:
            return
        ids = [q.id for q in self.model.order]
        self.app.push_screen(GotoModal(ids), lambda qid: self.go_to(qid) if qid else None)

    def action_section(self, step: int) -> None:
        if self.model is None:
            return
        count = len(self.model.sections)
        self.section = (self.section + step) % count
        questions = self.model.sections[self.section].questions
        target = next((q.id for q in questions if self.model.is_open(q.id)), questions[0].id)
        self.refresh_all()
        self.go_to(target)

    def action_back(self) -> None:
        self.app.pop_screen()

    # -- case details and completion --
    def action_edit_details(self) -> None:
        if self.model is None:
            return
        modal = CaseDetailsModal(self.framework, self.model.kind, self.case_id,
                                 self.model.details)
        self.app.push_screen(modal, self._details_done)

    def _details_done(self, result: DetailsResult | None) -> None:
        if result is None or self.model is None:
            return
        changed = {k: v for k, v in result.values.items() if self.model.details.get(k) != v}
        if not changed:
            return
        before = {k: self.model.details.get(k) for k in changed}
        self.model.details.update(changed)
        self.model.reevaluate()  # applicability follows the details at once
        self.refresh_all()
        self.save_details(changed, before)

    def save_details(self, fields: dict[str, Any], before: dict[str, Any] | None = None) -> None:
        self.details_saving += 1
        self._save_details(fields, before or {})

    @work(thread=True, exclusive=False, exit_on_error=False, group="save-case")
    def _save_details(self, fields: dict[str, Any], before: dict[str, Any]) -> None:
        assert self.model is not None
        try:
            receipt = self.store.save_case(self.inspection_id, self.case_id, fields,
                                           kind=self.model.kind)
            if receipt.path is not None:
                saver_for(self.app, self.store).own_fragments.add(receipt.path.name)
        except Exception as exc:
            self.post_message(CaseSaveFailed(self.case_id, str(exc), before))
            return
        self.post_message(CaseSaved(self.case_id, fields))

    def on_case_saved(self, message: CaseSaved) -> None:
        self.details_saving = max(0, self.details_saving - 1)
        if "_complete" in message.fields:
            self.marked_complete = message.fields["_complete"] == "true"
            self.notify("Marked complete." if self.marked_complete else "Marked not complete.")
        else:
            self.notify("Case details saved.", timeout=2)
        self.refresh_all()

    def on_case_save_failed(self, message: CaseSaveFailed) -> None:
        """Show the details as they are stored again: an unsaved edit must not look saved."""
        self.details_saving = max(0, self.details_saving - 1)
        if self.model is not None and message.before:
            self.model.details.update(message.before)
            self.model.reevaluate()
            self.refresh_all()
        self.notify(f"Case details NOT saved (edit undone): {message.error}", severity="error",
                    timeout=8)

    def action_complete(self) -> None:
        if self.model is None:
            return
        if self.marked_complete:
            self.save_details({"_complete": "false"})
            return
        if not self.model.complete_ready():
            answered, applicable = self.model.progress()
            self.notify(f"{applicable - answered} applicable question(s) still unanswered.",
                        severity="warning")
            return
        self.save_details({"_complete": "true"})


def _naive(when: datetime) -> datetime:
    """Stored timestamps are naive UTC; compare like with like."""
    return when.astimezone(UTC).replace(tzinfo=None) if when.tzinfo else when


def _store_now(store: Any) -> datetime:
    """The store's clock (saves are stamped with it), else this computer's."""
    now = getattr(store, "now", None)
    return now() if callable(now) else datetime.now(UTC).replace(tzinfo=None)
