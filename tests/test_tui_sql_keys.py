"""SQL console keys: Esc with nothing running keeps the editor, Ctrl+L clears, Ctrl+A
selects all, and the footer shows Esc Cancel only while something runs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import test_tui_sql
from test_tui_scores_sample import sync, wait_for
from test_tui_sql import console_app, ready, run
from textual.widgets import TextArea

from store import Store
from tui.common.export_modal import ExportModal

store = test_tui_sql.store


def footer(screen: Any) -> str:
    return " ".join(f"{k.key_display} {k.description}" for k in screen.query("FooterKey"))


@sync
async def test_esc_with_nothing_running_keeps_the_editor(store: Store) -> None:
    async with console_app(store).run_test(size=(100, 30)) as pilot:
        screen = await ready(pilot)
        editor = screen.query_one("#sql-editor", TextArea)
        await pilot.press("escape")
        await pilot.pause()
        assert pilot.app.focused is editor
        editor.load_text("")
        await pilot.press(*"SELECT 42 AS answer")
        assert editor.text == "SELECT 42 AS answer"


@sync
async def test_ctrl_l_clears_and_ctrl_a_selects_all(store: Store) -> None:
    async with console_app(store).run_test(size=(100, 30)) as pilot:
        screen = await ready(pilot)
        editor = screen.query_one("#sql-editor", TextArea)
        await pilot.press("ctrl+a")
        assert editor.selected_text == editor.text and editor.text
        old = editor.text
        await pilot.press("ctrl+l")
        assert editor.text == "" and pilot.app.focused is editor
        await pilot.press("f6")  # the cleared text is in the history
        assert editor.text == old
        await wait_for(pilot, lambda: "Clear" in footer(screen))


@sync
async def test_the_footer_drops_esc_cancel_when_an_export_ends(store: Store,
                                                              tmp_path: Path) -> None:
    async with console_app(store).run_test(size=(100, 30)) as pilot:
        screen = await ready(pilot)
        await run(pilot, "SELECT case_id FROM cases")
        await pilot.press("f8")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ExportModal))
        modal: Any = pilot.app.screen
        modal.query_one("Input").value = str(tmp_path / "out.csv")
        await pilot.press("enter")
        await wait_for(pilot, lambda: (tmp_path / "out.csv").exists() and not screen.busy)
        await wait_for(pilot, lambda: "Run" in footer(screen) and "Cancel" not in footer(screen))


@sync
async def test_a_query_typed_at_once_replaces_the_starter_query(store: Store) -> None:
    """The console opened with an example query and the cursor at its start, so a query
    typed at once was inserted into it: a syntax error until Ctrl+L."""
    async with console_app(store).run_test(size=(80, 24)) as pilot:
        screen = await ready(pilot)
        editor = screen.query_one("#sql-editor", TextArea)
        assert "FROM outcome_scores" in editor.text
        await pilot.press(*"SELECT 42 AS n")
        assert editor.text == "SELECT 42 AS n"
        await run(pilot, editor.text)
        assert "1 row" in str(screen.query_one("#sql-status").render())
