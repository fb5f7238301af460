"""A store made by an older caseread (format 1: `answers/<id>/`) is moved to the partitioned
layout (`answers/inspection_id=<id>/`) without losing an event, and queries then prune."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from store import Store, migrate
from store.layout import FORMAT, Layout
from store.scoring import agree

FIXTURE = Path(__file__).parent / "data" / "store_format1"
EXPECTED = json.loads((FIXTURE / "expected.json").read_text())
IDS = ("old13", "old14")
PROGRAM = Path(sys.executable).with_name("caseread")


@pytest.fixture
def old_store(tmp_path: Path) -> Path:
    """A copy of the store that caseread b6c8998 wrote (see the fixture's README)."""
    dest = tmp_path / "store"
    shutil.copytree(FIXTURE / "store", dest)
    os.chmod(dest, 0o2770)
    return dest


def _events(store: Store) -> dict[str, list[str]]:
    return {k: sorted(r["event_id"] for r in store.query(
        f"SELECT DISTINCT event_id FROM {k}_events").to_pylist())
        for k in ("inspection", "case", "answer")}


def _scores(store: Store, iid: str) -> dict:
    found = store.scores(iid).to_json()
    found.pop("questions")
    return found


def _check_migrated(root: Path) -> None:
    store = Store.open(root)
    try:
        assert store.layout.legacy_partitions() == []
        assert json.loads(store.layout.marker.read_text())["format"] == FORMAT
        assert sorted(p.name for p in (root / "answers").iterdir()) == [
            "inspection_id=.empty", "inspection_id=old13", "inspection_id=old14"]
        assert _events(store) == EXPECTED["events"]  # not one event lost or added
        for iid in IDS:
            assert agree(_scores(store, iid), EXPECTED["scores"][iid])
            sql = store.scores_sql(iid).to_json()
            sql.pop("questions")
            assert agree(sql, EXPECTED["scores"][iid])
    finally:
        store.close()


def test_fixture_is_format_1(old_store: Path) -> None:
    layout = Layout(old_store)
    assert migrate.needs_upgrade(layout)
    assert {p.name for p in layout.legacy_partitions()} == {".empty", *IDS}


def test_open_migrates_an_old_store(old_store: Path) -> None:
    _check_migrated(old_store)
    _check_migrated(old_store)  # and opening again changes nothing


def test_upgrade_command(old_store: Path) -> None:
    run = subprocess.run([PROGRAM, "--store", str(old_store), "upgrade"],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert "6 directories moved" in run.stdout
    _check_migrated(old_store)
    again = subprocess.run([PROGRAM, "--store", str(old_store), "upgrade"],
                           capture_output=True, text=True, timeout=120)
    assert "nothing to do" in again.stdout


def test_interrupted_migration_completes(old_store: Path) -> None:
    """Killed after moving one directory: the next open finishes the job."""
    os.rename(old_store / "answers" / "old13", old_store / "answers" / "inspection_id=old13")
    _check_migrated(old_store)


def test_old_writer_after_migration_is_moved_in(old_store: Path, tmp_path: Path) -> None:
    """An older caseread still running re-creates `answers/old14/` and saves there: the
    event is not lost, it is moved into the partition by the next open or compaction."""
    Store.open(old_store).close()
    stray = old_store / "answers" / "old14"
    stray.mkdir()
    part = next((old_store / "answers" / "inspection_id=old14").glob("part-*.parquet"))
    # saved now (the first-read check refuses a time after the file was written)
    now = datetime.now(UTC).replace(tzinfo=None)
    name = f"part-{now:%Y%m%dT%H%M%S%f}-vm-1-" + "ab" * 16 + ".parquet"
    con = duckdb.connect()
    con.execute(f"COPY (SELECT * REPLACE ('stray-event' AS event_id, "
                f"TIMESTAMP '{now.isoformat(sep=' ')}' AS saved_at) "
                f"FROM read_parquet('{part}') LIMIT 1) TO '{stray / name}'")
    (old_store / "cases" / ".empty").mkdir()  # an older open re-creates its schema file too
    shutil.copy(old_store / "cases" / "inspection_id=.empty" / ".empty.parquet",
                old_store / "cases" / ".empty" / ".empty.parquet")
    store = Store.open(old_store)
    try:
        assert store.layout.legacy_partitions() == []
        assert (old_store / "answers" / "inspection_id=old14" / name).exists()
        assert "stray-event" in _events(store)["answer"]
    finally:
        store.close()


def test_read_only_old_store_still_reads(old_store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A store that cannot be migrated (a read-only backup) is read in its old layout."""

    def refuse(*_: object, **__: object) -> list[Path]:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(migrate, "upgrade", refuse)
    with pytest.warns(UserWarning, match="reading only"):
        store = Store.open(old_store)
    try:
        assert store.layout.legacy_partitions()
        assert _events(store) == EXPECTED["events"]
        for iid in IDS:
            assert agree(_scores(store, iid), EXPECTED["scores"][iid])
    finally:
        store.close()


def test_a_query_naming_an_inspection_opens_only_its_files(old_store: Path) -> None:
    """Pruning: garbage in old14's partition does not disturb a query about old13 run
    through views.sql with the bare DuckDB engine (it would, were old14's files opened)."""
    Store.open(old_store).close()
    bad = old_store / "answers" / "inspection_id=old14" / "part-garbage.parquet"
    bad.write_bytes(b"not parquet at all" * 10)
    con = duckdb.connect()
    cwd = os.getcwd()
    os.chdir(old_store)
    try:
        con.execute((old_store / "views.sql").read_text())
        ((n,),) = con.execute(
            "SELECT count(*) FROM answers_current WHERE inspection_id = 'old13'").fetchall()
        assert n > 0
        with pytest.raises(duckdb.Error, match="part-garbage"):
            con.execute("SELECT count(*) FROM answers_current").fetchall()
    finally:
        os.chdir(cwd)


def test_an_old_store_waits_for_a_running_compactor(old_store: Path) -> None:
    """A format-1 store opened while a compactor (old or new) holds the lock waits for
    it: creating the new partitions first would hide every old answer from the views."""
    import threading
    import time

    from store.compaction import compact_lock

    opened: list[Store] = []
    with compact_lock(Layout(old_store), wait=True):
        t = threading.Thread(target=lambda: opened.append(Store.open(old_store)))
        t.start()
        time.sleep(0.5)
        assert opened == [] and Layout(old_store).legacy_partitions()
    t.join(60)
    try:
        assert _events(opened[0]) == EXPECTED["events"]
    finally:
        opened[0].close()
