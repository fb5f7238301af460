"""Live scores (in-memory answers, read fragment by fragment) equal the views' SQL scores.

`Store.scores()` sums in Python what the score views compute in SQL; these tests drive
random saves, clears, case detail changes, deletions, compaction and lost files through
both and compare every level, both methods and every breakdown.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from store import AnswerInput, Store, live
from store.layout import fragments_in
from store.scoring import agree

BREAKDOWNS = [None, "author", "rosh", "psr", "requirements", "office", "age", "transfer_in"]
DETAILS: dict[str, list[Any]] = {
    "rosh": ["low", "medium", "high", None], "psr": ["none", "short", "full", None],
    "requirements": [["unpaid_work"], ["unpaid_work", "curfew"], [], None],
    "office": ["A", "B", None], "age": [25, 40, None], "transfer_in": [True, False, None],
}


def assert_same_scores(store: Store, inspection_id: str, breakdowns: list | None = None) -> None:
    for by in BREAKDOWNS if breakdowns is None else breakdowns:
        for method in ("questions", "criteria"):
            live = store.scores(inspection_id, method, by).to_json()
            sql = store.scores_sql(inspection_id, method, by).to_json()
            assert agree(live, sql), (by, method, live, sql)
            if by is None:  # the programme's one pass over every inspection's files
                many = store.scores_by_inspection([inspection_id], method)[inspection_id]
                assert agree(live, many.to_json()), (method, live, many.to_json())
                assert (many.cases, many.interviews) == (
                    store.scores(inspection_id, method).cases,
                    store.scores(inspection_id, method).interviews)


def _random_details(rng: random.Random) -> dict[str, Any]:
    return {k: v for k, values in DETAILS.items() if (v := rng.choice(values)) is not None}


def _step(store: Store, rng: random.Random, cases: list[str]) -> None:
    """One thing an inspector (or the compactor) might do."""
    roll = rng.random()
    if roll < 0.1:
        store.save_case("t1", rng.choice(cases), _random_details(rng))
    elif roll < 0.13:
        store.save_case("t1", rng.choice(cases), {"_deleted": rng.random() < 0.7})
    elif roll < 0.16:
        store.compact()
    else:
        qids = ["1.1.01", "1.1.02", "1.1.03", "1.2.01", "2.1.01", "9.9.99"]
        batch = []
        for _ in range(rng.randint(1, 4)):
            qid = rng.choice(qids)
            values = ["one", "two", None] if qid == "1.1.03" else ["yes", "no", "na", None]
            batch.append(AnswerInput(rng.choice(cases), qid, rng.choice(values)))
        _save_raw(store, batch)


def _save_raw(store: Store, batch: list[AnswerInput]) -> None:
    """Unknown question ids are refused by save_answers; write those as an old framework
    would have, straight through the private save (they must be ignored by scoring)."""
    rows = [{"inspection_id": "t1", "case_id": a.case_id, "question_id": a.question_id,
             "answer": a.answer, "note": None, "framework_version": "old"} for a in batch]
    store._save("answers", "t1", rows)


@pytest.mark.parametrize("seed", range(6))
def test_random_histories_score_the_same(tiny_store: Store, seed: int) -> None:
    rng = random.Random(seed)
    cases = [f"C{i}" for i in range(8)]
    tiny_store.save_case("t1", "OM1", {}, kind="interview")
    _save_raw(tiny_store, [AnswerInput("OM1", "2.4.01", "yes"), AnswerInput("OM1", "1.1.01",
                                                                            "yes")])
    for case_id in cases[:6]:  # two cases have answers but no details
        tiny_store.save_case("t1", case_id, _random_details(rng))
    for step in range(60):
        tiny_store.author = rng.choice(["ann", "bob"])
        _step(tiny_store, rng, cases)
        if step % 7 == 0:  # a few new files each time: read one by one
            # no breakdown and one in turn here; every breakdown at the end
            turn = BREAKDOWNS[1 + (step // 7 + seed) % (len(BREAKDOWNS) - 1)]
            assert_same_scores(tiny_store, "t1", [None, turn])
    assert_same_scores(tiny_store, "t1")
    for _ in range(live.SMALL_BATCH + 1):
        _save_raw(tiny_store, [AnswerInput(rng.choice(cases), "1.2.01", rng.choice(["yes", "no"]))])
    fresh = Store.open(tiny_store.root, framework=tiny_store.framework)
    assert len(fragments_in(fresh.layout.partition("answers", "t1"))) > live.SMALL_BATCH
    assert_same_scores(fresh, "t1")  # everything at once: reduced by DuckDB first
    fresh.close()


def test_a_vanished_fragment_takes_its_answers_with_it(tiny_store: Store, tmp_path: Path) -> None:
    s = tiny_store
    s.save_answers("t1", [AnswerInput("C1", "1.1.01", "yes")])
    receipt = s.save_answers("t1", [AnswerInput("C2", "1.1.01", "no")])
    q = s.scores("t1").question("1.1.01")
    assert (q["sufficient"], q["insufficient"]) == (1, 1)
    assert receipt.path is not None
    receipt.path.rename(tmp_path / "aside.parquet")  # as quarantine moves a damaged file
    q = s.scores("t1").question("1.1.01")
    assert (q["sufficient"], q["insufficient"]) == (1, 0)
    assert_same_scores(s, "t1")


def test_compaction_between_reads_changes_nothing(tiny_store: Store) -> None:
    s = tiny_store
    for answer in ("no", "yes", "no", "yes"):
        s.save_answers("t1", [AnswerInput("C1", "1.1.01", answer)])
    before = s.scores("t1").to_json()
    s.compact()  # into the current state and the one event each replaced
    assert [p.name.split("-")[0] for p in fragments_in(s.layout.partition("answers", "t1"))] \
        == ["current", "history"]
    assert s.scores("t1").to_json() == before
    assert s.scores("t1").question("1.1.01")["sufficient"] == 1


def test_another_process_saves_are_seen(tiny_store: Store) -> None:
    reader = Store.open(tiny_store.root, framework=tiny_store.framework)
    assert reader.scores("t1").question("1.1.01")["score"] is None
    tiny_store.save_case("t1", "C1", {"psr": "full"})
    tiny_store.save_answers("t1", [AnswerInput("C1", "1.1.02", "yes")])
    assert reader.scores("t1").question("1.1.02")["sufficient"] == 1
    tiny_store.save_case("t1", "C1", {"psr": "none"})  # the rule now says not applicable
    q = reader.scores("t1").question("1.1.02")
    assert (q["sufficient"], q["not_applicable"]) == (0, 1)
    reader.close()


def test_case_and_interview_counts_match_the_views(tiny_store: Store) -> None:
    s = tiny_store
    s.save_case("t1", "C1", {"rosh": "low"})
    s.save_case("t1", "C2", {"rosh": "high"})
    s.save_case("t1", "C3", {"_deleted": True})
    for om, answer in (("OM1", "yes"), ("OM2", "yes"), ("OM3", "no"), ("OM4", "no")):
        s.save_case("t1", om, {}, kind="interview")
        s.save_answers("t1", [AnswerInput(om, "2.4.01", answer)])
    s.save_case("t1", "OM4", {"_deleted": True})  # its answer no longer counts
    s.save_answers("t1", [AnswerInput("OM3", "2.4.01", None)])  # cleared: not counted
    live, sql = s.scores("t1"), s.scores_sql("t1")
    assert live.cases == sql.cases == 2
    assert live.interviews == sql.interviews == [
        {"question_id": "2.4.01", "answer": "yes", "n": 2}]
    view = s.query("SELECT question_id, answer, n FROM interview_counts").to_pylist()
    assert view == live.interviews


def test_only_the_recently_scored_inspections_stay_in_memory(tiny_store: Store) -> None:
    from store.reads import LIVE_INSPECTIONS

    ids = [f"x{i}" for i in range(LIVE_INSPECTIONS + 2)]
    for iid in ids:
        tiny_store.add_inspection(iid, "Testshire", "2013-05")
        tiny_store.save_answers(iid, [AnswerInput("C1", "1.1.01", "yes")])
        tiny_store.scores(iid)
    tiny_store.scores(ids[0])  # scored again: read again, and now the most recent
    assert list(tiny_store._live) == [*ids[3:], ids[0]]
    assert tiny_store.scores(ids[0]).question("1.1.01")["sufficient"] == 1
