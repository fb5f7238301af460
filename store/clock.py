"""The time of a save comes from the store, not from the writer's clock.

`saved_at` decides which save of an answer is the latest, and a fragment's name (which
carries it) lets readers skip old files. A writer whose clock is an hour slow would have
its later save lose silently; one a day fast would win every correction for a day. So:

- the store's clock is the ctime the kernel (or the file server) gives a directory of
  the store when its times are touched: no process's clock setting (or `faketime`)
  changes it (this computer's finer clock is used when the two agree within a second);
- under an exclusive flock on the partition directory, a save's time is
  `max(store clock, newest fragment named in the partition + 1 us)`: saves of one
  partition are strictly ordered as they happened, whatever any clock says;
- a writer whose own clock is more than `CLOCK_BEHIND_LIMIT` behind the newest save is
  refused with a clear message (its other timestamps, e.g. the app's change polling,
  would be wrong too); fragment names beyond the store's clock plus `CLOCK_SKEW` are
  ignored (`fragment_check` quarantines them: they are not believable).
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path

from . import nofollow
from .errors import SaveError
from .fragment_check import CLOCK_SKEW
from .fragments import describe
from .layout import Layout, fragment_names, parse_name, utc_now
from .permissions import make_dir

CLOCK_BEHIND_LIMIT = timedelta(minutes=5)
_EPOCH = datetime(1970, 1, 1)
TICK = timedelta(microseconds=1)
AGREE = timedelta(seconds=1)


class ClockError(SaveError):
    """This computer's clock is too far behind the store's newest save."""


def store_now(layout: Layout, directory: Path | None = None) -> datetime:
    """Now, by the store's clock (naive UTC): the change time the kernel (or the file
    server) gives `directory` (default `.tmp/`) when its times are touched."""
    where = directory or layout.tmp
    make_dir(where)
    with nofollow.dir_fd(layout.root, where) as fd:
        return _touched(fd)


def _touched(fd: int) -> datetime:
    """The store's clock, read by touching `fd`. The kernel stamps files from a coarse
    clock (one tick, ~4 ms, behind), so when this computer's clock agrees with it to
    within `AGREE` its finer reading is used instead; either way saves are ordered by
    `save_time`, so this only decides how exact the stamp is."""
    os.utime(fd)  # futimens(NOW): needs write access, which every member has
    store = _EPOCH + timedelta(microseconds=os.fstat(fd).st_ctime_ns // 1000)
    mine = utc_now()
    return mine if abs(mine - store) < AGREE else store


def newest_named(directory: Path, not_after: datetime) -> datetime | None:
    """The latest time in a fragment name of `directory`, names after `not_after` ignored."""
    stamp = not_after.strftime("%Y%m%dT%H%M%S%f")
    times = [p["ts"] for n in fragment_names(directory)
             if (p := parse_name(n)) and p["ts"] <= stamp]
    return datetime.strptime(max(times), "%Y%m%dT%H%M%S%f") if times else None


@contextmanager
def save_time(layout: Layout, directory: Path) -> Iterator[datetime]:
    """Hold the partition's save lock and give the time of the save made inside it.
    Raises ClockError (this clock far behind) or SaveError (the disk refused)."""
    try:
        make_dir(directory)
        with nofollow.dir_fd(layout.root, directory) as fd:
            fcntl.flock(fd, fcntl.LOCK_EX)  # released when the descriptor is closed
            now = _touched(fd)
            newest = newest_named(directory, now + CLOCK_SKEW)
            check_clock(utc_now(), max(now, newest or now))
            yield max(now, newest + TICK) if newest else now
    except OSError as exc:
        raise SaveError(describe(exc, directory)) from exc


def check_clock(mine: datetime, store: datetime) -> None:
    behind = store - mine
    if behind > CLOCK_BEHIND_LIMIT:
        raise ClockError(
            f"not saved: this computer's clock ({mine:%Y-%m-%d %H:%M:%S} UTC) is "
            f"{_span(behind)} behind the store's ({store:%Y-%m-%d %H:%M:%S} UTC); "
            "set the clock right (or ask the server's administrator) and save again")


def _span(delta: timedelta) -> str:
    minutes = round(delta.total_seconds() / 60)
    return f"{minutes // 60} h {minutes % 60} min" if minutes >= 60 else f"{minutes} min"
