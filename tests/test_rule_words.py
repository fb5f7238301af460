"""Applicability rules said in words from the case detail labels (never the raw rule)."""

from __future__ import annotations

import pytest

from criteria import load_framework
from criteria.rule_words import rule_in_words
from criteria.rules import Rule


def words(text: str) -> str:
    fw = load_framework()
    known = {f.id: f.type for f in fw.case_fields}
    return rule_in_words(Rule.parse(text, known, [q.id for q in fw.questions]), fw)


@pytest.mark.parametrize("rule, said", [
    ("psr == 'oral'", "Pre-sentence report is Oral"),
    ("rosh in ('high', 'very_high')", "RoSH classification at start is High or Very high"),
    ("rosh not in ('low',)", "RoSH classification at start is not Low"),
    ("child_protection", "Child protection concerns is yes"),
    ("not child_protection", "Child protection concerns is no"),
    ("'curfew' in requirements", "Requirements and conditions in force include Curfew"),
    ("'curfew' not in requirements",
     "Requirements and conditions in force do not include Curfew"),
    ("not only(requirements, 'unpaid_work')",
     "Requirements and conditions in force are not only Unpaid work (Community Payback)"),
    ("answer('2.1.31') == 'yes'", "the answer to 2.1.31 is Yes"),
    ("case_type == 'licence' and transfer == 'in'",
     "Type of case is Licence (post-custody) and Transfer is Transferred in"),
    ("rosh in ('high', 'very_high') or child_protection",
     "RoSH classification at start is High or Very high; or Child protection concerns is yes"),
])
def test_rules_in_words(rule: str, said: str) -> None:
    assert words(rule) == said


def test_every_rule_of_the_framework_is_said_without_its_code() -> None:
    fw = load_framework()
    for q in fw.questions:
        rule = fw.rule_for(q.id)
        if rule is None:
            continue
        said = rule_in_words(rule, fw)
        for code in ("==", "('", "_", "answer(", "has_any", "only("):
            assert code not in said, (q.id, said)


def test_the_form_says_why_a_question_does_not_apply_in_words(tmp_path: object) -> None:
    from test_tui_app import build_store, make_app, settle, sync
    from test_tui_case_form import open_case

    store = build_store(tmp_path / "store")  # type: ignore[operator]

    @sync
    async def run() -> None:
        app = make_app(store)
        async with app.run_test(size=(80, 24)) as pilot:
            form = await open_case(pilot, "C02")  # no pre-sentence report
            form.go_to("1.1.02")
            await settle(pilot)
            shown = str(form.query_one("#guidance").render())
            assert "Does not apply to this case: it applies only when Pre-sentence report is"\
                in shown
            assert "psr" not in shown

    run()
    store.close()
