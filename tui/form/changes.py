"""Other inspectors' saves arriving in an open form: which ones to show, and how.

Pure functions over the `CaseModel`, so the rule "never touch an answer still being saved
here" is testable without a screen.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from textual.message import Message

from tui.common.case_model import AnswerState, CaseModel

if TYPE_CHECKING:  # not at run time: the form opens before pyarrow/pydantic are needed
    from store.reads import AnswerEvent


class CaseChanged(Message):
    """Answer events saved since the last look, and the case's details now."""

    def __init__(self, events: list[AnswerEvent], details: dict[str, Any] | None) -> None:
        super().__init__()
        self.events = events
        self.details = details


def hhmm(when: datetime | None) -> str:
    """Local HH:MM of a stored (naive UTC) timestamp."""
    if when is None:
        return ""
    aware = when if when.tzinfo else when.replace(tzinfo=UTC)
    return aware.astimezone().strftime("%H:%M")


def naive(when: datetime) -> datetime:
    """Stored timestamps are naive UTC; compare like with like."""
    return when.astimezone(UTC).replace(tzinfo=None) if when.tzinfo else when


def apply_changes(model: CaseModel, events: list[AnswerEvent],
                  own: set[str]) -> list[AnswerEvent]:
    """Take other inspectors' saves into the model; return the ones that changed an answer.

    Skipped: our own events, questions the model does not hold, answers with a change of
    ours still on its way (ours is newer), and events already known (the load overlaps the
    first look for changes).
    """
    changed = []
    for event in events:
        local = model.answers.get(event.question_id, AnswerState())
        if event.event_id in own or event.question_id not in model.index:
            continue
        if local.status != "saved":
            continue
        if (event.answer, event.note) == (local.value, local.note) or (
            local.saved_at is not None and naive(event.saved_at) <= naive(local.saved_at)
        ):
            continue
        model.answers[event.question_id] = AnswerState(
            event.answer, event.note, event.author, event.saved_at, changed_by_other=True
        )
        changed.append(event)
    return changed


def latest_time(since: datetime, events: list[AnswerEvent]) -> datetime:
    """The newest save time seen: the next look for changes starts there."""
    return max([since, *(naive(e.saved_at) for e in events)])
