"""The report's stated figures: each is measured by a question that applies to the cases
it counts, and the stated counts are consistent with the question's scale and the sample."""

from __future__ import annotations

from typing import Any

import pytest

from criteria import Framework, load_framework
from criteria.reports import Figure, Report, load_report
from criteria.rules import Rule


@pytest.fixture(scope="module")
def fw() -> Framework:
    return load_framework()


@pytest.fixture(scope="module")
def report(fw: Framework) -> Report:
    return load_report(framework=fw)


# An ordinary case of the sample, which each figure's `case` then specialises.
BASE_CASE: dict[str, Any] = {
    "case_type": "community_order", "rosh": "medium", "psr": "none",
    "requirements": ["supervision"], "programme": "none", "mappa_category": "none",
    "mappa_level": "none", "transfer": "none", "child_protection": False,
    "domestic_abuse": False, "alcohol_misuse": False, "alcohol_offence": False,
    "victim_contact": False, "factors": ["lifestyle"],
}


def test_enough_figures(report: Report) -> None:
    assert len(report.figures) >= 40
    assert len(report.interviews) >= 10
    assert report.cases == 50 and report.interview_count == 32
    assert report.outcome_scores == {1: 77, 2: 73, 3: 66, 4: 61, 5: 61}


def _figures(report: Report) -> list[Figure]:
    return [*report.figures, *report.interviews]


def test_each_figure_is_measured_by_an_applicable_question(
    fw: Framework, report: Report
) -> None:
    for fig in _figures(report):
        q = fw.question(fig.question)
        details = {**BASE_CASE, **fig.case}
        assert fw.applies(q.id, details, fig.given), (
            f"{fig.paragraph} {fig.question}: does not apply to {fig.case} {fig.given}"
            f" (rule: {q.applies_when})")


def test_figures_without_a_case_count_ordinary_cases(fw: Framework, report: Report) -> None:
    """A figure that names no kind of case must be about a question every case can get."""
    for fig in report.figures:
        if not fig.case and not fig.given:
            assert fw.applies(fig.question, BASE_CASE, {}), fig.question


def test_counts_fit_the_scale_and_the_population(fw: Framework, report: Report) -> None:
    for fig in report.figures:
        q = fw.question(fig.question)
        scale = fw.scale_for(q)
        assert fig.total <= report.cases, fig.question
        if fig.answers is not None:
            assert set(fig.answers) <= set(scale.values()), fig.question
        else:
            assert q.kind == "scoring" and not scale.is_fact, fig.question
    for fig in report.interviews:
        assert fw.question(fig.question).kind == "interview"
        assert fig.total <= report.interview_count, fig.question


def test_fact_question_counts_bound_the_questions_that_depend_on_them(
    fw: Framework, report: Report
) -> None:
    """E.g. 38 non-compliant cases (2.2.17) bound the 36/38 of 2.2.18."""
    yes_counts = {f.question: f.answers.get("yes", 0) for f in _figures(report)
                  if f.answers is not None}
    checked = 0
    for fig in _figures(report):
        for qid, value in fig.given.items():
            if value == "yes" and qid in yes_counts:
                assert fig.total <= yes_counts[qid], (fig.question, qid)
                checked += 1
    assert checked >= 10


def test_sample_facts_select_enough_cases_for_each_figure(
    fw: Framework, report: Report
) -> None:
    """A figure counting cases of a kind the sample states must not count more of them."""
    facts = {fact.rule: fact.count for fact in report.sample}
    for fig in report.figures:
        rule = fw.rule_for(fig.question)
        if rule is not None and not rule.questions and rule.text in facts:
            assert fig.total <= facts[rule.text], fig.question
    for fact in report.sample:
        Rule.parse(fact.rule, fw.field_types)
        assert 0 <= fact.count <= report.cases


