"""The quality-assurance commands through click's runner: team, assignment, case states,
dip samples, queries, data quality checks, sign-off and unlock, and a whole inspection
taken from import to every case signed off. Roles are simulated here by changing the OS
user the store sees (CASEREAD tests cannot all create users); tests/test_qa_roles.py runs
real OS users and groups when it can."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_cli import env as env  # noqa: F401  (fixtures)
from test_cli import fails, ok, run
from test_cli import store as store  # noqa: F401

from store import Store

ME = "root"


@pytest.fixture(autouse=True)
def as_user(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Who the store thinks is running (set `who[0]` to act as someone else)."""
    who = [ME]
    monkeypatch.setattr("store.store.current_author", lambda: who[0])
    # only the team's check of names: the store's owner check must still see real accounts
    monkeypatch.setattr("store.qa.os_user_exists", lambda name: True)
    return who


def led(env: dict[str, str]) -> dict[str, str]:
    ok(env, "team", "add", ME, "--role", "lead")
    ok(env, "team", "add", "ann", "--role", "inspector")
    ok(env, "team", "add", "bob", "--role", "assessor")
    return env


def status(env: dict[str, str]) -> dict[str, dict[str, object]]:
    rows = json.loads(ok(env, "case", "status", "--format", "json"))
    return {r["case_id"]: r for r in rows}


def test_team_add_list_and_roles(store: dict[str, str], as_user: list[str]) -> None:
    assert "has no lead yet" in fails(store, "team", "add", "ann", "--role", "inspector")
    led(store)
    rows = json.loads(ok(store, "team", "list", "--format", "json"))
    assert {(r["user"], r["role"]) for r in rows} == {
        (ME, "lead"), ("ann", "inspector"), ("bob", "assessor")}
    assert all(r["added_by"] == ME for r in rows)
    assert "lead/ is not protected by a lead group" in run(store, "team", "list").stderr
    as_user[0] = "ann"
    assert "only a lead may change the team: ann is an inspector" in fails(
        store, "team", "add", "ann", "--role", "lead")
    as_user[0] = ME
    ok(store, "team", "remove", "bob")
    assert "bob" not in ok(store, "team", "list")


