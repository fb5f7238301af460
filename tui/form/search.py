"""Finding questions by words: every word typed must appear in the question's id, text,
short label or guidance (case-insensitive). Pure, for the form's `/` and `g`."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from criteria.models import Question


def matches(questions: list[Question], typed: str) -> list[str]:
    """Ids of the questions matching every word of `typed`, in form order."""
    words = typed.lower().split()
    if not words:
        return []
    out = []
    for q in questions:
        haystack = f"{q.id} {q.text} {q.short} {q.guidance}".lower()
        if all(w in haystack for w in words):
            out.append(q.id)
    return out
