"""No blind overwrite: a save names the answer it replaces, and is refused if that changed.

An `AnswerInput` may carry `base`, the answer its author last saw for that case and question
(`None`: unanswered). `save_answers` then holds a short per-inspection lock, reads the
latest stored answer of every key it writes (from the store itself, not from what a screen
polled), and refuses the whole save with `AnswerConflict` if any base is no longer the
latest. Inside the same lock the fragment is published with a `saved_at` later than every
event it replaces, so two saves racing in the same second are ordered: the second one is
either refused (its base changed) or knowingly replaces the first.

The comparison is by value: an answer changed and changed back (yes -> no -> yes) counts as
unchanged, since its author has seen that value.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from .errors import SaveError, StoreError
from .permissions import FILE_MODE, make_dir


class Unchecked:
    """The default base: save without checking (`caseread answer` without --expect)."""

    def __repr__(self) -> str:
        return "UNCHECKED"


UNCHECKED = Unchecked()


@dataclass(frozen=True)
class Conflict:
    """One key whose stored answer is not the one the save expected to replace."""

    case_id: str
    question_id: str
    expected: str | None  # the base the writer gave (None: unanswered)
    found: str | None  # the latest stored answer (None: unanswered or cleared)
    author: str | None  # who saved `found`
    saved_at: datetime | None  # when (naive UTC)

    def describe(self) -> str:
        who = f" by {self.author}" if self.author else ""
        when = f" at {self.saved_at:%H:%M:%S} UTC" if self.saved_at else ""
        return (f"case {self.case_id}, question {self.question_id}: now "
                f"{self.found or 'unanswered'}{who}{when}, "
                f"not {self.expected or 'unanswered'} as expected")


class AnswerConflict(StoreError):
    """A save refused because an answer it would replace changed; nothing was saved."""

    def __init__(self, conflicts: list[Conflict]) -> None:
        self.conflicts = conflicts
        shown = "; ".join(c.describe() for c in conflicts[:3])
        more = f" (and {len(conflicts) - 3} more)" if len(conflicts) > 3 else ""
        super().__init__(f"answer changed by someone else: {shown}{more}; nothing saved")


@contextlib.contextmanager
def held_lock(locks_dir: Path, name: str) -> Iterator[None]:
    """Hold an exclusive flock on `locks_dir/name` (a regular file, never a symlink).

    The one place this module opens a lock file: O_NOFOLLOW refuses a symlink planted in
    its place, and anything but a regular file is refused too. The flock dies with the
    process, so a crash leaves no lock behind.
    """
    make_dir(locks_dir)
    path = locks_dir / name
    flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC
    try:
        fd = os.open(path, flags, FILE_MODE)
    except OSError as exc:
        raise SaveError(f"not saved: cannot open lock {path} ({exc.strerror})") from exc
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise SaveError(f"not saved: lock {path} is not a regular file")
        with contextlib.suppress(OSError):
            os.fchmod(fd, FILE_MODE)  # only the owner may; the group can use it anyway
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the flock


def answers_lock_name(inspection_id: str) -> str:
    return f"answers-{inspection_id}.lock"


Latest = tuple[datetime, str, str | None, str | None]  # saved_at, event_id, answer, author


def find_conflicts(
    checks: list[tuple[str, str, str | None]], latest: dict[tuple[str, str], Latest]
) -> list[Conflict]:
    """`checks` are (case_id, question_id, base answer); `latest` the stored saves by key."""
    out = []
    for case_id, question_id, base in checks:
        save = latest.get((case_id, question_id))
        found = save[2] if save else None
        if found != base:
            out.append(Conflict(case_id, question_id, base, found,
                                save[3] if save else None, save[0] if save else None))
    return out


def not_before(latest: dict[tuple[str, str], Latest]) -> datetime | None:
    """A save time strictly after every save being replaced (a clock a little behind
    another writer's must not let the replaced answer stay the latest)."""
    if not latest:
        return None
    return max(save[0] for save in latest.values()) + timedelta(microseconds=1)
