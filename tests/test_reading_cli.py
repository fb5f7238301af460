"""`caseread reading`, `answer/answers import --reading`, `agreement`, `moderation`."""

from __future__ import annotations

import csv as csv_module
import io
import json
from pathlib import Path

import pytest

from tests.test_cli import env, fails, ok, run, sql_json, store  # noqa: F401 (fixtures)

JSON_KEYS = ["level", "id", "pairs", "agreement", "kappa", "kappa_ci", "ac1", "ac1_ci",
             "alpha", "alpha_ci", "prevalence"]


def _me(_: dict[str, str]) -> str:
    from store.permissions import current_author

    return current_author()


def _scores(where: dict[str, str]) -> str:
    return ok(where, "scores", "--format", "json")


def test_second_reading_by_answer_and_import_never_changes_scores(
        store: dict[str, str], tmp_path: Path) -> None:  # noqa: F811
    before = _scores(store)
    history = sql_json(store, "SELECT * FROM answer_history ORDER BY event_id")
    assert "assigned reading 2" in ok(store, "reading", "assign", "C001", _me(store))
    ok(store, "answer", "C001", "1.1.02", "n", "--reading", "2", "--note", "no risk plan")
    csv = tmp_path / "second.csv"
    csv.write_text("case_id,question_id,answer,note\nC001,1.1.03,n,\nC002,1.1.02,n,\n"
                   "C002,1.1.03,y,\n")
    assert "imported 3 answers of reading 2" in ok(
        store, "answers", "import", str(csv), "--reading", "2")
    assert _scores(store) == before
    assert sql_json(store, "SELECT * FROM answer_history ORDER BY event_id") == history
    got = sql_json(store, "SELECT case_id, question_id, answer, note FROM readings "
                          "WHERE reading = 2 ORDER BY ALL")
    assert [(r["case_id"], r["question_id"], r["answer"]) for r in got] == [
        ("C001", "1.1.02", "no"), ("C001", "1.1.03", "no"), ("C002", "1.1.02", "no"),
        ("C002", "1.1.03", "yes")]


def test_a_reading_assigned_to_someone_else_is_refused(store: dict[str, str]) -> None:  # noqa: F811
    ok(store, "reading", "assign", "C001", "someone-else")
    line = fails(store, "answer", "C001", "1.1.02", "n", "--reading", "2")
    assert "assigned to someone-else" in line
    assert sql_json(store, "SELECT count(*) AS n FROM reading_events") == [{"n": 0}]


def test_bad_reading_input_is_one_line_and_nothing_imported(
        store: dict[str, str], tmp_path: Path) -> None:  # noqa: F811
    bad = tmp_path / "bad.csv"
    bad.write_text("case_id,question_id,answer\nC001,1.1.02,n\nC001,1.1.02,maybe\n")
    assert "maybe" in fails(store, "answers", "import", str(bad), "--reading", "2")
    assert sql_json(store, "SELECT count(*) AS n FROM reading_events") == [{"n": 0}]
    assert run(store, "answer", "C001", "1.1.02", "n", "--reading", "0").exit_code == 2
    assert "unknown case" in fails(store, "reading", "assign", "NOPE", "bob")


