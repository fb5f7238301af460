"""The checked-files manifest: fragments whose check passed, so opening a store does not
read the footer of every file of every inspection in every new process.

Fragments are immutable and uniquely named, so a file checked once need not be read again.
`.checked` (at the store's root, never *.parquet) lists their paths, one a line, relative
to the store. Safe under concurrent writers without a lock:
- each process appends its lines with one `write()` on an O_APPEND descriptor (atomic on
  a local file system), so appends from several processes never interleave;
- a lost or garbled line can only make a file be checked again, never skip a check: a
  line is trusted only if it equals a path exactly;
- the manifest is rewritten (temp + rename) only to drop paths of files gone (compacted,
  quarantined); a line another process appends meanwhile may be lost: again, a re-check.
A file that fails later, when a query reads it, is checked again ignoring the manifest
(`Store.check(deep=True)`) and quarantined then.

Every check goes through `store.fragment_check.check_fragment(path, kind)` (regular file,
schema, values, author = owner), via `quarantine.scan`.
"""

from __future__ import annotations

import contextlib
import os
import stat
import uuid
from pathlib import Path

from .layout import Layout

NAME = ".checked"


def path_of(layout: Layout) -> Path:
    return layout.root / NAME


def load(layout: Layout) -> set[str]:
    """Paths (relative to the store) of fragments that passed their check."""
    try:  # never through a link a member planted (O_NOFOLLOW): a loop error reads as empty
        fd = os.open(path_of(layout), os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return set()
    with open(fd, encoding="utf-8", errors="replace") as fh:
        if not stat.S_ISREG(os.fstat(fd).st_mode):  # a FIFO or device: nothing is trusted
            return set()
        return {line.rstrip("\n") for line in fh if line.endswith("\n")}


def record(layout: Layout, rels: list[str]) -> None:
    """Append `rels` in one write (a read-only store simply keeps re-checking)."""
    if not rels:
        return
    data = "".join(f"{r}\n" for r in rels).encode()
    with contextlib.suppress(OSError):
        fd = os.open(path_of(layout),
                     os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK
                     | os.O_CLOEXEC, 0o660)
        try:
            if stat.S_ISREG(os.fstat(fd).st_mode):
                os.write(fd, data)
        finally:
            os.close(fd)


def prune(layout: Layout, known: set[str], present: set[str]) -> None:
    """Rewrite the manifest without the paths of files gone, once they are most of it."""
    if len(known) <= 2 * len(present) + 256:
        return
    tmp = layout.tmp / f"{NAME}.{os.getpid()}.{uuid.uuid4().hex}.txt"
    with contextlib.suppress(OSError):
        layout.tmp.mkdir(exist_ok=True)
        tmp.write_text("".join(f"{r}\n" for r in sorted(known & present)), encoding="utf-8")
        os.chmod(tmp, 0o660)
        os.replace(tmp, path_of(layout))
