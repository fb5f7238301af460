"""A careless or hostile group member's planted files: links, FIFOs, unbelievable values,
corrupted pages, damaged generated files, unreadable files, forged authors (issue 14).

Files are planted directly and owners set with os.chown (the suite runs as root in CI; no
OS accounts are created). `nobody` stands for another member: it exists on every Linux.
"""

from __future__ import annotations

import errno
import os
import pwd
import stat
import threading
import warnings
from datetime import datetime, timedelta
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from store import AnswerInput, Store, StoreError, quarantine
from store.fragment_check import check_fragment
from store.layout import fragment_name, utc_now
from store.schemas import ANSWERS

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")


def _save(store: Store, case_id: str = "C1", value: str = "y") -> Path:
    path = store.save_answers("t1", [AnswerInput(case_id, "1.1.01", value)]).path
    assert path is not None
    return path


def _plant(store: Store, saved_at: datetime | None, author: str | None = None,
           name_time: datetime | None = None, case_id: str = "C9") -> Path:
    """A fragment written by hand with the right schema and chosen values."""
    row = {"inspection_id": "t1", "case_id": case_id, "question_id": "1.1.01",
           "answer": "no", "note": None, "author": author or store.author,
           "saved_at": saved_at, "framework_version": "t1", "event_id": os.urandom(16).hex()}
    name = fragment_name("part", name_time or utc_now())
    path = store.root / "answers" / "inspection_id=t1" / f"{name}.parquet"
    pq.write_table(pa.Table.from_pylist([row], schema=ANSWERS), path)
    return path


def _sufficient(store: Store) -> int:
    return int(store.scores("t1").question("1.1.01")["sufficient"])


# -- 1. links are never followed ----------------------------------------------------------

def test_compact_lock_link_does_not_chmod_its_target(tiny_store: Store, tmp_path: Path) -> None:
    key = tmp_path / "id_ed25519"
    key.write_text("secret")
    key.chmod(0o600)
    lock = tiny_store.root / ".locks" / "compact.lock"
    lock.parent.mkdir(exist_ok=True)
    lock.unlink(missing_ok=True)
    lock.symlink_to(key)
    with pytest.raises(StoreError, match="symbolic link"):
        tiny_store.compact()
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert lock.is_symlink()  # reported and left alone


def test_compact_lock_link_to_a_missing_file_creates_nothing(tiny_store: Store,
                                                              tmp_path: Path) -> None:
    target = tmp_path / "nologin"  # as /etc/nologin for a root cron job
    lock = tiny_store.root / ".locks" / "compact.lock"
    lock.parent.mkdir(exist_ok=True)
    lock.unlink(missing_ok=True)
    lock.symlink_to(target)
    with pytest.raises(StoreError):
        tiny_store.compact()
    assert not target.exists()


def test_partition_link_to_a_private_folder_moves_nothing_of_it(tiny_store: Store,
                                                                 tmp_path: Path) -> None:
    private = tmp_path / "private"
    private.mkdir(mode=0o700)
    mine = private / "part-mine.parquet"
    mine.write_bytes(b"not a fragment, but mine")
    (tiny_store.root / "answers" / "zz").symlink_to(private)
    _save(tiny_store)
    again = Store.open(tiny_store.root, framework=tiny_store.framework)
    assert _sufficient(again) == 1
    assert mine.read_bytes() == b"not a fragment, but mine"
    assert not any("mine" in p.name for p in (again.root / "quarantine").iterdir()
                   if not p.is_symlink())
    assert any("zz" in str(p) for p in again.problems)  # the link itself is reported


