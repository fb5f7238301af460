"""The bundled framework: the grid of Appendix 6, the question bank, and the API."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from criteria import DATA_DIR, Framework, load_framework


@pytest.fixture(scope="module")
def fw() -> Framework:
    return load_framework()


def test_grid_matches_appendix_6(fw: Framework) -> None:
    assert fw.version == "2013.1"
    assert [o.code for o in fw.outcomes] == [1, 2, 3, 4, 5]
    assert [t.title for t in fw.themes] == [
        "Assessment and planning", "Delivery and review", "Case outcomes",
        "Leadership and management", "Victim work",
    ]
    ids = [c.id for c in fw.criteria]
    assert ids == ["1.1", "1.4", "2.1", "2.2", "2.3", "2.4", "3.1", "3.2", "3.3", "3.4",
                   "4.1", "4.2", "4.3", "4.4", "5.1", "5.2", "5.3", "5.4", "5.5"]
    for c in fw.criteria:
        expected = "interviews" if c.id.endswith(".4") else "cases"
        assert c.scored_from == expected, c.id
        assert c.theme == int(c.id[-1]) or c.id == "5.5" and c.theme == 5


def test_every_case_scored_criterion_has_scoring_questions(fw: Framework) -> None:
    for c in fw.criteria:
        kinds = [q.kind for q in fw.questions_for_criterion(c.id)]
        if c.scored_from == "cases":
            assert kinds.count("scoring") >= 2, c.id
        else:
            assert "scoring" not in kinds, c.id


def test_question_bank_size_and_ids(fw: Framework) -> None:
    assert 120 <= len(fw.questions) <= 260
    for q in fw.questions:
        assert re.fullmatch(rf"{re.escape(q.criterion)}\.\d\d", q.id), q.id
        assert q.source and re.fullmatch(r"O[1-5] \d\.\d+", q.source), q.id
    for q in fw.interview_questions:
        assert q.id == f"I{q.criterion}.{q.number:02d}" and q.kind == "interview"


def test_process_order(fw: Framework) -> None:
    order = {s.id: s.order for s in fw.sections}
    assert [s.id for s in sorted(fw.sections, key=lambda s: s.order)][:5] == [
        "case_details", "assessment_planning", "delivery_review", "outcomes", "victim_contact"]
    positions = [order[q.section] for q in fw.questions]
    assert positions == sorted(positions)
    seen: set[str] = set()
    for q in fw.questions:
        rule = fw.rule_for(q.id)
        for earlier in rule.questions if rule else ():
            assert earlier in seen, f"{q.id} reads a later answer {earlier}"
        seen.add(q.id)


def test_victim_questions_also_count_towards_public_protection(fw: Framework) -> None:
    victim = [q for q in fw.questions if q.criterion in ("5.1", "5.2", "5.3")]
    assert victim and all(q.also_counts_towards == [4] for q in victim)
    towards_4 = {q.id for q in fw.questions_for_outcome(4)}
    assert {q.id for q in victim} <= towards_4
    assert "5.5.01" not in towards_4
    assert all(q.kind == "scoring" for q in fw.questions_for_outcome(2))


def test_each_scored_criterion_has_a_key_question(fw: Framework) -> None:
    for c in fw.criteria:
        if c.scored_from == "cases":
            assert any(q.key_question for q in fw.questions_for_criterion(c.id)), c.id


def test_scales_and_parse_answer(fw: Framework) -> None:
    yn = fw.scales["yes_no_na"]
    assert [(c.value, c.key, c.scoring) for c in yn.choices] == [
        ("yes", "y", "sufficient"), ("no", "n", "insufficient"), ("na", "x", "not_applicable")]
    progress = fw.scale_for("3.3.01")
    assert {c.value: c.scoring for c in progress.choices} == {
        "good": "sufficient", "some": "sufficient", "insufficient": "insufficient",
        "na": "not_applicable"}
    assert fw.parse_answer("1.1.03", "Y") == "yes"
    assert fw.parse_answer("1.1.03", "x") == "na"
    assert fw.parse_answer("1.1.03", "n/a") == "na"
    assert fw.parse_answer("3.3.01", "2") == "some"
    with pytest.raises(ValueError, match=r"yes \(y\), no \(n\), na \(x\)"):
        fw.parse_answer("1.1.03", "maybe")
    with pytest.raises(KeyError):
        fw.question("9.9.99")


def test_fact_questions_never_score(fw: Framework) -> None:
    for q in [*fw.questions, *fw.interview_questions]:
        assert fw.scale_for(q).is_fact == (q.kind in ("fact", "interview")), q.id


def test_applicability_follows_case_details_and_answers(fw: Framework) -> None:
    licence = {"case_type": "licence", "victim_contact": True, "psr": "none"}
    assert fw.applies("5.5.01", licence, {})
    assert not fw.applies("5.5.01", {**licence, "case_type": "community_order"}, {})
    assert not fw.applies("5.5.04", licence, {"5.5.01": "yes"})
    assert fw.applies("5.5.04", licence, {"5.5.01": "yes", "5.5.03": "yes"})
    assert not fw.applies("1.1.03", licence, {})
    assert fw.applies("1.1.03", {"psr": "short"}, {})
    assert fw.applies("2.1.01", {}, {})


def test_load_is_cached(fw: Framework) -> None:
    assert load_framework() is fw
    assert load_framework(DATA_DIR) is fw


def test_criteria_imports_nothing_from_textual_or_tui() -> None:
    for path in Path(DATA_DIR).parent.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            for name in names:
                assert name.split(".")[0] not in ("textual", "tui"), (path, name)


def test_key_questions_are_few_scored_and_labelled(fw: Framework) -> None:
    """The Data Summary charts: a handful of headline questions per outcome, with labels."""
    for o in fw.outcomes:
        keys = [q for q in fw.questions
                if q.key_question and fw.criterion(q.criterion).outcome == o.code]
        assert 1 <= len(keys) <= 12, o.code
        for q in keys:
            assert q.kind == "scoring" and q.short and len(q.short) <= 50, q.id
