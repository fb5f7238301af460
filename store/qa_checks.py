"""Running the data quality rules (criteria/checks.py) and the sign-off completeness test
over the store: per case (the form, sign-off) and over an inspection (`caseread qa check`,
the QA screen)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any, Protocol

from criteria import Framework
from criteria.checks import Check, load_checks

if TYPE_CHECKING:
    import pyarrow as pa

    from .layout import Layout


class QaStore(Protocol):
    """What the QA functions use of a store (`store.Store`, or the app's store seam)."""

    layout: Layout
    author: str

    @property
    def framework(self) -> Framework: ...

    def query(self, sql: str, params: Sequence[object] | None = None) -> pa.Table: ...


class WritingStore(QaStore, Protocol):
    """A QA store that can also save case details (`store.Store`)."""

    def save_case(self, inspection_id: str, case_id: str, details: dict[str, object],
                  kind: str = "case") -> object: ...


Store = QaStore


@dataclass(frozen=True)
class CheckResult:
    """One failed check of one case; `accepted_by`/`reason` set once a lead accepted it."""

    inspection_id: str
    case_id: str
    check_id: str
    question_id: str
    text: str
    accepted_by: str | None = None
    reason: str | None = None

    @property
    def accepted(self) -> bool:
        return self.accepted_by is not None

    def to_json(self) -> dict[str, Any]:
        return asdict(self) | {"accepted": self.accepted}


def failed_checks(
    checks: list[Check], details: Mapping[str, Any], answers: Mapping[str, str | None]
) -> list[Check]:
    """The checks that fail for one case (pure: the form runs it on every change)."""
    return [c for c in checks if c.fails(details, answers)]


def unanswered(fw: Framework, details: Mapping[str, Any],
               answers: Mapping[str, str | None]) -> list[str]:
    """Scoring and fact questions that apply to the case and have no answer, in order."""
    known, given = dict(details), dict(answers)
    return [q.id for q in fw.questions
            if given.get(q.id) is None and fw.applies(q.id, known, given)]


def _cases(store: Store, inspection_id: str, case_id: str | None) -> list[dict[str, Any]]:
    sql = "SELECT * FROM cases WHERE inspection_id = ? AND kind = 'case'"
    params: list[Any] = [inspection_id]
    if case_id is not None:
        sql += " AND case_id = ?"
        params.append(case_id)
    return store.query(sql + " ORDER BY case_id", params).to_pylist()


def _answers(store: Store, inspection_id: str, case_id: str | None) -> dict[str, dict[str, str]]:
    sql = "SELECT case_id, question_id, answer FROM answers_current WHERE inspection_id = ?"
    params: list[Any] = [inspection_id]
    if case_id is not None:
        sql += " AND case_id = ?"
        params.append(case_id)
    out: dict[str, dict[str, str]] = {}
    for row in store.query(sql, params).to_pylist():
        out.setdefault(row["case_id"], {})[row["question_id"]] = row["answer"]
    return out


def _acceptances(store: Store, inspection_id: str) -> dict[tuple[str, str], dict[str, Any]]:
    rows = store.query(
        "SELECT case_id, check_id, accepted_by, reason FROM check_acceptances "
        "WHERE inspection_id = ?", [inspection_id]).to_pylist()
    return {(r["case_id"], r["check_id"]): r for r in rows}


def settled(check: Check, marked_complete: bool, answers: Mapping[str, str | None]) -> bool:
    """Worth showing while a case is being read: once it is marked complete, or once every
    question the check reads is answered (a contradiction shows at once; "X unanswered"
    waits until the reader says they are done)."""
    return marked_complete or all(answers.get(q) is not None for q in check.rule.questions)


def run_checks(store: Store, inspection_id: str, case_id: str | None = None,
               checks: list[Check] | None = None, settled_only: bool = False,
               ) -> list[CheckResult]:
    """Every failed check of the inspection's case records (or of one case), with the
    lead's acceptance where there is one; ordered by case, then check file order.
    `settled_only`: only those `settled` says are worth showing yet (the QA screen)."""
    checks = load_checks(store.framework) if checks is None else checks
    answers = _answers(store, inspection_id, case_id)
    accepted = _acceptances(store, inspection_id)
    out = []
    for case in _cases(store, inspection_id, case_id):
        cid = case["case_id"]
        given = answers.get(cid, {})
        for check in failed_checks(checks, case, given):
            if settled_only and not settled(check, bool(case.get("marked_complete")), given):
                continue
            acc = accepted.get((cid, check.id), {})
            out.append(CheckResult(inspection_id, cid, check.id, check.question, check.text,
                                   acc.get("accepted_by"), acc.get("reason")))
    return out


def case_unanswered(store: Store, inspection_id: str, case_id: str) -> list[str]:
    """Applicable questions of one case record still without an answer."""
    rows = _cases(store, inspection_id, case_id)
    if not rows:
        return []
    return unanswered(store.framework, rows[0], _answers(store, inspection_id, case_id)
                      .get(case_id, {}))


def unmark_incomplete(store: WritingStore, inspection_id: str,
                      case_ids: Iterable[str]) -> list[tuple[str, list[str]]]:
    """Honest completion for changes made outside the form (issue 12): each case of
    `case_ids` marked complete that now has applicable questions unanswered (an answer
    cleared, a detail that opens questions) is marked not complete, as a saved event
    (the history keeps it). Returns [(case_id, its unanswered question ids)]."""
    wanted = sorted(set(case_ids))
    if not wanted:
        return []
    marked = store.query(
        "SELECT case_id FROM cases WHERE inspection_id = ? AND marked_complete "
        "AND list_contains(?, case_id)", [inspection_id, wanted]).column("case_id").to_pylist()
    out = []
    for case_id in marked:
        missing = case_unanswered(store, inspection_id, case_id)
        if missing:
            store.save_case(inspection_id, case_id, {"_complete": "false"})
            out.append((case_id, missing))
    return out


def describe_unmarked(case_id: str, missing: list[str]) -> str:
    """One line for a person: which case is no longer complete, and why."""
    shown = ", ".join(missing[:5]) + (", ..." if len(missing) > 5 else "")
    return (f"{case_id} is no longer marked complete: {len(missing)} applicable "
            f"question(s) unanswered ({shown})")
