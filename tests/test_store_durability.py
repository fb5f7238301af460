"""Compaction order, damaged files, leftover temps, failing disks, signals, permissions."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from store import AnswerInput, SaveError, Store, StoreError, compaction, fragments
from store.layout import fragments_in

ROOT = Path(__file__).resolve().parent.parent


def _answer(store: Store, case_id: str, qid: str, value: str) -> str:
    return store.save_answers("t1", [AnswerInput(case_id, qid, value)]).event_ids[0]


def _event_ids(store: Store) -> list[str]:
    return sorted(store.query("SELECT event_id FROM answer_events")["event_id"].to_pylist())


def test_compaction_merges_and_keeps_every_event(tiny_store: Store) -> None:
    ids = sorted(_answer(tiny_store, f"C{i}", "1.1.01", "y") for i in range(5))
    result = tiny_store.compact()
    files = fragments_in(tiny_store.root / "answers" / "inspection_id=t1")
    assert [f.name.split("-")[0] for f in files] == ["current"]  # no event replaced: no history
    assert result.removed == 5 and _event_ids(tiny_store) == ids


def test_compactor_killed_after_publish_leaves_harmless_duplicates(
    tiny_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = sorted(_answer(tiny_store, "C1", q, "y") for q in ("1.1.01", "1.1.02", "1.2.01"))

    def die(path: object) -> None:
        raise KeyboardInterrupt  # stands for SIGKILL between publish and delete

    monkeypatch.setattr(compaction.os, "unlink", die)
    with pytest.raises(KeyboardInterrupt):
        tiny_store.compact()
    monkeypatch.undo()
    assert len(_event_ids(tiny_store)) == 6  # merged file + its inputs: each event twice
    assert tiny_store.query("SELECT count(*) AS n FROM answer_history")["n"][0].as_py() == 3
    assert tiny_store.query("SELECT count(*) AS n FROM answers_current")["n"][0].as_py() == 3
    assert tiny_store.scores("t1").question("1.1.01")["sufficient"] == 1
    tiny_store.compact()
    assert _event_ids(tiny_store) == ids


def _damage(store: Store) -> list[Path]:
    d = store.root / "answers" / "inspection_id=t1"
    good = store.save_answers("t1", [AnswerInput("C1", "1.1.01", "y")]).path
    assert good is not None
    truncated = d / "part-truncated.parquet"
    truncated.write_bytes(good.read_bytes()[:40])
    garbage = d / "part-garbage.parquet"
    garbage.write_bytes(b"not parquet at all" * 10)
    wrong = d / "part-wrong.parquet"
    pq.write_table(pa.table({"x": [1, 2]}), wrong)
    return [truncated, garbage, wrong]


def test_damaged_files_are_quarantined_on_open(tiny_store: Store) -> None:
    bad = _damage(tiny_store)
    with pytest.warns(UserWarning, match="damaged file"):
        again = Store.open(tiny_store.root, framework=tiny_store.framework)
    moved = {q.original for q in again.problems}
    assert moved == set(bad)
    assert all(q.moved_to.parent == again.root / "quarantine" and q.moved_to.exists()
               for q in again.problems)
    assert "wrong schema" in next(q.reason for q in again.problems if q.original == bad[2])
    assert again.query("SELECT answer FROM answers_current")["answer"].to_pylist() == ["yes"]


def test_damage_appearing_later_is_quarantined_by_the_failing_query(tiny_store: Store) -> None:
    tiny_store.query("SELECT 1")  # the views connection exists before the damage
    with pytest.warns(UserWarning, match="damaged file"):
        _damage(tiny_store)
        rows = tiny_store.query("SELECT answer FROM answers_current")
    assert rows["answer"].to_pylist() == ["yes"]
    assert len(tiny_store.problems) == 3
    with pytest.warns(UserWarning):
        _damage(tiny_store)
        assert tiny_store.scores("t1").question("1.1.01")["sufficient"] == 1


def test_compaction_quarantines_instead_of_merging_damage(tiny_store: Store) -> None:
    _damage(tiny_store)
    _answer(tiny_store, "C2", "1.1.01", "n")
    with pytest.warns(UserWarning):
        result = tiny_store.compact()
    assert len(result.quarantined) == 3
    assert sorted(tiny_store.query("SELECT answer FROM answers_current")["answer"]
                  .to_pylist()) == ["no", "yes"]


def test_leftover_temps_cleaned_only_when_old_and_writer_gone(tiny_store: Store) -> None:
    from store.layout import fragment_name
    from store.quarantine import clean_temps

    tmp = tiny_store.root / ".tmp"
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    mine = tmp / f"{fragment_name()}.tmp"  # this (live) process
    theirs = tmp / (fragment_name().replace(f"-{os.getpid()}-", f"-{dead.pid}-") + ".tmp")
    young = tmp / (fragment_name().replace(f"-{os.getpid()}-", f"-{dead.pid}-") + ".tmp")
    for p in (mine, theirs, young):
        p.write_bytes(b"half a parquet")
    old = time.time() - 3600
    os.utime(mine, (old, old))
    os.utime(theirs, (old, old))
    assert clean_temps(tiny_store.layout, older_than_s=600) == [theirs]
    assert mine.exists() and young.exists()


@pytest.mark.parametrize(
    ("where", "err", "message"),
    [
        ("fsync", errno.ENOSPC, "the disk is full"),
        ("open", errno.EROFS, "read-only file system"),
        ("link", errno.EACCES, "permission denied"),
        ("fsync_dir", errno.EIO, "input/output error"),
    ],
)
def test_failed_save_raises_save_error_and_leaves_nothing(
    tiny_store: Store, monkeypatch: pytest.MonkeyPatch, where: str, err: int, message: str
) -> None:
    def fail(*args: object, **kw: object) -> None:
        raise OSError(err, os.strerror(err))

    target = {"fsync": (fragments.os, "fsync"), "open": (fragments.os, "open"),
              "link": (fragments.os, "link"), "fsync_dir": (fragments, "fsync_dir")}[where]
    monkeypatch.setattr(*target, fail)
    with pytest.raises(SaveError, match=message):
        tiny_store.save_answers("t1", [AnswerInput("C1", "1.1.01", "y")])
    monkeypatch.undo()
    assert fragments_in(tiny_store.root / "answers" / "inspection_id=t1") == []
    assert list((tiny_store.root / ".tmp").iterdir()) == []
    assert tiny_store.query("SELECT * FROM answer_events").num_rows == 0


_LOCK_HOLDER = """
import sys, time
from store import Store
from store.compaction import compact_lock
store = Store.open(sys.argv[1])
with compact_lock(store.layout, wait=True):
    print('LOCKED', flush=True)
    time.sleep(60)
