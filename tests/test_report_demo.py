"""End to end: the demo inspection's report reproduces the published Bedfordshire figures.

The demo (caseread/demo) is a synthetic sample built to reproduce the figures stated in
the 2013 report; the report is built from the store alone. So every stated figure must
come back out of the report: the five outcome scores and each figure of the report file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from report import build_report, gather
from report.model import Check
from report.published import _figure

demo_write = pytest.importorskip("caseread.demo.write")

from tests.conftest import copy_demo  # noqa: E402


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory, demo_template: Path) -> tuple[Any, str]:
    from caseread.demo.build import INSPECTION_ID
    from store import Store

    path = copy_demo(demo_template, tmp_path_factory.mktemp("demo") / "store")
    return Store.open(path), INSPECTION_ID


def test_demo_report_states_the_published_scores(demo: tuple[Any, str]) -> None:
    from criteria.reports import load_report

    store, iid = demo
    published = load_report("bedfordshire_2013").outcome_scores
    md = build_report(store, iid, "md")
    for o in gather(store, iid).outcomes:
        row = f"| Outcome {o.code}: {o.title} | {published[o.code]}% |"
        assert row in md
    assert "SYNTHETIC DATA" in md


def test_demo_reproduces_every_stated_figure(demo: tuple[Any, str]) -> None:
    store, iid = demo
    comparison = gather(store, iid, compare="bedfordshire_2013").comparison
    assert comparison is not None and len(comparison.checks) > 100
    wrong = [c for c in comparison.checks if not c.matches]
    assert wrong == [], wrong[:3]


def test_split_counts_a_value_that_is_also_a_scoring_class() -> None:
    """On the progress scale 'insufficient' is a value and a class: counted once."""
    from criteria import load_framework
    from criteria.reports import Figure

    fw = load_framework()
    fig = Figure(
        paragraph="O3 3.2",
        quote="q",
        question="3.3.01",
        answers={"good": 1, "some": 0, "insufficient": 2},
    )
    counts = {
        "3.3.01": {"good": 1, "insufficient": 2},
        "3.3.01:class": {"sufficient": 1, "insufficient": 2},
    }
    check: Check = _figure(fw, fig, counts, {})
    assert check.measured == "good 1, some 0, insufficient 2" and check.matches


def test_demo_html_report_written(demo: tuple[Any, str], tmp_path: Path) -> None:
    store, iid = demo
    text = build_report(store, iid, "html", compare="bedfordshire_2013")
    assert text.count('class="outcome"') == 5 and "<script" not in text
