"""Moving round the case form: `]`/`[` next/previous unanswered, `/` find by words.

The part of the form's keys that only move the cursor (a base of CaseFormScreen).
"""

from __future__ import annotations

from tui.common.key_buffer import hold_keys, release_keys
from tui.form.form_presence import ShowsPresence
from tui.form.search_modal import SearchModal
from tui.form.view import FormView


class Navigating(ShowsPresence):
    """Cursor moves that answer nothing."""

    view: FormView

    def current_question(self) -> str | None:  # the form's
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
        self.app.push_screen(SearchModal(list(self.model.order), width),
                             lambda qid: self.go_to(qid) if qid else None)
