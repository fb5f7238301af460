"""`n` (new case) and `e` (edit details): a form of the framework's case detail fields.

Widgets follow the field type (choice: Select, multi: SelectionList, bool: Select yes/no,
text and int: Input). Ctrl+S validates with the store's own rules; each problem shows
beside its field and nothing closes. Given `save`, the modal saves in a worker itself and
closes only once saved: a refused save (an id that exists, an inspection gone, a full
disk) is shown inside it, and everything typed stays. Keys typed while it opens are
held by the App and land in the field that has focus (tui/common/key_buffer.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Input, Label, Select, SelectionList, Static

from tui.common.key_buffer import release_when_ready

if TYPE_CHECKING:  # not at run time: the case list starts before pydantic is imported
    from criteria.models import CaseField, Framework

INTERVIEW_FIELDS = ("office", "om_grade")
CASE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")  # as the store's check_id


@dataclass(frozen=True)
class DetailsResult:
    case_id: str
    kind: str
    values: dict[str, Any]  # field id -> typed value (list for multi, None = empty)


def validate(framework: Framework, kind: str, values: dict[str, Any]) -> list[tuple[str, str]]:
    """(field, problem) pairs, from the store's validator when it is available."""
    try:
        from store.imports import validate_case_details
    except ImportError:  # fall back to the framework's definitions
        return [
            (f.id, f"{f.label} is required")
            for f in framework.case_fields
            if kind == "case" and f.required and values.get(f.id) in (None, "", [])
        ]
    given = {k: v for k, v in values.items() if v not in (None, "", [])}
    problems = [(e.field, e.problem) for e in validate_case_details(framework, given)]
    if kind == "interview":  # an interview records who and where, not a sentence
        problems = [p for p in problems if p[0] in given]
    return problems


class SaveOutcome(Message):
    """The modal's own save finished (`error` None: saved)."""

    def __init__(self, result: DetailsResult, error: str | None) -> None:
        super().__init__()
        self.result = result
        self.error = error


