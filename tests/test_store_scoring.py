"""Appendix 5 scores against hand-computed examples (tiny framework, see conftest.py).

Cases: C1 rosh high, psr full, [unpaid_work, curfew], office A
       C2 rosh low,  psr none, [unpaid_work],         office B
       C3 rosh medium, psr short, [],                 office A
       C5 deleted; OM1 an interview record.
"""

from __future__ import annotations

import pytest

from store import AnswerInput, Store


def _save(store: Store, *answers: tuple[str, str, str | None]) -> None:
    for case_id, qid, answer in answers:  # one save each: later saves win
        store.save_answers("t1", [AnswerInput(case_id, qid, answer)])


@pytest.fixture
def scored(tiny_store: Store) -> Store:
    s = tiny_store
    s.save_case("t1", "C1", {"rosh": "high", "psr": "full",
                             "requirements": ["unpaid_work", "curfew"], "office": "A"})
    s.save_case("t1", "C2", {"rosh": "low", "psr": "none", "requirements": ["unpaid_work"],
                             "office": "B"})
    s.save_case("t1", "C3", {"rosh": "medium", "psr": "short", "requirements": [],
                             "office": "A"})
    s.save_case("t1", "C5", {"rosh": "high", "psr": "full"})
    s.save_case("t1", "OM1", {}, kind="interview")
    _save(s,
          ("C1", "1.1.01", "n"), ("C1", "1.1.01", "y"),  # changed: the later answer wins
          ("C2", "1.1.01", "no"), ("C3", "1.1.01", "x"),
          ("C1", "1.1.02", "yes"), ("C2", "1.1.02", "yes"),  # C2: rule says not applicable
          ("C3", "1.1.02", "yes"),
          ("C1", "1.1.03", "2"),  # a fact: never scored
          ("C1", "1.2.01", "no"), ("C2", "1.2.01", "no"), ("C2", "1.2.01", None),  # cleared
          ("C3", "1.2.01", "yes"),
          ("C1", "2.1.01", "yes"), ("C2", "2.1.01", "yes"),  # C2: 1.1.01 is 'no' -> n/a
          ("C5", "1.1.01", "no"), ("OM1", "2.4.01", "yes"))
    s.save_case("t1", "C5", {"_deleted": True})
    return s


def test_question_scores(scored: Store) -> None:
    sc = scored.scores("t1")
    q = sc.question("1.1.01")
    assert (q["sufficient"], q["insufficient"], q["not_applicable"], q["score"]) == (1, 1, 1, 0.5)
    q = sc.question("1.1.02")  # C2 answered 'yes' but psr none: the rule makes it not count
    assert (q["sufficient"], q["insufficient"], q["not_applicable"], q["score"]) == (2, 0, 1, 1.0)
    assert sc.question("1.2.01")["score"] == 0.5  # C2's answer was cleared: unanswered
    q = sc.question("2.1.01")
    assert (q["sufficient"], q["not_applicable"], q["score"]) == (1, 1, 1.0)
    assert [x["id"] for x in sc.questions] == ["1.1.01", "1.1.02", "1.2.01", "2.1.01"]


def test_criterion_theme_and_both_outcome_methods(scored: Store) -> None:
    sc = scored.scores("t1")
    c = sc.criterion("1.1")
    assert (c["score"], c["sufficient"], c["applicable"]) == (0.75, 3, 4)
    assert sc.criterion("1.2")["score"] == 0.5
    assert sc.criterion("2.1")["score"] == 1.0
    # questions method: O1 = mean(.5, 1, .5); O2 = mean(2.1.01 = 1, lent 1.2.01 = .5)
    assert sc.outcome(1)["score"] == pytest.approx(2 / 3)
    assert sc.outcome(2)["score"] == pytest.approx(0.75)
    assert (sc.outcome(1)["sufficient"], sc.outcome(1)["applicable"]) == (4, 6)
    by_criteria = scored.scores("t1", method="criteria")
    assert by_criteria.method == "criteria"
    assert by_criteria.outcome(1)["score"] == pytest.approx(0.625)  # mean(.75, .5)
    assert by_criteria.outcome(2)["score"] == 1.0
    themes = {t["code"]: t["score"] for t in sc.themes}
    assert themes == {1: pytest.approx(0.875), 2: 0.5}


def test_json_shape(scored: Store) -> None:
    out = scored.scores("t1").to_json()
    assert out["method"] == "questions"
    assert set(out["outcomes"][0]) == {"code", "title", "score", "sufficient", "applicable"}
    assert set(out["criteria"][0]) == {"code", "title", "score", "sufficient", "applicable"}
    assert set(out["questions"][0]) == {
        "id", "criterion", "sufficient", "insufficient", "not_applicable", "score"}
    assert [c["code"] for c in out["criteria"]] == ["1.1", "1.2", "2.1"]  # no interviews


