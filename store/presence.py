"""Who has a case open: a small lease file per app process, never a lock.

`STORE/.presence/<user>.<host>.<pid>.json` holds {"user", "host", "pid", "inspection_id",
"case_id", "since", "renewed"} (times UTC ISO). The app writes it when a case form opens,
rewrites `renewed` every RENEW_SECONDS while the form stays open, and removes it when the
form closes or the app exits. A process that dies leaves a lease nobody renews: it counts
for LEASE_SECONDS at most (at once, if its pid is gone on this host) and is removed by the
next reader after STALE_SECONDS. Nothing ever waits on a lease: it is information only.

Only regular files are written or read: every open uses O_NOFOLLOW and checks the file
type, and a file is replaced by rename (which replaces a planted symlink, never follows it).
These are not events: presence is not history and is not in any view.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import stat
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from .permissions import FILE_MODE, make_dir

DIRNAME = ".presence"
RENEW_SECONDS = 10.0
LEASE_SECONDS = 30.0
STALE_SECONDS = 600.0
MAX_BYTES = 4096
_HOST = socket.gethostname()


@dataclass(frozen=True)
class Lease:
    user: str
    host: str
    pid: int
    inspection_id: str
    case_id: str
    since: datetime  # UTC, aware
    renewed: datetime

    def describe(self) -> str:
        """"open by bob since 10:02" (local time)."""
        return f"open by {self.user} since {self.since.astimezone():%H:%M}"


class PresenceLease:
    """This process's lease (one open case at a time)."""

    def __init__(self, root: Path, user: str) -> None:
        self.directory = Path(root) / DIRNAME
        self.user = user
        self.path = self.directory / f"{_safe(user)}.{_safe(_HOST)}.{os.getpid()}.json"
        self.held: tuple[str, str, datetime] | None = None

    def hold(self, inspection_id: str, case_id: str) -> None:
        now = datetime.now(UTC)
        if self.held is None or self.held[:2] != (inspection_id, case_id):
            self.held = (inspection_id, case_id, now)
        self._write(now)

    def renew(self) -> None:
        if self.held is not None:
            self._write(datetime.now(UTC))

    def release(self) -> None:
        self.held = None
        with contextlib.suppress(OSError):
            os.unlink(self.path)

    def _write(self, now: datetime) -> None:
        assert self.held is not None
        inspection_id, case_id, since = self.held
        body = {"user": self.user, "host": _HOST, "pid": os.getpid(),
                "inspection_id": inspection_id, "case_id": case_id,
                "since": since.isoformat(), "renewed": now.isoformat()}
        _real_dir(self.directory)
        tmp = self.directory / f".{self.path.name}.{uuid.uuid4().hex}.tmp"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, FILE_MODE)
        try:
            with os.fdopen(fd, "w") as f:
                os.fchmod(f.fileno(), FILE_MODE)
                f.write(json.dumps(body))
            os.replace(tmp, self.path)  # replaces whatever is there, never follows it
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise


def who_has(root: Path, inspection_id: str, now: datetime | None = None,
            exclude_pid: int | None = None) -> dict[str, list[Lease]]:
    """Live leases of the inspection by case id, oldest first (this process's own left
    out when `exclude_pid` is given). Unreadable or odd files are skipped."""
    now = now or datetime.now(UTC)
    directory = Path(root) / DIRNAME
    try:
        names = os.listdir(directory)
    except OSError:
        return {}
    out: dict[str, list[Lease]] = {}
    for name in names:
        if not name.endswith(".json") or name.startswith("."):
            continue
        lease = _read(directory / name)
        if lease is None:
            continue
        age = (now - lease.renewed).total_seconds()
        if age > STALE_SECONDS:
            with contextlib.suppress(OSError):
                os.unlink(directory / name)
            continue
        own = lease.pid == exclude_pid and lease.host == _HOST
        if own or age > LEASE_SECONDS or lease.inspection_id != inspection_id \
                or not _alive(lease):
            continue
        out.setdefault(lease.case_id, []).append(lease)
    for leases in out.values():
        leases.sort(key=lambda lease: lease.since)
    return out


def _read(path: Path) -> Lease | None:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        data = json.loads(os.read(fd, MAX_BYTES))
        return Lease(str(data["user"]), str(data["host"]), int(data["pid"]),
                     str(data["inspection_id"]), str(data["case_id"]),
                     _when(data["since"]), _when(data["renewed"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    finally:
        os.close(fd)


def _when(text: str) -> datetime:
    found = datetime.fromisoformat(text)
    return found if found.tzinfo else found.replace(tzinfo=UTC)


def _alive(lease: Lease) -> bool:
    """A lease of this host whose process is gone is over at once."""
    if lease.host != _HOST:
        return True
    try:
        os.kill(lease.pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's live process
        return True
    return True


def _real_dir(directory: Path) -> None:
    """`.presence` must be a directory of the store, not a symlink to elsewhere."""
    make_dir(directory)
    if not stat.S_ISDIR(os.lstat(directory).st_mode):
        raise OSError(f"{directory} is not a directory")


def _safe(text: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in text)[:64] or "x"