class CaseDetailsModal(ModalScreen[DetailsResult | None]):
    HELP_TITLE = "case details"
    CSS_PATH = "details_modal.tcss"
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="details.save", priority=True),
        Binding("escape", "cancel", "Cancel", id="details.cancel"),
    ]

    def __init__(
        self,
        framework: Framework,
        kind: str = "case",
        case_id: str | None = None,
        values: dict[str, Any] | None = None,
        suggested_id: str = "",
        save: Callable[[DetailsResult], object] | None = None,
        taken: Iterable[str] = (),
    ) -> None:
        super().__init__()
        self.framework = framework
        self.kind = kind
        self.editing = case_id is not None
        self.case_id = case_id or suggested_id
        self.values = values or {}
        self.save = save  # blocking; run in a worker; raises with a message on failure
        self.taken = set(taken)
        self.saving = False
        self.problems: list[tuple[str, str]] = []  # as shown: (field, problem)

    def fields(self) -> list[CaseField]:
        fields = self.framework.case_fields
        if self.kind == "interview":
            return [f for f in fields if f.id in INTERVIEW_FIELDS]
        return list(fields)

    def compose(self) -> ComposeResult:
        title = "Edit details of" if self.editing else f"New {self.kind}"
        with Vertical():
            yield Static(f"{title} {self.case_id if self.editing else ''}".strip(),
                         id="details-title")
            with VerticalScroll():
                with Horizontal(classes="row"):
                    yield Label("Case id *")
                    yield Input(self.case_id, id="f--case_id", compact=True,
                                disabled=self.editing)
                yield Static("", id="e--case_id", classes="field-error")
                for field in self.fields():
                    with Horizontal(classes="row"):
                        mark = " *" if field.required and self.kind == "case" else ""
                        yield Label(field.label + mark)
                        yield self._widget(field, self.values.get(field.id))
                    yield Static("", id=f"e--{field.id}", classes="field-error")
            yield Static("", id="details-errors")
            yield Static("Tab next field   Enter/Space choose   Ctrl+S save   Esc cancel",
                         id="details-keys")

    def _widget(self, field: CaseField, value: Any) -> Widget:
        wid = f"f--{field.id}"
        if field.type == "multi":
            chosen = set(value or [])
            return SelectionList[str](
                *[(c.label, c.value, c.value in chosen) for c in field.choices], id=wid
            )
        if field.type in ("choice", "bool"):
            options = (
                [("Yes", True), ("No", False)] if field.type == "bool"
                else [(c.label, c.value) for c in field.choices]
            )
            initial = value if value in [o[1] for o in options] else Select.NULL
            return Select(options, value=initial, id=wid, compact=True, prompt="(not set)")
        text = "" if value is None else str(value)
        if field.type == "int":
            return Input(text, id=wid, type="integer", compact=True)
        return Input(text, id=wid, compact=True)

    def on_mount(self) -> None:
        """Start on the first detail when the case id is already there."""
        if self.editing or self.case_id:
            self.query_one(f"#f--{self.fields()[0].id}").focus()
        else:
            self.query_one("#f--case_id", Input).focus()
        release_when_ready(self)

    def read(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for field in self.fields():
            widget = self.query_one(f"#f--{field.id}")
            if isinstance(widget, SelectionList):
                out[field.id] = list(widget.selected)
            elif isinstance(widget, Select):
                out[field.id] = None if widget.is_blank() else widget.value
            elif isinstance(widget, Input):
                text = widget.value.strip()
                out[field.id] = (int(text) if field.type == "int" and text else text) or None
        return out

    def action_save(self) -> None:
        if self.saving:
            return
        case_id = self.query_one("#f--case_id", Input).value.strip()
        values = self.read()
        problems = validate(self.framework, self.kind, values)
        if not self.editing:
            problems[:0] = _id_problems(case_id, self.taken)
        self.show_problems(problems)
        if problems:
            return
        result = DetailsResult(case_id, self.kind, values)
        if self.save is None:
            self.dismiss(result)
            return
        self.saving = True
        self.query_one("#details-errors", Static).update("Saving...")
        self._save(result)

    @work(thread=True, exclusive=True, exit_on_error=False, group="details-save")
    def _save(self, result: DetailsResult) -> None:
        assert self.save is not None
        try:
            self.save(result)
        except Exception as exc:
            self.post_message(SaveOutcome(result, str(exc) or type(exc).__name__))
            return
        self.post_message(SaveOutcome(result, None))

    def on_save_outcome(self, message: SaveOutcome) -> None:
        self.saving = False
        if message.error is None:
            self.dismiss(message.result)
            return
        field = "case_id" if "case id" in message.error.lower() else ""
        self.show_problems([(field, f"Not saved: {message.error}")])

    @on(Input.Changed)
    @on(Select.Changed)
    @on(SelectionList.SelectedChanged)
    def _field_changed(self, event: Input.Changed | Select.Changed
                       | SelectionList.SelectedChanged[Any]) -> None:
        wid = event.control.id if event.control is not None else None
        if wid and wid.startswith("f--") and self.problems:
            self._revalidate(wid[3:])

    def _revalidate(self, field_id: str) -> None:
        """The changed field checked again: its problems (and a refused save's about it)
        go or change; the other fields' stay until they change or Ctrl+S. A tester filled
        in "Type of case" and its "is required" stayed beside it and in the summary."""
        if field_id == "case_id":
            value = self.query_one("#f--case_id", Input).value.strip()
            fresh = [] if self.editing else _id_problems(value, self.taken)
        else:
            fresh = [p for p in validate(self.framework, self.kind, self.read())
                     if p[0] == field_id]
        kept = [p for p in self.problems if p[0] != field_id]
        self.show_problems(kept + fresh, focus=False)

    def show_problems(self, problems: list[tuple[str, str]], focus: bool = True) -> None:
        """Each problem beside its field; one not about a field (or about a field not on
        this form) above the keys. The first field with a problem gets the focus."""
        self.problems = list(problems)
        shown = {f.id for f in self.fields()} | {"case_id"}
        beside: dict[str, list[str]] = {}
        general = []
        for field, problem in problems:
            if field in shown:
                beside.setdefault(field, []).append(self._problem(field, problem))
            else:
                general.append(self._problem(field, problem) if field else problem)
        for widget in self.query(".field-error").results(Static):
            fid = str(widget.id)[3:]
            widget.update("; ".join(beside.get(fid, [])))
            widget.set_class(fid in beside, "shown")
        summary = general + [p for ps in beside.values() for p in ps]  # if scrolled away
        self.query_one("#details-errors", Static).update("\n".join(summary[:3]))
        if beside and focus:
            self._focus_field(next(iter(beside)))

    def _problem(self, field_id: str, problem: str) -> str:
        label = self._label(field_id)
        return problem if problem.startswith(label) else f"{label}: {problem}"

    def _label(self, field_id: str) -> str:
        if field_id == "case_id":
            return "Case id"
        try:
            return self.framework.case_field(field_id).label
        except KeyError:
            return field_id

    def _focus_field(self, field_id: str) -> None:
        found = self.query(f"#f--{field_id}")
        if found:
            found.first().focus()

    def action_cancel(self) -> None:
        self.dismiss(None)


def _id_problems(case_id: str, taken: set[str]) -> list[tuple[str, str]]:
    if not case_id:
        return [("case_id", "Case id is required")]
    if not CASE_ID.match(case_id):
        return [("case_id", "Case id: use letters, digits, '_', '-', '.' (max 64)")]
    if case_id in taken:
        return [("case_id", f"Case id: {case_id} already exists")]
    return []