def test_empty_inspection_scores_are_null(tiny_store: Store) -> None:
    sc = tiny_store.scores("t1")
    assert all(o["score"] is None and o["applicable"] == 0 for o in sc.outcomes)
    assert len(sc.questions) == 4


def test_breakdown_by_text_field(scored: Store) -> None:
    sc = scored.scores("t1", by="office")
    assert sc.groups() == ["A", "B"]
    assert sc.question("1.1.01", "A")["score"] == 1.0  # C1 yes, C3 n/a
    assert sc.question("1.1.01", "B")["score"] == 0.0
    assert sc.question("2.1.01", "B")["score"] is None
    assert sc.criterion("1.1", "B")["score"] == 0.0
    assert sc.outcome(1, "A")["score"] == pytest.approx((1 + 1 + 0.5) / 3)


def test_breakdown_unnests_multi_valued_fields(scored: Store) -> None:
    sc = scored.scores("t1", by="requirements")
    assert sc.question("1.1.01", "unpaid_work")["score"] == 0.5  # C1 yes, C2 no
    assert sc.question("1.1.01", "curfew")["score"] == 1.0
    assert sc.question("1.2.01", None)["score"] == 1.0  # C3 has no requirement


def test_breakdown_by_author_and_bad_field(scored: Store) -> None:
    sc = scored.scores("t1", by="author")
    assert sc.groups() == [scored.author]
    with pytest.raises(ValueError, match="cannot break down by 'nope'"):
        scored.scores("t1", by="nope")
    with pytest.raises(ValueError, match="unknown method"):
        scored.scores("t1", method="median")


def test_views_agree_with_scores(scored: Store) -> None:
    rows = scored.query(
        "SELECT outcome, method, score FROM outcome_scores ORDER BY outcome, method"
    ).to_pylist()
    got = {(r["outcome"], r["method"]): r["score"] for r in rows}
    assert got[(1, "questions")] == pytest.approx(2 / 3)
    assert got[(1, "criteria")] == pytest.approx(0.625)
    crit = scored.query("SELECT criterion_id, score FROM criterion_scores").to_pylist()
    assert {r["criterion_id"]: r["score"] for r in crit} == {"1.1": 0.75, "1.2": 0.5, "2.1": 1.0}
    ic = scored.query("SELECT question_id, answer, n FROM interview_counts").to_pylist()
    assert ic == [{"question_id": "2.4.01", "answer": "yes", "n": 1}]


def test_breakdown_sql_over_views(scored: Store) -> None:
    from store.scoring_sql import breakdown_sql

    sql = breakdown_sql(scored.framework, "outcomes", "rosh", "criteria")
    rows = scored.query(sql).to_pylist()
    low = [r for r in rows if r["by_value"] == "low" and r["outcome"] == 1]
    assert low[0]["score"] == 0.0  # C2: 1.1.01 no (1.1.02 n/a, 1.2.01 cleared)


def test_scores_follow_every_save(scored: Store) -> None:
    first = scored.scores("t1")
    first.outcomes.clear()  # a caller changing its result must not change the next one
    assert scored.scores("t1").outcome(1)["score"] == pytest.approx(2 / 3)
    scored.save_answers("t1", [AnswerInput("C3", "1.1.01", "no")])
    q = scored.scores("t1").question("1.1.01")
    assert (q["sufficient"], q["insufficient"]) == (1, 2)
    assert scored.scores_sql("t1").question("1.1.01")["insufficient"] == 2


def test_inspections_are_scored_apart(scored: Store) -> None:
    scored.add_inspection("t2", "Otherton", "2013-06")
    scored.save_case("t2", "C1", {"psr": "full"})
    scored.save_answers("t2", [AnswerInput("C1", "1.1.01", "no"),
                               AnswerInput("C1", "1.1.02", "no")])
    assert scored.scores("t1").question("1.1.01")["insufficient"] == 1
    assert scored.scores("t2").question("1.1.01")["insufficient"] == 1
    assert scored.scores("t2").outcome(1)["score"] == 0.0
    rows = scored.query("SELECT inspection_id, score FROM outcome_scores "
                        "WHERE outcome = 1 AND method = 'questions' ORDER BY 1").to_pylist()
    assert [r["inspection_id"] for r in rows] == ["t1", "t2"]
    assert rows[0]["score"] == pytest.approx(2 / 3) and rows[1]["score"] == 0.0


def test_breakdown_by_bool_and_int_fields(tiny_store: Store) -> None:
    s = tiny_store
    s.save_case("t1", "C1", {"transfer_in": True, "age": 30})
    s.save_case("t1", "C2", {"transfer_in": False, "age": 40})
    s.save_answers("t1", [AnswerInput("C1", "1.1.01", "y"), AnswerInput("C2", "1.1.01", "n")])
    sc = s.scores("t1", by="transfer_in")
    assert sc.groups() == ["false", "true"]
    assert sc.question("1.1.01", "true")["score"] == 1.0
    assert s.scores("t1", by="age").question("1.1.01", "40")["score"] == 0.0
