"""Current-state files (store/current_state.py): the views stay exact with any mix of
compacted and new files.

After compaction an answer partition holds a `current-` file (latest event per key) and a
`history-` file (the rest). The reference here is computed in Python from every event the
store holds (`answer_events`, which reads every file): the latest save per key, ties to the
larger event id. It is compared with the `answers_current` view (glob over the store), the
live scores (Python), the SQL scores of one inspection (file lists) and the programme's
one pass (glob), in every state a compactor can leave: before, during (killed after
publishing, after deleting some inputs), after, and with an older caseread's
`compacted-` file.
"""

from __future__ import annotations

import re
import shutil
from datetime import datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from store import AnswerInput, Store, compaction
from store.layout import fragment_name, fragments_in
from tests.test_store_live import assert_same_scores

QIDS = ["1.1.01", "1.1.02", "1.2.01", "2.1.01"]


def _kinds(store: Store) -> list[str]:
    return [p.name.split("-")[0] for p in fragments_in(store.layout.partition("answers", "t1"))]


def _reference(store: Store) -> dict[tuple[str, str], str]:
    """Latest answer per key over every stored event, cleared ones dropped."""
    rows = store.query("SELECT DISTINCT case_id, question_id, answer, saved_at, event_id "
                       "FROM answer_events").to_pylist()
    latest: dict[tuple[str, str], dict] = {}
    for r in rows:
        key = (r["case_id"], r["question_id"])
        if key not in latest or (r["saved_at"], r["event_id"]) > (
                latest[key]["saved_at"], latest[key]["event_id"]):
            latest[key] = r
    return {k: r["answer"] for k, r in latest.items() if r["answer"] is not None}


def _view(store: Store) -> dict[tuple[str, str], str]:
    rows = store.query("SELECT case_id, question_id, answer FROM answers_current").to_pylist()
    assert len(rows) == len({(r["case_id"], r["question_id"]) for r in rows})  # one per key
    return {(r["case_id"], r["question_id"]): r["answer"] for r in rows}


def assert_exact(store: Store) -> None:
    """The views, live scores, SQL scores and the programme pass agree with the reference
    (a fresh Store each time: nothing remembered from an earlier state)."""
    fresh = Store.open(store.root, framework=store.framework)
    try:
        assert _view(fresh) == _reference(fresh)
        scored = {(r["case_id"], r["question_id"]): r["answer"] for r in fresh.query(
            "SELECT case_id, question_id, answer FROM answers_scored").to_pylist()}
        assert scored.items() <= _view(fresh).items()
        assert_same_scores(fresh, "t1", [None])
    finally:
        fresh.close()


def _history(store: Store) -> None:
    """Saves, a clear, a tie in one fragment, details that decide applicability."""
    store.save_case("t1", "C1", {"psr": "short"})
    store.save_case("t1", "C2", {"psr": "none"})
    store.save_case("t1", "C3", {"psr": "full"})
    for case_id in ("C1", "C2", "C3"):
        store.save_answers("t1", [AnswerInput(case_id, q, "yes") for q in QIDS])
    store.save_answers("t1", [AnswerInput("C1", "1.1.01", "no"), AnswerInput("C2", "1.2.01", "na")])
    store.save_answers("t1", [AnswerInput("C3", "1.2.01", None)])  # cleared
    # Two saves of one key in one fragment (an import): same saved_at, larger event id wins.
    store._save("answers", "t1", [
        {"inspection_id": "t1", "case_id": "C2", "question_id": "2.1.01", "answer": a,
         "note": None, "framework_version": "t1"} for a in ("no", "yes", "na")])


def test_compaction_splits_into_current_and_history_keeping_every_event(
        tiny_store: Store) -> None:
    s = tiny_store
    _history(s)
    events = sorted(s.query("SELECT event_id FROM answer_events")["event_id"].to_pylist())
    before = _reference(s)
    s.compact()
    assert _kinds(s) == ["current", "history"]
    assert sorted(s.query("SELECT event_id FROM answer_events")["event_id"].to_pylist()) == events
    assert s.query("SELECT count(*) AS n FROM answer_history")["n"][0].as_py() == len(events)
    current = pq.read_table(fragments_in(s.layout.partition("answers", "t1"))[0])
    assert current.num_rows == len({(c, q) for c, q in zip(
        current["case_id"].to_pylist(), current["question_id"].to_pylist(), strict=True)})
    assert None in current["answer"].to_pylist()  # the clear stays: it hides older saves
    assert _view(s) == before
    assert_exact(s)
    s.compact()  # nothing new: a settled partition is left alone
    assert _kinds(s) == ["current", "history"]


