"""Output that never crashes on the terminal's locale (stdlib only: imported at start-up).

Python encodes stdout/stderr with the locale's encoding and fails on the first character
it cannot encode (`UnicodeEncodeError`): under `LANG=en_GB.ISO-8859-1` the report's own
en dash, a typographic quote in a note or an arrow in a table would end the command with
a traceback. So, once at start-up, for each of stdout and stderr:

- already UTF-8: left alone;
- a pipe or a file (not a terminal), encoding not chosen by PYTHONIOENCODING: switched to
  UTF-8 (what every tool reading caseread's CSV, JSON or Markdown expects);
- a terminal that is not UTF-8 (or an encoding chosen on purpose): kept, with characters
  it cannot show replaced by '?' instead of crashing.
"""

from __future__ import annotations

import codecs
import os
import re
import sys
from typing import TextIO


def _is_utf8(encoding: str | None) -> bool:
    try:
        return codecs.lookup(encoding or "ascii").name == "utf-8"
    except LookupError:
        return False


def configure_stream(stream: TextIO, chosen: bool = False) -> None:
    """Make `stream` safe to write any text to (see the module docstring)."""
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is None or _is_utf8(getattr(stream, "encoding", None)):
        return
    try:
        terminal = stream.isatty()
    except (ValueError, OSError):
        terminal = False
    if terminal or chosen:
        reconfigure(errors="replace")
    else:
        reconfigure(encoding="utf-8", errors="strict")


def configure_output() -> None:
    """configure_stream for sys.stdout and sys.stderr (call once, before any output)."""
    chosen = bool(os.environ.get("PYTHONIOENCODING"))
    for stream in (sys.stdout, sys.stderr):
        if stream is not None:
            configure_stream(stream, chosen)


# C0 controls but tab, newline and CR (CSV line ends), and DEL: shown to a terminal they
# would run (ESC ] 0;...BEL retitles it); a note typed by someone else must not.
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def visible_bytes(data: bytes) -> bytes:
    """UTF-8 output on its way to a terminal, control characters shown as '?'."""
    return _CONTROL_BYTES.sub(b"?", data)
