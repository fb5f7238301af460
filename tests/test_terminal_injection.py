"""A note or detail typed by someone else never runs in a reader's terminal: control
characters (ESC ] 0;...BEL retitles a terminal) are shown, not passed through."""

from __future__ import annotations

import io

from rich.text import Text

from caseread.commands.sql_cmd import _Recoded
from tui.common.plain_table import plain
from tui.common.shown import visible

EVIL = "seen\x1b]0;PWNED\x07 \x1b[31mred"


def test_app_text_shows_control_characters_instead_of_running_them() -> None:
    shown = visible(EVIL)
    assert "\x1b" not in shown and "\x07" not in shown and "PWNED" in shown
    cell = plain(EVIL)
    assert isinstance(cell, Text) and "\x1b" not in cell.plain
    assert visible("line one\n\ttab") == "line one\n\ttab"  # layout characters stay


def test_sql_output_to_a_terminal_has_no_control_characters() -> None:
    raw = io.BytesIO()
    sink = _Recoded(raw, "utf-8", terminal=True)
    sink.write(EVIL.encode("utf-8") + b"\r\n")
    assert b"\x1b" not in raw.getvalue() and b"\x07" not in raw.getvalue()
    assert raw.getvalue().endswith(b"red\r\n")