def test_team_add_refuses_unknown_os_user(store: dict[str, str],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.undo()
    assert "no OS user 'no-such-user-x'" in fails(
        store, "team", "add", "no-such-user-x", "--role", "lead")


def test_assign_and_case_states(store: dict[str, str], as_user: list[str]) -> None:
    led(store)
    ok(store, "case", "assign", "C001", "C002", "ann")
    ok(store, "case", "assign", "C003", "bob")
    got = status(store)
    assert got["C001"]["reader"] == "ann" and got["C003"]["reader"] == "bob"
    assert got["C001"]["state"] == "in progress"  # tests/data/answers.csv answers C001
    assert got["C003"]["state"] == "in progress"
    assert "not in the team" in fails(store, "case", "assign", "C001", "zed")
    assert "unknown case" in fails(store, "case", "assign", "NOPE", "ann")
    as_user[0] = "ann"
    assert "only a lead may assign cases" in fails(store, "case", "assign", "C003", "ann")
    as_user[0] = ME
    ann_only = json.loads(ok(store, "case", "status", "--reader", "ann", "--format", "json"))
    assert {r["case_id"] for r in ann_only} == {"C001", "C002"}
    progress = {r["reader"]: r for r in json.loads(ok(store, "qa", "progress", "--format",
                                                      "json"))}
    assert progress["ann"]["assigned"] == 2 and progress["ann"]["started"] >= 1


def _complete_all(env: dict[str, str]) -> None:
    s = Store.open(env["CASEREAD_STORE"])
    for case_id in ("C001", "C002", "C003"):
        s.save_case("BED2013", case_id, {"_complete": True})
    s.close()


def test_sample_is_reproducible_and_stratified(store: dict[str, str], tmp_path: Path) -> None:
    led(store)
    ok(store, "case", "assign", "C001", "C002", "ann")
    ok(store, "case", "assign", "C003", "bob")
    _complete_all(store)
    assert "only a lead" not in ok(store, "qa", "sample", "--per-reader", "1", "--seed", "7")
    rows = json.loads(ok(store, "qa", "samples", "--format", "json"))
    by_reader: dict[str, list[str]] = {}
    for r in rows:
        by_reader.setdefault(r["reader"], []).append(r["case_id"])
        assert r["seed"] == "7" and r["sample_id"] == "S1" and r["state"] == "sampled"
    # one per inspector; the local assessor at twice the rate (all the one case bob has)
    assert len(by_reader["ann"]) == 1 and by_reader["bob"] == ["C003"]
    # the same seed on the same store state draws the same sample
    import random
    pool = sorted(["C001", "C002"])
    assert by_reader["ann"] == random.Random(7).sample(pool, 1)
    # the next sample draws from what is left
    ok(store, "qa", "sample", "--per-reader", "1", "--seed", "7")
    rows = json.loads(ok(store, "qa", "samples", "--format", "json"))
    assert {r["sample_id"] for r in rows} == {"S1", "S2"}
    assert len({r["case_id"] for r in rows}) == len(rows) == 3
    assert "no complete case" in fails(store, "qa", "sample", "--per-reader", "1")
    assert "not both" in fails(store, "qa", "sample", "--per-reader", "1", "--fraction", "0.5")


def test_query_open_respond_close(store: dict[str, str], as_user: list[str]) -> None:
    led(store)
    ok(store, "case", "assign", "C001", "ann")
    out = ok(store, "query", "open", "C001", "1.1.03", "Why no? The PSR covers it")
    query_id = out.split()[2]
    assert status(store)["C001"]["state"] == "queried"
    assert status(store)["C001"]["open_queries"] == 1
    as_user[0] = "ann"
    ok(store, "query", "respond", query_id, "Agreed, changed to yes")
    ok(store, "answer", "C001", "1.1.03", "yes")
    assert status(store)["C001"]["state"] == "resolved"
    assert "only a lead may close a query" in fails(store, "query", "close", query_id)
    as_user[0] = ME
    ok(store, "query", "close", query_id, "--note", "fine")
    thread = json.loads(ok(store, "query", "show", query_id, "--format", "json"))
    assert [(t["step"], t["author"]) for t in thread] == [
        ("open", ME), ("respond", "ann"), ("close", ME)]
    listed = json.loads(ok(store, "query", "list", "--format", "json"))
    assert [(q["query_id"], q["state"]) for q in listed] == [(query_id, "closed")]
    assert json.loads(ok(store, "query", "list", "--state", "open", "--format", "json")) == []
    assert "is already closed" in fails(store, "query", "close", query_id)
    assert "no query 'zzz'" in fails(store, "query", "respond", "zzz", "x")
    assert "unknown question" in fails(store, "query", "open", "C001", "9.9.99", "x")
    changes = json.loads(ok(store, "sql", "SELECT * FROM qa_changes", "--format", "json"))
    assert [(c["question_id"], c["old_answer"], c["new_answer"], c["by_qa"]) for c in changes] \
        == [("1.1.03", "no", "yes", False)]


def test_qa_check_and_accept(store: dict[str, str], as_user: list[str]) -> None:
    led(store)
    # C001 is RoSH high and 4.1.14 (risk management plan completed?) is unanswered
    results = json.loads(ok(store, "qa", "check", "--format", "json"))
    failed = {(r["case_id"], r["check_id"]) for r in results}
    assert ("C001", "rosh_high_no_rmp") in failed
    assert ("C002", "rosh_high_no_rmp") not in failed  # RoSH medium
    assert "FAILED" in ok(store, "qa", "check")
    as_user[0] = "ann"
    assert "only a lead" in fails(store, "qa", "accept", "C001", "rosh_high_no_rmp",
                                  "--reason", "x")
    as_user[0] = ME
    assert "does not fail" in fails(store, "qa", "accept", "C002", "rosh_high_no_rmp",
                                    "--reason", "x")
    ok(store, "qa", "accept", "C001", "rosh_high_no_rmp", "--reason", "plan on paper file")
    one = json.loads(ok(store, "qa", "check", "--case", "C001", "--format", "json"))
    rmp = next(r for r in one if r["check_id"] == "rosh_high_no_rmp")
    assert rmp["accepted"] and rmp["reason"] == "plan on paper file"
    ok(store, "answer", "C001", "4.1.14", "yes")
    again = json.loads(ok(store, "qa", "check", "--case", "C001", "--format", "json"))
    assert "rosh_high_no_rmp" not in {r["check_id"] for r in again}


def test_signoff_refusals_lock_and_unlock(store: dict[str, str], as_user: list[str]) -> None:
    led(store)
    err = fails(store, "case", "signoff", "C001")
    assert "applicable questions unanswered" in err and "failed checks not accepted" in err
    _answer_everything(store, ["C001"])
    ok(store, "query", "open", "C001", "1.1.02", "sure?")
    assert "1 open query" in fails(store, "case", "signoff", "C001")
    qid = json.loads(ok(store, "query", "list", "--format", "json"))[0]["query_id"]
    ok(store, "query", "close", qid)
    ok(store, "case", "signoff", "C001")
    assert status(store)["C001"]["state"] == "signed off"
    # every change path refuses, with the one-line message
    assert fails(store, "answer", "C001", "1.1.02", "no").startswith(
        "caseread: error: case C001 is signed off")
    assert "case C001 is signed off" in fails(store, "answer", "C001", "1.1.02", "--clear")
    csv = Path(store["CASEREAD_STORE"]).parent / "a.csv"
    csv.write_text("case_id,question_id,answer\nC001,1.1.02,n\n")
    assert "case C001 is signed off" in fails(store, "answers", "import", str(csv))
    assert "case C001 is signed off" in fails(store, "query", "open", "C001", "1.1.02", "x")
    assert "already signed off" in fails(store, "case", "signoff", "C001")
    as_user[0] = "ann"
    assert "only a lead may unlock" in fails(store, "case", "unlock", "C001", "--reason", "x")
    as_user[0] = ME
    ok(store, "case", "unlock", "C001", "--reason", "answer 1.1.02 was typed wrongly")
    ok(store, "answer", "C001", "1.1.02", "no")
    history = json.loads(ok(store, "sql", "SELECT event, author, reason FROM signoffs "
                                   "ORDER BY saved_at", "--format", "json"))
    assert history == [{"event": "signoff", "author": ME, "reason": None},
                       {"event": "unlock", "author": ME,
                        "reason": "answer 1.1.02 was typed wrongly"}]
    assert "is not signed off" in fails(store, "case", "unlock", "C001", "--reason", "x")


def _answer_everything(env: dict[str, str], cases: list[str]) -> None:
    """Answer every applicable question (first choice of its scale) until none is left,
    then accept whatever check still fails."""
    from store.qa_checks import case_unanswered

    csv = Path(env["CASEREAD_STORE"]).parent / "fill.csv"
    for _ in range(10):
        s = Store.open(env["CASEREAD_STORE"])
        rows = [(c, q) for c in cases for q in case_unanswered(s, "BED2013", c)]
        fw = s.framework
        s.close()
        if not rows:
            break
        csv.write_text("case_id,question_id,answer\n" + "".join(
            f"{c},{q},{fw.scale_for(fw.question(q)).choices[0].value}\n" for c, q in rows))
        ok(env, "answers", "import", str(csv))
    for r in json.loads(ok(env, "qa", "check", "--format", "json")):
        if r["case_id"] in cases and not r["accepted"]:
            ok(env, "qa", "accept", r["case_id"], r["check_id"], "--reason", "checked")


def test_whole_inspection_from_import_to_every_case_signed_off(env: dict[str, str]) -> None:
    from test_cli import DATA

    ok(env, "init")
    ok(env, "inspection", "add", "BED2013", "--area", "Bedfordshire", "--date", "2013-03")
    ok(env, "case", "import", str(DATA / "cases.csv"))
    led(env)
    ok(env, "case", "assign", "C001", "C002", "ann")
    ok(env, "case", "assign", "C003", "bob")
    cases = [r["case_id"] for r in json.loads(ok(env, "case", "status", "--format", "json"))
             if r["kind"] == "case"]
    assert all(status(env)[c]["state"] == "not started" for c in cases)
    _answer_everything(env, cases)
    _complete_all(env)
    ok(env, "qa", "sample", "--fraction", "0.5", "--seed", "1")
    sampled = [r["case_id"] for r in json.loads(ok(env, "qa", "samples", "--format", "json"))]
    out = ok(env, "query", "open", sampled[0], "1.1.02", "Please check")
    ok(env, "query", "respond", out.split()[2], "Checked, right")
    ok(env, "query", "close", out.split()[2])
    ok(env, "case", "signoff", *cases)
    final = status(env)
    assert {final[c]["state"] for c in cases} == {"signed off"}
    progress = json.loads(ok(env, "qa", "progress", "--format", "json"))
    assert sum(r["signed_off"] for r in progress) == len(cases)


def test_help_of_qa_commands_is_light() -> None:
    for args in (["team", "--help"], ["qa", "--help"], ["query", "--help"]):
        assert run({}, *args).exit_code == 0
