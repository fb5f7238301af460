"""Two inspectors on one question: what the form does when the store refuses a save.

Every answer the form saves names the answer it replaces (what the form showed). If
another inspector's answer reached the store first, the store refuses the save
(`store.AnswerConflict`) and the saver posts `AnswersConflicted`. The form then shows the
other's answer and who gave it, marks the row "?", moves the cursor to it and says so.

A key on that question replaces the other's answer only if its author can have read the
notice: the key was read from the terminal (its event time, tui/common/key_clock.py, not
when the form got round to it: type-ahead waits in the queue) at least REACTION_SECONDS
after the notice was drawn and after the last key refused on it, so a burst still going
replaces nothing however long it lasts. The same holds for an answer key on ANY other
question: the notice says keys typed before it was read are not used, and a key typed in
the burst meant for one question lands on another once the cursor was moved back (B types
n, Down, n to move on: the last n would answer the question below the one B meant). So
while a conflict's notice cannot have been read, every answer key is refused and counted
on that conflict. Navigation keys still move the cursor: they change no answer, and the
cursor is where B will look when reading the notice. The keys refused meanwhile are
counted on the conflicted question's status line and in a notice once the burst ends;
none vanishes unsaid.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from textual import events, on
from textual.timer import Timer

from tui.common.case_model import AnswerState
from tui.common.key_clock import key_time
from tui.common.messages import AnswersConflicted
from tui.common.workers import is_top
from tui.form.changes import hhmm, naive
from tui.form.details import DetailsEditing

if TYPE_CHECKING:
    from tui.form.view import FormView

REACTION_SECONDS = 0.4  # from a notice drawn to a key pressed because of it: no faster


@dataclass
class ShownConflict:
    """A refused save on one question, until a key knowingly replaces the other's answer."""

    found: str  # the other's answer and who gave it, for the notices
    drawn: float | None = None  # when the notice was on screen (time.monotonic)
    unused: int = 0  # keys on the question since, refused: typed before it could be read
    told: int = 0  # of those, how many a notice has counted
    last_key: float = 0.0  # when the latest refused key was read

    def knowing(self, read_at: float) -> bool:
        """Can a key read at `read_at` have been pressed because of the notice?"""
        return self.drawn is not None and read_at >= max(self.drawn, self.last_key) + \
            REACTION_SECONDS


class ConflictHandling(DetailsEditing):
    """The form's half that deals with refused saves."""

    inspection_id: str
    conflict_shown: dict[str, ShownConflict]  # question id -> its refused save
    undo_stack: list[tuple[str, str | None]]
    view: FormView
    _unused_timer: Timer | None = None
    _undrawn: frozenset[str] = frozenset()  # conflicts shown while a modal hid the form

    def go_to(self, qid: str) -> None:  # the form moves the cursor
        raise NotImplementedError

    def _refresh_guidance(self) -> None:  # the form redraws the focused question's lines
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
            self.conflict_shown[qid] = ShownConflict(f"{conflict.author}'s "
                                                     f"{conflict.found or '(cleared)'}")
            self.view.unused.pop(qid, None)
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
                        f"{hhmm(c.saved_at)} first; yours was NOT saved. Keys typed before "
                        "you read this are not used; after, a key on it replaces theirs.",
                        severity="error", timeout=8)
        self.call_after_refresh(self._conflicts_drawn, [c.question_id for c in shown])

    def _conflicts_drawn(self, qids: list[str]) -> None:
        """The notices are on screen: reading them starts now (once the form is back, if a
        modal was over it: the row and status line were hidden till then)."""
        if not is_top(self):
            self._undrawn = self._undrawn | set(qids)
            return
        for qid in qids:
            conflict = self.conflict_shown.get(qid)
            if conflict is not None and conflict.drawn is None:
                conflict.drawn = time.monotonic()  # the clock of key events

    @on(events.ScreenResume)
    def _draw_hidden_conflicts(self) -> None:
        if self._undrawn:
            qids, self._undrawn = list(self._undrawn), frozenset()
            self.call_after_refresh(self._conflicts_drawn, qids)

    def conflict_guard(self, qid: str) -> bool:
        """True if an answer key on `qid` must be refused (and is counted): read before
        its conflict could have been read, or, on another question, before any shown
        conflict could have been read (counted on that conflict). Otherwise a key on the
        conflicted question ends the conflict and replaces the other's answer."""
        read_at = key_time(self.app)
        conflict = self.conflict_shown.get(qid)
        if conflict is None:  # another question: refused while any notice is unread
            qid, conflict = next(((q, c) for q, c in self.conflict_shown.items()
                                  if not c.knowing(read_at)), (qid, None))
            if conflict is None:
                return False
        elif conflict.knowing(read_at):
            self._tell_unused()
            del self.conflict_shown[qid]
            self.view.unused.pop(qid, None)
            return False
        conflict.unused += 1
        conflict.last_key = max(conflict.last_key, read_at)
        self.view.unused[qid] = conflict.unused
        self.app.bell()
        self._refresh_guidance()
        if self._unused_timer is not None:
            self._unused_timer.stop()  # one notice when the burst ends, not one a key
        self._unused_timer = self.set_timer(REACTION_SECONDS, self._tell_unused)
        return True

    def _tell_unused(self) -> None:
        """Say how many keys after a conflict were not used (those not yet said)."""
        for qid, conflict in self.conflict_shown.items():
            new = conflict.unused - conflict.told
            if new <= 0:
                continue
            conflict.told = conflict.unused
            keys, were = ("1 key", "was") if new == 1 else (f"{new} keys", "were")
            self.notify(f"{keys} typed after the conflict on {qid} {were} not used (before "
                        f"you could read it); {conflict.found} stands. A key on it now "
                        "replaces theirs.", severity="warning", timeout=8)