def test_agreement_json_csv_table(store: dict[str, str], tmp_path: Path) -> None:  # noqa: F811
    assert "no paired readings" in ok(store, "agreement")
    first = sql_json(store, "SELECT case_id, question_id, answer FROM answers_current a "
                            "JOIN fw_questions q ON q.id = a.question_id AND q.kind = 'scoring'")
    flipped = {"yes": "no", "no": "yes", "na": "yes"}
    lines = ["case_id,question_id,answer"] + [
        f"{r['case_id']},{r['question_id']},"
        f"{flipped[r['answer']] if i == 0 else r['answer']}" for i, r in enumerate(first)]
    csv = tmp_path / "r2.csv"
    csv.write_text("\n".join(lines) + "\n")
    ok(store, "answers", "import", str(csv), "--reading", "2")
    data = json.loads(ok(store, "agreement", "--format", "json", "--by", "criterion"))
    rows = data["rows"]
    assert all(list(r) == JSON_KEYS for r in rows)
    top = rows[0]
    assert (top["level"], top["id"], top["pairs"]) == ("inspection", "all", len(first))
    assert top["agreement"] == pytest.approx((len(first) - 1) / len(first))
    assert {r["level"] for r in rows[1:]} == {"criterion"}
    assert sum(r["pairs"] for r in rows[1:]) == len(first)
    table = ok(store, "agreement", "--by", "question")
    assert "AC1 95% CI" in table and "inspection" in table
    csv_out = list(csv_module.reader(io.StringIO(
        ok(store, "agreement", "--format", "csv", "--by", "reader"))))
    assert csv_out[0] == JSON_KEYS and len(csv_out) == 3
    assert json.loads(csv_out[1][JSON_KEYS.index("ac1_ci")]) == rows[0]["ac1_ci"]


def test_moderation_list_and_settle(store: dict[str, str]) -> None:  # noqa: F811
    ok(store, "answer", "C001", "1.1.03", "y", "--reading", "2", "--note", "plan was fine")
    ok(store, "answer", "C001", "1.1.02", "y", "--reading", "2")  # agrees with reading 1
    items = json.loads(ok(store, "moderation", "list", "--format", "json"))
    assert [(i["case_id"], i["question_id"], i["answer_1"], i["answer_2"], i["note_1"],
             i["note_2"], i["moderated"]) for i in items] == [
        ("C001", "1.1.03", "no", "yes", "PSR missed risk factors", "plan was fine", False)]
    before = json.loads(ok(store, "agreement", "--format", "json"))["rows"][0]
    ok(store, "moderation", "settle", "C001", "1.1.03", "y", "--note", "agreed")
    after = json.loads(ok(store, "moderation", "list", "--format", "json"))
    assert after[0]["moderated"] is True and after[0]["current_answer"] == "yes"
    assert json.loads(ok(store, "moderation", "list", "--open", "--format", "json")) == []
    hist = sql_json(store, "SELECT new_answer, note FROM answer_history WHERE case_id = 'C001'"
                           " AND question_id = '1.1.03' ORDER BY saved_at")
    assert hist[-1] == {"new_answer": "yes", "note": "[moderated] agreed"}
    # agreement is measured on the readings as read, not on the moderated answer
    assert json.loads(ok(store, "agreement", "--format", "json"))["rows"][0] == before


def test_calibration_flag_from_the_command_line(store: dict[str, str]) -> None:  # noqa: F811
    before = json.loads(_scores(store))
    assert "calibration case" in ok(store, "reading", "calibration", "C001")
    during = json.loads(_scores(store))
    assert during != before
    kinds = sql_json(store, "SELECT kind FROM cases WHERE case_id = 'C001'")
    assert kinds == [{"kind": "calibration"}]
    ok(store, "answer", "C001", "1.1.02", "n", "--reading", "2")
    assert json.loads(ok(store, "agreement", "--format", "json"))["rows"] == []
    cal = json.loads(ok(store, "agreement", "--calibration", "--format", "json", "--by",
                        "reader"))["rows"]
    assert cal[0]["pairs"] == 1 and cal[1]["level"] == "reader"
    ok(store, "reading", "calibration", "C001", "--off")
    assert json.loads(_scores(store)) == before


def test_reading_list_and_complete(store: dict[str, str]) -> None:  # noqa: F811
    me = _me(store)
    ok(store, "reading", "assign", "C002", me)
    ok(store, "answer", "C002", "1.1.02", "y", "--reading", "2")
    assert "marked complete" in ok(store, "reading", "complete", "C002")
    listed = json.loads(ok(store, "reading", "list", "--format", "json"))
    assert listed == [{"case_id": "C002", "reading": 2, "reader": me, "complete": True,
                       "answers": 1}]
    assert "no reading of C001" in fails(store, "reading", "complete", "C001")
