"""The questions of a criterion as bars, like the report's Data Summary charts."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.widgets import DataTable

from tui.common.clip import clip
from tui.common.plain_table import PlainTable, columns_width
from tui.scores.data import GROUP_WIDTH
from tui.scores.model import ALL, EMPTY, Cell, QuestionRow, ScoreSet, pct
from tui.scores.style import BAND_CLASSES, banded, score_and_count
from tui.scores.summary import HEADER_MIN

BAR_WIDTH = 10
TEXT_WIDTH = 28
SPLIT_TEXT_WIDTH = 16  # with a breakdown the group columns need the room


def bar(cell: Cell, width: int = BAR_WIDTH) -> str:
    """Sufficient share as full blocks, the insufficient rest as light shade."""
    if cell.applicable == 0:
        return "·" * width
    filled = round(width * cell.sufficient / cell.applicable)
    return "█" * filled + "░" * (width - filled)


def _width(value: Text | str) -> int:
    return value.cell_len if isinstance(value, Text) else len(value)


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
        self.fit_columns()  # now, not when the table next goes idle (it may not)
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
            self.add_row(q.id, clip(q.text, TEXT_WIDTH), q.summary, key=q.id)

    def _show_questions(self, scores: ScoreSet, criterion_id: str | None) -> None:
        """Question text takes the width the numbers leave (a wide terminal shows more of
        it); with a breakdown too narrow for every group's counts, groups show the score
        alone: a number is never cut at the screen's edge."""
        split = len(scores.groups) > 1
        questions = scores.questions_of(criterion_id) if criterion_id else []
        self.question_ids = [q.id for q in questions]
        headers = ["Question", *([] if split else ["Sufficient"]), ALL if split else "",
                   *scores.groups[1:]]
        fixed = len(headers) - len(scores.groups) + 1  # the columns before the groups
        tiers = ((True, GROUP_WIDTH), (True, HEADER_MIN), (False, HEADER_MIN))
        for with_counts, least in tiers if split else tiers[:1]:
            rows = [self._cells(scores, q, with_counts) for q in questions]
            widths = [max([len(h) if i < fixed else min(len(h), least),
                           *(_width(r[i]) for r in rows)]) for i, h in enumerate(headers)]
            text_room = self.room - columns_width(0, *widths)
            if text_room >= (SPLIT_TEXT_WIDTH if split else TEXT_WIDTH):
                break
        text_width = max(text_room, SPLIT_TEXT_WIDTH if split else TEXT_WIDTH)
        self.add_column(headers[0], key="id")
        self.add_column("", key="text")
        if not split:
            self.add_column(headers[1], key="bar")
        self.add_column(headers[-len(scores.groups)], key="all")
        for group, width in zip(scores.groups[1:], widths[fixed:], strict=True):
            self.add_column(clip(group, width), key=f"group:{group}")
        for q, cells in zip(questions, rows, strict=True):
            self.add_row(cells[0], clip(q.text, text_width), *cells[1:], key=q.id)

    def _cells(self, scores: ScoreSet, q: QuestionRow, with_counts: bool) -> list[Text | str]:
        """The row's cells but the question text."""
        cell = q.cells.get(ALL, EMPTY)
        counts = banded(self, pct(cell.score).rjust(4), cell.score)
        counts.append(f" {cell.n_of_m}")
        if len(scores.groups) == 1:
            return [q.id, banded(self, bar(cell), cell.score), counts]
        groups = [score_and_count(self, q.cells.get(g, EMPTY)) if with_counts
                  else banded(self, pct(q.cells.get(g, EMPTY).score).rjust(4),
                              q.cells.get(g, EMPTY).score)
                  for g in scores.groups[1:]]
        return [q.id, counts, *groups]

    @property
    def current_question(self) -> str | None:
        if not self.question_ids or self.cursor_row < 0:
            return None
        return self.question_ids[min(self.cursor_row, len(self.question_ids) - 1)]
