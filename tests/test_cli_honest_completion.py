"""Complete means every applicable question answered, now (issue 12), also for changes
made from the command line: `caseread answer --clear` on a complete case left it listed
as complete with 169/171 answered."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from caseread.cli import cli
from tests.conftest import copy_demo


def _run(store: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, ["--store", str(store), *args],
                                env={"CASEREAD_CONFIG_DIR": str(store.parent / "config")})
    assert result.exit_code == 0, (args, result.output)
    return result.stdout


def _complete(store: Path, case_id: str) -> bool:
    rows = json.loads(_run(store, "sql", f"SELECT marked_complete FROM cases WHERE case_id = "
                                         f"'{case_id}'", "--format", "json"))
    return bool(rows[0]["marked_complete"])


def test_clearing_an_answer_of_a_complete_case_clears_the_mark_and_says_so(
        tmp_path: Path, demo_template: Path) -> None:
    store = copy_demo(demo_template, tmp_path / "store")
    case = json.loads(_run(store, "sql", "SELECT case_id, question_id, answer FROM answers_current "
                                         "JOIN cases USING (inspection_id, case_id) WHERE "
                                         "marked_complete AND answer IS NOT NULL "
                                         "ORDER BY case_id, question_id LIMIT 1",
                           "--format", "json"))[0]
    cid, qid, value = case["case_id"], case["question_id"], case["answer"]
    assert _complete(store, cid)
    out = _run(store, "answer", cid, qid, value)  # the same answer again: still complete
    assert "no longer" not in out and _complete(store, cid)
    out = _run(store, "answer", cid, qid, "--clear")
    assert f"{cid} is no longer marked complete: 1 applicable question(s) unanswered ({qid})" \
        in out.splitlines()
    assert not _complete(store, cid)
    history = json.loads(_run(store, "sql", "SELECT count(*) AS n FROM case_history WHERE "
                                            f"case_id = '{cid}' AND field = '_complete'",
                              "--format", "json"))
    assert history[0]["n"] >= 2  # the mark and its clearing, both kept
