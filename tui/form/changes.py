"""Other inspectors' saves arriving in an open form: which ones to show, and how.

Pure functions over the `CaseModel`, so the rule "never touch an answer still being saved
here" is testable without a screen.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.message import Message

from tui.common.case_model import AnswerState, CaseModel
from tui.common.messages import LoadFailed, StoreChanged
from tui.common.store_reads import case_details
from tui.form.details import DetailsEditing
from tui.form.saver import saver_for

if TYPE_CHECKING:  # not at run time: the form opens before pyarrow/pydantic are needed
    from store.reads import AnswerEvent


class CaseChanged(Message):
    """Answer events saved since the last look, and the case's details now."""

    def __init__(self, events: list[AnswerEvent], details: dict[str, Any] | None,
                 saves: int = 0) -> None:
        super().__init__()
        self.events = events
        self.details = details
        self.saves = saves  # the form's details saves when the read began


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


class FollowsChanges(DetailsEditing):
    """The form's half that takes in other inspectors' saves (a base of CaseFormScreen)."""

    since: datetime  # the newest save time seen: the next look starts there
    reading_mode: object | None  # a blind second reading sees no one else's saves

    reload_qa: Callable[[], None]  # the form's QA part (tui/qa/form_qa.py): no stub here,
    # since this base comes before it in the form's MRO

    @on(StoreChanged)
    def _store_changed(self) -> None:
        if self.model is not None and self.reading_mode is None:  # blind: no others' saves
            self._changes(self.since, self.details_saves)
            self.reload_qa()

    @work(thread=True, exclusive=True, exit_on_error=False, group="changes")
    def _changes(self, since: datetime, saves: int) -> None:
        try:
            events = self.store.changes_since(self.inspection_id, self.case_id, since)
            details = case_details(self.store, self.inspection_id, self.case_id)
        except Exception as exc:
            self.post_message(LoadFailed(f"changes to {self.case_id}", str(exc)))
            return
        self.post_message(CaseChanged(events, details, saves))

    def on_case_changed(self, message: CaseChanged) -> None:
        """Apply other inspectors' saves; never touch an answer still being saved here."""
        model = self.model
        if model is None:
            return
        self.since = latest_time(self.since, message.events)
        own = saver_for(self.app, self.store).own_events
        changed = apply_changes(model, message.events, own)
        dirty = bool(changed)
        # details read before one of our own saves finished are older than what we show
        fresh = message.saves == self.details_saves
        if message.details is not None and not fresh and not self.details_saving:
            self._changes(self.since, self.details_saves)  # read them again, after ours
        if message.details is not None and not self.details_saving and fresh:
            complete = bool(message.details.get("marked_complete"))
            if message.details != model.details or complete != self.marked_complete:
                self.marked_complete = complete
                model.details = dict(message.details)
                dirty = True
        if not dirty:
            return
        model.reevaluate()
        for event in changed[-3:]:
            self.notify(f"{event.question_id} changed by {event.author} "
                        f"at {hhmm(event.saved_at)}", timeout=4)
        self.refresh_all()
