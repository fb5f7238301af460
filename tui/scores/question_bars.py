"""The questions of a criterion as bars, like the report's Data Summary charts."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.widgets import DataTable

from tui.common.plain_table import PlainTable
from tui.scores.model import ALL, EMPTY, Cell, QuestionRow, ScoreSet, pct
from tui.scores.style import BAND_CLASSES, banded, score_and_count

BAR_WIDTH = 10
TEXT_WIDTH = 28
SPLIT_TEXT_WIDTH = 16  # with a breakdown the group columns need the room


def bar(cell: Cell, width: int = BAR_WIDTH) -> str:
    """Sufficient share as full blocks, the insufficient rest as light shade."""
    if cell.applicable == 0:
        return "·" * width
    filled = round(width * cell.sufficient / cell.applicable)
    return "█" * filled + "░" * (width - filled)


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


class QuestionBars(PlainTable):
    """One row per question; Enter opens the cases behind the counts."""

    COMPONENT_CLASSES = DataTable.COMPONENT_CLASSES | BAND_CLASSES
    BINDINGS = [
        Binding("enter", "select_cursor", "Cases", id="score_overview.drill_question"),
    ]

    def __init__(self, **kwargs: object) -> None:
        super().__init__(cursor_type="row", **kwargs)  # type: ignore[arg-type]
        self.question_ids: list[str] = []

    def show(self, scores: ScoreSet, criterion_id: str | None) -> None:
        row = self.cursor_row
        previous = list(self.question_ids)
        self.clear(columns=True)
        criterion = scores.criterion(criterion_id) if criterion_id else None
        if criterion is not None and criterion.scored_from == "interviews":
            self._show_interviews(scores, criterion.id)
        else:
            self._show_questions(scores, criterion_id)
        if self.row_count:
            keep = row if previous == self.question_ids else 0
            self.move_cursor(row=min(max(keep, 0), self.row_count - 1), animate=False)

    def _show_interviews(self, scores: ScoreSet, criterion_id: str) -> None:
        """x.4 criteria: interview answers as counts (the report counts, never scores them)."""
        self.add_column("Question", key="id")
        self.add_column("", key="text")
        self.add_column("Answers (counted, not scored)", key="counts")
        found = scores.interviews_of(criterion_id)
        self.question_ids = [q.id for q in found]
        for q in found:
            self.add_row(q.id, _clip(q.text, TEXT_WIDTH), q.summary, key=q.id)

    def _show_questions(self, scores: ScoreSet, criterion_id: str | None) -> None:
        self.add_column("Question", key="id")
        self.add_column("", key="text")
        split = len(scores.groups) > 1
        if not split:
            self.add_column("Sufficient", key="bar")
        self.add_column(ALL if len(scores.groups) > 1 else "", key="all")
        for group in scores.groups[1:]:
            self.add_column(group, key=f"group:{group}")
        questions = scores.questions_of(criterion_id) if criterion_id else []
        self.question_ids = [q.id for q in questions]
        for q in questions:
            self.add_row(*self._cells(scores, q), key=q.id)

    def _cells(self, scores: ScoreSet, q: QuestionRow) -> list[Text | str]:
        cell = q.cells.get(ALL, EMPTY)
        width = TEXT_WIDTH if len(scores.groups) == 1 else SPLIT_TEXT_WIDTH
        text = _clip(q.text, width)
        counts = banded(self, pct(cell.score).rjust(4), cell.score)
        counts.append(f" {cell.n_of_m}")
        if len(scores.groups) == 1:
            return [q.id, text, banded(self, bar(cell), cell.score), counts]
        groups = [score_and_count(self, q.cells.get(g, EMPTY)) for g in scores.groups[1:]]
        return [q.id, text, counts, *groups]

    @property
    def current_question(self) -> str | None:
        if not self.question_ids or self.cursor_row < 0:
            return None
        return self.question_ids[min(self.cursor_row, len(self.question_ids) - 1)]
