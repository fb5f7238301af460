"""No blind overwrite: a save carrying the answer it replaces is refused if that changed."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from caseread.cli import cli
from store import UNCHECKED, AnswerConflict, AnswerInput, Store
from tests.conftest import INSPECTION

Q = "1.1.01"


def _case(store: Store, case_id: str = "C08") -> None:
    store.save_case(INSPECTION, case_id, {"case_type": "licence"})


def _history(store: Store, case_id: str, qid: str) -> list[tuple[str | None, str]]:
    rows = store.query(
        "SELECT new_answer, author FROM answer_history WHERE case_id = ? AND question_id = ? "
        "ORDER BY saved_at", [case_id, qid]).to_pylist()
    return [(r["new_answer"], r["author"]) for r in rows]


def test_a_save_whose_base_changed_is_refused_and_names_the_other(tmp_store: Store) -> None:
    _case(tmp_store)
    tmp_store.save_answers(INSPECTION, [AnswerInput("C08", Q, "yes", base=None)])
    with pytest.raises(AnswerConflict) as caught:
        tmp_store.save_answers(INSPECTION, [AnswerInput("C08", Q, "na", base=None)])
    (conflict,) = caught.value.conflicts
    assert (conflict.found, conflict.expected, conflict.author) == ("yes", None, tmp_store.author)
    assert "now yes by" in str(caught.value) and "nothing saved" in str(caught.value)
    assert _history(tmp_store, "C08", Q) == [("yes", tmp_store.author)]
    # having seen "yes", the same change again replaces it
    tmp_store.save_answers(INSPECTION, [AnswerInput("C08", Q, "na", base="yes")])
    assert [a for a, _ in _history(tmp_store, "C08", Q)] == ["yes", "na"]


def test_one_conflict_refuses_the_whole_save(tmp_store: Store) -> None:
    _case(tmp_store)
    tmp_store.save_answers(INSPECTION, [AnswerInput("C08", Q, "yes")])
    with pytest.raises(AnswerConflict):
        tmp_store.save_answers(INSPECTION, [AnswerInput("C08", "1.1.02", "no", base=None),
                                            AnswerInput("C08", Q, "no", base=None)])
    assert _history(tmp_store, "C08", "1.1.02") == []


def test_unchecked_saves_keep_todays_behaviour(tmp_store: Store) -> None:
    _case(tmp_store)
    tmp_store.save_answers(INSPECTION, [AnswerInput("C08", Q, "yes")])
    tmp_store.save_answers(INSPECTION, [AnswerInput("C08", Q, "no", base=UNCHECKED)])
    assert [a for a, _ in _history(tmp_store, "C08", Q)] == ["yes", "no"]


def test_keys_and_aliases_are_accepted_as_base_and_a_cleared_answer_is_unanswered(
        tmp_store: Store) -> None:
    _case(tmp_store)
    tmp_store.save_answers(INSPECTION, [AnswerInput("C08", Q, "y")])
    tmp_store.save_answers(INSPECTION, [AnswerInput("C08", Q, None, base="y")])
    tmp_store.save_answers(INSPECTION, [AnswerInput("C08", Q, "x", base=None)])
    assert [a for a, _ in _history(tmp_store, "C08", Q)] == ["yes", None, "na"]


def test_the_lock_file_may_not_be_a_symlink(tmp_store: Store, tmp_path: Path) -> None:
    _case(tmp_store)
    target = tmp_path / "elsewhere"
    target.write_text("")
    locks = tmp_store.layout.locks
    locks.mkdir(exist_ok=True)
    (locks / f"answers-{INSPECTION}.lock").symlink_to(target)
    with pytest.raises(Exception, match="lock"):
        tmp_store.save_answers(INSPECTION, [AnswerInput("C08", Q, "yes", base=None)])
    assert _history(tmp_store, "C08", Q) == []
    assert stat.S_ISREG(os.stat(target).st_mode) and target.read_text() == ""


_RACER = textwrap.dedent("""
    import json, sys, time
    from store import AnswerConflict, AnswerInput, Store
    root, inspection, start, questions, answer = sys.argv[1:6]
    store = Store.open(root)
    store.scores(inspection)  # warm up: both processes are ready before the start
    results = {}
    for i, qid in enumerate(json.loads(questions)):
        go = float(start) + 0.2 * i
        while time.time() < go:
            pass
        try:
            store.save_answers(inspection, [AnswerInput("C08", qid, answer, base=None)])
            results[qid] = "saved"
        except AnswerConflict as exc:
            results[qid] = "conflict: " + str(exc)
    print(json.dumps(results))
""")


def test_two_processes_racing_on_the_same_questions_one_wins_the_other_is_told(
        tmp_store: Store) -> None:
    """Two real processes save the same questions at the same instant (ten times, each
    within the same second): exactly one save of each question lands, the other process
    is told who answered, and nothing is replaced unseen."""
    _case(tmp_store)
    questions = [f"1.1.0{i}" for i in range(1, 6)] + [f"2.1.0{i}" for i in range(1, 6)]
    start = time.time() + 3.0
    root = Path(__file__).resolve().parents[1]
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _RACER, str(tmp_store.root), INSPECTION, str(start),
             json.dumps(questions), answer],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=root)
        for answer in ("yes", "na")
    ]
    outputs = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        outputs.append(json.loads(out))
    for qid in questions:
        results = [o[qid] for o in outputs]
        assert sorted(r == "saved" for r in results) == [False, True], (qid, results)
        winner = ("yes", "na")[results.index("saved")]
        assert "answer changed by someone else" in next(r for r in results if r != "saved")
        assert [a for a, _ in _history(tmp_store, "C08", qid)] == [winner], qid


def test_cli_answer_expect(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                           tmp_store: Store) -> None:
    _case(tmp_store)
    env = {"CASEREAD_STORE": str(tmp_store.root),
           "CASEREAD_CONFIG_DIR": str(tmp_path / "config")}

    def run(*args: str) -> tuple[int, str, str]:
        r = CliRunner().invoke(cli, ["answer", "--inspection", INSPECTION, *args], env=env)
        return r.exit_code, r.stdout, r.stderr

    assert run("C08", Q, "y", "--expect", "-")[0] == 0
    code, _, err = run("C08", Q, "n", "--expect", "-")
    assert code == 1 and err.startswith("caseread: error: answer changed by someone else")
    assert "now yes by" in err and len(err.splitlines()) == 1
    assert run("C08", Q, "n", "--expect", "yes")[0] == 0
    assert run("C08", Q, "x")[0] == 0  # without --expect: today's behaviour
    assert [a for a, _ in _history(tmp_store, "C08", Q)] == ["yes", "no", "na"]
