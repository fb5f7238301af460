"""The programme's scores come from one DuckDB pass over every inspection's files, and
equal each inspection's own live scores, whatever mix of compacted and new files."""

from __future__ import annotations

import random

import pytest
from test_store_live import _random_details

from store import AnswerInput, Store
from store.programme import programme_scores
from store.scoring import agree

IDS = ["t1", "t2", "t3"]


def _fill(store: Store, rng: random.Random) -> None:
    for iid in IDS[1:]:
        store.add_inspection(iid, "Testshire", "2013-06")
    cases = [f"C{i}" for i in range(6)]
    for iid in IDS:
        for case_id in cases[:5]:
            store.save_case(iid, case_id, _random_details(rng))
    for step in range(80):
        iid = rng.choice(IDS)
        if step % 23 == 22:
            store.compact()
        elif rng.random() < 0.08:
            store.save_case(iid, rng.choice(cases), {"_deleted": rng.random() < 0.6})
        else:
            qid = rng.choice(["1.1.01", "1.1.02", "1.1.03", "1.2.01", "2.1.01"])
            values = ["one", "two", None] if qid == "1.1.03" else ["yes", "no", "na", None]
            store.save_answers(iid, [AnswerInput(rng.choice(cases), qid, rng.choice(values))])


@pytest.mark.parametrize("seed", range(3))
def test_one_pass_equals_each_inspections_live_scores(tiny_store: Store, seed: int) -> None:
    _fill(tiny_store, random.Random(seed))
    for method in ("questions", "criteria"):
        many = tiny_store.scores_by_inspection(IDS, method)
        assert list(many) == IDS
        for iid in IDS:
            live = tiny_store.scores(iid, method)
            assert agree(many[iid].to_json(), live.to_json()), (iid, method)
            assert many[iid].cases == live.cases


def test_programme_scores_do_not_score_inspection_by_inspection(
    tiny_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`scores --by inspection`, `report --programme` and the programme screen all go
    through programme_scores: one pass, not a Python loop over `Store.scores`."""
    _fill(tiny_store, random.Random(9))
    expected = {iid: tiny_store.scores(iid).to_json() for iid in IDS}
    calls: list[str] = []
    monkeypatch.setattr(tiny_store, "scores", lambda iid, **_: calls.append(iid))
    p = programme_scores(tiny_store)
    assert calls == []
    for row in p.inspections:
        want = expected[str(row.inspection_id)]
        assert row.scores["O1"] == pytest.approx(want["outcomes"][0]["score"])
