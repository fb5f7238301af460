"""Is one file in the store a sound fragment? The single per-file check every reader uses.

`check_fragment(path, kind)` is called when a fragment is first read (store open, live
scores, compaction's inputs, `caseread check`); it is pure (moves nothing) and its verdict
for an unchanged file never changes, so a manifest of checked files may cache it by
`file_key()`. What it checks, and why:

- only a regular file is opened (O_NOFOLLOW | O_NONBLOCK: a link fails, a FIFO cannot
  hang the reader);
- the Parquet footer and the kind's schema; with `deep=True` every data page (a page
  corrupted behind a valid footer; used when a query failed on the files);
- values: keys and `event_id` not null, `saved_at` not null, not before 2000 and not
  after the file's ctime (set by the kernel or file server, not the writer) plus
  `CLOCK_SKEW`; the time in a `part-` name within `CLOCK_SKEW` of its events;
- tamper evidence: the author of every event of a `part-` fragment is the OS user that
  owns the file (an author naming no OS account, e.g. the demo's pseudonyms, impersonates
  nobody and is accepted). Compacted files are the compactor's word (docs/store.md,
  "Threat model").

A permission or I/O error is reported (`Verdict.unreadable`), never called damage: the
file may be fine, and moving it aside would hide valid answers from everyone.
"""

from __future__ import annotations

import errno
import os
import pwd
import stat
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from .layout import parse_name
from .schemas import BY_KIND

CLOCK_SKEW = timedelta(minutes=10)
EARLIEST = datetime(2000, 1, 1)
# Columns that must never be NULL, per kind.
KEYS = {
    "inspections": ("inspection_id", "author", "saved_at", "event_id"),
    "cases": ("inspection_id", "case_id", "field", "author", "saved_at", "event_id"),
    "answers": ("inspection_id", "case_id", "question_id", "author", "saved_at", "event_id"),
    "readings": ("inspection_id", "case_id", "question_id", "author", "saved_at", "event_id",
                 "reading"),
}
_IO_ERRORS = (errno.EACCES, errno.EPERM, errno.EIO, errno.ENXIO, errno.ESTALE)


@dataclass(frozen=True)
class Verdict:
    """What is wrong with one file. `unreadable`: reported only (permission or I/O
    error); `link`: a symbolic link, never followed; otherwise the file is damaged or
    not believable and belongs in quarantine."""

    path: Path
    problem: str
    unreadable: bool = False
    link: bool = False

    def __str__(self) -> str:
        return f"{self.path}: {self.problem}"


def file_key(st: os.stat_result) -> tuple[int, int, int, int, int]:
    """Identity of one immutable file's content, for caching a verdict."""
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def owner_name(uid: int) -> str:
    """As `permissions.current_author` names a user."""
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return f"uid{uid}"


