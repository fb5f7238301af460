"""CSV files as spreadsheets really write them (tests/data/): refused whole with row and
column, or read with every row accounted for. Through the real `caseread` commands."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from caseread.cli import cli

DATA = Path(__file__).parent / "data"
CASES = ("case_id,case_ref,case_type,gender,offence\n"
         "C001,R1,licence,male,abh\nC002,R2,licence,female,abh\n")


@pytest.fixture()
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Store with inspection T1 and cases C001, C002 (no answers)."""
    monkeypatch.setenv("CASEREAD_CONFIG_DIR", str(tmp_path / "config"))
    env = {"CASEREAD_STORE": str(tmp_path / "store"),
           "CASEREAD_CONFIG_DIR": str(tmp_path / "config")}
    ok(env, "init")
    ok(env, "inspection", "add", "T1", "--area", "Testshire", "--date", "2013-03")
    cases = tmp_path / "two_cases.csv"
    cases.write_text(CASES, encoding="utf-8")
    ok(env, "case", "import", str(cases))
    return env


def run(env: dict[str, str], *args: str) -> Result:
    return CliRunner().invoke(cli, list(args), env=env)


def ok(env: dict[str, str], *args: str) -> str:
    result = run(env, *args)
    assert result.exit_code == 0, (args, result.output, result.stderr)
    return result.stdout


def refused(env: dict[str, str], *args: str) -> str:
    result = run(env, *args)
    assert result.exit_code == 1, (args, result.output)
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("caseread: error: "), result.stderr
    assert lines[0].endswith("nothing imported")
    return lines[0]


def count(env: dict[str, str], sql: str) -> int:
    return int(json.loads(ok(env, "sql", sql, "--format", "json"))[0]["n"])


def answers(env: dict[str, str]) -> list[dict[str, object]]:
    return list(json.loads(ok(env, "sql", "SELECT case_id, question_id, answer, note FROM "
                              "answers_current ORDER BY 1, 2", "--format", "json")))


def test_a_quote_that_never_closes_is_refused_where_it_opens(env: dict[str, str]) -> None:
    error = refused(env, "answers", "import", str(DATA / "unclosed_quote_answers.csv"))
    assert "unclosed_quote_answers.csv, row 2, column note: a quote opens here" in error
    assert answers(env) == []


def test_a_case_detail_quote_that_never_closes_is_refused(env: dict[str, str]) -> None:
    before = count(env, "SELECT count(*) AS n FROM case_history")
    error = refused(env, "case", "import", str(DATA / "unclosed_quote_cases.csv"))
    assert "unclosed_quote_cases.csv, row 2, column office: a quote opens here" in error
    assert count(env, "SELECT count(*) AS n FROM case_history") == before
    assert count(env, "SELECT count(*) AS n FROM cases") == 2


def test_text_after_a_closing_quote_is_refused_with_its_row(env: dict[str, str]) -> None:
    error = refused(env, "answers", "import", str(DATA / "text_after_quote.csv"))
    assert "text_after_quote.csv, row 2: a quoted cell has text after its closing quote" in error
    assert answers(env) == []


def test_lines_ending_in_cr_only_are_read(env: dict[str, str]) -> None:
    out = ok(env, "answers", "import", str(DATA / "mac_cr_answers.csv"))
    assert out.startswith("imported 2 answers into T1")
    assert answers(env) == [
        {"case_id": "C001", "question_id": "1.1.02", "answer": "yes", "note": None},
        {"case_id": "C001", "question_id": "1.1.03", "answer": "no", "note": "late"},
    ]


def test_rows_of_bare_commas_are_skipped_and_counted(env: dict[str, str]) -> None:
    out = ok(env, "answers", "import", str(DATA / "excel_blank_rows_answers.csv"))
    assert out.startswith("imported 2 answers into T1 (2 empty rows skipped)")
    assert len(answers(env)) == 2


def test_a_row_with_some_cells_and_no_case_id_is_still_an_error(env: dict[str, str]) -> None:
    error = refused(env, "answers", "import", str(DATA / "partly_empty_row.csv"))
    assert "partly_empty_row.csv, row 3, column case_id: the case id is empty" in error
    assert answers(env) == []


def test_row_numbers_count_multi_line_notes_and_blank_lines_as_a_spreadsheet_does(
    env: dict[str, str],
) -> None:
    # header 1, note over two lines 2, blank line 3, note over three lines 4, bad answer 5
    error = refused(env, "answers", "import", str(DATA / "multiline_bad_answer.csv"))
    assert "multiline_bad_answer.csv, row 5, column answer: 'maybe'" in error
    assert answers(env) == []


