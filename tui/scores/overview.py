"""Score overview: the outcome Summary table, the criteria grid and the question bars.

Enter drills down (outcome -> criterion -> question -> cases), Esc climbs back up.
Scores are recomputed whenever the store's fragments change: a worker polls
`Store.fragment_signature()` ten times a second while the screen is shown, and another
recomputes (from the store's live answers) when it moves.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Static

from tui.common.footer import KeysFooter
from tui.common.workers import is_top
from tui.scores.breakdown_select import BreakdownSelect, breakdown_options
from tui.scores.commands import ScoreCommands
from tui.scores.criteria_grid import CriteriaGrid
from tui.scores.data import framework_of, load_scores
from tui.scores.drilldown import ScoreDrilldownScreen
from tui.scores.model import ScoreSet
from tui.scores.question_bars import QuestionBars
from tui.scores.summary import METHOD_WORDS, SummaryTable

if TYPE_CHECKING:
    from criteria.models import Framework
    from tui.common.store_seam import Store

# Listing three directories is cheap and the store's live scores read only new
# fragments, so anyone's save shows here within about a tenth of a second.
POLL_SECONDS = 0.1
FAILED = "unreadable"  # signature when even listing the fragments failed: retry next poll
METHODS = ("questions", "criteria")


class ScoreOverviewScreen(Screen[None]):
    """Scores of one inspection, recomputed from the live views."""

    CSS_PATH = "overview.tcss"
    HELP_TITLE = "scores"
    COMMANDS = {ScoreCommands}
    BINDINGS = [
        Binding("m", "toggle_method", "Method", id="score_overview.toggle_method"),
        Binding("b", "breakdown", "Breakdown", id="score_overview.breakdown"),
        Binding("r", "report", "Report", id="score_overview.report"),
        Binding("p", "programme", "Programme", id="score_overview.programme"),
        Binding("escape", "up", "Up", show=False, id="score_overview.up"),
    ]

    class Loaded(Message):
        def __init__(
            self, scores: ScoreSet, generation: int, seconds: float, signature: object
        ) -> None:
            super().__init__()
            self.scores = scores
            self.generation = generation
            self.seconds = seconds
            self.signature = signature

    class Failed(Message):
        def __init__(self, error: str, generation: int, signature: object) -> None:
            super().__init__()
            self.error = error
            self.generation = generation
            self.signature = signature

    class SignatureSeen(Message):
        def __init__(self, signature: object) -> None:
            super().__init__()
            self.signature = signature

    def __init__(self, store: Store, inspection_id: str) -> None:
        super().__init__()
        self.store = store
        self.inspection_id = inspection_id
        self.method = METHODS[0]
        self.by: str | None = None
        self.scores: ScoreSet | None = None
        self.signature: object = None
        self.generation = 0
        self.changed_at: float | None = None
        self.last_refresh_seconds: float | None = None  # change seen -> scores shown
        self.load_seconds: float | None = None  # the last recomputation in the worker

    def compose(self) -> ComposeResult:
        yield Static(self._title(), id="score-title")
        yield SummaryTable(id="score-summary")
        yield CriteriaGrid(id="score-grid")
        yield Static("", id="bars-title")
        yield QuestionBars(id="score-bars")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one(SummaryTable).focus()
        self.reload()
        self.set_interval(POLL_SECONDS, self._poll_if_shown)

    @property
    def framework(self) -> Framework:
        return framework_of(self.store)

    def _title(self) -> str:
        cases = f" · {self.scores.cases} cases" if self.scores else ""
        by = "none" if self.by is None else self._by_label()
        method = METHOD_WORDS[self.method]
        caption = getattr(self.app, "inspection_caption", None)
        name = caption(self.inspection_id) if callable(caption) else self.inspection_id
        return f"{name}{cases} · outcomes: {method} · by: {by}"

    def _by_label(self) -> str:
        labels = dict(breakdown_options(self.framework))
        return labels.get(self.by, self.by or "none")

    # -- loading (workers) --
    def reload(self) -> None:
        self.generation += 1
        self.load(self.generation, self.method, self.by)

    @work(thread=True, exclusive=True, exit_on_error=False, group="scores")
    def load(self, generation: int, method: str, by: str | None) -> None:
        started = time.perf_counter()
        signature: object = FAILED
        try:
            # the signature first: a save during the computation is then seen as a change
            signature = self.store.fragment_signature(self.inspection_id)
            scores = load_scores(self.store, self.inspection_id, method, by)
        except Exception as exc:  # shown in the title; the next change retries
            self.post_message(self.Failed(str(exc).splitlines()[0], generation, signature))
            return
        seconds = time.perf_counter() - started
        self.post_message(self.Loaded(scores, generation, seconds, signature))

    @work(thread=True, exclusive=True, exit_on_error=False, group="signature")
    def poll_signature(self) -> None:
        try:
            found = self.store.fragment_signature(self.inspection_id)
        except OSError:
            return  # a fragment vanished mid-listing (compaction): next poll sees the result
        self.post_message(self.SignatureSeen(found))

    def _poll_if_shown(self) -> None:
        """Hidden (another mode, or under the case form) it need not recompute on every
        save; coming back polls at once (e.g. back from a drill-down)."""
        if is_top(self):
            self.poll_signature()

    def on_screen_resume(self) -> None:
        """Back from a case form (where answers may have been saved): look at once."""
        if self.signature is not None:
            self.poll_signature()

    def on_score_overview_screen_signature_seen(self, message: SignatureSeen) -> None:
        if self.signature is not None and message.signature != self.signature:
            self.signature = message.signature
            self.changed_at = time.perf_counter()
            self.reload()

    def on_score_overview_screen_loaded(self, message: Loaded) -> None:
        if message.generation != self.generation:
            return  # a newer load is on its way
        self.scores = message.scores
        self.signature = message.signature
        self.load_seconds = message.seconds
        self._redraw()
        self.query_one("#score-title", Static).update(self._title())
        if self.changed_at is not None:
            self.last_refresh_seconds = time.perf_counter() - self.changed_at
            self.changed_at = None

    def on_resize(self) -> None:
        """The tables choose their columns for the width: choose again (after layout)."""
        if self.scores is not None:
            self.call_after_refresh(self._redraw)

    def _redraw(self) -> None:
        if self.scores is not None:
            self.query_one(SummaryTable).show(self.scores)
            self.query_one(CriteriaGrid).show(self.scores)
            self._show_bars()

    def on_score_overview_screen_failed(self, message: Failed) -> None:
        if message.generation == self.generation:
            self.signature = message.signature
            self.query_one("#score-title", Static).update(f"Scores unavailable: {message.error}")

    # -- drill-down --
    def _show_bars(self) -> None:
        if self.scores is None:
            return
        criterion_id = self.query_one(CriteriaGrid).current_criterion
        criterion = self.scores.criterion(criterion_id) if criterion_id else None
        self.query_one(QuestionBars).show(self.scores, criterion_id)
        if criterion is None:
            text = "Move to a criterion in the grid to see its questions"
        elif criterion.scored_from == "interviews":
            text = f"{criterion.id} {criterion.title}: from interviews, counted not scored"
        else:
            text = f"{criterion.id} {criterion.title}"
        self.query_one("#bars-title", Static).update(text)

    @on(DataTable.CellHighlighted, "#score-grid")
    def criterion_highlighted(self) -> None:
        self._show_bars()

    @on(DataTable.RowSelected, "#score-summary")
    def outcome_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.query_one(CriteriaGrid).focus_outcome(event.cursor_row)

    @on(DataTable.CellSelected, "#score-grid")
    def criterion_selected(self, event: DataTable.CellSelected) -> None:
        event.stop()
        bars = self.query_one(QuestionBars)
        if bars.row_count:
            bars.focus()

    @on(DataTable.RowSelected, "#score-bars")
    def question_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        question_id = self.query_one(QuestionBars).current_question
        if question_id is None:
            return
        if self.framework.question(question_id).kind == "interview":
            self.notify("Interview answers are counted, not scored: see them in the SQL "
                        "console (interview_counts)", timeout=4)
            return
        text = self.framework.question(question_id).text
        self.app.push_screen(
            ScoreDrilldownScreen(self.store, self.inspection_id, question_id, text, self.by)
        )

    def action_up(self) -> None:
        """Esc climbs from the questions to the grid, and from the grid to the outcomes."""
        if self.query_one(QuestionBars).has_focus:
            self.query_one(CriteriaGrid).focus()
        elif self.query_one(CriteriaGrid).has_focus:
            self.query_one(SummaryTable).focus()

    # -- actions --
    def action_toggle_method(self) -> None:
        self.method = METHODS[(METHODS.index(self.method) + 1) % len(METHODS)]
        self.query_one("#score-title", Static).update(self._title())
        self.reload()

    def action_breakdown(self) -> None:
        def chosen(by: str | None) -> None:
            if by != self.by:
                self.by = by
                self.query_one("#score-title", Static).update(self._title())
                self.reload()

        options = breakdown_options(self.framework)
        self.app.push_screen(BreakdownSelect(options, self.by), chosen)

    def action_report(self) -> None:
        from tui.scores.report_preview import ReportPreviewScreen

        self.app.push_screen(ReportPreviewScreen(self.store, self.inspection_id, self.method))

    def action_programme(self) -> None:
        from tui.scores.programme_screen import ProgrammeScreen

        self.app.push_screen(ProgrammeScreen(self.store, self.inspection_id, self.method))
