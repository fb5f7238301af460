"""Writing second readings, reading assignments and calibration flags.

A second reading is a separate set of answers to a case by another reader, stored as
events of their own kind (`readings/<inspection>/`, schema `schemas.READINGS`: the answer
event columns plus `reading`), through the same durable fragment writer as answers. They
never count in any score: `answers_current` and the score views read `answers/` only.

Assignments and flags are case detail events with reserved names (kept in the audit trail
like every detail): `_reading_<n>` = the assigned reader's user name, `_reading_<n>_complete`
= 'true' once the reader has marked the reading complete (their form then shows reading 1),
`_calibration` = 'true' for a calibration case (the `cases` view then gives it kind
'calibration', so nothing that counts kind 'case' - scores, case counts, the report - sees it).

Moderation (the lead settles a disagreement) saves an ordinary reading-1 answer whose note
starts with `MODERATED_PREFIX`, so the answer history says so.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .layout import check_id
from .validation import AnswerInput, ValidationError, answer_value

if TYPE_CHECKING:
    from .store import Receipt, Store

MODERATED_PREFIX = "[moderated]"
FIRST_SECOND = 2  # readings >= 2 are stored apart; 1 is the primary reading


def check_reading(reading: int) -> int:
    if not isinstance(reading, int) or isinstance(reading, bool) or not 1 <= reading <= 99:
        raise ValidationError(f"reading {reading!r}: use a number from 1 (primary) to 99")
    return reading


def save_reading(store: Store, inspection_id: str, reading: int,
                 answers: list[AnswerInput]) -> Receipt:
    """Save answers of reading `reading` (1 = ordinary answers, >= 2 = a second reading).
    One fragment, durable when this returns; validated like `Store.save_answers`."""
    if check_reading(reading) == 1:
        return store.save_answers(inspection_id, answers)
    store._require_inspection(inspection_id)
    latest = {(a.case_id, a.question_id): a for a in answers}
    rows = []
    for item in latest.values():
        check_id(item.case_id, "case id")
        rows.append({
            "inspection_id": inspection_id, "case_id": item.case_id,
            "question_id": item.question_id, "answer": answer_value(store.framework, item),
            "note": item.note, "framework_version": store.framework.version,
            "reading": reading,
        })
    return store._save("readings", inspection_id, rows)


def _case_flags(store: Store, inspection_id: str, case_id: str,
                values: dict[str, str | None]) -> Receipt:
    store._require_inspection(inspection_id)
    check_id(case_id, "case id")
    rows: list[dict[str, object]] = [
        {"inspection_id": inspection_id, "case_id": case_id, "field": field, "value": value,
         "framework_version": store.framework.version}
        for field, value in values.items()
    ]
    return store._save("cases", inspection_id, rows)


def assign_reading(store: Store, inspection_id: str, case_id: str, reader: str,
                   reading: int | None = None) -> int:
    """Assign reading `reading` (default: the next free number >= 2) of a case to `reader`
    (an OS user name). Returns the reading number."""
    if not reader or not reader.replace("-", "").replace("_", "").replace(".", "").isalnum():
        raise ValidationError(f"reader {reader!r}: give a user name")
    taken = assignments(store, inspection_id, case_id)
    for number, (who, _) in taken.items():
        if who == reader and reading in (None, number):
            return number  # already theirs
    if reading is None:
        reading = max([FIRST_SECOND - 1, *taken]) + 1
    if check_reading(reading) < FIRST_SECOND:
        raise ValidationError("reading 1 is the primary reading; assign 2 or more")
    _case_flags(store, inspection_id, case_id, {f"_reading_{reading}": reader})
    return reading


def mark_reading_complete(store: Store, inspection_id: str, case_id: str, reading: int,
                          complete: bool = True) -> Receipt:
    """The reader marks their reading complete (their form may now show reading 1)."""
    if check_reading(reading) < FIRST_SECOND:
        raise ValidationError("reading 1 is completed on the case form")
    return _case_flags(store, inspection_id, case_id,
                       {f"_reading_{reading}_complete": "true" if complete else "false"})


def mark_calibration(store: Store, inspection_id: str, case_id: str,
                     calibration: bool = True) -> Receipt:
    """Flag a case as a calibration case (never counted in scores) or unflag it."""
    return _case_flags(store, inspection_id, case_id,
                       {"_calibration": "true" if calibration else "false"})


def assignments(store: Store, inspection_id: str,
                case_id: str | None = None) -> dict[int, tuple[str, bool]]:
    """reading -> (reader, complete) of one case (or every case's, merged by reading: only
    meaningful with `case_id`)."""
    sql = ("SELECT reading, reader, complete FROM reading_assignments "
           "WHERE inspection_id = ? AND (? IS NULL OR case_id = ?) ORDER BY reading")
    rows = store.query(sql, [inspection_id, case_id, case_id]).to_pylist()
    return {r["reading"]: (r["reader"], bool(r["complete"])) for r in rows}


class ReadingWrites:
    """`Store` methods for the app's seam (tui/common/store_seam.py): second readings."""

    def save_reading(self, inspection_id: str, reading: int,
                     answers: list[AnswerInput]) -> Receipt:
        """See `save_reading`."""
        return save_reading(self, inspection_id, reading, answers)  # type: ignore[arg-type]

    def mark_reading_complete(self, inspection_id: str, case_id: str, reading: int,
                              complete: bool = True) -> Receipt:
        """See `mark_reading_complete`."""
        return mark_reading_complete(self, inspection_id, case_id, reading,  # type: ignore[arg-type]
                                     complete)


def moderate(store: Store, inspection_id: str, case_id: str, question_id: str,
             answer: str, note: str | None = None) -> Receipt:
    """Record the moderated answer as the reading-1 answer, the note saying so."""
    text = MODERATED_PREFIX + (f" {note}" if note else "")
    return store.save_answers(inspection_id, [AnswerInput(case_id, question_id, answer, text)])
