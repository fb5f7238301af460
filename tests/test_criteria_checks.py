"""Data quality rules (criteria/data/checks.yaml): validated like the framework, errors
naming file, line and field; evaluated with the safe rule language."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from caseread.cli import cli
from criteria import DATA_DIR, FrameworkError, load_framework
from criteria.checks import load_checks


def test_the_shipped_checks_load_and_evaluate() -> None:
    fw = load_framework()
    checks = {c.id: c for c in load_checks(fw)}
    rmp = checks["rosh_high_no_rmp"]
    assert rmp.fails({"rosh": "very_high"}, {})
    assert not rmp.fails({"rosh": "very_high"}, {"4.1.14": "no"})
    assert not rmp.fails({"rosh": "medium"}, {})
    assert not rmp.fails({}, {})  # undecidable: not a failure
    contra = checks["enforcement_without_non_compliance"]
    assert contra.fails({}, {"2.2.17": "no", "2.2.22": "yes"})
    assert not contra.fails({}, {"2.2.17": "yes", "2.2.22": "yes"})


@pytest.mark.parametrize(("text", "line", "field", "problem"), [
    ("checks:\n  - id: a\n    text: t\n    question: '9.9.99'\n    fails_when: 'rosh is None'\n",
     4, "checks[0].question", "unknown question '9.9.99'"),
    ("checks:\n  - id: a\n    text: t\n    question: '4.1.14'\n    fails_when: 'nope == 1'\n",
     5, "checks[0].fails_when", "nope"),
    ("checks:\n  - id: a\n    text: t\n    question: '4.1.14'\n"
     "    fails_when: \"__import__('os')\"\n", 5, "checks[0].fails_when", ""),
    ("checks:\n  - id: a\n    question: '4.1.14'\n    fails_when: 'rosh is None'\n",
     2, "checks[0].text", "Field required"),
    ("checks:\n  - {id: a, text: t, question: '4.1.14', fails_when: 'rosh is None'}\n"
     "  - {id: a, text: t, question: '4.1.14', fails_when: 'rosh is None'}\n",
     3, "checks[1].id", "duplicate check id 'a'"),
])
def test_bad_checks_name_file_line_and_field(tmp_path: Path, text: str, line: int, field: str,
                                             problem: str) -> None:
    path = tmp_path / "checks.yaml"
    path.write_text(text)
    with pytest.raises(FrameworkError) as caught:
        load_checks(load_framework(), path)
    err = caught.value
    assert (err.file, err.line, err.field) == (str(path), line, field)
    assert problem in err.problem


def test_criteria_check_reports_a_bad_checks_file(tmp_path: Path) -> None:
    root = tmp_path / "data"
    shutil.copytree(DATA_DIR, root)
    (root / "checks.yaml").write_text(
        "checks:\n  - id: a\n    text: t\n    question: '4.1.14'\n    fails_when: 'rosh >'\n")
    result = CliRunner().invoke(cli, ["criteria", "check", "--dir", str(root)])
    assert result.exit_code == 1
    assert "checks.yaml:5: checks[0].fails_when" in result.output
