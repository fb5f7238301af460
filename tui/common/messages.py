"""Messages that workers post to screens; handlers (on the event loop) change the state."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from textual.message import Message


@dataclass
class StoreChanged(Message):
    """The store's fragment signature changed: someone saved something."""

    signature: object


@dataclass
class AnswersSaved(Message, bubble=False):
    """A batch of answers is durable (`items` are the saver's PendingAnswer)."""
    # posted to each open form; nothing above a form needs it

    items: list[Any]
    saved_at: Any = None


@dataclass
class AnswersSaveFailed(Message, bubble=False):
    """A batch failed to save; it stays queued and will be retried (negative: rejected)."""

    items: list[Any]
    error: str
    retry_in: float = 0.0


@dataclass
class AnswersConflicted(Message, bubble=False):
    """Answers refused because another inspector's answer is stored now (`conflicts`
    are `store.Conflict`: case_id, question_id, expected, found, author, saved_at)."""

    items: list[Any]
    conflicts: list[Any]


@dataclass
class LoadFailed(Message):
    """A worker could not read the store; the screen shows `error`."""

    what: str
    error: str


@dataclass
class CaseSaved(Message):
    """Case details were saved (a new case, an edit, or marked complete)."""

    case_id: str
    fields: dict[str, Any] = field(default_factory=dict)


@dataclass
class CaseSaveFailed(Message):
    case_id: str
    error: str
    before: dict[str, Any] = field(default_factory=dict)  # the details the form showed before


class InspectionsLoaded(Message):
    """The inspections of the store, newest first."""

    def __init__(self, found: list[dict[str, Any]], pick: bool = False) -> None:
        super().__init__()
        self.found = found
        self.pick = pick  # the user asked to choose: always show the picker
