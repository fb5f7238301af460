"""Input files given on the command line must be regular files: reading a FIFO (or a
device) named like a CSV would block for ever."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .common import CliError


def require_regular(path: Path) -> None:
    """CliError (one line) unless `path` is a regular file (a link to one is fine: it is
    the user's own choice, outside any store)."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return  # missing or unreadable: the CSV reader says so in its own words
    if not stat.S_ISREG(mode):
        raise CliError(f"{path}: not a regular file (a FIFO, device or directory "
                       "cannot be imported); nothing imported")
