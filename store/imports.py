"""CSV imports of answers and case details: all rows validated, then one fragment.

Answers files may have a million rows, so they are checked with Arrow compute kernels
(set membership and joins against the framework), never a Python loop per row.
Case files are a case sample (hundreds of rows): each row goes through the same
`normalise_case_details` (casedetails.py) as the app's case details form.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from criteria.models import Framework

from .casedetails import FieldError, normalise_case_details, validate_case_details
from .clock import save_time
from .csvread import CsvProblem, TextTable, read_text_table
from .fragments import publish
from .import_cases import (
    CaseChange,
    CasesFile,
    ParsedCase,
    case_events,
    change_events,
    parse_cases_csv,
    plan_case_import,
    read_cases_csv,
)
from .importkit import ID_RULE, SAFE_ID, _event_ids, _row_numbers, os_user
from .layout import Layout, utc_now
from .schemas import ANSWERS

__all__ = [
    "AnswersFile",
    "CaseChange",
    "CasesFile",
    "CsvProblem",
    "FieldError",
    "ParsedCase",
    "plan_case_import",
    "read_answers_csv",
    "read_cases_csv",
    "answer_events",
    "case_events",
    "change_events",
    "normalise_case_details",
    "parse_answers_csv",
    "parse_cases_csv",
    "publish_events",
    "validate_case_details",
]

ANSWER_COLUMNS = ["case_id", "question_id", "answer"]
# columns `caseread export` writes beside those: accepted and ignored on import (an export,
# edited in a spreadsheet, imports back); `inspection_id` is checked instead
EXPORTED_ANSWER_COLUMNS = [
    "author", "saved_at", "framework_version", "applies", "scoring", "criterion_id",
    "outcome", "theme", "question_kind",
]
_SAVED_AT = ANSWERS.field("saved_at").type


# ---------------------------------------------------------------- answers


@dataclass
class _Check:
    """Rows failing one rule: a mask, the column to blame, and how to say it for a row."""

    mask: pa.ChunkedArray | pa.Array
    column: str
    describe: Callable[[int], str]


@dataclass(frozen=True)
class AnswersFile:
    """Validated answers (`table`) and the rows left out because every cell was empty."""

    table: pa.Table
    skipped: int


def parse_answers_csv(
    path: Path, framework: Framework, known_cases: Mapping[str, str]
) -> pa.Table:
    """Validated answers: `case_id, question_id, answer (choice value), note`."""
    return read_answers_csv(path, framework, known_cases).table


def read_answers_csv(
    path: Path, framework: Framework, known_cases: Mapping[str, str],
    inspection_id: str | None = None,
) -> AnswersFile:
    """Validated answers: `case_id, question_id, answer (choice value), note`.

    `known_cases` maps the inspection's case ids to their kind (`case`/`interview`);
    interview questions must be answered on interview records and the others on cases.
    Answers may be a choice's value, key, alias or label (`Yes`, `Not applicable`).
    The columns an export writes are accepted: `inspection_id` must be `inspection_id`
    (or empty), the others are ignored. Raises CsvProblem for the first bad row (and
    says how many more there are).
    """
    text = read_text_table(path, ANSWER_COLUMNS, ["note", "inspection_id"],
                           EXPORTED_ANSWER_COLUMNS)
    raw = text.table
    case_id = pc.utf8_trim_whitespace(raw["case_id"])
    question_id = pc.utf8_trim_whitespace(raw["question_id"])
    token = pc.utf8_lower(pc.utf8_trim_whitespace(raw["answer"]))
    tokens, values = _answer_tokens(framework)
    choice = pc.index_in(pc.binary_join_element_wise(question_id, token, "\x1f"),
                         value_set=tokens)
    answer = pc.take(values, choice)
    checks = _answer_checks(framework, known_cases, case_id, question_id, token, choice, raw,
                            text)
    if "inspection_id" in raw.column_names and inspection_id is not None:
        checks.insert(0, _inspection_check(raw["inspection_id"], inspection_id))
    _raise_first(path.name, checks, text)
    note = raw["note"] if "note" in raw.column_names else pa.nulls(raw.num_rows, pa.string())
    note = pc.if_else(pc.equal(pc.utf8_length(note), 0), None, note)
    return AnswersFile(pa.table({"case_id": case_id, "question_id": question_id,
                                 "answer": answer, "note": note}), text.skipped)


def _inspection_check(column: Any, inspection_id: str) -> _Check:
    given = pc.utf8_trim_whitespace(column)
    wrong = pc.and_(pc.not_equal(given, ""), pc.not_equal(given, inspection_id))
    return _Check(wrong, "inspection_id",
                  lambda i: f"this row is of inspection {given[i].as_py()!r}, "
                  f"not {inspection_id!r} (choose it with --inspection)")


def _answer_tokens(framework: Framework) -> tuple[pa.Array, pa.Array]:
    """Every accepted `question_id \\x1f token` and the choice value it stands for.

    Same precedence as Scale.parse: the first choice claiming a token wins, and labels
    only after every value, key and alias.
    """
    mapping: dict[str, str] = {}
    for question in (*framework.questions, *framework.interview_questions):
        for c in framework.scale_for(question).choices:
            for t in (c.value, c.key, *c.aliases):
                mapping.setdefault(f"{question.id}\x1f{t.strip().lower()}", c.value)
        for c in framework.scale_for(question).choices:
            mapping.setdefault(f"{question.id}\x1f{c.label.strip().lower()}", c.value)
    return pa.array(list(mapping), pa.string()), pa.array(list(mapping.values()), pa.string())


def _answer_checks(
    framework: Framework,
    known_cases: Mapping[str, str],
    case_id: Any,
    question_id: Any,
    token: Any,
    choice: Any,
    raw: pa.Table,
    text: TextTable,
) -> list[_Check]:
    def value(column: Any, i: int) -> str:
        return str(column[i].as_py())

    questions = pa.array([q.id for q in (*framework.questions, *framework.interview_questions)])
    interview_qs = pa.array([q.id for q in framework.interview_questions], pa.string())
    cases = pa.array(list(known_cases), pa.string())
    kinds = pa.array(list(known_cases.values()), pa.string())
    case_index = pc.index_in(case_id, value_set=cases)
    question_index = pc.index_in(question_id, value_set=questions)
    case_known, question_known = pc.is_valid(case_index), pc.is_valid(question_index)
    empty_answer = pc.equal(token, "")
    is_interview_case = pc.fill_null(
        pc.equal(pc.take(kinds, case_index), "interview"), False
    )
    is_interview_q = pc.is_in(question_id, value_set=interview_qs)
    wrong_kind = pc.and_(pc.and_(case_known, question_known),
                         pc.not_equal(is_interview_case, is_interview_q))

    def bad_answer(i: int) -> str:
        qid = value(question_id, i)
        try:
            framework.parse_answer(qid, value(raw["answer"], i))
        except ValueError as exc:
            return str(exc)
        return "not a valid answer"  # pragma: no cover - the kernels and parse agree

    def kind_problem(i: int) -> str:
        case, qid = value(case_id, i), value(question_id, i)
        if known_cases[case] == "interview":
            return f"{case} is an interview record, but question {qid} is a case question"
        return f"question {qid} is an interview question, but {case} is a case"

    return [
        _Check(pc.equal(case_id, ""), "case_id", lambda i: "the case id is empty"),
        _Check(pc.and_(pc.invert(pc.match_substring_regex(case_id, SAFE_ID.pattern)),
                       pc.not_equal(case_id, "")), "case_id",
               lambda i: f"invalid case id {value(case_id, i)!r}: {ID_RULE}"),
        _Check(pc.and_(pc.invert(case_known), pc.not_equal(case_id, "")), "case_id",
               lambda i: f"unknown case {value(case_id, i)!r} in this inspection "
               "(import its case details first)"),
        _Check(pc.invert(question_known), "question_id",
               lambda i: f"unknown question {value(question_id, i)!r}"),
        _Check(empty_answer, "answer", lambda i: "the answer is empty"),
        _Check(pc.and_(pc.and_(question_known, pc.invert(empty_answer)), pc.is_null(choice)),
               "answer", bad_answer),
        _Check(wrong_kind, "question_id", kind_problem),
        _duplicate_check(case_id, question_id, case_index, question_index, len(questions),
                         text),
    ]


def _duplicate_check(
    case_id: Any, question_id: Any, case_index: Any, question_index: Any, questions: int,
    text: TextTable,
) -> _Check:
    """A second row for the same case and question (which one should win is unclear).

    Keyed on integers (case number * questions + question number): hashing a million
    short ints is ~10x faster than hashing the strings. Unknown ids are checked elsewhere.
    """
    key = pc.add(pc.multiply(pc.cast(case_index, pa.int64()), questions),
                 pc.cast(question_index, pa.int64()))
    known = pc.drop_null(key)
    if len(pc.unique(known)) == len(known):  # the usual case: one hash pass, no join
        return _Check(pa.repeat(pa.scalar(False), len(key)), "question_id", str)
    keyed = pa.table({"key": key, "row": _row_numbers(len(key))})
    first = keyed.group_by("key", use_threads=False).aggregate([("row", "min")])
    # left outer: rows with an unknown case or question (null key) must stay, unflagged
    joined = keyed.join(first, "key", join_type="left outer").sort_by("row")
    mask = pc.and_kleene(pc.is_valid(joined["key"]),
                         pc.not_equal(joined["row"], joined["row_min"]))
    first_of = joined["row_min"]

    def describe(i: int) -> str:
        return (f"repeats row {text.row(first_of[i].as_py())} (case {case_id[i].as_py()}, "
                f"question {question_id[i].as_py()})")

    return _Check(mask, "question_id", describe)


def _raise_first(source: str, checks: list[_Check], text: TextTable) -> None:
    """Raise for the earliest failing row, counting every other failing row."""
    bad_rows: Any = None
    first: tuple[int, _Check] | None = None
    for check in checks:
        mask = pc.fill_null(check.mask, True)
        bad_rows = mask if bad_rows is None else pc.or_(bad_rows, mask)
        if not pc.any(mask).as_py():
            continue
        i = pc.index(mask, True).as_py()
        if first is None or i < first[0]:
            first = (i, check)
    if first is None:
        return
    i, check = first
    more = pc.sum(pc.cast(bad_rows, pa.int64())).as_py() - 1
    raise CsvProblem(source, check.describe(i), row=text.row(i), column=check.column, more=more)


# ---------------------------------------------------------------- events and saving


def answer_events(
    answers: pa.Table,
    inspection_id: str,
    framework_version: str,
    author: str | None = None,
    saved_at: datetime | None = None,
) -> pa.Table:
    """Validated answers (`parse_answers_csv`) as answer events, ready to publish."""
    n = answers.num_rows
    return pa.table(
        {
            "inspection_id": pa.repeat(pa.scalar(inspection_id, pa.string()), n),
            "case_id": answers["case_id"],
            "question_id": answers["question_id"],
            "answer": answers["answer"],
            "note": answers["note"],
            "author": pa.repeat(pa.scalar(author or os_user(), pa.string()), n),
            "saved_at": pa.repeat(pa.scalar(saved_at or utc_now(), _SAVED_AT), n),
            "framework_version": pa.repeat(pa.scalar(framework_version, pa.string()), n),
            "event_id": _event_ids(n),
        },
        schema=ANSWERS,
    )


def publish_events(store_dir: Path, kind: str, inspection_id: str, events: pa.Table) -> Path:
    """Save events as one new fragment of the inspection; durable when this returns."""
    layout = Layout(Path(store_dir))
    directory = layout.partition(kind, inspection_id)
    with save_time(layout, directory) as saved_at:  # the store's clock, in order
        column = pa.repeat(pa.scalar(saved_at, events.schema.field("saved_at").type),
                           events.num_rows)
        events = events.set_column(events.schema.get_field_index("saved_at"), "saved_at",
                                   column)
        return publish(layout, events, directory, row_group_size=1 << 17, when=saved_at)
