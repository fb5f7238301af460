"""Case details as the inspector types or imports them, checked and stored as text.

One set of rules for the case details form (`validate_case_details`) and case CSV imports:
choices by value or label (any case), lists as a list or "a;b", yes/no fields as
yes/no/true/false/y/n/1/0, whole numbers; required fields must be filled in.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from criteria.models import CaseField, Choice, Framework

_TRUE = {"true", "yes", "y", "1"}
_FALSE = {"false", "no", "n", "0"}


@dataclass(frozen=True)
class FieldError:
    """One problem with one case detail value (shown next to the field in the form)."""

    field: str
    problem: str

    def __str__(self) -> str:
        return f"{self.field}: {self.problem}"


def validate_case_details(framework: Framework, details: Mapping[str, object]) -> list[FieldError]:
    """Problems with a case's details (empty list = fine); for the case details form."""
    return normalise_case_details(framework, details)[1]


def normalise_case_details(
    framework: Framework, details: Mapping[str, object], require: bool = True
) -> tuple[dict[str, str | None], list[FieldError]]:
    """Details as stored (text; lists joined with ';'; None = empty) and their problems.

    Values may be typed (list, int, bool) or text as typed or imported; choices accept
    their value or label, any case. Missing required fields are problems if `require`.
    """
    fields = {f.id: f for f in framework.case_fields}
    stored: dict[str, str | None] = {}
    errors = [FieldError(k, "unknown case detail field") for k in details if k not in fields]
    for field in framework.case_fields:
        if field.id not in details:
            if field.required and require:
                errors.append(FieldError(field.id, f"{field.label} is required"))
            continue
        try:
            stored[field.id] = _normalise(field, details[field.id])
        except ValueError as exc:
            errors.append(FieldError(field.id, str(exc)))
            continue
        if stored[field.id] is None and field.required and require:
            errors.append(FieldError(field.id, f"{field.label} is required"))
    return stored, errors


def _normalise(field: CaseField, value: object) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if field.type == "multi":
        items = value if isinstance(value, list | tuple | set) else str(value).split(";")
        chosen = [_choice(field, str(v)) for v in items if str(v).strip()]
        return ";".join(dict.fromkeys(chosen)) or None
    if field.type == "choice":
        return _choice(field, str(value))
    if field.type == "int":
        return str(_integer(value))
    if field.type == "bool":
        return "true" if _boolean(value) else "false"
    return str(value).strip()


_ABBREVIATION = re.compile(r"\(([^()]+)\)\s*$")  # "Probation officer (PO)" -> PO


def choice_names(choice: Choice) -> tuple[str, ...]:
    """Every name a choice is known by, lower case: value, label, its short form (as the
    case list shows it), the abbreviation in brackets ending the label, the label before it."""
    names = [choice.value, choice.label, choice.short]
    found = _ABBREVIATION.search(choice.label)
    if found:
        names += [found.group(1), choice.label[: found.start()]]
    return tuple(n.strip().lower() for n in names if n.strip())


def _choice(field: CaseField, text: str) -> str:
    t = text.strip().lower()
    for c in field.choices:
        if t in (c.value.lower(), c.label.lower()):
            return c.value
    for c in field.choices:  # the other names only after every value and label
        if t in choice_names(c):
            return c.value
    raise ValueError(f"{text.strip()!r} is not one of: {', '.join(field.values())}")


def _integer(value: object) -> int:
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a whole number")
    if isinstance(value, int):
        return value
    try:
        return int(str(value).strip())
    except ValueError:
        raise ValueError(f"{str(value).strip()!r} is not a whole number") from None


def _boolean(value: object) -> bool:
    if isinstance(value, bool):
        return value
    t = str(value).strip().lower()
    if t in _TRUE or t in _FALSE:
        return t in _TRUE
    raise ValueError(f"{str(value).strip()!r} is not yes or no")