def test_quarantine_replaced_by_a_link_receives_nothing(tiny_store: Store,
                                                        tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    q = tiny_store.root / "quarantine"
    if q.exists():
        q.rmdir()
    q.symlink_to(home)
    _save(tiny_store)
    bad = tiny_store.root / "answers" / "inspection_id=t1" / "part-garbage.parquet"
    bad.write_bytes(b"garbage" * 20)
    again = Store.open(tiny_store.root, framework=tiny_store.framework)
    assert list(home.iterdir()) == []
    assert any("quarantine" in str(p) for p in again.problems)


def test_a_fragment_that_is_a_link_is_not_followed(tiny_store: Store, tmp_path: Path) -> None:
    secret = tmp_path / "secret.parquet"
    pq.write_table(pa.table({"x": [1]}), secret)
    link = tiny_store.root / "answers" / "inspection_id=t1" / "part-link.parquet"
    link.symlink_to(secret)
    assert check_fragment(link, "answers") is not None
    _save(tiny_store)
    again = Store.open(tiny_store.root, framework=tiny_store.framework)
    assert _sufficient(again) == 1 and secret.exists()


# -- 2. odd files ---------------------------------------------------------------------------

def _in_thread(run: object, timeout: float = 20.0) -> None:
    errors: list[BaseException] = []

    def go() -> None:
        try:
            run()  # type: ignore[operator]
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    t = threading.Thread(target=go, daemon=True)
    t.start()
    t.join(timeout)
    assert not t.is_alive(), "hung"
    if errors:
        raise errors[0]


def test_fifo_named_like_a_fragment_hangs_nothing(tiny_store: Store) -> None:
    _save(tiny_store)
    fifo = tiny_store.root / "answers" / "inspection_id=t1" / f"{fragment_name()}.parquet"
    os.mkfifo(fifo)
    box: list[Store] = []
    _in_thread(lambda: box.append(Store.open(tiny_store.root, framework=tiny_store.framework)))
    _in_thread(lambda: _sufficient(box[0]))
    assert not fifo.exists() and any("FIFO" in str(p) for p in box[0].problems)


def test_fifo_appearing_later_hangs_no_query(tiny_store: Store) -> None:
    _save(tiny_store)
    tiny_store.query("SELECT 1")
    os.mkfifo(tiny_store.root / "answers" / "inspection_id=t1" / f"{fragment_name()}.parquet")
    _in_thread(lambda: tiny_store.query("SELECT count(*) FROM answer_events"))
    _in_thread(lambda: _sufficient(tiny_store))


@pytest.mark.parametrize("saved_at", [None, "far future", "before 2000"])
def test_unbelievable_saved_at_is_quarantined_whole(tiny_store: Store, saved_at: str | None
                                                    ) -> None:
    _save(tiny_store)
    _sufficient(tiny_store)  # the live scores exist before the planted file
    when = {None: None, "far future": datetime(9999, 1, 1),
            "before 2000": datetime(1970, 1, 2)}[saved_at]
    bad = _plant(tiny_store, when)
    assert _sufficient(tiny_store) == 1
    history = tiny_store.query("SELECT * FROM answer_history").to_pylist()
    assert len(history) == 1 and not bad.exists()
    assert any(str(bad) in str(p) for p in tiny_store.problems)


def test_year_20000_saved_at_is_quarantined(tiny_store: Store) -> None:
    _save(tiny_store)
    bad = tiny_store.root / "answers" / "inspection_id=t1" / f"{fragment_name()}.parquet"
    far = pa.array([10**17], pa.int64()).cast(pa.timestamp("us"))  # year ~5138... and beyond
    row = pa.Table.from_pylist([{"inspection_id": "t1", "case_id": "C9", "question_id": "1.1.01",
                                 "answer": "no", "author": tiny_store.author,
                                 "framework_version": "t1", "event_id": "e" * 32}],
                               schema=ANSWERS.remove(ANSWERS.get_field_index("saved_at")))
    pq.write_table(row.append_column("saved_at", far), bad)
    again = Store.open(tiny_store.root, framework=tiny_store.framework)
    assert _sufficient(again) == 1
    again.query("SELECT * FROM answer_history").to_pylist()  # no OverflowError
    assert not bad.exists()


def test_saved_at_far_from_the_time_in_its_name_is_quarantined(tiny_store: Store) -> None:
    bad = _plant(tiny_store, utc_now() - timedelta(days=3), name_time=utc_now())
    assert check_fragment(bad, "answers") is not None


def test_compaction_never_merges_an_unbelievable_fragment(tiny_store: Store) -> None:
    _save(tiny_store, "C1")
    _save(tiny_store, "C2")
    bad = _plant(tiny_store, None)
    result = tiny_store.compact()
    assert [q.original for q in result.quarantined] == [bad]
    assert _sufficient(tiny_store) == 2


def _corrupt_a_page(store: Store) -> Path:
    """A fragment whose footer is fine but whose note page does not decompress."""
    path = store.save_answers("t1", [AnswerInput(f"C{i}", "1.1.01", "y", os.urandom(3000).hex())
                                     for i in range(20)]).path
    assert path is not None
    data = bytearray(path.read_bytes())
    meta = pq.ParquetFile(path).metadata
    col = meta.row_group(0).column(ANSWERS.get_field_index("note"))
    start = col.data_page_offset + 40
    data[start:start + 2000] = os.urandom(2000)
    copy = path.with_name(f"{fragment_name()}.parquet")
    copy.write_bytes(bytes(data))
    os.unlink(path)
    return copy


def test_corrupted_data_page_is_found_when_a_query_fails(tiny_store: Store) -> None:
    bad = _corrupt_a_page(tiny_store)
    _save(tiny_store, "X1")
    rows = tiny_store.query("SELECT note FROM answer_events WHERE case_id = 'X1'").to_pylist()
    assert rows == [{"note": None}] and not bad.exists()
    assert tiny_store.query("SELECT count(*) AS n FROM answers_current").to_pylist() == [{"n": 1}]


@pytest.mark.parametrize("which", ["empty", "framework"])
def test_damaged_generated_file_is_rebuilt(tiny_store: Store, which: str) -> None:
    _save(tiny_store)
    target = (tiny_store.layout.empty_file("answers") if which == "empty" else
              next((tiny_store.root / "framework").rglob("questions.parquet")))
    target.write_bytes(b"broken")
    again = Store.open(tiny_store.root, framework=tiny_store.framework)
    assert again.query("SELECT count(*) AS n FROM answers_current").to_pylist() == [{"n": 1}]
    assert pq.read_table(target) is not None  # rebuilt in place


@pytest.mark.parametrize("code", [errno.EACCES, errno.EIO])
def test_unreadable_file_is_reported_never_quarantined(tiny_store: Store, code: int,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Root reads everything, so the permission (or disk) error is injected."""
    path = _save(tiny_store)
    real_open = os.open

    def failing_open(p: object, flags: int, *args: object, **kw: object) -> int:
        if str(p) == str(path):
            raise OSError(code, os.strerror(code), str(p))
        return real_open(p, flags, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", failing_open)
    quarantine._checked.clear()
    found = quarantine.scan(tiny_store.layout)
    assert path.exists() and found.moved == []
    assert [v.path for v in found.reported] == [path] and found.reported[0].unreadable
    assert tiny_store.compact().removed == 0 and path.exists()


# -- 7. the author is the file's owner ---------------------------------------------------------

def _someone_else() -> pwd.struct_passwd:
    return pwd.getpwnam("nobody")


def test_fragment_naming_another_real_user_is_quarantined(tiny_store: Store) -> None:
    _save(tiny_store)
    _sufficient(tiny_store)
    forged = _plant(tiny_store, utc_now(), author=_someone_else().pw_name)
    assert _sufficient(tiny_store) == 1 and not forged.exists()
    assert any("claims author" in str(p) for p in tiny_store.problems)


@pytest.mark.skipif(os.geteuid() != 0, reason="chown to another user needs root")
def test_fragment_owned_by_another_member_claiming_me_is_quarantined(tiny_store: Store) -> None:
    _save(tiny_store)
    forged = _plant(tiny_store, utc_now(), case_id="C1")  # author: me; owner: nobody
    os.chown(forged, _someone_else().pw_uid, -1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        again = Store.open(tiny_store.root, framework=tiny_store.framework)
    assert _sufficient(again) == 1 and not forged.exists()


def test_pseudonymous_demo_authors_are_accepted(tiny_store: Store) -> None:
    tiny_store.author = "INSP-A"
    path = _save(tiny_store)
    assert check_fragment(path, "answers") is None


def test_every_kind_of_fragment_has_a_check() -> None:
    """A kind the checker does not know (second readings were one) must not read as damage."""
    from store.fragment_check import KEYS, check_fragment
    from store.layout import KINDS
    from store.schemas import BY_KIND

    assert set(KINDS) <= set(KEYS) == set(BY_KIND)
    with pytest.raises(ValueError, match="no fragment check"):
        check_fragment(Path("/nonexistent.parquet"), "no-such-kind")


def test_a_file_dropped_in_an_empty_schema_folder_is_quarantined(tiny_store: Store) -> None:
    """The views' globs read every file of `answers/inspection_id=.empty/`, but neither the
    scan nor `caseread check` looked there: one bad file broke every SQL query while the
    store was reported sound."""
    tiny_store.save_answers("t1", [AnswerInput("C1", "1.1.01", "yes")])
    stray = tiny_store.layout.empty_file("answers").parent / "zz-corrupt.parquet"
    stray.write_bytes(b"garbage")
    found = quarantine.scan(tiny_store.layout, fix=False)
    assert [v.path for v in found.reported] == [stray]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        again = Store.open(tiny_store.root, framework=tiny_store.framework)
    assert not stray.exists() and tiny_store.layout.empty_file("answers").exists()
    assert again.query("SELECT count(*) AS n FROM answers_current").to_pylist() == [{"n": 1}]
    again.close()
