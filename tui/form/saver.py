"""The answer saver: a queue of answers made durable by one worker at a time.

It belongs to the App, not to a screen, so that leaving the form (Esc) right after a key
press never cancels a save. One long-lived thread worker waits on the queue, so a key's
save starts at once (in parallel with the repaint) rather than when the event loop gets
round to starting a new worker. Answers are taken in order and written as one fragment; a
failed batch goes back to the front of the queue and is retried with backoff until it
succeeds. Losing an answer is the worst bug we can have.
"""

from __future__ import annotations

import itertools
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from textual.app import App
from textual.message import Message
from textual.message_pump import MessagePump
from textual.worker import get_current_worker

from tui.common.messages import AnswersConflicted, AnswersSaved, AnswersSaveFailed
from tui.common.store_opening import opened
from tui.form.idle_compaction import IdleCompactor

if TYPE_CHECKING:
    from tui.common.store_seam import Store

BACKOFF = (0.25, 0.5, 1.0, 2.0, 4.0, 8.0)
IDLE_SECONDS = 1.0


@dataclass(frozen=True)
class PendingAnswer:
    inspection_id: str
    case_id: str
    question_id: str
    answer: str | None
    note: str | None
    seq: int
    reading: int = 1  # >= 2: a blind second reading (tui/form/reading_mode.py)
    # The answer this change replaces as the form showed it (None: unanswered); the store
    # refuses the save if another inspector's answer is there now. checked=False: no check.
    base: str | None = None
    checked: bool = True


class AnswerSaver:
    """Owned by the App; `submit` from the event loop, saving happens in a thread worker."""

    def __init__(self, app: App[Any], store: Store) -> None:
        self.app = app
        self.store = store
        self._queue: list[PendingAnswer] = []
        self._queue_lock = threading.Lock()
        self._wake = threading.Condition(self._queue_lock)
        self._save_lock = threading.Lock()  # one batch at a time keeps the events in order
        self._running = False
        self._seq = itertools.count(1)
        self.failures = 0
        self.own_events: set[str] = set()  # event ids this app saved (vs other inspectors')
        self.listeners: set[MessagePump] = set()  # open forms, told of every outcome
        self.own_fragments: set[str] = set()  # fragment names written by this app
        self.compactor = IdleCompactor(app)  # compaction waits for a pause in typing

    def next_seq(self) -> int:
        return next(self._seq)

    def submit(self, item: PendingAnswer) -> None:
        with self._wake:
            self._queue.append(item)
            self._wake.notify()
        self.kick()

    def pending(self) -> int:
        with self._queue_lock:
            return len(self._queue) + (1 if self._save_lock.locked() else 0)

    def kick(self) -> None:
        """Wake the saving worker, starting it the first time."""
        with self._wake:
            self._wake.notify()
            if self._running:
                return
            self._running = True
        self.app.run_worker(
            self._serve, thread=True, group="answer-save", exclusive=True,
            exit_on_error=False, name="save answers",
        )

    def _serve(self) -> None:
        """Save whatever is queued, then wait; back off after a failure.

        Ends when idle for IDLE_SECONDS (so `workers.wait_for_complete()` returns) or when
        the app closes; the next `kick` starts it again.
        """
        worker = get_current_worker()
        delay = 0.0
        idle_since = time.monotonic()
        while True:
            with self._wake:
                if not self._queue or delay:
                    self._wake.wait(timeout=delay or 0.1)
                idle = not self._queue and not delay
                if idle and time.monotonic() - idle_since > IDLE_SECONDS:
                    self._running = False  # under the lock: a kick now starts a new one
                    done = True
                else:
                    done = False
            if done:
                self.compactor.idle()
                return
            if not idle:
                idle_since = time.monotonic()
            cancelled = worker.is_cancelled
            delay = 0.0 if self._flush() else BACKOFF[min(self.failures - 1, 5)]
            if cancelled:
                with self._wake:
                    self._running = False
                return  # the app is closing: the flush above was the last chance

    def _take(self) -> list[PendingAnswer]:
        with self._queue_lock:
            batch, self._queue = self._queue, []
        return batch

    def _flush(self) -> bool:
        """Save the queue; False if it failed and must be retried."""
        with self._save_lock:
            batch = self._take()
            if not batch:
                return True
            try:
                when = datetime.now(UTC)
                for inspection_id, items in _by_inspection(batch).items():
                    when = self._save(inspection_id, items)
            except _conflict_error() as exc:  # another inspector's answer is there now
                conflicts = list(getattr(exc, "conflicts", []))
                refused, rest = _split(batch, conflicts)
                with self._queue_lock:
                    self._queue[:0] = rest  # the others are saved at once, in order
                self._tell(AnswersConflicted(refused, conflicts))
                return True
            except ValueError as exc:  # the store's ValidationError: retrying cannot help
                self._tell(AnswersSaveFailed(batch, str(exc), -1.0))
                return True
            except Exception as exc:  # SaveError, OSError: keep the batch and retry
                with self._queue_lock:
                    self._queue[:0] = batch
                delay = BACKOFF[min(self.failures, len(BACKOFF) - 1)]
                self.failures += 1
                error = str(exc) or type(exc).__name__
                self._tell(AnswersSaveFailed(batch, error, delay))
                return False
            self.failures = 0
            self._tell(AnswersSaved(batch, when))
            return True

    def _tell(self, message: AnswersSaved | AnswersSaveFailed | AnswersConflicted) -> None:
        """Each open form gets its own copy (post_message is thread-safe)."""
        for listener in list(self.listeners):
            listener.post_message(_copy(message))

    def _save(self, inspection_id: str, items: list[PendingAnswer]) -> datetime:
        from store import AnswerInput

        self.compactor.hold(opened(self.store))
        from store import UNCHECKED

        first: dict[tuple[int, str, str], PendingAnswer] = {}
        latest: dict[tuple[int, str, str], PendingAnswer] = {}  # one event per key and save
        for i in items:
            first.setdefault((i.reading, i.case_id, i.question_id), i)
            latest[(i.reading, i.case_id, i.question_id)] = i
        second = [i for i in latest.values() if i.reading > 1]
        if second:  # second readings: their own kind of events, never scored
            for reading in sorted({i.reading for i in second}):
                self.store.save_reading(inspection_id, reading, [
                    AnswerInput(i.case_id, i.question_id, i.answer, i.note)
                    for i in second if i.reading == reading])
        receipt = self.store.save_answers(  # the base is what was there before the first
            inspection_id,
            [AnswerInput(i.case_id, i.question_id, i.answer, i.note,
                         f.base if (f := first[k]).checked else UNCHECKED)
             for k, i in latest.items() if i.reading == 1],
        )
        self.own_events.update(receipt.event_ids)
        if receipt.path is not None:
            self.own_fragments.add(receipt.path.name)
        return receipt.saved_at  # type: ignore[no-any-return]


