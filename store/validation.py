"""Checking and encoding what is saved, against the framework (bad input never reaches disk)."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from criteria import CaseField, Framework

from .conflicts import UNCHECKED, Unchecked
from .errors import StoreError

RESERVED = ("_complete", "_deleted")  # `_kind` comes from save_case(kind=...)
KINDS = ("case", "interview")
_FIELD_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_DATE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


class ValidationError(StoreError, ValueError):
    """Input that does not fit the framework; nothing was saved."""


@dataclass(frozen=True)
class AnswerInput:
    case_id: str
    question_id: str
    answer: str | None  # a scale value, key or alias; None clears the answer
    note: str | None = None
    # The answer this save replaces, as its author last saw it (None: unanswered); the
    # save is refused if the store holds another (store/conflicts.py). UNCHECKED: no check.
    base: str | None | Unchecked = UNCHECKED


def answer_value(fw: Framework, item: AnswerInput) -> str | None:
    try:
        fw.question(item.question_id)
    except KeyError:
        raise ValidationError(f"case {item.case_id}: no question {item.question_id!r}") from None
    if item.answer is None:
        return None
    try:
        return fw.parse_answer(item.question_id, item.answer)
    except ValueError as exc:
        raise ValidationError(f"case {item.case_id}, question {item.question_id}: {exc}") from None


def merged_answers(answers: list[AnswerInput]) -> dict[tuple[str, str], AnswerInput]:
    """One input per key: the last answer, with the first checked base (the answer that
    was there before the first of them)."""
    out: dict[tuple[str, str], AnswerInput] = {}
    for item in answers:
        key = (item.case_id, item.question_id)
        had = out.get(key)
        if had is not None and not isinstance(had.base, Unchecked):
            item = replace(item, base=had.base)
        out[key] = item
    return out


def base_value(fw: Framework, item: AnswerInput) -> str | None:
    """The checked base of `item` as a stored value (a key or alias is accepted)."""
    if item.base is None or isinstance(item.base, Unchecked):
        return None
    return answer_value(fw, AnswerInput(item.case_id, item.question_id, item.base))


def _bool(value: object, name: str) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value).strip().lower()
    if text in ("true", "yes", "y", "1"):
        return "true"
    if text in ("false", "no", "n", "0"):
        return "false"
    raise ValidationError(f"{name}: {value!r} is not yes/no")


def _choice(field: CaseField, value: object) -> str:
    text = str(value)
    if text not in field.values():
        raise ValidationError(f"{field.id}: {text!r} is not one of {', '.join(field.values())}")
    return text


def encode_detail(field: CaseField, value: object) -> str | None:
    """The stored string of one case detail (lists joined with ';'; None clears)."""
    if value is None:
        return None
    if field.type == "choice":
        return _choice(field, value)
    if field.type == "multi":
        items = value.split(";") if isinstance(value, str) else list(value)  # type: ignore[call-overload]
        return ";".join(_choice(field, v) for v in items if str(v) != "")
    if field.type == "bool":
        return _bool(value, field.id)
    if field.type == "int":
        if isinstance(value, bool) or not re.fullmatch(r"-?\d+", str(value).strip()):
            raise ValidationError(f"{field.id}: {value!r} is not a whole number")
        return str(int(str(value).strip()))
    return str(value)


def encode_details(fw: Framework, details: dict[str, object], kind: str) -> dict[str, str | None]:
    if kind not in KINDS:
        raise ValidationError(f"record kind {kind!r}: use case or interview")
    known = {f.id: f for f in fw.case_fields}
    out: dict[str, str | None] = {"_kind": kind}
    for name, value in details.items():
        if name in RESERVED:
            out[name] = None if value is None else _bool(value, name)
        elif name in known:
            out[name] = encode_detail(known[name], value)
        elif kind == "interview" and _FIELD_ID.match(name):
            out[name] = None if value is None else str(value)  # interview notes are free
        else:
            raise ValidationError(f"no case detail {name!r} in framework {fw.version}")
    return out


def check_date(date: str) -> str:
    if not _DATE.match(date or ""):
        raise ValidationError(f"inspection date {date!r}: use YYYY-MM")
    return date
