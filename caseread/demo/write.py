"""Write the demo inspection into a store through the store API, once.

Idempotent: if the demo inspection is there, nothing is written unless `rebuild`. A
rebuild never deletes: it saves the generated state again as new events, clearing answers
and removing cases the generator no longer makes, so the history shows the reset.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from caseread.demo.build import INSPECTION_ID, DemoData, generate
from caseread.demo.qa_history import write_qa_history
from store import AnswerInput, Store

MARKER = "caseread-store.json"


@dataclass(frozen=True)
class DemoResult:
    store_dir: Path
    inspection_id: str
    created: bool  # False: it was already there and left alone


def open_or_init(store_dir: Path) -> Store:
    if (store_dir / MARKER).exists():
        return Store.open(store_dir)
    return Store.init(store_dir)


def has_inspection(store: Store, inspection_id: str) -> bool:
    table = store.query("SELECT count(*) AS n FROM inspections WHERE inspection_id = ?",
                        [inspection_id])
    return bool(table.column("n")[0].as_py())


def ensure_demo(store_dir: Path, rebuild: bool = False,
                data: DemoData | None = None) -> DemoResult:
    store = open_or_init(store_dir)
    if has_inspection(store, INSPECTION_ID) and not rebuild:
        return DemoResult(store_dir, INSPECTION_ID, created=False)
    data = data or generate()
    write(store, data)
    return DemoResult(store_dir, data.inspection_id, created=True)


def write(store: Store, data: DemoData) -> None:
    """Each inspector's cases and answers saved under their pseudonymous id (one answer
    fragment each), so breakdowns by who answered have something to show."""
    store.add_inspection(data.inspection_id, data.area, data.date, label=data.label,
                         synthetic=True)
    _retire_stale(store, data)
    me = store.author
    try:
        for inspector in sorted(set(data.inspectors.values())):
            store.author = inspector
            mine = [c for c in data.cases if data.inspectors[c] == inspector]
            for case_id in mine:
                store.save_case(data.inspection_id, case_id,
                                _stored_details(data, case_id, data.cases[case_id]),
                                kind=data.kinds[case_id])
            batch = [AnswerInput(c, q, a) for c in mine for q, a in data.answers[c].items()]
            if batch:
                store.save_answers(data.inspection_id, batch)
        _write_second_readings(store, data)
    finally:
        store.author = me
    write_qa_history(store, data)
    store.compact()


def _write_second_readings(store: Store, data: DemoData) -> None:
    """Each double-read case: assigned, read by its second reader, marked complete."""
    from store.second_reading import assign_reading, mark_reading_complete, save_reading

    for case_id, (reader, answers) in sorted(data.second_readings.items()):
        number = assign_reading(store, data.inspection_id, case_id, reader, reading=2)
        store.author = reader
        save_reading(store, data.inspection_id, number,
                     [AnswerInput(case_id, q, a) for q, a in answers.items()])
        mark_reading_complete(store, data.inspection_id, case_id, number)


def _stored_details(data: DemoData, case_id: str, details: dict[str, object]) -> dict[str, object]:
    out = {k: v for k, v in details.items() if v is not None}
    out["_complete"] = "true" if data.complete.get(case_id) else "false"
    return out


def _retire_stale(store: Store, data: DemoData) -> None:
    """On a rebuild: clear answers and remove cases the generated state does not have."""
    current = store.query(
        "SELECT case_id, question_id FROM answers_current WHERE inspection_id = ?",
        [data.inspection_id],
    ).to_pylist()
    known = {q.id for q in (*store.framework.questions, *store.framework.interview_questions)}
    stale = [AnswerInput(r["case_id"], r["question_id"], None) for r in current
             if r["question_id"] not in data.answers.get(r["case_id"], {})
             and r["question_id"] in known]  # a retired question cannot be answered, even blank
    if stale:
        store.save_answers(data.inspection_id, stale)
    cases = store.query("SELECT case_id, kind FROM cases WHERE inspection_id = ?",
                        [data.inspection_id]).to_pylist()
    for row in cases:
        if row["case_id"] not in data.cases:
            store.save_case(data.inspection_id, row["case_id"], {"_deleted": "true"},
                            kind=row["kind"] or "case")
