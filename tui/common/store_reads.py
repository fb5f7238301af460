"""Reads the screens need, run inside thread workers (never on the event loop).

Everything goes through `Store.query` (its own cursor per call, retried when compaction
removes a file) on the documented views; nothing here reads raw fragment globs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from tui.common.case_model import AnswerState, CaseModel
from tui.common.qa_status import with_qa_status

if TYPE_CHECKING:  # not at run time: the case list starts before pydantic is imported
    from criteria.models import Framework
    from tui.common.store_seam import Store

LIST_FIELDS = ("case_type", "rosh", "om_grade", "office", "inspector")


def signature(store: Store, inspection_id: str) -> object:
    """A cheap fingerprint of the inspection's data that changes on every save."""
    return store.fragment_signature(inspection_id)


def rows(store: Store, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
    return list(store.query(sql, params).to_pylist())


def is_synthetic(store: Store, inspection_id: str) -> bool:
    """Whether the inspection's data is synthetic (the demo): shown wherever it is."""
    found = store.query("SELECT synthetic FROM inspections WHERE inspection_id = ?",
                        [inspection_id]).column(0).to_pylist()
    return bool(found and found[0])


def inspections(store: Store) -> list[dict[str, Any]]:
    return rows(store, "SELECT * FROM inspections ORDER BY date DESC, inspection_id")


@dataclass(frozen=True)
class CaseRow:
    case_id: str
    kind: str
    cells: dict[str, str]  # list column -> display text
    answered: int
    applicable: int
    status: str  # not started | in progress | complete
    rank: dict[str, int]  # choice fields: position in the framework's list, for sorting


def case_rows(store: Store, framework: Framework, inspection_id: str) -> list[CaseRow]:
    """Every case and interview of an inspection with progress, computed like the form."""
    cases = rows(store, "SELECT * FROM cases WHERE inspection_id = ?", [inspection_id])
    answers: dict[str, dict[str, str | None]] = {}
    for r in rows(
        store,
        "SELECT case_id, question_id, answer FROM answers_current WHERE inspection_id = ?",
        [inspection_id],
    ):
        answers.setdefault(r["case_id"], {})[r["question_id"]] = r["answer"]
    authors = _first_authors(store, inspection_id)
    out = []
    for case in cases:
        if case.get("deleted") or case.get("_deleted"):
            continue
        kind = case.get("kind") or "case"
        calibration = kind == "calibration"  # listed with the cases it is read like
        kind = "case" if calibration else kind
        values = answers.get(case["case_id"], {})
        model = CaseModel(framework, kind, case, {q: AnswerState(v) for q, v in values.items()})
        answered, applicable = model.progress()
        status = (
            "complete" if case.get("marked_complete")
            else "in progress" if answered else "not started"
        )
        cells = {f: _display(framework, f, case.get(f)) for f in LIST_FIELDS}
        if not cells["inspector"]:
            cells["inspector"] = authors.get(case["case_id"], "")
        cells["reference"] = ("CAL " if calibration else "") + str(case.get("case_ref")
                                                                   or case["case_id"])
        rank = {f: _rank(framework, f, case.get(f)) for f in LIST_FIELDS}
        out.append(CaseRow(case["case_id"], kind, cells, answered, applicable, status, rank))
    return with_qa_status(store, inspection_id, out)


def _first_authors(store: Store, inspection_id: str) -> dict[str, str]:
    """Who created each case: the list's 'inspector' when no field records it."""
    try:
        found = rows(
            store,
            "SELECT case_id, arg_min(author, saved_at) AS author FROM case_history "
            "WHERE inspection_id = ? GROUP BY case_id",
            [inspection_id],
        )
    except Exception:  # the view may lack the column in an older store: the column is cosmetic
        return {}
    return {r["case_id"]: r["author"] for r in found}


def _rank(framework: Framework, field_id: str, value: Any) -> int:
    """Position of a choice in the framework (low < medium < high), -1 if not a choice."""
    try:
        return framework.case_field(field_id).values().index(value)
    except (KeyError, ValueError):
        return -1


def _display(framework: Framework, field_id: str, value: Any) -> str:
    if value is None:
        return ""
    try:
        field = framework.case_field(field_id)
    except KeyError:
        return str(value)
    labels = {c.value: c.label for c in field.choices}
    if isinstance(value, list):
        return ", ".join(str(labels.get(v, v)) for v in value)
    return SHORT.get(field_id, {}).get(str(value), labels.get(str(value), str(value)))


# Short forms for the narrow list columns (the form and modal show the full labels).
SHORT: dict[str, dict[str, str]] = {
    "case_type": {"community_order": "CO", "suspended_sentence_order": "SSO", "licence": "Licence"},
    "rosh": {"low": "Low", "medium": "Medium", "high": "High", "very_high": "V.high"},
    "om_grade": {"po": "PO", "pso": "PSO"},
}


@dataclass(frozen=True)
class LoadedCase:
    case_id: str
    kind: str
    details: dict[str, Any]
    marked_complete: bool
    answers: dict[str, AnswerState]


def case_details(store: Store, inspection_id: str, case_id: str) -> dict[str, Any] | None:
    """The case's row of the `cases` view (typed values), None if there is no such case."""
    found = rows(
        store, "SELECT * FROM cases WHERE inspection_id = ? AND case_id = ?",
        [inspection_id, case_id],
    )
    return found[0] if found else None


def case_exists(store: Store, inspection_id: str, case_id: str) -> bool:
    """Whether the id is taken in the inspection (a deleted case's id included)."""
    return bool(rows(store, "SELECT 1 FROM case_rows WHERE inspection_id = ? AND case_id = ?",
                     [inspection_id, case_id]))


def load_case(store: Store, inspection_id: str, case_id: str) -> LoadedCase:
    case = case_details(store, inspection_id, case_id)
    if case is None:
        raise LookupError(f"no case {case_id!r} in inspection {inspection_id!r}")
    kind = case.get("kind") or "case"
    return LoadedCase(
        case_id, "case" if kind == "calibration" else kind, case,
        bool(case.get("marked_complete")),
        case_answers(store, inspection_id, case_id),
    )


def case_answers(store: Store, inspection_id: str, case_id: str) -> dict[str, AnswerState]:
    out = {}
    for r in rows(
        store,
        "SELECT question_id, answer, note, author, saved_at FROM answers_current "
        "WHERE inspection_id = ? AND case_id = ?",
        [inspection_id, case_id],
    ):
        saved_at: datetime | None = r["saved_at"]
        out[r["question_id"]] = AnswerState(r["answer"], r["note"], r["author"], saved_at)
    return out


def new_case_model(framework: Framework, loaded: LoadedCase) -> CaseModel:
    return CaseModel(framework, loaded.kind, loaded.details, loaded.answers)
