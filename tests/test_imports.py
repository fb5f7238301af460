"""CSV imports: every bad input names row and column, and nothing is imported."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from criteria.models import (
    CaseField,
    Choice,
    Criterion,
    Framework,
    Outcome,
    Question,
    Scale,
    ScaleChoice,
    Section,
    Theme,
)
from store.csvread import CsvProblem
from store.imports import (
    FieldError,
    answer_events,
    case_events,
    parse_answers_csv,
    parse_cases_csv,
    publish_events,
    validate_case_details,
)
from store.schemas import ANSWERS, CASES

KNOWN = {"C1": "case", "C2": "case", "OM01": "interview"}


def small_framework() -> Framework:
    """Two case questions on two scales and one interview question."""
    yes_no_na = Scale(
        id="yes_no_na",
        choices=[
            ScaleChoice(value="yes", label="Yes", key="y", scoring="sufficient", aliases=["1"]),
            ScaleChoice(value="no", label="No", key="n", scoring="insufficient"),
            ScaleChoice(value="na", label="N/A", key="x", scoring="not_applicable",
                        aliases=["n/a"]),
        ],
    )
    progress = Scale(
        id="progress",
        choices=[
            ScaleChoice(value="good", label="Good", key="1", scoring="sufficient"),
            ScaleChoice(value="insufficient", label="Poor", key="3", scoring="insufficient"),
        ],
    )
    return Framework(
        version="test.1",
        outcomes=[Outcome(code=1, title="Assessment", short="A")],
        themes=[Theme(code=1, title="Theme")],
        criteria=[
            Criterion(id="1.1", outcome=1, theme=1, title="C", scored_from="cases"),
            Criterion(id="1.4", outcome=1, theme=1, title="I", scored_from="interviews"),
        ],
        sections=[Section(id="main", title="Main", order=1)],
        case_fields=[
            CaseField(id="case_type", label="Type of case", type="choice", required=True,
                      choices=[Choice(value="licence", label="Licence"),
                               Choice(value="community_order", label="Community order")]),
            CaseField(id="requirements", label="Requirements", type="multi",
                      choices=[Choice(value="unpaid_work", label="Unpaid work"),
                               Choice(value="curfew", label="Curfew")]),
            CaseField(id="age", label="Age", type="int"),
            CaseField(id="transfer_in", label="Transferred in", type="bool"),
            CaseField(id="office", label="Office", type="text"),
        ],
        scales={"yes_no_na": yes_no_na, "progress": progress},
        questions=[
            Question(id="1.1.01", criterion="1.1", section="main", text="Q one?"),
            Question(id="1.1.02", criterion="1.1", section="main", text="Q two?",
                     scale="progress"),
        ],
        interview_questions=[
            Question(id="1.4.01", criterion="1.4", section="main", text="Interview?",
                     kind="interview"),
        ],
    )


FW = small_framework()


def write(tmp_path: Path, text: str | bytes, name: str = "answers.csv") -> Path:
    path = tmp_path / name
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(text)
    return path


def problem(tmp_path: Path, text: str | bytes) -> CsvProblem:
    with pytest.raises(CsvProblem) as info:
        parse_answers_csv(write(tmp_path, text), FW, KNOWN)
    assert str(info.value).endswith("nothing imported")
    return info.value


# ---------------------------------------------------------------- answers


def test_answers_are_normalised_to_choice_values(tmp_path: Path) -> None:
    text = (
        "case_id,question_id,answer,note\n"
        "C1,1.1.01,Y,\n"
        " C2 ,1.1.01,n/a,seen\n"
        "C1,1.1.02,3,\n"
        "OM01,1.4.01,yes,\n"
    )
    table = parse_answers_csv(write(tmp_path, text), FW, KNOWN)
    assert table.to_pylist() == [
        {"case_id": "C1", "question_id": "1.1.01", "answer": "yes", "note": None},
        {"case_id": "C2", "question_id": "1.1.01", "answer": "na", "note": "seen"},
        {"case_id": "C1", "question_id": "1.1.02", "answer": "insufficient", "note": None},
        {"case_id": "OM01", "question_id": "1.4.01", "answer": "yes", "note": None},
    ]


def test_notes_may_span_lines(tmp_path: Path) -> None:
    text = 'case_id,question_id,answer,note\nC1,1.1.01,y,"first line\nsecond, line"\nC2,1.1.01,n,\n'
    table = parse_answers_csv(write(tmp_path, text), FW, KNOWN)
    assert table["note"].to_pylist() == ["first line\nsecond, line", None]
    ragged = 'case_id,question_id,answer,note\nC1,1.1.01,y,"a\nb"\nC2,1.1.01,n,,extra\n'
    assert problem(tmp_path, ragged).row == 3


def test_spaces_around_column_names_are_ignored(tmp_path: Path) -> None:
    text = " case_id , question_id,answer \nC1,1.1.01,y\n"
    assert parse_answers_csv(write(tmp_path, text), FW, KNOWN)["answer"].to_pylist() == ["yes"]


def test_semicolon_separated_files_are_explained(tmp_path: Path) -> None:
    error = problem(tmp_path, "case_id;question_id;answer\nC1;1.1.01;y\n")
    assert error.row == 1 and "separated by ';', not commas" in error.problem


def test_utf8_bom_from_spreadsheets_is_accepted(tmp_path: Path) -> None:
    text = b"\xef\xbb\xbfcase_id,question_id,answer\r\nC1,1.1.01,yes\r\n"
    assert parse_answers_csv(write(tmp_path, text), FW, KNOWN).num_rows == 1


@pytest.mark.parametrize(
    ("text", "row", "column", "words"),
    [
        ("case_id,answer\nC1,yes\n", 1, None, "missing column question_id"),
        ("case_id,question_id,answer,colour\nC1,1.1.01,yes,red\n", 1, "colour", "unknown column"),
        ("case_id,question_id,answer\nC1,1.1.01,yes\nC9,1.1.01,yes\n", 3, "case_id",
         "unknown case 'C9'"),
        ("case_id,question_id,answer\nC1,9.9.99,yes\n", 2, "question_id", "unknown question"),
        ("case_id,question_id,answer\nC1,1.1.01,maybe\n", 2, "answer",
         "'maybe' is not an answer on scale yes_no_na: use yes (y), no (n), na (x)"),
        ("case_id,question_id,answer\nC1,1.1.02,yes\n", 2, "answer", "scale progress"),
        ("case_id,question_id,answer\nC1,1.1.01,\n", 2, "answer", "the answer is empty"),
        ("case_id,question_id,answer\n,1.1.01,yes\n", 2, "case_id", "the case id is empty"),
        ("case_id,question_id,answer\nC 1,1.1.01,yes\n", 2, "case_id", "invalid case id 'C 1'"),
        ("case_id,question_id,answer\nC1,1.1.01,yes\nC2,1.1.01,no\nC1,1.1.01,no\n", 4,
         "question_id", "repeats row 2 (case C1, question 1.1.01)"),
        ("case_id,question_id,answer\nC1,1.4.01,yes\n", 2, "question_id",
         "is an interview question, but C1 is a case"),
        ("case_id,question_id,answer\nOM01,1.1.01,yes\n", 2, "question_id",
         "OM01 is an interview record"),
        ("case_id,question_id,answer\nC1,1.1.01,yes,extra\n", 2, None, "expected 3 columns"),
    ],
)
def test_bad_answers_name_row_and_column(
    tmp_path: Path, text: str, row: int, column: str | None, words: str
) -> None:
    error = problem(tmp_path, text)
    assert (error.row, error.column) == (row, column)
    assert words in error.problem


def test_the_earliest_bad_row_is_named_and_the_rest_counted(tmp_path: Path) -> None:
    text = "case_id,question_id,answer\nC1,1.1.01,yes\nC1,1.1.02,nope\nC9,1.1.01,yes\nC2,x,y\n"
    error = problem(tmp_path, text)
    assert (error.row, error.column, error.more) == (3, "answer", 2)
    assert "(and 2 more rows with problems)" in str(error)


def test_duplicates_among_unknown_ids_are_counted_right(tmp_path: Path) -> None:
    text = ("case_id,question_id,answer\nC9,1.1.01,y\nC9,1.1.01,y\nC1,9.9.99,y\n"
            "C1,1.1.01,y\nC2,1.1.01,n\nC1,1.1.01,n\n")
    error = problem(tmp_path, text)
    assert (error.row, error.column, error.more) == (2, "case_id", 3)
    assert "repeats row 5" not in error.problem
    text = "case_id,question_id,answer\nC9,1.1.01,y\nC1,1.1.01,y\nC1,1.1.01,n\n"
    with pytest.raises(CsvProblem) as info:
        parse_answers_csv(write(tmp_path, text), FW, {"C1": "case", "C9": "case"})
    assert (info.value.row, info.value.problem) == (
        4, "repeats row 3 (case C1, question 1.1.01)")


def test_empty_file_and_header_only(tmp_path: Path) -> None:
    assert "the file is empty" in problem(tmp_path, "").problem
    assert "no rows after the header" in problem(tmp_path, "case_id,question_id,answer\n").problem


def test_wrong_encoding_names_byte_offset_and_row(tmp_path: Path) -> None:
    text = b"case_id,question_id,answer,note\nC1,1.1.01,yes,ok\nC2,1.1.01,no,caf\xe9\n"
    error = problem(tmp_path, text)
    offset = text.index(b"\xe9")
    assert error.row == 3
    assert f"not UTF-8 (byte 0xe9 at byte offset {offset})" in error.problem


def test_wrong_encoding_in_the_header(tmp_path: Path) -> None:
    error = problem(tmp_path, b"case_id,question_id,answer,n\xf6te\nC1,1.1.01,yes,\n")
    assert error.row == 1 and "not UTF-8" in error.problem


def test_answer_events_have_the_store_schema(tmp_path: Path) -> None:
    text = "case_id,question_id,answer\nC1,1.1.01,y\nC2,1.1.01,n\n"
    events = answer_events(parse_answers_csv(write(tmp_path, text), FW, KNOWN), "I1", "test.1",
                           author="alice")
    assert events.schema == ANSWERS
    assert events["author"].to_pylist() == ["alice", "alice"]
    ids = events["event_id"].to_pylist()
    assert len(set(ids)) == 2 and all(len(i) == 32 for i in ids)


def test_publish_writes_one_fragment(tmp_path: Path) -> None:
    store = tmp_path / "store"
    text = "case_id,question_id,answer\nC1,1.1.01,y\nC2,1.1.01,n\n"
    events = answer_events(parse_answers_csv(write(tmp_path, text), FW, KNOWN), "I1", "test.1")
    path = publish_events(store, "answers", "I1", events)
    assert path.parent == store / "answers" / "inspection_id=I1" and path.name.startswith("part-")
    saved = pq.read_table(path)
    # the events as given, stamped with the store's time of the save (the time in the name)
    named = datetime.strptime(path.name.split("-")[1], "%Y%m%dT%H%M%S%f")
    assert saved.column("saved_at").to_pylist() == [named] * events.num_rows
    assert saved.drop_columns("saved_at").to_pylist() == \
        events.drop_columns("saved_at").to_pylist()
    assert list((store / ".tmp").iterdir()) == []


# ---------------------------------------------------------------- case details


def cases_problem(tmp_path: Path, text: str) -> CsvProblem:
    with pytest.raises(CsvProblem) as info:
        parse_cases_csv(write(tmp_path, text, "cases.csv"), FW)
    return info.value


def test_cases_import_normalises_values(tmp_path: Path) -> None:
    text = (
        "case_id,case_type,requirements,age,transfer_in,office,kind\n"
        "C1,Licence,unpaid_work; Curfew,34,yes,Luton,\n"
        "C2,community_order,,,no,,case\n"
        "OM01,,,,,,interview\n"
    )
    cases = parse_cases_csv(write(tmp_path, text, "cases.csv"), FW)
    assert [(c.case_id, c.kind, c.details) for c in cases] == [
        ("C1", "case", {"case_type": "licence", "requirements": "unpaid_work;curfew",
                        "age": "34", "transfer_in": "true", "office": "Luton"}),
        ("C2", "case", {"case_type": "community_order", "transfer_in": "false"}),
        ("OM01", "interview", {}),
    ]
    events = case_events(cases, "I1", "test.1")
    assert events.schema == CASES
    assert ("C1", "_kind", "case") in zip(
        events["case_id"].to_pylist(), events["field"].to_pylist(), events["value"].to_pylist(),
        strict=True,
    )


@pytest.mark.parametrize(
    ("text", "row", "column", "words"),
    [
        ("case_id,office\nC1,Luton\n", 1, None, "missing column case_type"),
        ("case_id,case_type\nC1,prison\n", 2, "case_type", "'prison' is not one of"),
        ("case_id,case_type,age\nC1,licence,old\n", 2, "age", "not a whole number"),
        ("case_id,case_type,transfer_in\nC1,licence,perhaps\n", 2, "transfer_in", "yes or no"),
        ("case_id,case_type,requirements\nC1,licence,curfew;tag\n", 2, "requirements", "'tag'"),
        ("case_id,case_type\nC1,licence\nC1,licence\n", 3, "case_id", "repeats row 2"),
        ("case_id,case_type\nC1,\n", 2, "case_type", "Type of case is required"),
        ("case_id,case_type\nC/1,licence\n", 2, "case_id", "invalid case id 'C/1'"),
        ("case_id,case_type,kind\nC1,licence,prisoner\n", 2, "kind", "not one of"),
    ],
)
def test_bad_case_rows_name_row_and_column(
    tmp_path: Path, text: str, row: int, column: str | None, words: str
) -> None:
    error = cases_problem(tmp_path, text)
    assert (error.row, error.column) == (row, column)
    assert words in error.problem


def test_validate_case_details_for_the_form() -> None:
    assert validate_case_details(FW, {"case_type": "licence", "age": 40, "transfer_in": True}) == []
    assert validate_case_details(FW, {"requirements": ["curfew"], "age": "x", "colour": "red"}) == [
        FieldError("colour", "unknown case detail field"),
        FieldError("case_type", "Type of case is required"),
        FieldError("age", "'x' is not a whole number"),
    ]
