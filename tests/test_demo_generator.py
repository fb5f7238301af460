"""The generator on its own: deterministic, and loud when a figure cannot be met."""

from __future__ import annotations

import dataclasses

import pytest

from caseread.demo.build import generate
from caseread.demo.check import outcome_scores
from caseread.demo.figures import DemoError, Fact
from caseread.demo.load import load_figures
from criteria import load_framework


def test_deterministic(demo_data) -> None:  # type: ignore[no-untyped-def]
    again = generate()  # demo_data is the session's own, earlier run
    assert again.cases == demo_data.cases and again.answers == demo_data.answers


def test_scores_on_target_in_python(demo_data) -> None:  # type: ignore[no-untyped-def]
    fw, figures = load_framework(), load_figures()
    got = outcome_scores(fw, demo_data.answers)
    for o, t in figures.targets.items():
        score = got[o]
        assert score is not None and abs(score - t) <= 0.01, (o, score, t)


def test_impossible_fact_fails_naming_it() -> None:
    figures = load_figures()
    bad = Fact("gender == 'female'", figures.cases + 1, 'X 9.9 "every case and one more"')
    impossible = dataclasses.replace(figures, facts=[*figures.facts, bad])
    with pytest.raises(DemoError, match=rf"X 9\.9.*expected {figures.cases + 1}, got"):
        generate(figures=impossible)
