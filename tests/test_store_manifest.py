"""The checked-files manifest: opening a store reads only files not checked before, a file
damaged later is quarantined when a query fails on it, concurrent writers keep it sound."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest

from store import AnswerInput, Store, manifest, quarantine
from store.layout import fragments_in


def _footer_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every file the one per-file check (`check_fragment`: footer, schema, values) reads."""
    reads: list[str] = []
    real = quarantine.check_fragment

    def counting(path: Path, *a: object, **kw: object) -> object:
        reads.append(str(path))
        return real(path, *a, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(quarantine, "check_fragment", counting)
    return reads


def _new_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """What a new process starts with: nothing checked in memory."""
    monkeypatch.setattr(quarantine, "_checked", set())


def _fill(store: Store, inspections: int = 3, saves: int = 6) -> None:
    for i in range(inspections):
        iid = f"i{i}"
        store.add_inspection(iid, "Testshire", "2013-05")
        for k in range(saves):
            store.save_answers(iid, [AnswerInput(f"C{k}", "1.1.01", "y")])


def test_a_second_open_reads_no_footer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    Store.init(tmp_path / "s").close()
    store = Store.open(tmp_path / "s")
    _fill(store)
    store.close()
    reads = _footer_reads(monkeypatch)
    _new_process(monkeypatch)
    Store.open(tmp_path / "s").close()  # first open after the saves: checks the new files
    assert len(reads) >= 18
    reads.clear()
    _new_process(monkeypatch)
    Store.open(tmp_path / "s").close()
    assert reads == []


def test_a_new_file_is_still_checked_on_open(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    store = Store.init(tmp_path / "s")
    _fill(store, 1, 2)
    store.close()
    bad = store.layout.partition("answers", "i0") / (
        "part-20991231T000000000000-x-1-" + "0" * 32 + ".parquet")
    bad.write_bytes(b"garbage, not parquet")
    _new_process(monkeypatch)
    with pytest.warns(UserWarning, match="damaged file"):
        again = Store.open(tmp_path / "s")
    assert [p.original for p in again.problems] == [bad]
    again.close()


def test_a_checked_file_damaged_later_is_quarantined_when_a_query_fails(
    tiny_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    for k in range(3):
        tiny_store.save_answers("t1", [AnswerInput(f"C{k}", "1.1.01", "y")])
    tiny_store.check()
    victim = fragments_in(tiny_store.layout.partition("answers", "t1"))[0]
    assert f"answers/{victim.parent.name}/{victim.name}" in manifest.load(tiny_store.layout)
    victim.write_bytes(b"rotted" * 50)  # a disk fault: the manifest still lists it
    _new_process(monkeypatch)
    with pytest.warns(UserWarning, match="damaged file"):
        n = tiny_store.query("SELECT count(*) AS n FROM answers_current")["n"].to_pylist()
    assert n == [2]  # the two sound answers; the damaged file moved aside
    assert [p.original for p in tiny_store.problems] == [victim]


def _writer(root: str, iid: str) -> None:
    store = Store.open(root)
    store.auto_compact_at = None
    for k in range(15):
        store.save_answers(iid, [AnswerInput(f"C{k}", "1.1.01", "y")])
        if k % 5 == 4:
            store.check()
    store.close()


def test_concurrent_writers_keep_the_manifest_sound(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    store = Store.init(tmp_path / "s")
    for i in range(4):
        store.add_inspection(f"w{i}", "Testshire", "2013-05")
    ctx = multiprocessing.get_context("fork")
    procs = [ctx.Process(target=_writer, args=(str(store.root), f"w{i}")) for i in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    assert [p.exitcode for p in procs] == [0, 0, 0, 0]
    _new_process(monkeypatch)
    store.check()
    lines = manifest.path_of(store.layout).read_text().splitlines()
    files = {f"answers/{f.parent.name}/{f.name}" for i in range(4)
             for f in fragments_in(store.layout.partition("answers", f"w{i}"))}
    assert len(files) == 60 and files <= set(lines)
    assert all((store.root / line).is_file() for line in lines)  # no garbled line


def test_the_manifest_forgets_files_compacted_away(tiny_store: Store) -> None:
    """Bounded: paths of files gone are dropped once they outnumber the files there."""
    tiny_store.auto_compact_at = None
    for _ in range(4):
        for k in range(150):
            tiny_store.save_answers("t1", [AnswerInput(f"C{k % 7}", "1.1.01", "y")])
        tiny_store.check()
        tiny_store.compact()
    tiny_store.check()
    lines = manifest.path_of(tiny_store.layout).read_text().splitlines()
    assert len(lines) <= 256 + 2 * 3  # of 600 fragments checked; 3 files are left
