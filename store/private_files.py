"""Per-user caches and state (the case-list snapshot, state.json) hold case references,
types, RoSH levels and offices: readable by their owner only (0600 files in 0700
directories), whatever the umask, as the store's own data is readable by its group only."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

FILE_MODE = 0o600
DIR_MODE = 0o700


def write_private(path: Path, text: str) -> None:
    """Atomically replace `path` with `text` (UTF-8), mode 0600; its directory is made
    0700 if it is new. Raises OSError (callers treat these files as best effort)."""
    if not path.parent.is_dir():
        path.parent.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, FILE_MODE)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            os.fchmod(f.fileno(), FILE_MODE)  # the umask cannot widen it; an old file's mode
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
