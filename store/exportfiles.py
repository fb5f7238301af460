"""Files written for people (exports, reports, F8 CSV) protected as the store is.

The store's data is personal (case references, RoSH, notes): a shared store is mode 2770
with its team's group, and its files 0660. A file exported from it gets the same group
and the store's own file permissions (its directory mode without the execute bits), so an
export is never readable by more people than the store itself; with the default umask a
plain `open()` would make it 0644, readable by every user of the server.
"""

from __future__ import annotations

import contextlib
import grp
import os
import stat
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Access:
    """The mode and group a file exported from a store gets."""

    mode: int  # e.g. 0o660
    gid: int

    def describe(self) -> str:
        """`mode 0660, group probation` (for the command's message)."""
        try:
            group = grp.getgrgid(self.gid).gr_name
        except KeyError:
            group = str(self.gid)
        return f"mode {self.mode:04o}, group {group}, as the store"


def store_access(store_root: Path) -> Access:
    """The store root's read/write bits, as a file mode, and its group."""
    st = os.stat(store_root)
    return Access(stat.S_IMODE(st.st_mode) & 0o666, st.st_gid)


def protect(path: Path, access: Access) -> None:
    """Give `path` the store's group (when the user may) and mode.

    The group first: chmod after chown, since chown may clear set-id bits. A user not in
    the store's group keeps their own group, and the mode still keeps others out.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    try:
        with contextlib.suppress(PermissionError):
            os.fchown(fd, -1, access.gid)
        os.fchmod(fd, access.mode)
    finally:
        os.close(fd)


def protect_dir(path: Path, access: Access) -> None:
    """A directory made for an export: the store's group, its modes plus execute (search)."""
    mode = access.mode | ((access.mode & 0o444) >> 2)
    with contextlib.suppress(PermissionError):
        os.chown(path, -1, access.gid)
    os.chmod(path, mode)


def write_protected(path: Path, data: bytes, access: Access) -> None:
    """Write `data` to `path` beside it then rename: the file is never visible with a
    wider mode, and a failed write leaves no half file under the name."""
    tmp = path.with_name(f".{path.name}.part")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        protect(tmp, access)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
