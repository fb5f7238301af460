"""`caseread case import` says what it did to each case and writes only changes;
`caseread case delete/restore` are kept in the history; (clear) and (none)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from caseread.cli import cli

HEAD = "case_id,case_ref,case_type,gender,offence,rosh,requirements,office,kind\n"


@pytest.fixture()
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    monkeypatch.setenv("CASEREAD_CONFIG_DIR", str(tmp_path / "config"))
    env = {"CASEREAD_STORE": str(tmp_path / "store"),
           "CASEREAD_CONFIG_DIR": str(tmp_path / "config"), "TMP": str(tmp_path)}
    ok(env, "init")
    ok(env, "inspection", "add", "T1", "--area", "Testshire", "--date", "2013-03")
    return env


def run(env: dict[str, str], *args: str) -> Result:
    return CliRunner().invoke(cli, list(args), env=env)


def ok(env: dict[str, str], *args: str) -> str:
    result = run(env, *args)
    assert result.exit_code == 0, (args, result.output, result.stderr)
    return result.stdout


def sql(env: dict[str, str], query: str) -> list[dict[str, object]]:
    return list(json.loads(ok(env, "sql", query, "--format", "json")))


def imported(env: dict[str, str], rows: str) -> str:
    path = Path(env["TMP"]) / "cases.csv"
    path.write_text(HEAD + rows, encoding="utf-8")
    return ok(env, "case", "import", str(path))


def events(env: dict[str, str]) -> int:
    return int(sql(env, "SELECT count(*) AS n FROM case_history")[0]["n"])  # type: ignore[call-overload]


def test_each_case_is_reported_and_only_changes_are_written(env: dict[str, str]) -> None:
    out = imported(env, "C1,R1,licence,male,abh,high,curfew,Luton,\n"
                        "C2,R2,CO,female,abh,low,,Bedford,\nOM01,,,,,,,,interview\n")
    assert out.splitlines() == ["C1 added", "C2 added", "OM01 added",
                                "imported 3 cases into T1: 3 added (16 details saved)"]
    before = events(env)
    out = imported(env, "C1,R1,licence,male,abh,medium,curfew,Luton,\n"
                        "C2,R2,community_order,female,abh,low,,Bedford,\n")
    assert out.splitlines() == ["C1 changed (rosh)", "C2 unchanged",
                                "imported 2 cases into T1: 1 changed, 1 unchanged "
                                "(1 detail saved)"]
    assert events(env) == before + 1


def test_short_labels_the_case_list_shows_are_accepted(env: dict[str, str]) -> None:
    from criteria import load_framework
    from store.casedetails import normalise_case_details

    imported(env, "C1,R1,SSO,male,abh,V.high,,,\nC2,R2,CO,female,abh,Low,,,\n")
    rows = sql(env, "SELECT case_id, case_type, rosh FROM cases ORDER BY 1")
    assert rows == [{"case_id": "C1", "case_type": "suspended_sentence_order", "rosh": "very_high"},
                    {"case_id": "C2", "case_type": "community_order", "rosh": "low"}]
    # every short form the app shows is one the import reads back
    import tui.common.store_reads as reads

    fw = load_framework()
    for field_id, shorts in reads.SHORT.items():
        for value, short in shorts.items():
            stored, errors = normalise_case_details(fw, {field_id: short}, require=False)
            assert (stored[field_id], errors) == (value, []), (field_id, short)
    assert normalise_case_details(fw, {"om_grade": "PSO"}, require=False)[0] == {
        "om_grade": "pso"}
    assert normalise_case_details(fw, {"programme": "IDAP"}, require=False)[0] == {
        "programme": "idap"}


def test_clear_a_detail_and_store_an_empty_list(env: dict[str, str]) -> None:
    imported(env, "C1,R1,licence,male,abh,high,curfew;supervision,Luton,\n")
    out = imported(env, "C1,R1,licence,male,abh,(clear),(none),,\n")
    assert "C1 changed (rosh, requirements)" in out
    (row,) = sql(env, "SELECT rosh, requirements, office FROM cases")
    assert row == {"rosh": None, "requirements": [], "office": "Luton"}


def test_clearing_a_required_detail_is_refused(env: dict[str, str]) -> None:
    imported(env, "C1,R1,licence,male,abh,high,,,\n")
    path = Path(env["TMP"]) / "cases.csv"
    path.write_text(HEAD + "C1,R1,(clear),male,abh,high,,,\n", encoding="utf-8")
    result = run(env, "case", "import", str(path))
    assert result.exit_code == 1
    assert "row 2, column case_type: Type of case is required" in result.stderr


def test_delete_and_restore_are_commands_kept_in_the_history(env: dict[str, str]) -> None:
    imported(env, "C1,R1,licence,male,abh,high,,,\nC2,R2,licence,male,abh,high,,,\n")
    assert ok(env, "case", "delete", "C1").startswith("deleted C1 in T1")
    assert [r["case_id"] for r in sql(env, "SELECT case_id FROM cases")] == ["C2"]
    assert ok(env, "case", "restore", "C1").startswith("restored C1 in T1")
    assert sorted(r["case_id"] for r in sql(env, "SELECT case_id FROM cases")) == ["C1", "C2"]
    history = sql(env, "SELECT old_value, new_value FROM case_history "
                       "WHERE case_id = 'C1' AND field = '_deleted' ORDER BY saved_at")
    assert history == [{"old_value": None, "new_value": "true"},
                       {"old_value": "true", "new_value": "false"}]
    assert "no case 'C9'" in run(env, "case", "delete", "C9").stderr


def test_reimporting_a_deleted_case_restores_it_and_says_so(env: dict[str, str]) -> None:
    imported(env, "C1,R1,licence,male,abh,high,,,\n")
    ok(env, "case", "delete", "C1")
    out = imported(env, "C1,R1,licence,male,abh,high,,,\n")
    assert out.splitlines() == ["C1 restored",
                                "imported 1 case into T1: 1 restored (1 detail saved)"]
    assert [r["case_id"] for r in sql(env, "SELECT case_id FROM cases")] == ["C1"]


def test_a_kind_change_of_a_record_with_answers_is_refused(env: dict[str, str]) -> None:
    imported(env, "C1,R1,licence,male,abh,high,,,\n")
    ok(env, "answer", "C1", "1.1.02", "y")
    path = Path(env["TMP"]) / "cases.csv"
    path.write_text(HEAD + "C1,R1,licence,male,abh,high,,,interview\n", encoding="utf-8")
    before = events(env)
    result = run(env, "case", "import", str(path))
    assert result.exit_code == 1
    assert ("row 2, column kind: C1 is a case record with answers: it cannot become an "
            "interview") in result.stderr
    assert events(env) == before