"""


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP, signal.SIGKILL])
def test_signal_leaves_no_lock_behind(tiny_store: Store, sig: int) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-c", _LOCK_HOLDER, str(tiny_store.root)],
                            stdout=subprocess.PIPE, text=True, env=env)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "LOCKED"
    assert tiny_store.compact(wait=False).locked_out  # really held
    proc.send_signal(sig)
    proc.wait(timeout=20)
    assert not tiny_store.compact(wait=False).locked_out


_SAVER = """
import sys
from store import AnswerInput, Store
store = Store.open(sys.argv[1])
i = 0
while True:
    r = store.save_answers('bed13', [AnswerInput(f'C{i % 50}', '1.1.02', 'y')])
    print(r.event_ids[0], flush=True)
    i += 1
"""


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP])
def test_signal_loses_no_acknowledged_answer(tmp_store: Store, sig: int) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-c", _SAVER, str(tmp_store.root)],
                            stdout=subprocess.PIPE, text=True, env=env)
    assert proc.stdout is not None
    acked = [proc.stdout.readline().strip() for _ in range(20)]
    proc.send_signal(sig)
    acked += [line.strip() for line in proc.stdout if line.endswith("\n")]
    proc.wait(timeout=20)
    stored = set(tmp_store.query("SELECT event_id FROM answer_events")["event_id"].to_pylist())
    assert set(acked) <= stored


def test_world_writable_store_refused_world_readable_warned(tiny_store: Store) -> None:
    fw = tiny_store.framework
    os.chmod(tiny_store.root, 0o2775)
    with pytest.warns(UserWarning, match="world-readable"):
        Store.open(tiny_store.root, framework=fw)
    os.chmod(tiny_store.root, 0o2777)
    with pytest.raises(StoreError, match="world-writable"):
        Store.open(tiny_store.root, framework=fw)


def test_init_with_group_makes_setgid_group_store(tmp_path: Path, tiny_store: Store) -> None:
    import grp

    group = grp.getgrgid(1).gr_name  # any existing group other than ours
    store = Store.init(tmp_path / "shared", group=group, framework=tiny_store.framework)
    st = os.stat(store.root)
    assert st.st_gid == 1 and st.st_mode & 0o7777 == 0o2770
    store.add_inspection("t1", "Testshire", "2013-05")
    receipt = store.save_answers("t1", [AnswerInput("C1", "1.1.01", "y")])
    assert receipt.path is not None and os.stat(receipt.path).st_gid == 1
    with pytest.raises(StoreError, match="no such group"):
        Store.init(tmp_path / "other", group="no-such-group-xyz", framework=store.framework)


def test_author_is_the_os_user(tiny_store: Store) -> None:
    import pwd

    _answer(tiny_store, "C1", "1.1.01", "y")
    authors = tiny_store.query("SELECT DISTINCT author FROM answer_events")["author"]
    assert authors.to_pylist() == [pwd.getpwuid(os.geteuid()).pw_name]


def test_open_refuses_a_directory_that_is_not_a_store(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="not a caseread store"):
        Store.open(tmp_path)


def test_read_only_store_still_opens_for_reading(
    tiny_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    _answer(tiny_store, "C1", "1.1.01", "y")
    (tiny_store.root / "views.sql").unlink()  # opening would want to rewrite it

    def read_only(*args: object, **kw: object) -> None:
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))

    monkeypatch.setattr("store.store._write_text", read_only)
    with pytest.warns(UserWarning, match="not writable"):
        again = Store.open(tiny_store.root, framework=tiny_store.framework)
    assert again.scores("t1").question("1.1.01")["sufficient"] == 1


_STUCK_WRITER = """
import os, sys, time
from store import AnswerInput, Store, fragments
store = Store.open(sys.argv[1])
def stuck(fd):  # the file is written but not yet durable: wait here to be killed
    print('WRITING', flush=True)
    time.sleep(60)
