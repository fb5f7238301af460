"""Atomic, durable publication of one immutable Parquet fragment.

A fragment is written under `.tmp/` with a name that does not end in `.parquet` (so no
reader glob sees it), fsynced, then hard-linked to its final name (a link never replaces an
existing file) and the directory fsynced. Only then is the save reported. A crash at any
point leaves either nothing visible or the complete file.
"""

from __future__ import annotations

import contextlib
import errno
import os
from datetime import datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from .errors import SaveError
from .layout import Layout, fragment_name
from .permissions import FILE_MODE, make_dir

_PROBLEMS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is exceeded",
    errno.EROFS: "the store is on a read-only file system",
    errno.EACCES: "permission denied",
    errno.EPERM: "operation not permitted",
    errno.EIO: "an input/output error (failing disk?)",
}


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_temp(
    tmp: Path, table: pa.Table, row_group_size: int | None, mode: int = FILE_MODE
) -> None:
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    with os.fdopen(fd, "wb") as f:
        os.fchmod(f.fileno(), mode)  # the umask must not narrow group access
        pq.write_table(table, f, compression="zstd", row_group_size=row_group_size)
        f.flush()
        os.fsync(f.fileno())


def publish(
    layout: Layout,
    table: pa.Table,
    dest_dir: Path,
    prefix: str = "part",
    row_group_size: int | None = None,
    when: datetime | None = None,
    file_mode: int = FILE_MODE,
) -> Path:
    """Write `table` as a new fragment in `dest_dir`; durable when this returns.
    `when` (the events' saved_at) goes into the name so readers can skip old files;
    `file_mode` is 660 except in a protected `lead/` (644: see store/qa_events.py)."""
    name = fragment_name(prefix, when)
    tmp = layout.tmp / f"{name}.tmp"
    final = dest_dir / f"{name}.parquet"
    try:
        make_dir(layout.tmp)
        make_dir(dest_dir)
        _write_temp(tmp, table, row_group_size, file_mode)
        os.link(tmp, final)
        fsync_dir(dest_dir)
    except OSError as exc:
        _discard(tmp)
        _discard_unsynced(final)
        raise SaveError(describe(exc, dest_dir)) from exc
    except Exception:
        _discard(tmp)
        raise
    _discard(tmp)
    return final


def describe(exc: OSError, where: Path) -> str:
    problem = _PROBLEMS.get(exc.errno or 0, exc.strerror or str(exc))
    return f"not saved: {problem} ({where})"


def _discard(path: Path) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)


def _discard_unsynced(final: Path) -> None:
    """If the link worked but the directory fsync failed, the save is not durable, so it
    must not stay visible either: the caller is told it failed and may retry."""
    _discard(final)


def publish_file(layout: Layout, table: pa.Table, final: Path) -> None:
    """Publish `table` under a fixed name (framework tables); a concurrent writer of the
    same name wins harmlessly, since both write the same content."""
    tmp = layout.tmp / f"{fragment_name('part')}.tmp"
    try:
        make_dir(layout.tmp)
        make_dir(final.parent)
        _write_temp(tmp, table, None)
        with contextlib.suppress(FileExistsError):
            os.link(tmp, final)
        fsync_dir(final.parent)
    except OSError as exc:
        raise SaveError(describe(exc, final.parent)) from exc
    finally:
        _discard(tmp)