def test_an_import_never_reports_fewer_records_than_rows(env: dict[str, str]) -> None:
    # every file that imports: the rows the reader saw = imported + skipped
    for name in ("mac_cr_answers.csv", "excel_blank_rows_answers.csv"):
        path = DATA / name
        text = path.read_bytes().decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
        rows = len(text.rstrip("\n").split("\n")) - 1  # no line breaks in these cells
        out = ok(env, "answers", "import", str(path), "--inspection", "T1")
        imported = int(out.split()[1])
        skipped = int(out.split("(")[1].split()[0]) if "skipped" in out else 0
        assert imported + skipped == rows, (name, out)


def test_a_note_longer_than_128_kib_is_a_note(env: dict[str, str], tmp_path: Path) -> None:
    note = "word " * 40_000  # 200 KB, quoted (it holds a line break)
    path = tmp_path / "long_note.csv"
    path.write_text(f'case_id,question_id,answer,note\nC001,1.1.02,y,"{note}\nend"\n',
                    encoding="utf-8")
    assert ok(env, "answers", "import", str(path)).startswith("imported 1 answer into T1")
    assert answers(env)[0]["note"] == f"{note}\nend"


def test_a_fifo_is_refused_not_waited_for(env: dict[str, str], tmp_path: Path) -> None:
    import os

    path = tmp_path / "answers.csv"
    os.mkfifo(path)
    assert "answers.csv: not a regular file" in refused(env, "answers", "import", str(path))


def test_answer_labels_from_the_data_dictionary_are_accepted(env: dict[str, str],
                                                             tmp_path: Path) -> None:
    path = tmp_path / "labels.csv"
    path.write_text("case_id,question_id,answer\nC001,1.1.02,Yes\nC001,1.1.03,Not applicable\n"
                    "C002,1.1.02,No\n", encoding="utf-8")
    ok(env, "answers", "import", str(path))
    assert [a["answer"] for a in answers(env)] == ["yes", "na", "no"]
    assert ok(env, "answer", "C002", "1.1.03", "Not applicable").endswith("= na\n")


def test_unknown_column_lists_each_expected_column_once(env: dict[str, str],
                                                        tmp_path: Path) -> None:
    path = tmp_path / "cases.csv"
    path.write_text("case_id,case_ref,case_type,gender,offence,colour\nC9,R,CO,male,abh,red\n",
                    encoding="utf-8")
    error = refused(env, "case", "import", str(path))
    expected = error.split("expected: ")[1].split(")")[0].split(", ")
    assert "case_ref" in expected and len(expected) == len(set(expected))


def test_exported_answer_columns_are_accepted_and_the_inspection_checked(
        env: dict[str, str], tmp_path: Path) -> None:
    path = tmp_path / "answers_current.csv"
    head = ("inspection_id,case_id,question_id,answer,note,author,saved_at,"
            "framework_version,applies,scoring\n")
    path.write_text(head + "T1,C001,1.1.02,yes,,ann,2013-03-01 10:00:00,2013.1,true,sufficient\n",
                    encoding="utf-8")
    assert ok(env, "answers", "import", str(path)).startswith("imported 1 answer into T1")
    path.write_text(head + "T2,C001,1.1.03,no,,ann,2013-03-01 10:00:00,2013.1,true,"
                    "insufficient\n", encoding="utf-8")
    error = refused(env, "answers", "import", str(path))
    assert "row 2, column inspection_id: this row is of inspection 'T2', not 'T1'" in error
    assert len(answers(env)) == 1


def test_an_unclosed_quote_is_found_even_beside_a_stray_quote(env: dict[str, str],
                                                              tmp_path: Path) -> None:
    # an even number of quote characters: counting them would not notice
    path = tmp_path / "stray.csv"
    path.write_text('case_id,question_id,answer,note\nC001,1.1.02,y,5" tall\n'
                    'C001,1.1.03,n,"opened\nC002,1.1.02,y,\nC002,1.1.03,n,\n', encoding="utf-8")
    error = refused(env, "answers", "import", str(path))
    assert "stray.csv, row 3, column note: a quote opens here" in error
    assert answers(env) == []


def test_case_rows_are_numbered_as_a_spreadsheet_does(env: dict[str, str],
                                                      tmp_path: Path) -> None:
    path = tmp_path / "cases.csv"
    path.write_text('case_id,case_ref,case_type,gender,offence,office\r\n'
                    'C101,R1,CO,male,abh,"Luton\r\nnorth"\r\n\r\n'
                    'C102,R2,prison,male,abh,Bedford\r\n', encoding="utf-8")
    error = refused(env, "case", "import", str(path))
    assert "cases.csv, row 4, column case_type: 'prison' is not one of" in error


def test_a_byte_that_is_not_utf8_is_placed_in_its_spreadsheet_row(env: dict[str, str],
                                                                  tmp_path: Path) -> None:
    path = tmp_path / "answers.csv"
    path.write_bytes(b'case_id,question_id,answer,note\nC001,1.1.02,y,"two\nlines"\n'
                     b'C001,1.1.03,n,caf\xe9\n')
    error = refused(env, "answers", "import", str(path))
    assert "answers.csv, row 3: the file is not UTF-8 (byte 0xe9" in error
