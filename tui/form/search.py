"""Finding questions by words: every word typed must appear in the question's id, text,
short label or guidance (case-insensitive); title matches first. Pure, for the
form's `/` and `g`."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from criteria.models import Question


def matches(questions: list[Question], typed: str) -> list[str]:
    """Ids of the questions matching every word of `typed`: those whose id, text or short
    label hold every word first, then those that need the guidance too; each group in form
    order. (Form order alone put a match in some guidance before the question titled with
    the words, and Enter took it.)"""
    words = typed.lower().split()
    if not words:
        return []
    titled, guided = [], []
    for q in questions:
        title = f"{q.id} {q.text} {q.short}".lower()
        if all(w in title for w in words):
            titled.append(q.id)
        elif all(w in f"{title} {q.guidance}".lower() for w in words):
            guided.append(q.id)
    return titled + guided
