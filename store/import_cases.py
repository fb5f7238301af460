"""CSV import of case details: every row checked like the case details form, then what
the import does to each case (added, changed, unchanged, restored) decided against the
store's current details, so only real changes are written and each is reported.

Case files are a case sample (hundreds of rows): each row goes through the same
`normalise_case_details` (casedetails.py) as the app's case details form. An empty cell
leaves a saved detail as it is; `(clear)` clears it and `(none)` stores an empty list.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pyarrow as pa

from criteria.models import Framework

from .casedetails import normalise_case_details
from .csvread import CsvProblem, read_text_table
from .importkit import ID_RULE, SAFE_ID, _event_ids, os_user
from .layout import utc_now
from .schemas import CASES

KINDS = ("case", "interview")
CLEAR = "(clear)"  # a cell holding this clears the saved detail
EMPTY_LIST = "(none)"  # a list detail holding this is saved as an empty list
# columns `caseread export` writes in cases.csv beside the details: `inspection_id` is
# checked, `marked_complete` ignored (marking a case complete is the reader's act)
EXPORTED_CASE_COLUMNS = ["marked_complete"]
ACTIONS = ("added", "changed", "unchanged", "restored")


@dataclass(frozen=True)
class ParsedCase:
    case_id: str
    kind: str
    details: dict[str, str | None]  # stored text; None = clear the detail
    row: int = 0  # spreadsheet row


@dataclass(frozen=True)
class CasesFile:
    cases: list[ParsedCase]
    skipped: int  # rows left out because every cell was empty


@dataclass(frozen=True)
class CaseChange:
    """What an import does to one case: `action` one of ACTIONS, and the details written
    (field -> new stored text, None = cleared; `_kind`/`_deleted` included)."""

    case_id: str
    action: str
    writes: dict[str, str | None] = field(default_factory=dict)

    def describe(self) -> str:
        shown = [k.lstrip("_") for k in self.writes if k not in ("_deleted",)]
        return f"{self.case_id} {self.action}" + (f" ({', '.join(shown)})" if shown
                                                    and self.action != "added" else "")


def parse_cases_csv(path: Path, framework: Framework) -> list[ParsedCase]:
    """Validated case details (see read_cases_csv)."""
    return read_cases_csv(path, framework).cases


def read_cases_csv(path: Path, framework: Framework,
                   inspection_id: str | None = None) -> CasesFile:
    """Validated case details: a `case_id` column, optional `kind`, one per case field.

    Empty cells are left out (an import does not clear details already saved); `(clear)`
    clears a detail, `(none)` stores an empty list. An `inspection_id` column (as the
    export writes) must hold `inspection_id` or be empty. Raises CsvProblem.
    """
    field_ids = [f.id for f in framework.case_fields]
    required = ["case_id", *(f.id for f in framework.case_fields if f.required)]
    text = read_text_table(path, required, ["kind", "inspection_id"],
                           [*field_ids, *EXPORTED_CASE_COLUMNS])
    seen: dict[str, int] = {}
    parsed: list[ParsedCase] = []
    problems: list[tuple[int, str, str]] = []
    for index, row in enumerate(text.table.to_pylist()):
        number = text.row(index)
        case_id = row.pop("case_id").strip()
        kind = (row.pop("kind", "") or "case").strip().lower()
        given = (row.pop("inspection_id", "") or "").strip()
        for extra in EXPORTED_CASE_COLUMNS:
            row.pop(extra, None)
        bad_id = _case_row_problem(case_id, kind, seen)
        if bad_id is None and inspection_id is not None and given not in ("", inspection_id):
            bad_id = ("inspection_id", f"this row is of inspection {given!r}, not "
                      f"{inspection_id!r} (choose it with --inspection)")
        if bad_id:
            problems.append((number, *bad_id))
            continue
        seen[case_id] = number
        details, errors = _details(framework, row, kind)
        if errors:
            problems.append((number, *errors[0]))
            continue
        parsed.append(ParsedCase(case_id, kind, details, number))
    if problems:
        row_number, column, problem = problems[0]
        raise CsvProblem(path.name, problem, row=row_number, column=column,
                         more=len(problems) - 1)
    return CasesFile(parsed, text.skipped)


def _details(framework: Framework, row: dict[str, str],
             kind: str) -> tuple[dict[str, str | None], list[tuple[str, str]]]:
    """Stored text of the filled-in cells; (field, problem) pairs if any is wrong."""
    fields = {f.id: f for f in framework.case_fields}
    clears: dict[str, str | None] = {}
    errors: list[tuple[str, str]] = []
    given: dict[str, str] = {}
    for name, value in row.items():
        token = value.strip().lower()
        if token == CLEAR:
            if fields[name].required and kind == "case":
                errors.append((name, f"{fields[name].label} is required: it cannot be "
                               "cleared"))
            clears[name] = None
        elif token == EMPTY_LIST:
            if fields[name].type != "multi":
                errors.append((name, f"{EMPTY_LIST} is for lists; use {CLEAR} to clear "
                               "a detail"))
            clears[name] = ""
        elif value.strip():
            given[name] = value
    # interview records (offender manager interviews) have no required case details
    stored, problems = normalise_case_details(framework, given, kind == "case")
    problems = [p for p in problems if p.field not in clears]
    errors += [(p.field, p.problem) for p in problems]
    return {**{k: v for k, v in stored.items() if v}, **clears}, errors


def _case_row_problem(case_id: str, kind: str, seen: dict[str, int]) -> tuple[str, str] | None:
    if not case_id:
        return "case_id", "the case id is empty"
    if not SAFE_ID.match(case_id):
        return "case_id", f"invalid case id {case_id!r}: {ID_RULE}"
    if case_id in seen:
        return "case_id", f"case {case_id} repeats row {seen[case_id]}"
    if kind not in KINDS:
        return "kind", f"{kind!r} is not one of: {', '.join(KINDS)}"
    return None


def plan_case_import(
    cases: list[ParsedCase], current: Mapping[str, Mapping[str, str | None]],
    answered: Collection[str] = (), source: str = "the file",
) -> list[CaseChange]:
    """What importing `cases` does to each, given `current` (case id -> field -> stored
    text, `_kind` and `_deleted` included, as the `case_values` view has them).

    Refused (CsvProblem, nothing imported): changing the kind of a record that has
    answers (`answered`), which would silently take its answers out of the scores.
    """
    refused = [c for c in cases if c.case_id in answered and c.case_id in current
               and (current[c.case_id].get("_kind") or "case") != c.kind]
    if refused:
        case = refused[0]
        old = current[case.case_id].get("_kind") or "case"
        raise CsvProblem(source, f"{case.case_id} is {_a(old)} record with answers: it "
                         f"cannot become {_a(case.kind)} (its answers would leave the "
                         f"{'scores' if old == 'case' else 'interview counts'})",
                         row=case.row, column="kind", more=len(refused) - 1)
    plan = []
    for case in cases:
        now = current.get(case.case_id)
        if now is None:
            writes: dict[str, str | None] = {"_kind": case.kind}
            writes |= {k: v for k, v in case.details.items() if v is not None}
            plan.append(CaseChange(case.case_id, "added", writes))
            continue
        writes = {k: v for k, v in case.details.items() if now.get(k) != v}
        if (now.get("_kind") or "case") != case.kind:
            writes = {"_kind": case.kind, **writes}
        if now.get("_deleted") == "true":
            plan.append(CaseChange(case.case_id, "restored", {**writes, "_deleted": "false"}))
        else:
            plan.append(CaseChange(case.case_id, "changed" if writes else "unchanged", writes))
    return plan


def _a(kind: str) -> str:
    return f"an {kind}" if kind[0] in "aeiou" else f"a {kind}"


def change_events(
    plan: list[CaseChange],
    inspection_id: str,
    framework_version: str,
    author: str | None = None,
    saved_at: datetime | None = None,
) -> pa.Table:
    """The case detail events that carry out `plan` (nothing for unchanged cases)."""
    return _events([(c.case_id, k, v) for c in plan for k, v in c.writes.items()],
                   inspection_id, framework_version, author, saved_at)


def case_events(
    cases: list[ParsedCase],
    inspection_id: str,
    framework_version: str,
    author: str | None = None,
    saved_at: datetime | None = None,
) -> pa.Table:
    """Parsed cases as case detail events: `_kind` plus one event per given detail."""
    rows: list[tuple[str, str, str | None]] = [(c.case_id, "_kind", c.kind) for c in cases]
    rows += [(c.case_id, k, v) for c in cases for k, v in c.details.items()]
    return _events(rows, inspection_id, framework_version, author, saved_at)


def _events(rows: list[tuple[str, str, str | None]], inspection_id: str,
            framework_version: str, author: str | None,
            saved_at: datetime | None) -> pa.Table:
    n = len(rows)
    columns = list(zip(*rows, strict=True)) if rows else [(), (), ()]
    return pa.table(
        {
            "inspection_id": [inspection_id] * n,
            "case_id": list(columns[0]),
            "field": list(columns[1]),
            "value": list(columns[2]),
            "author": [author or os_user()] * n,
            "saved_at": [saved_at or utc_now()] * n,
            "framework_version": [framework_version] * n,
            "event_id": _event_ids(n),
        },
        schema=CASES,
    )
