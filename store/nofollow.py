"""Never follow a symbolic link inside the store.

Every member of the group can write the store, so any name in it may have been replaced by
a link to somebody's private file (`~/.ssh/id_ed25519`, `/etc/nologin` for a root cron job).
Everything that opens, creates, chmods or renames inside the store goes through these
helpers: each path component below the store root is opened with O_NOFOLLOW relative to
its parent's descriptor, so a link anywhere fails (ELOOP/ENOTDIR) instead of being followed.
The store root itself is the user's choice and may be a link.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import StoreError

_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC


class LinkRefused(StoreError):
    """A path inside the store is a symbolic link (or not what it should be)."""


def _refusal(path: Path, exc: OSError) -> LinkRefused:
    if exc.errno in (errno.ELOOP, errno.ENOTDIR):
        return LinkRefused(f"{path} is a symbolic link or not a directory; caseread never "
                           f"follows links inside a store (remove it, then run `caseread repair`)")
    raise exc


def _parts(root: Path, path: Path) -> tuple[str, ...]:
    return Path(os.path.abspath(path)).relative_to(os.path.abspath(root)).parts


@contextmanager
def dir_fd(root: Path, path: Path) -> Iterator[int]:
    """A descriptor of directory `path` inside `root`, no component below root a link.
    Raises LinkRefused on a link, FileNotFoundError if a component is missing."""
    fd = os.open(root, _DIR_FLAGS & ~os.O_NOFOLLOW)
    try:
        for part in _parts(root, path):
            try:
                nxt = os.open(part, _DIR_FLAGS, dir_fd=fd)
            except OSError as exc:
                raise _refusal(path, exc) from exc
            os.close(fd)
            fd = nxt
        yield fd
    finally:
        os.close(fd)


def is_link(path: Path) -> bool:
    try:
        return stat.S_ISLNK(os.lstat(path).st_mode)
    except FileNotFoundError:
        return False


def open_file(root: Path, path: Path, flags: int, mode: int = 0o660) -> int:
    """os.open of a file inside the store, refusing a link at any level."""
    with dir_fd(root, path.parent) as parent:
        try:
            return os.open(path.name, flags | os.O_NOFOLLOW | os.O_CLOEXEC, mode, dir_fd=parent)
        except OSError as exc:
            raise _refusal(path, exc) from exc


def rename(root: Path, src: Path, dest: Path) -> None:
    """Rename `src` to `dest` (both inside root) without following a link on the way;
    a link as `src` itself is renamed as a link, never its target."""
    with dir_fd(root, src.parent) as a, dir_fd(root, dest.parent) as b:
        os.rename(src.name, dest.name, src_dir_fd=a, dst_dir_fd=b)


def links_in(root: Path) -> list[Path]:
    """Every symbolic link below `root` (not followed), for `caseread check`."""
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            if is_link(path):
                found.append(path)
    return found


def open_lock(root: Path, path: Path) -> int:
    """Open (creating) a lock file for flock: never through a link (O_NOFOLLOW at every
    level), only a regular file; its mode is set to 660 only if it is ours and has no
    other name (a hard link to someone's file must not have its mode changed)."""
    fd = open_file(root, path, os.O_RDWR | os.O_CREAT, 0o660)
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode):
        os.close(fd)
        raise LinkRefused(f"{path} is not a regular file; remove it (see `caseread check`)")
    if st.st_uid == os.geteuid() and st.st_nlink == 1 and stat.S_IMODE(st.st_mode) != 0o660:
        os.fchmod(fd, 0o660)  # a strict umask must not lock the group out
    return fd
