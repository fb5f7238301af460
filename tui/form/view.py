"""Draws an open case on the form's widgets: sections, question rows, title and guidance.

Every key repaints through here, so it updates only what changed: a section change
rebuilds the rows, anything else sets just the cells whose text differs.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.widgets import OptionList

from tui.common.case_model import AnswerState, CaseModel
from tui.common.clip import clip
from tui.common.shown import visible
from tui.form.changes import hhmm
from tui.form.form_text import FormText
from tui.form.question_table import QuestionTable

if TYPE_CHECKING:
    from criteria.models import Framework

ANSWER_KEYS = ["y", "n", "x", *"123456789"]
# Beside the id: "!" not saved (retrying), "*" changed by another inspector, "?" your
# answer refused because another inspector's was saved first. "Saving" shows
# in the title only, so a key costs one table repaint, not two (keystroke latency).
MARKS = {"saving": " ", "unsaved": "!", "saved": " "}
COLUMNS = ("id", "text", "answer")
ID_WIDTH, ANSWER_WIDTH = 8, 12
WIDE_ANSWER_WIDTH = 24  # a table of 80 columns or more: "Done, but not on time" in full
WIDE_SCREEN = 110  # from here the section list widens to show whole section names
SECTION_TITLE, WIDE_SECTION_TITLE = 14, 26


class FormView:
    """The form's four widgets and what was last drawn on them."""

    def __init__(self, title: FormText, sections: OptionList, table: QuestionTable,
                 guidance: FormText) -> None:
        self.title = title
        self.sections = sections
        self.table = table
        self.guidance = guidance
        self.rendered: dict[str, tuple[str, ...]] = {}  # question id -> cell texts shown
        self.text_width = 40
        self.answer_width = ANSWER_WIDTH
        self.longest_answer = WIDE_ANSWER_WIDTH  # of the framework's answer labels
        self.title_width = SECTION_TITLE  # of section names in the list
        self.only_open = False  # `f`: only the unanswered questions that apply
        self.keep: str | None = None  # the cursor's question: shown even when answered
        self.unused: dict[str, int] = {}  # question -> keys refused after its conflict

    def add_columns(self) -> None:
        self.table.add_column(" Id", key="id", width=ID_WIDTH)
        self.table.add_column("Question", key="text")
        self.table.add_column("Answer", key="answer", width=ANSWER_WIDTH)

    def table_width(self) -> int:
        """The table's width from the screen's and the section list's, not the table's
        own size: that lags a layout behind when the section list has just widened (the
        text column then kept the old room and pushed the answers off the edge)."""
        screen = self.table.screen.size.width or self.table.app.size.width
        sections = self.sections.styles.width
        taken = int(sections.value) if sections is not None and sections.is_cells else 0
        return max(0, screen - taken) or self.table.size.width

    def fit_width(self) -> bool:
        """Give the question text the table's free width; True when it changed. From 80
        columns of table the answer column takes the longest answer label, up to a quarter."""
        table = self.table_width()
        answer_width = ANSWER_WIDTH
        if table >= 80:
            answer_width = max(WIDE_ANSWER_WIDTH, min(self.longest_answer, table // 4))
        width = max(10, table - ID_WIDTH - answer_width - 6 - 2)
        column = self.table.columns.get("text")  # type: ignore[call-overload]
        answer = self.table.columns.get("answer")  # type: ignore[call-overload]
        if column is None or answer is None or (column.width, answer.width) == (
                width, answer_width):
            return False
        column.width, answer.width = width, answer_width
        column.auto_width = False
        self.text_width, self.answer_width = width, answer_width
        self.rendered = {}  # rebuild the rows with texts cut to the new width
        return True

    def fit_sections(self, screen_width: int) -> bool:
        """Whole section names on a wide screen; True when the width changed."""
        wide = screen_width >= WIDE_SCREEN
        title_width = WIDE_SECTION_TITLE if wide else SECTION_TITLE
        if title_width == self.title_width:
            return False
        self.title_width = title_width
        self.sections.styles.width = title_width + 10
        return True

    # -- sections --
    def fill_sections(self, model: CaseModel) -> None:
        self.longest_answer = max((len(c.label) for scale in model.framework.scales.values()
                                   for c in scale.choices), default=WIDE_ANSWER_WIDTH)
        self.fit_width()  # the rows are drawn next (refresh_all)
        self.sections.clear_options()
        self.sections.add_options([section_prompt(model, i, self.title_width)
                                   for i in range(len(model.sections))])

    def refresh_sections(self, model: CaseModel, current: int) -> None:
        for i in range(len(model.sections)):
            prompt = section_prompt(model, i, self.title_width)
            if self.sections.get_option_at_index(i).prompt != prompt:
                self.sections.replace_option_prompt_at_index(i, prompt)
        if self.sections.highlighted != current:
            self.sections.highlighted = current

    # -- rows --
    def row(self, model: CaseModel, qid: str) -> tuple[Any, ...]:
        question = model.framework.question(qid)
        state = model.answers.get(qid, AnswerState())
        # cut to the column: Rich would otherwise wrap the whole text on every repaint
        text = clip(question.text, self.text_width)
        if not model.applies[qid]:
            return (f" {qid}", Text(text, style="dim"), Text("(skipped)", "dim"))
        answer = ""
        if state.value is not None:
            try:
                choice = model.scale(qid).choice(state.value)
                answer = "N/A" if choice.scoring == "not_applicable" else choice.label
            except KeyError:
                answer = state.value
        mark = "*" if state.changed_by_other and state.status == "saved" else MARKS[state.status]
        if state.refused is not None:
            mark = "?"  # not saved: another inspector answered first
        return (mark + qid, text, clip(answer, self.answer_width))

    def render_rows(self, model: CaseModel, section: int) -> bool:
        """Rebuild on a section change (True), else update only the cells that changed.
        With `only_open`, just the unanswered questions that apply (and `keep`)."""
        ids = [q.id for q in model.sections[section].questions
               if not self.only_open or q.id == self.keep or model.is_open(q.id)]
        if list(self.rendered) != ids:
            self.table.clear()
            self.rendered = {}
            for qid in ids:
                row = self.row(model, qid)
                self.table.add_row(*row, key=qid)
                self.rendered[qid] = tuple(str(c) for c in row)
            return True
        for qid in ids:
            row = self.row(model, qid)
            flat = tuple(str(c) for c in row)
            old = self.rendered[qid]
            if flat != old:
                for i, column in enumerate(COLUMNS):
                    if old[i] != flat[i]:
                        self.table.set_cell(qid, column, row[i])
                self.rendered[qid] = flat
        return False

    def render_some(self, model: CaseModel, qids: set[str], sections: set[int]) -> None:
        """After answers to `qids`: only their rows (if shown) and the progress of
        `sections` (the rows shown must stay the same: not with `only_open`)."""
        for qid in qids:
            old = self.rendered.get(qid)
            if old is None:
                continue
            row = self.row(model, qid)
            flat = tuple(str(c) for c in row)
            for i, column in enumerate(COLUMNS):
                if old[i] != flat[i]:
                    self.table.set_cell(qid, column, row[i])
            self.rendered[qid] = flat
        for index in sections:
            prompt = section_prompt(model, index, self.title_width)
            if self.sections.get_option_at_index(index).prompt != prompt:
                self.sections.replace_option_prompt_at_index(index, prompt)

    # -- title and guidance --
    def refresh_title(self, model: CaseModel, case_id: str, complete: bool,
                      extra: str = "", open_by: str = "") -> None:
        answered, applicable = model.progress()
        parts = [case_id]
        if model.kind == "interview":
            parts.append("interview")
        for field in ("case_type", "rosh"):
            value = model.details.get(field)
            if value:
                parts.append(field_label(model.framework, field, value))
        parts.append(f"{answered}/{applicable} answered")
        if self.only_open:
            parts.append("(unanswered only)")
        if complete and answered == applicable:
            parts.append("COMPLETE")
        elif complete:  # marked by someone, but questions have opened since
            parts.append(f"MARKED COMPLETE, {applicable - answered} OPEN")
        unsaved = model.unsaved()
        if unsaved:
            parts.append(f"{len(unsaved)} saving")
        if extra:
            parts.append(extra)
        head = "  ".join(parts)
        if open_by:  # cut at the edge, it said "ALSO open by root since": shorten it instead
            width = self.title.size.width or self.title.app.size.width
            head += "  " + presence_words(open_by, width - len(head) - 2)
        self.title.update(head)

    def refresh_guidance(self, model: CaseModel, qid: str, extra: Text | None = None) -> None:
        question = model.framework.question(qid)
        state = model.answers.get(qid, AnswerState())
        keys = "  ".join(f"{k} {c.label}" for k, c in model.keys_for(qid, ANSWER_KEYS))
        lines = [Text(f"{qid} {question.text}", style="bold")]
        if question.guidance:
            lines.append(Text(question.guidance))
        if not model.applies[qid]:
            from criteria.rule_words import rule_in_words  # the framework is loaded by now

            rule = model.framework.rule_for(qid)
            why = f": it applies only when {rule_in_words(rule, model.framework)}" if rule else ""
            lines.append(Text(f"Does not apply to this case{why}.", style="italic"))
        lines.append(Text(f"Keys: {keys}", style="dim"))
        lines.append(history_line(state, self.unused.get(qid, 0)))
        if state.note:
            lines.append(Text(f"Note: {visible(state.note)}", style="italic"))
        if extra is not None:
            lines.append(extra)
        self.guidance.update(Text("\n").join(lines))


def section_prompt(model: CaseModel, index: int, width: int = SECTION_TITLE) -> str:
    answered, applicable = model.progress(index)
    mark = "*" if answered == applicable else " "
    title = clip(model.sections[index].title, width)
    return f"{title:<{width}}{answered:>3}/{applicable:<3}{mark}"


def field_label(framework: Framework, field: str, value: Any) -> str:
    """A case detail's choice label ("Licence"), or the value when it has none."""
    try:
        choices = {c.value: c.label for c in framework.case_field(field).choices}
    except KeyError:
        return str(value)
    return choices.get(value, str(value))


def presence_words(open_by: str, room: int) -> str:
    """Who else has the case open, in the title's `room` columns: "ALSO open by root since
    17:02" if it fits, else "also open: root 17:02", else "also open: root"."""
    found = re.findall(r"open by (.+?) since (\S+)", open_by)
    forms = [f"ALSO {open_by}", "also open: " + ", ".join(f"{u} {t}" for u, t in found),
             "also open: " + ", ".join(u for u, _ in found)] if found else [f"ALSO {open_by}"]
    return next((f for f in forms if len(f) <= room), forms[-1])


def history_line(state: AnswerState, unused: int = 0) -> Text:
    """Where the focused answer stands: saving, not saved, or who saved it when
    (`unused`: keys refused since its conflict was shown, tui/form/conflict_handling.py)."""
    if state.status == "saving":
        return Text("saving...", style="bold yellow")
    if state.status == "unsaved":
        return Text("NOT SAVED: retrying (your answer is kept here)", style="bold red")
    if state.refused is not None:
        found = state.value or "cleared it"
        since = f" {unused} key{'s' * (unused != 1)} typed since not used." if unused else ""
        return Text(f"NOT SAVED: {state.author} answered {found} at {hhmm(state.saved_at)} "
                    f"before your {state.refused} was saved.{since} Once read, a key on it "
                    "replaces theirs.", style="bold red")
    if state.author is None or state.value is None:
        return Text("Not answered yet.", style="dim")
    verb = "changed" if state.changed_by_other else "answered"
    return Text(f"Saved. Last {verb} by {state.author} at {hhmm(state.saved_at)}",
                style="green")
