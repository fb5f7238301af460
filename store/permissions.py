"""Shared-store permissions: a setgid group directory, nothing world-accessible.

We never touch the process umask (it is process-wide and threads share it); instead every
directory and file we create gets its mode set explicitly after creation.
"""

from __future__ import annotations

import grp
import os
import pwd
import stat
import warnings
from pathlib import Path

from .errors import StoreError

DIR_MODE = 0o2770  # setgid: new files inherit the store's group
FILE_MODE = 0o660


def current_author() -> str:
    """The OS user: the author of every event, never a typed name."""
    try:
        return pwd.getpwuid(os.geteuid()).pw_name
    except KeyError:  # uid without a passwd entry (containers)
        return f"uid{os.geteuid()}"


def make_dir(path: Path) -> None:
    """Create (with parents inside the store) a group-shared directory."""
    if path.is_dir():
        return
    if not path.parent.is_dir():
        make_dir(path.parent)
    try:
        os.mkdir(path)
    except FileExistsError:
        return
    os.chmod(path, DIR_MODE)


def set_group(root: Path, group: str) -> None:
    """chgrp the store root to `group` (setgid passes it on to everything below)."""
    try:
        gid = grp.getgrnam(group).gr_gid
    except KeyError:
        raise StoreError(f"no such group {group!r}") from None
    try:
        os.chown(root, -1, gid)
        os.chmod(root, DIR_MODE)
    except OSError as exc:
        raise StoreError(f"cannot give {root} to group {group!r}: {exc.strerror}") from exc


def check_root(root: Path) -> None:
    """Refuse a world-writable store; warn about a world-readable one."""
    mode = os.stat(root).st_mode
    if mode & stat.S_IWOTH:
        raise StoreError(
            f"store {root} is world-writable (mode {stat.filemode(mode)}); "
            f"fix it with: chmod o-rwx {root}"
        )
    if mode & stat.S_IROTH:
        warnings.warn(
            f"store {root} is world-readable (mode {stat.filemode(mode)}): case details "
            f"are visible to every user; consider: chmod o-rwx {root}",
            stacklevel=3,
        )