def test_changes_after_compaction(tiny_store: Store) -> None:
    """An answer changed, cleared and restored, a case deleted and restored, and
    applicability changed through case details, each after compaction."""
    s = tiny_store
    _history(s)
    s.compact()
    s.save_answers("t1", [AnswerInput("C1", "1.1.01", "yes")])  # changed after compaction
    assert _view(s) == _reference(s)
    s.save_answers("t1", [AnswerInput("C3", "1.2.01", "no")])  # cleared, then answered
    s.save_answers("t1", [AnswerInput("C3", "2.1.01", None)])  # answered, then cleared
    s.save_case("t1", "C2", {"psr": "full"})  # 1.1.02 now applies to C2
    s.save_case("t1", "C1", {"_deleted": True})
    assert_exact(s)
    assert s.scores("t1").question("1.1.02")["sufficient"] == 2  # C2 and C3 (C1 deleted)
    s.compact()
    assert _kinds(s) == ["current", "history"]
    assert_exact(s)
    s.save_case("t1", "C1", {"_deleted": False})  # restored
    s.save_answers("t1", [AnswerInput("C1", "2.1.01", "no")])
    assert_exact(s)
    assert s.scores("t1").question("1.1.02")["sufficient"] == 3


@pytest.mark.parametrize("deleted", [0, 1, 3])
def test_compactor_killed_while_deleting_inputs(
        tiny_store: Store, monkeypatch: pytest.MonkeyPatch, deleted: int) -> None:
    """Killed after publishing the new current and history files, having deleted
    `deleted` of its inputs (the old current file first): every mix reads right."""
    s = tiny_store
    _history(s)
    s.compact()
    s.save_answers("t1", [AnswerInput("C1", "1.1.01", "yes")])
    s.save_answers("t1", [AnswerInput("C2", "1.2.01", "no")])
    real_unlink = compaction.os.unlink
    partition = s.layout.partition("answers", "t1")
    calls: list[Path] = []

    def die(path: Path) -> None:
        if Path(path).parent == partition:  # an input (not a temp file of the publish)
            if len(calls) == deleted:
                raise KeyboardInterrupt  # stands for SIGKILL
            calls.append(path)
        real_unlink(path)

    monkeypatch.setattr(compaction.os, "unlink", die)
    with pytest.raises(KeyboardInterrupt):
        s.compact()
    monkeypatch.undo()
    kinds = _kinds(s)
    assert kinds.count("current") == (2 if deleted == 0 else 1)
    assert_exact(s)
    s.compact()  # the next compaction merges what was left
    assert _kinds(s) == ["current", "history"]
    assert _view(s) == _reference(s)


def test_a_store_compacted_by_an_older_caseread(tiny_store: Store) -> None:
    """An older caseread's `compacted-` file holds every event: read whole (grouped) beside
    current files, and split into current state and history by the next compaction, even
    when it is the partition's only file (migration)."""
    s = tiny_store
    _history(s)
    partition = s.layout.partition("answers", "t1")
    events = pq.read_table([*fragments_in(partition)][0]).schema
    merged = pa.concat_tables([pq.read_table(p).cast(events) for p in fragments_in(partition)])
    for p in fragments_in(partition):
        p.unlink()
    legacy = partition / f"{fragment_name('compacted', datetime(2026, 1, 1))}.parquet"
    pq.write_table(merged, legacy)
    assert _kinds(s) == ["compacted"]
    assert_exact(s)
    s.compact()
    assert _kinds(s) == ["current", "history"]
    assert_exact(s)
    # ... and an older caseread compacting the new files again: one file with every event,
    # beside a newer save and the current file a new compactor wrote meanwhile.
    s.save_answers("t1", [AnswerInput("C3", "1.1.01", "no")])
    copy = partition / f"{fragment_name('compacted')}.parquet"
    pq.write_table(pa.concat_tables(
        [pq.read_table(p).cast(events) for p in fragments_in(partition)]), copy)
    assert _kinds(s) == ["compacted", "current", "history", "part"]
    assert_exact(s)


def test_two_current_files_are_grouped_not_taken_as_they_are(
        tiny_store: Store, tmp_path: Path) -> None:
    """Two current files of one inspection (a compaction's window) may disagree on a key:
    the inspection is grouped, so the newer save wins and no key appears twice."""
    s = tiny_store
    _history(s)
    s.compact()
    partition = s.layout.partition("answers", "t1")
    old = [p for p in fragments_in(partition) if p.name.startswith("current-")][0]
    shutil.copy(old, tmp_path / "old-current")
    s.save_answers("t1", [AnswerInput("C1", "1.1.01", "yes")])
    s.compact()
    shutil.copy(tmp_path / "old-current", old)  # the old one back beside the new one
    assert _kinds(s).count("current") == 2
    assert _view(s)[("C1", "1.1.01")] == "yes"
    assert_exact(s)


def test_views_never_read_a_history_file(tiny_store: Store) -> None:
    """Every event of a history file is replaced by a later one of its current file, so the
    latest-answer views skip it (DuckDB prunes it by name before opening it): each scan
    reads the current file and the zero-row schema file, never a third."""
    s = tiny_store
    _history(s)
    s.compact()
    assert _kinds(s) == ["current", "history"]
    plan = "\n".join(str(v) for v in s.query(
        "EXPLAIN ANALYZE SELECT * FROM answers_current").column("explain_value").to_pylist())
    read = [int(n) for n in re.findall(r"Total Files Read: (\d+)", plan)]
    assert read and max(read) == 2, plan
    assert _view(s) == _reference(s)
