"""`n` (new case) and `e` (edit details): a form of the framework's case detail fields.

Widgets follow the field type (choice: Select, multi: SelectionList, bool: Select yes/no,
text and int: Input). Ctrl+S validates with the store's own rules and returns the values;
the caller saves them in a worker.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Input, Label, Select, SelectionList, Static

if TYPE_CHECKING:  # not at run time: the case list starts before pydantic is imported
    from criteria.models import CaseField, Framework

INTERVIEW_FIELDS = ("office", "om_grade")


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


class CaseDetailsModal(ModalScreen[DetailsResult | None]):
    HELP_TITLE = "case details"
    DEFAULT_CSS = """
    CaseDetailsModal { align: center middle; }
    CaseDetailsModal > Vertical { width: 78; height: 22; border: round $accent;
                                  background: $panel; }
    CaseDetailsModal VerticalScroll { height: 1fr; }
    CaseDetailsModal .row { height: auto; }
    CaseDetailsModal .row Label { width: 26; padding: 0 1; }
    CaseDetailsModal .row > Input, CaseDetailsModal .row > Select { width: 1fr; }
    CaseDetailsModal SelectionList { width: 1fr; height: auto; max-height: 7; }
    CaseDetailsModal #details-errors { color: $error; height: auto; padding: 0 1; }
    CaseDetailsModal #details-keys { color: $text-muted; padding: 0 1; }
    """
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
    ) -> None:
        super().__init__()
        self.framework = framework
        self.kind = kind
        self.editing = case_id is not None
        self.case_id = case_id or suggested_id
        self.values = values or {}

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
                for field in self.fields():
                    with Horizontal(classes="row"):
                        mark = " *" if field.required and self.kind == "case" else ""
                        yield Label(field.label + mark)
                        yield self._widget(field, self.values.get(field.id))
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
        case_id = self.query_one("#f--case_id", Input).value.strip()
        values = self.read()
        problems = validate(self.framework, self.kind, values)
        if not case_id:
            problems.insert(0, ("case_id", "Case id is required"))
        errors = self.query_one("#details-errors", Static)
        if problems:
            errors.update("\n".join(self._problem(f, p) for f, p in problems[:3]))
            self._focus_field(problems[0][0])
            return
        self.dismiss(DetailsResult(case_id, self.kind, values))

    def _problem(self, field_id: str, problem: str) -> str:
        label = self._label(field_id)
        return problem if problem.startswith(label) else f"{label}: {problem}"

    def _label(self, field_id: str) -> str:
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
