"""`/` in the case form: find a question by words of its text or guidance.

Type words; the matching questions list below (id and text, form order); Enter goes to
the highlighted one (the first by default), Up/Down move, Esc cancels.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from tui.common.clip import clip_words
from tui.common.key_buffer import release_keys, release_when_ready
from tui.form.search import matches

if TYPE_CHECKING:
    from criteria.models import Question

SHOWN = 50


class SearchModal(ModalScreen[str | None]):
    HELP_TITLE = "find a question"
    CSS_PATH = "search_modal.tcss"
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="search.cancel"),
        Binding("down", "move(1)", "Next match", id="search.next", priority=True),
        Binding("up", "move(-1)", "Previous match", id="search.previous", priority=True),
    ]

    CLOSING_KEYS = ("enter", "escape")  # keys typed after them are for the form (key_buffer)

    def __init__(self, questions: list[Question], width: int = 60) -> None:
        super().__init__()
        self.questions = questions
        self.width = width

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Find a question (words of its text or guidance; Enter goes):")
            yield Input(placeholder="e.g. accommodation", id="search-input")
            yield OptionList(id="search-results")

    def on_mount(self) -> None:
        self.query_one("#search-results", OptionList).can_focus = False
        self.query_one("#search-input", Input).focus()
        release_when_ready(self)

    def on_input_changed(self, event: Input.Changed) -> None:
        found = matches(self.questions, event.value)
        results = self.query_one("#search-results", OptionList)
        results.clear_options()
        texts = {q.id: q.text for q in self.questions}
        room = self._room()
        results.add_options(Option(f"{qid} {clip_words(texts[qid], room - len(qid) - 1)}",
                                   id=qid) for qid in found[:SHOWN])
        if found:
            results.highlighted = 0

    def _room(self) -> int:
        """Cells a result's line has: the list's width once laid out (less an option's
        padding and the scrollbar), else the width given."""
        width = self.query_one("#search-results", OptionList).scrollable_content_region.width
        return width - 4 if width > 24 else self.width

    def on_input_submitted(self) -> None:
        results = self.query_one("#search-results", OptionList)
        if results.highlighted is None:
            self.app.bell()
            release_keys(self.app)  # still open: what follows is typed here
            return
        self.dismiss(results.get_option_at_index(results.highlighted).id)

    def action_move(self, step: int) -> None:
        results = self.query_one("#search-results", OptionList)
        if results.option_count:
            now = results.highlighted or 0
            results.highlighted = max(0, min(results.option_count - 1, now + step))

    def action_cancel(self) -> None:
        self.dismiss(None)
