"""Second readings and calibration cases in the store: stored apart, never scored."""

from __future__ import annotations

import pyarrow as pa
import pytest

from store import AnswerInput, Store
from store.second_reading import (
    MODERATED_PREFIX,
    assign_reading,
    assignments,
    mark_calibration,
    mark_reading_complete,
    moderate,
    save_reading,
)
from store.validation import ValidationError

EXISTING_VIEWS = (
    "cases", "case_rows", "answers_current", "answer_history", "answers_scored",
    "question_scores", "criterion_scores", "outcome_scores", "theme_scores", "interview_counts",
)


def _snapshot(store: Store) -> dict[str, list]:
    out = {}
    for view in EXISTING_VIEWS:
        table: pa.Table = store.query(f"SELECT * FROM {view}")
        out[view] = sorted(map(repr, table.to_pylist()))
    return out


def _fill(store: Store) -> None:
    store.save_case("t1", "C1", {"psr": "full", "rosh": "high"})
    store.save_case("t1", "C2", {"psr": "none", "rosh": "low"})
    store.save_answers("t1", [
        AnswerInput("C1", "1.1.01", "yes"), AnswerInput("C1", "1.1.02", "no"),
        AnswerInput("C1", "1.2.01", "yes"), AnswerInput("C2", "1.1.01", "no"),
        AnswerInput("C2", "2.1.01", "yes"),
    ])


def test_second_readings_never_change_any_score_or_existing_view(tiny_store: Store) -> None:
    _fill(tiny_store)
    before_views = _snapshot(tiny_store)
    before_live = tiny_store.scores("t1").to_json()
    before_sql = tiny_store.scores_sql("t1").to_json()
    assign_reading(tiny_store, "t1", "C1", "bob")
    save_reading(tiny_store, "t1", 2, [
        AnswerInput("C1", "1.1.01", "no"), AnswerInput("C1", "1.1.02", "yes"),
        AnswerInput("C1", "1.2.01", "na", "not seen"), AnswerInput("C2", "2.1.01", "no"),
    ])
    mark_reading_complete(tiny_store, "t1", "C1", 2)
    fresh = Store.open(tiny_store.root, tiny_store.framework)
    try:
        for store in (tiny_store, fresh):
            assert _snapshot(store) == before_views
            assert store.scores("t1").to_json() == before_live
            assert store.scores_sql("t1").to_json() == before_sql
    finally:
        fresh.close()


def test_readings_view_pairs_reading_one_with_the_latest_second_reading(
        tiny_store: Store) -> None:
    _fill(tiny_store)
    save_reading(tiny_store, "t1", 2, [AnswerInput("C1", "1.1.01", "no")])
    save_reading(tiny_store, "t1", 2, [AnswerInput("C1", "1.1.01", "yes", "on reflection"),
                                       AnswerInput("C1", "1.1.02", "x")])
    save_reading(tiny_store, "t1", 2, [AnswerInput("C1", "1.1.02", None)])  # cleared
    rows = tiny_store.query(
        "SELECT case_id, reading, reader, question_id, answer, note FROM readings "
        "WHERE case_id = 'C1' ORDER BY reading, question_id").to_pylist()
    me = tiny_store.author
    assert [(r["reading"], r["question_id"], r["answer"]) for r in rows] == [
        (1, "1.1.01", "yes"), (1, "1.1.02", "no"), (1, "1.2.01", "yes"), (2, "1.1.01", "yes")]
    assert {r["reader"] for r in rows} == {me}
    assert rows[-1]["note"] == "on reflection"


def test_reading_answers_are_validated_and_nothing_half_saved(tiny_store: Store) -> None:
    _fill(tiny_store)
    with pytest.raises(ValidationError):
        save_reading(tiny_store, "t1", 2, [AnswerInput("C1", "1.1.01", "no"),
                                           AnswerInput("C1", "1.1.01x", "no")])
    with pytest.raises(ValidationError):
        save_reading(tiny_store, "t1", 0, [AnswerInput("C1", "1.1.01", "no")])
    assert tiny_store.query("SELECT count(*) AS n FROM reading_events").to_pylist() == [{"n": 0}]


def test_assignments_number_readings_and_record_completion(tiny_store: Store) -> None:
    _fill(tiny_store)
    assert assign_reading(tiny_store, "t1", "C1", "bob") == 2
    assert assign_reading(tiny_store, "t1", "C1", "bob") == 2  # already theirs
    assert assign_reading(tiny_store, "t1", "C1", "carol") == 3
    mark_reading_complete(tiny_store, "t1", "C1", 3)
    assert assignments(tiny_store, "t1", "C1") == {2: ("bob", False), 3: ("carol", True)}
    with pytest.raises(ValidationError):
        assign_reading(tiny_store, "t1", "C1", "dave", reading=1)


