"""Programme aggregates across inspections: pooled answers against the mean of inspections."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import test_report_data as rs

from store.programme import MEAN, POOLED, programme_scores


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return rs.build(tmp_path_factory.mktemp("programme") / "store")


def test_each_inspection_keeps_its_own_scores(store: Any) -> None:
    p = programme_scores(store)
    rows = {r.inspection_id: r for r in p.inspections}
    assert rows[rs.ALPHA].scores["O2"] == pytest.approx(rs.ALPHA_O2)
    assert rows[rs.BETA].scores["O2"] == pytest.approx(rs.BETA_O2)
    assert (rows[rs.ALPHA].cases, rows[rs.BETA].cases) == (4, 2)


def test_pooled_and_mean_differ_as_computed_by_hand(store: Any) -> None:
    p = programme_scores(store)
    assert p.pooled is not None and p.mean is not None
    assert p.pooled.scores["O2"] == pytest.approx(rs.POOLED_O2)
    assert p.mean.scores["O2"] == pytest.approx(rs.MEAN_O2)
    assert p.pooled.scores["O2"] != pytest.approx(p.mean.scores["O2"])
    assert p.pooled.scores["2.1"] == pytest.approx(rs.POOLED_O2)  # O2 = criterion 2.1 here
    assert p.pooled.cases == 6


def test_outcome_scored_in_one_inspection_only(store: Any) -> None:
    p = programme_scores(store)
    # beta has no outcome 4 answers: both aggregates equal alpha's score.
    assert p.pooled is not None and p.mean is not None
    assert p.pooled.scores["O4"] == pytest.approx(rs.ALPHA_O4)
    assert p.mean.scores["O4"] == pytest.approx(rs.ALPHA_O4)
    assert p.pooled.scores["O1"] is None and p.mean.scores["O1"] is None


def test_pooled_of_one_inspection_is_its_view_score(store: Any) -> None:
    for method in ("questions", "criteria"):
        p = programme_scores(store, [rs.ALPHA], method)
        assert p.pooled is not None
        only = p.inspections[0].scores
        for key, value in only.items():
            assert p.pooled.scores.get(key) == pytest.approx(value), (method, key)


def test_rows_are_labelled(store: Any) -> None:
    p = programme_scores(store, [rs.BETA, rs.ALPHA])
    labels = [r.label for r in p.rows()]
    assert labels[-2:] == [POOLED, MEAN]
    assert [r.inspection_id for r in p.rows()[:2]] == [rs.BETA, rs.ALPHA]
    header, body = p.table("outcome")
    assert header[:2] == ["", "Cases"] and len(header) == 2 + 5
    assert (
        body[-2][0] == POOLED
        and body[-2][header.index("O2 Sentence")] == "55%"
    )
    js = p.to_json()
    assert [r["kind"] for r in js["rows"]] == ["inspection", "inspection", "pooled", "mean"]


def test_unknown_inspection_and_method(store: Any) -> None:
    with pytest.raises(LookupError):
        programme_scores(store, ["nowhere"])
    with pytest.raises(ValueError):
        programme_scores(store, method="median")


def test_programme_report(store: Any, tmp_path: Path) -> None:
    from report import build_programme_report

    md = build_programme_report(store, None, "md")
    assert POOLED in md and MEAN in md and "55%" in md and "52%" in md
    assert "SYNTHETIC" in md  # alpha is synthetic
    assert "SYNTHETIC" not in build_programme_report(store, [rs.BETA], "md")
    html_text = build_programme_report(store, None, "html")
    assert "<svg" in html_text and "<script" not in html_text