def _conflict_error() -> type[Exception]:
    from store import AnswerConflict

    return AnswerConflict


def _split(batch: list[PendingAnswer], conflicts: list[Any]
           ) -> tuple[list[PendingAnswer], list[PendingAnswer]]:
    """(items refused: every change of a conflicting key, the rest to save again)."""
    keys = {(c.case_id, c.question_id) for c in conflicts}
    refused = [i for i in batch if (i.case_id, i.question_id) in keys]
    return refused, [i for i in batch if (i.case_id, i.question_id) not in keys]


def _copy(message: AnswersSaved | AnswersSaveFailed | AnswersConflicted) -> Message:
    if isinstance(message, AnswersSaved):
        return AnswersSaved(message.items, message.saved_at)
    if isinstance(message, AnswersConflicted):
        return AnswersConflicted(message.items, message.conflicts)
    return AnswersSaveFailed(message.items, message.error, message.retry_in)


def saver_for(app: App[Any], store: Store) -> AnswerSaver:
    """The app's saver; an app that did not make one (a host in tests) gets one now."""
    saver = getattr(app, "saver", None)
    if not isinstance(saver, AnswerSaver):
        saver = AnswerSaver(app, store)
        app.saver = saver  # type: ignore[attr-defined]
    return saver


def _by_inspection(batch: list[PendingAnswer]) -> dict[str, list[PendingAnswer]]:
    out: dict[str, list[PendingAnswer]] = {}
    for item in batch:
        out.setdefault(item.inspection_id, []).append(item)
    return out
