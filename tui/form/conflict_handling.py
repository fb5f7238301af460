"""Two inspectors on one question: what the form does when the store refuses a save.

Every answer the form saves names the answer it replaces (what the form showed). If
another inspector's answer reached the store first, the store refuses the save
(`store.AnswerConflict`) and the saver posts `AnswersConflicted`. The form then shows the
other's answer and who gave it, marks the row "?", moves the cursor to it and says so;
the next key on that question replaces it knowingly. Keys already typed in the same burst
(within GUARD_SECONDS of the conflict being shown) are refused with a bell, because
their author cannot have seen it yet.
"""

from __future__ import annotations

import time
from datetime import datetime

from tui.common.case_model import AnswerState
from tui.common.messages import AnswersConflicted
from tui.form.changes import hhmm, naive
from tui.form.details import DetailsEditing

GUARD_SECONDS = 0.5


class ConflictHandling(DetailsEditing):
    """The form's half that deals with refused saves."""

    inspection_id: str
    conflict_shown: dict[str, float]  # question id -> when its conflict was shown
    undo_stack: list[tuple[str, str | None]]

    def go_to(self, qid: str) -> None:  # the form moves the cursor
        raise NotImplementedError

    def on_answers_conflicted(self, message: AnswersConflicted) -> None:
        if self.model is None:
            return
        tried = {i.question_id: i.answer for i in message.items
                 if (i.inspection_id, i.case_id) == (self.inspection_id, self.case_id)}
        shown = []
        for conflict in message.conflicts:
            qid = conflict.question_id
            if conflict.case_id != self.case_id or qid not in tried or qid not in self.model.index:
                continue
            old = self.model.answers.get(qid, AnswerState())
            when: datetime | None = naive(conflict.saved_at) if conflict.saved_at else None
            self.model.answers[qid] = AnswerState(
                conflict.found, old.note, conflict.author, when, changed_by_other=True,
                refused=tried[qid] or "(cleared)")
            self.conflict_shown[qid] = time.monotonic()
            shown.append(conflict)
        if not shown:
            return
        refused = {c.question_id for c in shown}  # undoing a refused key must not clear theirs
        self.undo_stack[:] = [u for u in self.undo_stack if u[0] not in refused]
        self.model.reevaluate()
        first = min(shown, key=lambda c: self.model.index[c.question_id])  # type: ignore[union-attr]
        self.go_to(first.question_id)
        self.refresh_all()
        for c in shown[:3]:
            self.notify(f"{c.question_id}: {c.author} answered {c.found or '(cleared)'} at "
                        f"{hhmm(c.saved_at)} first; yours was NOT saved. A key now replaces it.",
                        severity="error", timeout=8)

    def conflict_guard(self, qid: str) -> bool:
        """True if a key on `qid` must be refused: its conflict is too fresh to have been
        seen. Otherwise the conflict is over and the key replaces the other's answer."""
        shown = self.conflict_shown.get(qid)
        if shown is None:
            return False
        if time.monotonic() - shown < GUARD_SECONDS:
            self.app.bell()
            return True
        del self.conflict_shown[qid]
        return False