fragments.os.fsync = stuck
store.save_answers('bed13', [AnswerInput('C1', '1.1.02', 'y')])
"""


def test_writer_killed_mid_save_leaves_nothing_visible(tmp_store: Store) -> None:
    from store.quarantine import clean_temps

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-c", _STUCK_WRITER, str(tmp_store.root)],
                            stdout=subprocess.PIPE, text=True, env=env)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "WRITING"
    temps = list((tmp_store.root / ".tmp").iterdir())
    assert len(temps) == 1 and not temps[0].name.endswith(".parquet")
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=20)
    assert fragments_in(tmp_store.root / "answers" / "inspection_id=bed13") == []
    assert tmp_store.query("SELECT * FROM answer_events").num_rows == 0
    assert tmp_store.scores("bed13").question("1.1.02")["sufficient"] == 0
    assert clean_temps(tmp_store.layout, older_than_s=0) == temps  # its writer is gone


def test_strict_umask_leaves_everything_group_usable(tiny_store: Store, tmp_path: Path) -> None:
    old = os.umask(0o077)
    try:
        store = Store.init(tmp_path / "strict", framework=tiny_store.framework)
        store.add_inspection("t1", "Testshire", "2013-05")
        store.save_answers("t1", [AnswerInput("C1", "1.1.01", "y")])
        store.compact(min_fragments=1)
    finally:
        os.umask(old)
    for path in store.root.rglob("*"):
        mode = os.stat(path).st_mode & 0o7777
        assert mode in (0o660, 0o2770), f"{path} has mode {oct(mode)}"
