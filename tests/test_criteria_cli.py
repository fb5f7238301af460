"""`caseread criteria check|show` through click's test runner."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from caseread.commands.criteria_cmd import criteria
from criteria import DATA_DIR, load_framework


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(criteria, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_check_prints_counts_per_criterion() -> None:
    code, out, _ = run("check")
    assert code == 0
    fw = load_framework()
    for c in fw.criteria:
        line = next(ln for ln in out.splitlines() if ln.startswith(c.id + " "))
        scoring = sum(q.kind == "scoring" for q in fw.questions_for_criterion(c.id))
        assert line.split()[1] == str(scoring)
    assert "framework 2013.1: ok" in out


def test_check_reports_file_line_field_and_fails(tmp_path: Path) -> None:
    root = tmp_path / "fw"
    shutil.copytree(DATA_DIR, root)
    path = root / "questions" / "3_outcomes.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('criterion: "2.3"', 'criterion: "2.7"', 1), encoding="utf-8")
    line = text[: text.index('criterion: "2.3"')].count("\n") + 1
    code, _, err = run("check", "--dir", str(root))
    assert code == 1
    assert f"3_outcomes.yaml:{line}: questions[0].criterion: question 2.3.01: " \
           "unknown criterion '2.7'" in err
    assert err.strip().splitlines()[-1].startswith("caseread: error: ")


def test_show_grid_criterion_question_and_field() -> None:
    code, out, _ = run("show")
    assert code == 0 and "4.1  Assessment and planning to minimise risk of harm to others" in out
    code, out, _ = run("show", "2.1")
    assert code == 0 and "2.1.25" in out and "only where: alcohol_offence" in out
    code, out, _ = run("show", "4.1.05")
    assert code == 0 and "source:      O4 1.3" in out and "yes [y] = sufficient" in out
    code, out, _ = run("show", "rosh")
    assert code == 0 and "very_high" in out
    code, out, _ = run("show", "4")
    assert code == 0 and "4.4" in out


def test_show_unknown_id_fails() -> None:
    code, _, err = run("show", "9.9.99")
    assert code == 1 and "caseread: error: no outcome" in err


def test_show_json_is_the_whole_framework() -> None:
    code, out, _ = run("show", "--format", "json")
    assert code == 0
    data = json.loads(out)
    fw = load_framework()
    assert data["version"] == fw.version
    assert len(data["questions"]) == len(fw.questions)
    assert len(data["interview_questions"]) == len(fw.interview_questions)
    rosh = next(f for f in data["case_fields"] if f["id"] == "rosh")
    assert [c["value"] for c in rosh["choices"]] == ["low", "medium", "high", "very_high"]
    q = next(q for q in data["questions"] if q["id"] == "5.1.01")
    assert q["outcome"] == 5 and q["also_counts_towards"] == [4] and q["theme"] == 1
    q = next(q for q in data["questions"] if q["id"] == "2.1.25")
    assert q["rule_fields"] == ["alcohol_offence"] and q["choices"][0]["value"] == "yes"
    assert [q["process_order"] for q in data["questions"]] == list(
        range(1, len(fw.questions) + 1))


def test_show_json_of_one_question() -> None:
    code, out, _ = run("show", "3.3.01", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["item"] == "question" and data["scale"] == "progress"
