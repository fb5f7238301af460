"""Blind second readings in the case form.

When the user opening a case is its assigned reader of a reading >= 2 (the
`reading_assignments` view), the form edits that reading instead of reading 1: it loads
the reader's own answers of that reading, saves to the store's `readings/` (through the
App's saver, `PendingAnswer.reading`), takes in no saves of others, and `c` marks the
reading complete. Until then nothing of reading 1 is shown; once complete, each question's
guidance shows reading 1's answer beside the reader's own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rich.text import Text

from tui.common.case_model import AnswerState
from tui.common.store_reads import LoadedCase, case_answers, case_details, rows

if TYPE_CHECKING:
    from tui.common.store_seam import Store


@dataclass(frozen=True)
class ReadingMode:
    reading: int
    complete: bool
    first: dict[str, AnswerState] = field(default_factory=dict)  # reading 1, once complete


def my_reading(store: Store, inspection_id: str, case_id: str, me: str) -> tuple[int, bool] | None:
    """(reading, complete) assigned to `me` on the case: an open one first, else the last."""
    found = rows(store, "SELECT reading, complete FROM reading_assignments "
                        "WHERE inspection_id = ? AND case_id = ? AND reader = ? "
                        "ORDER BY complete, reading", [inspection_id, case_id, me])
    return (int(found[0]["reading"]), bool(found[0]["complete"])) if found else None


def reading_answers(store: Store, inspection_id: str, case_id: str,
                    reading: int) -> dict[str, AnswerState]:
    out = {}
    for r in rows(store, "SELECT question_id, answer, note, reader, saved_at FROM readings "
                         "WHERE inspection_id = ? AND case_id = ? AND reading = ?",
                  [inspection_id, case_id, reading]):
        out[r["question_id"]] = AnswerState(r["answer"], r["note"], r["reader"], r["saved_at"])
    return out


def load_reading(store: Store, inspection_id: str, case_id: str,
                 me: str) -> tuple[LoadedCase, ReadingMode] | None:
    """The case as `me`'s second reading, or None when no reading of it is theirs."""
    mine = my_reading(store, inspection_id, case_id, me) if me else None
    if mine is None:
        return None
    reading, complete = mine
    case = case_details(store, inspection_id, case_id)
    if case is None:
        raise LookupError(f"no case {case_id!r} in inspection {inspection_id!r}")
    first = case_answers(store, inspection_id, case_id) if complete else {}
    kind = "case" if case.get("kind") in (None, "calibration") else str(case["kind"])
    loaded = LoadedCase(case_id, kind, case, complete,
                        reading_answers(store, inspection_id, case_id, reading))
    return loaded, ReadingMode(reading, complete, first)


def title_suffix(mode: ReadingMode) -> str:
    if mode.complete:
        return f"READING {mode.reading} complete: reading 1 shown below"
    return f"READING {mode.reading} (blind)"


def guidance_line(mode: ReadingMode, qid: str) -> Text | None:
    """Reading 1's answer to `qid`, only once the reading is complete."""
    if not mode.complete:
        return None
    state = mode.first.get(qid)
    if state is None or state.value is None:
        return Text("Reading 1: not answered", style="italic")
    note = f" - {state.note}" if state.note else ""
    return Text(f"Reading 1: {state.value} ({state.author}){note}", style="bold italic")


def complete_reading(store: Store, inspection_id: str, case_id: str, reading: int,
                     complete: bool) -> None:
    """Mark the reading (not) complete; durable when this returns (a worker calls it)."""
    store.mark_reading_complete(inspection_id, case_id, reading, complete)
