"""Paired readings from the store, and agreement rows by level (question, criterion, reader
pair, inspection). The statistics themselves are in `agreement.py`.

A pair is a case, a question and a reading >= 2 where reading 1 and that reading both
answered the question (not applicable is a category like the others). Scoring and fact
questions count (not interview questions); deleted cases never. Reading 1 is the primary
reading as it was before moderation: its latest answer that is not a moderated one (a
moderated answer is the lead's settlement of a disagreement, not a reading). Calibration
cases are kept apart: the default is the ordinary double-read cases, `calibration=True`
gives the calibration cases only (every reader against reading 1, the lead's reading).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .agreement import Agreement, agreement, table_of
from .second_reading import MODERATED_PREFIX

if TYPE_CHECKING:
    from criteria import Framework

    from .store import Store

LEVELS = ("question", "criterion", "reader")

_FIRST = f"""
SELECT inspection_id, case_id, question_id, r.answer, r.author AS reader, r.note
FROM (SELECT inspection_id, case_id, question_id,
        arg_max({{'answer': answer, 'author': author, 'note': note}}, (saved_at, event_id)) AS r
      FROM answer_events
      WHERE inspection_id = ? AND NOT starts_with(coalesce(note, ''), '{MODERATED_PREFIX}')
      GROUP BY inspection_id, case_id, question_id)
WHERE r.answer IS NOT NULL"""

PAIRS_SQL = f"""
WITH first AS ({_FIRST})
SELECT f.case_id, c.kind, f.question_id, q.criterion AS criterion_id, s.reading,
  f.reader AS reader_1, f.answer AS answer_1, f.note AS note_1,
  s.reader AS reader_2, s.answer AS answer_2, s.note AS note_2,
  cur.answer AS current_answer,
  starts_with(coalesce(cur.note, ''), '{MODERATED_PREFIX}') AS moderated
FROM readings s
JOIN first f ON f.case_id = s.case_id AND f.question_id = s.question_id
JOIN fw_questions q ON q.id = s.question_id AND q.kind IN ('scoring', 'fact')
JOIN cases c ON c.inspection_id = s.inspection_id AND c.case_id = s.case_id
LEFT JOIN answers_current cur ON cur.inspection_id = s.inspection_id
  AND cur.case_id = s.case_id AND cur.question_id = s.question_id
WHERE s.inspection_id = ? AND s.reading >= 2 AND c.kind IN ('case', 'calibration')
ORDER BY f.case_id, s.reading, f.question_id"""


@dataclass(frozen=True)
class Row:
    level: str  # inspection | question | criterion | reader
    id: str
    stats: Agreement

    def as_dict(self) -> dict[str, Any]:
        return {"level": self.level, "id": self.id, **self.stats.as_dict()}


def pairs(store: Store, inspection_id: str, calibration: bool = False) -> list[dict[str, Any]]:
    """Every paired item (dicts with the columns of PAIRS_SQL), of ordinary double-read
    cases or (calibration=True) of calibration cases."""
    rows = store.query(PAIRS_SQL, [inspection_id, inspection_id]).to_pylist()
    kind = "calibration" if calibration else "case"
    return [r for r in rows if r["kind"] == kind]


def disagreements(store: Store, inspection_id: str) -> list[dict[str, Any]]:
    """The moderation list: every paired item (calibration cases included) whose readings
    differ, with each reader's answer and note, the current reading-1 answer and whether
    it was moderated."""
    rows = store.query(PAIRS_SQL, [inspection_id, inspection_id]).to_pylist()
    return [r for r in rows if r["answer_1"] != r["answer_2"]]


def _categories(fw: Framework, question_ids: list[str]) -> tuple[list[str], list[int]]:
    """The union of the questions' scale values (framework order) and which are sufficient."""
    values: dict[str, str] = {}
    for qid in dict.fromkeys(question_ids):
        for choice in fw.scale_for(fw.question(qid)).choices:
            values.setdefault(choice.value, choice.scoring)
    cats = list(values)
    return cats, [i for i, v in enumerate(cats) if values[v] == "sufficient"]


def _row(fw: Framework, level: str, key: str, members: list[dict[str, Any]]) -> Row:
    cats, sufficient = _categories(fw, [m["question_id"] for m in members])
    table = table_of(((m["answer_1"], m["answer_2"]) for m in members), cats)
    return Row(level, key, agreement(table, sufficient))


_KEYS: dict[str, Callable[[dict[str, Any]], str]] = {
    "question": lambda m: m["question_id"],
    "criterion": lambda m: m["criterion_id"],
    "reader": lambda m: f"{m['reader_1']} / {m['reader_2']}",
}


def agreement_rows(fw: Framework, found: list[dict[str, Any]], by: str = "question") -> list[Row]:
    """The inspection row, then one row per question, criterion or reader pair (framework
    order for questions and criteria, by name for reader pairs)."""
    if by not in LEVELS:
        raise ValueError(f"--by {by!r}: use one of {', '.join(LEVELS)}")
    out = [_row(fw, "inspection", "all", found)] if found else []
    groups: dict[str, list[dict[str, Any]]] = {}
    for m in found:
        groups.setdefault(_KEYS[by](m), []).append(m)
    order = _order(fw, by)
    for key in sorted(groups, key=lambda k: (order.get(k, len(order)), k)):
        out.append(_row(fw, by, key, groups[key]))
    return out


def _order(fw: Framework, by: str) -> dict[str, int]:
    if by == "question":
        return {q.id: i for i, q in enumerate(fw.questions)}
    if by == "criterion":
        return {c.id: i for i, c in enumerate(fw.criteria)}
    return {}