def _is_account(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return name.startswith("uid") and name[3:].isdigit()
    return True


def open_regular(path: Path) -> tuple[int | None, Verdict | None]:
    """A read descriptor of `path` if it is a regular file, else why not (None, None:
    the file is gone, e.g. compacted away meanwhile)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        return None, None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return None, Verdict(path, "a symbolic link (never followed)", link=True)
        if exc.errno in _IO_ERRORS:
            return None, Verdict(path, f"cannot be read: {exc.strerror}", unreadable=True)
        raise
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode):
        os.close(fd)
        return None, Verdict(path, f"not a regular file ({_file_type(st.st_mode)})")
    return fd, None


def _file_type(mode: int) -> str:
    for test, name in ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"),
                       (stat.S_ISDIR, "a directory"), (stat.S_ISCHR, "a device"),
                       (stat.S_ISBLK, "a device")):
        if test(mode):
            return name
    return "not a file"


def check_fragment(path: Path, kind: str, deep: bool = False) -> Verdict | None:
    """Why `path` is not a sound fragment of `kind` ('inspections', 'cases', 'answers'),
    or None if it is (or vanished). `deep`: read every column's pages too.
    Raises ValueError for a kind it has no rules for: a gap in the checker must never be
    taken for damage (that would move valid answers aside)."""
    if kind not in KEYS or kind not in BY_KIND:
        raise ValueError(f"no fragment check for kind {kind!r}")
    fd, verdict = open_regular(path)
    if fd is None:
        return verdict
    with os.fdopen(fd, "rb") as f:
        st = os.fstat(f.fileno())
        try:
            table = _read(f, kind, deep)
        except OSError as exc:
            if exc.errno in _IO_ERRORS:
                return Verdict(path, f"cannot be read: {exc.strerror}", unreadable=True)
            return Verdict(path, f"unreadable Parquet ({type(exc).__name__}: {exc})")
        except Exception as exc:  # noqa: BLE001 - any parse failure means damage
            return Verdict(path, f"unreadable Parquet ({type(exc).__name__}: {exc})")
    if isinstance(table, str):
        return Verdict(path, table)
    problem = value_problem(table, kind, path.name, st)
    return Verdict(path, problem) if problem else None


def _read(f: object, kind: str, deep: bool) -> pa.Table | str:
    schema = BY_KIND[kind]
    pf = pq.ParquetFile(f)
    found = pf.schema_arrow
    for field in schema:
        idx = found.get_field_index(field.name)
        if idx < 0:
            return f"wrong schema: column {field.name!r} missing"
        if not _same_kind(found.field(idx).type, field.type):
            return f"wrong schema: column {field.name!r} is {found.field(idx).type}"
    return pf.read(columns=None if deep else list(KEYS[kind]))


def _same_kind(actual: pa.DataType, wanted: pa.DataType) -> bool:
    if pa.types.is_timestamp(wanted):
        return pa.types.is_timestamp(actual)
    if pa.types.is_string(wanted):
        return pa.types.is_string(actual) or pa.types.is_large_string(actual)
    return bool(actual == wanted)


def value_problem(table: pa.Table, kind: str, name: str, st: os.stat_result) -> str | None:
    """The first unbelievable value of a fragment's events, or None."""
    for column in KEYS[kind]:
        if table.column(column).null_count:
            return f"{column} is empty in {table.column(column).null_count} event(s)"
    if not table.num_rows:
        return None
    saved = table.column("saved_at").cast(pa.timestamp("us")).cast(pa.int64())
    low, high = (_from_us(v.as_py()) for v in pc.min_max(saved).values())
    written = datetime(1970, 1, 1) + timedelta(microseconds=st.st_ctime_ns // 1000)
    if low < EARLIEST:
        return f"saved_at {low:%Y-%m-%d} is before {EARLIEST:%Y}"
    if high > written + CLOCK_SKEW:
        return (f"saved_at {high.isoformat(' ')} is after the file was written "
                f"({written:%Y-%m-%d %H:%M:%S} UTC)")
    parts = parse_name(name)
    if parts and parts["prefix"] == "part":
        named = datetime.strptime(parts["ts"], "%Y%m%dT%H%M%S%f")
        if named > written + CLOCK_SKEW or abs(high - named) > CLOCK_SKEW:
            return f"the time in its name ({named}) does not match its events ({high})"
        return author_problem(table, st.st_uid)
    return None


def author_problem(table: pa.Table, uid: int) -> str | None:
    """A `part-` fragment's events must name the file's owner as their author."""
    owner = owner_name(uid)
    for author in pc.unique(table.column("author")).to_pylist():
        if author != owner and _is_account(author):
            return f"claims author {author!r} but the file belongs to {owner!r}"
    return None


def _from_us(value: int) -> datetime:
    """A microsecond count as a datetime, clamped so a year-20000 value still compares."""
    try:
        return datetime(1970, 1, 1) + timedelta(microseconds=value)
    except OverflowError:
        return datetime.max if value > 0 else datetime.min