def test_a_calibration_case_counts_in_no_score_live_or_in_the_views(tiny_store: Store) -> None:
    _fill(tiny_store)
    tiny_store.save_case("t1", "CAL", {"psr": "full", "rosh": "high"})
    tiny_store.save_answers("t1", [AnswerInput("CAL", q, "no") for q in
                                   ("1.1.01", "1.1.02", "1.2.01")])
    with_cal = tiny_store.scores("t1").to_json()
    mark_calibration(tiny_store, "t1", "CAL")
    live, sql = tiny_store.scores("t1"), tiny_store.scores_sql("t1")
    assert live.to_json() == sql.to_json()
    assert live.to_json() != with_cal
    assert live.cases == 2
    q = live.question("1.1.01")
    assert (q["sufficient"], q["insufficient"]) == (1, 1)  # C1 yes, C2 no: CAL's "no" left out
    assert tiny_store.query(
        "SELECT count(*) AS n FROM answers_scored WHERE case_id = 'CAL'").to_pylist() == [{"n": 0}]
    kinds = {r["case_id"]: r["kind"] for r in tiny_store.query(
        "SELECT case_id, kind FROM cases").to_pylist()}
    assert kinds["CAL"] == "calibration"
    mark_calibration(tiny_store, "t1", "CAL", False)  # unflagged: counts again
    assert tiny_store.scores("t1").to_json() == with_cal == tiny_store.scores_sql("t1").to_json()


def test_moderation_writes_a_reading_one_answer_that_says_so(tiny_store: Store) -> None:
    _fill(tiny_store)
    save_reading(tiny_store, "t1", 2, [AnswerInput("C1", "1.1.02", "yes")])
    moderate(tiny_store, "t1", "C1", "1.1.02", "yes", "agreed at moderation")
    rows = tiny_store.query(
        "SELECT old_answer, new_answer, note FROM answer_history "
        "WHERE case_id = 'C1' AND question_id = '1.1.02' ORDER BY saved_at").to_pylist()
    assert rows[-1]["old_answer"] == "no" and rows[-1]["new_answer"] == "yes"
    assert rows[-1]["note"].startswith(MODERATED_PREFIX)


def test_reading_fragments_compact_like_answers(tiny_store: Store) -> None:
    _fill(tiny_store)
    for answer in ("yes", "no", "na"):
        save_reading(tiny_store, "t1", 2, [AnswerInput("C1", "1.1.01", answer)])
    before = tiny_store.query("SELECT * FROM readings ORDER BY ALL").to_pylist()
    result = tiny_store.compact()
    assert any("readings" in str(p) for p in result.merged)
    assert tiny_store.query("SELECT * FROM readings ORDER BY ALL").to_pylist() == before


def test_a_store_from_before_second_readings_reads_without_writing(tiny_store: Store) -> None:
    """An older store opened read-only has no readings/.empty: every view still works."""
    import shutil

    from store.confine import confined_connection
    from store.views import view_sql

    _fill(tiny_store)
    shutil.rmtree(tiny_store.layout.kind_dir("readings"))
    con = confined_connection(tiny_store.root, view_sql(tiny_store.root, tiny_store.framework,
                                                        True))
    try:
        assert con.execute("SELECT count(*) FROM readings WHERE reading = 2").fetchall() == [(0,)]
        assert con.execute("SELECT count(*) FROM readings").fetchall() == [(5,)]
    finally:
        con.close()


def test_the_reader_of_an_imported_reading_is_the_assigned_one(tiny_store: Store) -> None:
    _fill(tiny_store)
    assign_reading(tiny_store, "t1", "C1", "bob")
    save_reading(tiny_store, "t1", 2, [AnswerInput("C1", "1.1.01", "no")])  # by the importer
    save_reading(tiny_store, "t1", 3, [AnswerInput("C1", "1.1.01", "yes")])  # not assigned
    rows = tiny_store.query("SELECT reading, reader FROM readings WHERE case_id = 'C1' "
                            "AND question_id = '1.1.01' ORDER BY reading").to_pylist()
    me = tiny_store.author
    assert rows == [{"reading": 1, "reader": me}, {"reading": 2, "reader": "bob"},
                    {"reading": 3, "reader": me}]
