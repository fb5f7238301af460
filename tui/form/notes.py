"""Enter in the case form: the note (evidence) for the focused question, saved with its
answer (the text typed right after Enter is held for the note box: key_buffer.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui.common.case_model import AnswerState
from tui.common.key_buffer import hold_keys, release_keys
from tui.form.navigation import Navigating
from tui.form.note_modal import NoteModal
from tui.form.saver import PendingAnswer, saver_for


class TakesNotes(Navigating):
    """The form's notes (a base of CaseFormScreen)."""

    if TYPE_CHECKING:  # the form's, and its QA part's (tui/qa/form_qa.py)
        @property
        def me(self) -> str: ...

        @property
        def reading(self) -> int: ...

        def refuse_if_locked(self) -> bool: ...

    def action_note(self) -> None:
        hold_keys(self.app)  # the note's text may follow at once
        qid = self.current_question()
        if self.model is None or qid is None or self.refuse_if_locked():
            release_keys(self.app)
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
                                   note or None, seq, self.reading, base=state.value))
        if state.value is None:
            self.notify("Note saved; it shows once the question is answered.", timeout=3)
        self.refresh_all()
