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
    """Create (with parents inside the store) a group-shared directory. A symbolic link
    where a directory should be is refused, never followed (store/nofollow.py)."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        st = None
    if st is not None:
        if stat.S_ISDIR(st.st_mode) or (path / "caseread-store.json").is_file():
            return  # a real directory, or the store root (which may be a link)
        what = "a symbolic link" if stat.S_ISLNK(st.st_mode) else "not a directory"
        raise StoreError(f"{path} is {what}; caseread never follows links inside a store "
                         "(see `caseread check`)")
    make_dir(path.parent)
    try:
        os.mkdir(path)
    except FileExistsError:
        make_dir(path)  # made meanwhile: still refuse a link
        return
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    try:
        os.fchmod(fd, DIR_MODE)
    finally:
        os.close(fd)


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
