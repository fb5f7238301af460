"""Moving round the case form: `]`/`[` next/previous unanswered, `/` find by words.

The part of the form's keys that only move the cursor (a base of CaseFormScreen).
"""

from __future__ import annotations

from tui.common.key_buffer import hold_keys, release_keys, release_when_ready
from tui.form.form_presence import ShowsPresence
from tui.form.goto_modal import GotoModal
from tui.form.search_modal import SearchModal
from tui.form.view import FormView


class Navigating(ShowsPresence):
    """Cursor moves that answer nothing."""

    view: FormView
    section: int  # the section shown (the form keeps it)

    def current_question(self) -> str | None:  # the form's
        raise NotImplementedError

    def go_to(self, qid: str) -> None:  # the form's
        raise NotImplementedError

    def action_next_open(self) -> None:
        self._to_open(forward=True)

    def action_previous_open(self) -> None:
        self._to_open(forward=False)

    def _to_open(self, forward: bool) -> None:
        if self.model is None:
            return
        here = self.current_question()
        found = self.model.next_open(here) if forward else self.model.previous_open(here)
        if found is None:
            self.notify("Every applicable question is answered.", timeout=2)
            return
        self.go_to(found)

    def action_only_open(self) -> None:
        """Show only the unanswered questions that apply (again: all of them)."""
        if self.model is None:
            return
        self.view.only_open = not self.view.only_open
        here = self.current_question()
        self.refresh_all()
        if here is not None:
            self.go_to(here)

    def action_search(self) -> None:
        if self.model is None:
            release_keys(self.app)
            return
        hold_keys(self.app)
        width = max(20, self.app.size.width - 20)
        self.app.push_screen(SearchModal(list(self.model.order), width), self._went_to)

    def action_goto(self) -> None:
        if self.model is None:
            release_keys(self.app)
            return
        ids = [q.id for q in self.model.order]
        hold_keys(self.app)
        self.app.push_screen(GotoModal(ids, list(self.model.order)), self._went_to)

    def _went_to(self, qid: str | None) -> None:
        """`g`/`/` closed (Enter or Esc): the keys typed after it answer here, in order."""
        if qid:
            self.go_to(qid)
        release_when_ready(self)  # type: ignore[arg-type]

    def action_section(self, step: int) -> None:
        if self.model is None:
            return
        count = len(self.model.sections)
        self.section = (self.section + step) % count
        questions = self.model.sections[self.section].questions
        target = next((q.id for q in questions if self.model.is_open(q.id)), questions[0].id)
        self.refresh_all()
        self.go_to(target)