@pytest.mark.parametrize(
    ("paragraph", "question", "expected"),
    [  # a few figures read straight from the report, as a check on the data entry
        ("O2 1.7", "2.1.25", (9, 19)),
        ("O4 2.7", "4.2.16", (24, 43)),
        ("O5 2.1", "5.2.01", (24, 44)),
        ("O5 3.1", "5.3.01", (27, 41)),
        ("O4 1.5", "4.1.15", (9, 44)),
        ("O2 1.6", "2.1.24", (4, 21)),
        ("O3 2.5", "3.2.07", (6, 14)),
    ],
)
def test_spot_checks(report: Report, paragraph: str, question: str,
                     expected: tuple[int, int]) -> None:
    fig = next(f for f in report.figures if f.question == question)
    assert fig.paragraph == paragraph
    assert (fig.sufficient, fig.applicable) == expected


def test_splits_read_from_the_report(report: Report) -> None:
    by_q = {f.question: f for f in _figures(report)}
    assert by_q["3.2.04"].answers == {"on_plan": 14, "late": 2, "not_delivered": 4}
    assert by_q["4.1.01"].answers == {"timely": 33, "late": 15, "missing": 2}
    assert by_q["I2.4.13"].answers == {"yes": 12, "no": 4}
    progress = by_q["3.3.01"].answers or {}
    assert progress["good"] + progress["some"] == 33  # "two-thirds ... good or some"


def _constructed_sample() -> list[dict[str, Any]]:
    """A 50-case sample built by hand to meet every sample fact: proof the facts agree."""
    cases = [dict(BASE_CASE, requirements=["supervision"]) for _ in range(50)]
    for i in range(16):  # licences; 12 with statutory victim contact, 4 in approved premises
        cases[i].update(case_type="licence", victim_contact=i < 12)
    for i in range(12, 16):
        cases[i]["requirements"] = ["supervision", "approved_premises"]
    for i, psr in zip(range(16, 44), ["oral"] * 2 + ["full"] * 13 + ["short"] * 13, strict=True):
        cases[i]["psr"] = psr
    for i in range(16, 36):  # accredited programmes
        cases[i].update(programme="idap", domestic_abuse=True)
        cases[i]["requirements"] = ["supervision", "accredited_programme"]
    for i in range(16, 30):
        cases[i]["requirements"] = [*cases[i]["requirements"], "curfew"]
    for i in (30, 31):
        cases[i]["requirements"] = [*cases[i]["requirements"], "restraining_order"]
    for i in range(36, 39):
        cases[i]["requirements"] = ["supervision", "specified_activity"]
    for i in range(46, 50):
        cases[i].update(requirements=["unpaid_work"])
    for i in range(47, 50):
        cases[i]["rosh"] = "low"
    for i in range(14):
        cases[i]["mappa_category"] = "2"
    for i in range(5):
        cases[i]["mappa_level"] = "2"
    for i in range(36, 40):
        cases[i]["domestic_abuse"] = True
    for i in range(21):
        cases[i + 20]["child_protection"] = True
    for i in range(30):
        cases[i]["alcohol_misuse"] = True
        cases[i]["alcohol_offence"] = i < 19
    cases[40]["transfer"] = cases[41]["transfer"] = "out"
    for i in (42, 43, 44):
        cases[i]["transfer"] = "in"
    for i in range(23):
        cases[i]["factors"] = ["relationships", "lifestyle"]
    return cases


def test_a_sample_meeting_every_fact_meets_every_figure(fw: Framework, report: Report) -> None:
    cases = _constructed_sample()
    for fact in report.sample:
        rule = Rule.parse(fact.rule, fw.field_types)
        got = sum(rule.evaluate(c, {}) for c in cases)
        assert got == fact.count, (fact.paragraph, fact.rule, got)
    for fig in report.figures:
        rule = fw.rule_for(fig.question)
        if rule is None or rule.questions:
            continue  # answer-dependent: bounded by the fact question's count (above)
        got = sum(rule.evaluate(c, {}) for c in cases)
        assert got >= fig.total, (fig.paragraph, fig.question, rule.text, got, fig.total)
