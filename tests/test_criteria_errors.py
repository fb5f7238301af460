"""Bad framework files give one clear error naming file, line and field."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from criteria import DATA_DIR, FrameworkError, check_framework, load_framework
from criteria.reports import load_report

Q1 = "questions/1_assessment_planning.yaml"


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    root = tmp_path / "framework"
    shutil.copytree(DATA_DIR, root)
    return root


def edit(root: Path, name: str, old: str, new: str) -> int:
    """Replace the first `old` with `new`; the 1-based line where `new` starts."""
    path = root / name
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    at = text.index(old)
    path.write_text(text[:at] + new + text[at + len(old):], encoding="utf-8")
    return text[:at].count("\n") + 1


def first_error(root: Path) -> FrameworkError:
    fw, errors = check_framework(root)
    assert fw is None and errors, "expected the framework to be rejected"
    return errors[0]


def assert_error(err: FrameworkError, name: str, line: int, field: str, problem: str) -> None:
    assert err.file.endswith(name), err
    assert err.line == line, err
    assert field in err.field, err
    assert problem in err.problem, err
    assert str(err) == f"{err.file}:{err.line}: {err.field}: {err.problem}"


def test_the_copy_is_valid(copy: Path) -> None:
    fw, errors = check_framework(copy)
    assert errors == [] and fw is not None


def test_unknown_criterion(copy: Path) -> None:
    line = edit(copy, Q1, 'criterion: "2.1"\n    text: "Was the case allocated',
                'criterion: "2.9"\n    text: "Was the case allocated')
    assert_error(first_error(copy), Q1, line, "criterion", "unknown criterion '2.9'")


def test_duplicate_question_id(copy: Path) -> None:
    line = edit(copy, Q1, 'id: "2.1.02"', 'id: "2.1.01"')
    assert_error(first_error(copy), Q1, line, "id", "duplicate question id '2.1.01'")


def test_duplicate_question_id_across_files(copy: Path) -> None:
    name = "questions/3_outcomes.yaml"
    line = edit(copy, name, 'id: "2.3.01"', 'id: "2.1.01"')
    err = first_error(copy)
    assert_error(err, name, line, "id", "duplicate question id '2.1.01'")
    assert "1_assessment_planning.yaml:" in err.problem


def test_malformed_rule(copy: Path) -> None:
    line = edit(copy, Q1, "applies_when: \"rosh in ('medium', 'high', 'very_high')\"",
                "applies_when: \"rosh in ('medium', 'high'\"")
    assert_error(first_error(copy), Q1, line, "applies_when", "syntax error")


def test_unsafe_rule_is_refused(copy: Path) -> None:
    line = edit(copy, Q1, 'applies_when: "child_protection"',
                "applies_when: \"__import__('os').system('echo hi')\"")
    assert_error(first_error(copy), Q1, line, "applies_when", "unknown function")


def test_rule_naming_unknown_field(copy: Path) -> None:
    line = edit(copy, Q1, 'applies_when: "alcohol_offence"', 'applies_when: "alcohol_ofence"')
    assert_error(first_error(copy), Q1, line, "applies_when",
                 "unknown case detail field 'alcohol_ofence'")


def test_rule_with_unknown_choice(copy: Path) -> None:
    line = edit(copy, Q1, "applies_when: \"psr == 'oral'\"", "applies_when: \"psr == 'spoken'\"")
    assert_error(first_error(copy), Q1, line, "applies_when",
                 "unknown choice 'spoken' for psr")


def test_rule_with_unknown_answer_choice(copy: Path) -> None:
    line = edit(copy, Q1, "applies_when: \"answer('2.1.31') == 'yes'\"",
                "applies_when: \"answer('2.1.31') == 'yse'\"")
    assert_error(first_error(copy), Q1, line, "applies_when",
                 "unknown choice 'yse' for answer('2.1.31')")


def test_rule_reading_a_later_answer(copy: Path) -> None:
    line = edit(copy, Q1, "applies_when: \"answer('2.1.31') == 'yes'\"",
                "applies_when: \"answer('5.5.01') == 'yes'\"")
    assert_error(first_error(copy), Q1, line, "applies_when", "earlier questions")


def test_unknown_scale(copy: Path) -> None:
    line = edit(copy, Q1, "scale: completion", "scale: complete")
    assert_error(first_error(copy), Q1, line, "scale", "unknown scale 'complete'")


def test_unknown_choice_in_case_field(copy: Path) -> None:
    line = edit(copy, "case_fields.yaml", "{value: very_high,", "{value: Very High,")
    assert_error(first_error(copy), "case_fields.yaml", line, "fields[", "should match")


def test_unknown_field_type(copy: Path) -> None:
    line = edit(copy, "case_fields.yaml", "type: bool", "type: boolean")
    assert_error(first_error(copy), "case_fields.yaml", line, "type", "Input should be")


def test_duplicate_scale_key(copy: Path) -> None:
    edit(copy, "scales.yaml", 'key: "n", scoring: insufficient', 'key: "y", scoring: insufficient')
    choices_line = edit(copy, "scales.yaml", "    choices:", "    choices:")
    assert_error(first_error(copy), "scales.yaml", choices_line, "scales[0].choices",
                 "yes_no_na: duplicate choice key 'y'")


def test_fact_question_on_a_scoring_scale(copy: Path) -> None:
    line = edit(copy, "questions/2_delivery_review.yaml",
                "kind: fact\n    scale: yes_no\n    text: \"Did the individual fail",
                "kind: fact\n    scale: yes_no_na\n    text: \"Did the individual fail")
    assert_error(first_error(copy), "questions/2_delivery_review.yaml", line + 1, "scale",
                 "needs a fact scale")


def test_unknown_key_in_a_question(copy: Path) -> None:
    line = edit(copy, Q1, "key_question: true", "key_questoin: true")
    assert_error(first_error(copy), Q1, line, "key_questoin", "Extra inputs")


def test_duplicate_yaml_key(copy: Path) -> None:
    line = edit(copy, Q1, '    source: "O2 1.1"\n', '    source: "O2 1.1"\n    source: "x"\n')
    assert_error(first_error(copy), Q1, line + 1, "source", "duplicate key")


def test_yaml_syntax_error(copy: Path) -> None:
    line = edit(copy, "scales.yaml", "  - id: yes_no\n", "  - id: [yes_no\n")
    err = first_error(copy)
    assert err.file.endswith("scales.yaml") and err.field == "(yaml)"
    assert line <= err.line <= line + 2


def test_criterion_without_questions(copy: Path) -> None:
    name = "questions/4_victim_contact.yaml"
    (copy / name).write_text("section: victim_contact\nquestions: []\n", encoding="utf-8")
    line = edit(copy, "framework.yaml", '{id: "5.5"', '{id: "5.5"')
    assert_error(first_error(copy), "framework.yaml", line, "criteria[18]",
                 "criterion 5.5 has no scoring questions")


def test_several_problems_are_all_reported(copy: Path) -> None:
    edit(copy, Q1, 'criterion: "2.1"', 'criterion: "2.9"')
    edit(copy, Q1, "scale: completion", "scale: complete")
    _, errors = check_framework(copy)
    assert len(errors) >= 2
    with pytest.raises(FrameworkError) as info:
        load_framework(copy)
    assert len(info.value.errors) == len(errors)


def test_report_naming_unknown_question(copy: Path) -> None:
    name = "reports/bedfordshire_2013.yaml"
    line = edit(copy, name, 'question: "2.1.01"', 'question: "2.1.99"')
    with pytest.raises(FrameworkError) as info:
        load_report(path=copy / name)
    assert_error(info.value, name, line, "figures[", "unknown question '2.1.99'")


def test_report_with_unknown_answer_choice(copy: Path) -> None:
    name = "reports/bedfordshire_2013.yaml"
    line = edit(copy, name, "answers: {good: 18", "answers: {great: 18")
    with pytest.raises(FrameworkError) as info:
        load_report(path=copy / name)
    assert_error(info.value, name, line, "answers", "unknown choice 'great'")
