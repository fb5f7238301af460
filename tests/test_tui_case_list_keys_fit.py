"""The case list as a tester found it at 80x24: a header that ended `sorted by` (cut), a
filter that did not find a case by its id when the reference differs, and Home/End that
scrolled the columns sideways instead of going to the first/last case."""

from __future__ import annotations

from pathlib import Path

import pytest
import test_tui_app
from test_tui_app import CASES, make_app, settle, sync, wait_for
from test_tui_case_list import refs
from test_tui_footer_fit import screen_lines
from textual.widgets import Input, Select, Static

from store import Store
from tui.cases.case_list import CaseListScreen
from tui.cases.details_modal import CaseDetailsModal
from tui.common.plain_table import PlainTable

tui_store = test_tui_app.tui_store  # the shared fixture
LONG = "bedfordshire-and-luton-2013-reinspection"  # a long inspection id


@sync
async def test_case_list_header_filter_by_id_and_home_end_at_80x24(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CASEREAD_CONFIG_DIR", str(tmp_path / "config"))
    store = Store.init(tmp_path / "store")
    store.author = "alice"
    store.add_inspection(LONG, "Testshire", "2013-05")
    details = CASES["C01"]
    for i in range(1, 31):
        store.save_case(LONG, f"C{i:02d}", {**details, "case_ref": f"R-{i:03d}"})
    store.save_case(LONG, "ZZ-001", {**details, "case_ref": "Réf-1"})
    try:
        app = make_app(store, LONG)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, CaseListScreen)
            await wait_for(pilot, lambda: screen.loaded)
            await pilot.pause()
            title = screen_lines(app)[0]
            assert title.rstrip().endswith("31 of 31 cases, sorted by Reference ^"), title
            await pilot.resize_terminal(60, 24)  # narrower: the header follows
            await pilot.pause()
            await pilot.pause()
            assert screen_lines(app)[0].rstrip().endswith("sorted by Reference ^")
            await pilot.resize_terminal(80, 24)
            await pilot.pause()
            app.synthetic_ids = {LONG}
            screen.refresh_title()
            await pilot.pause()
            title = screen_lines(app)[0]
            assert "(SYNTHETIC)" in title and title.rstrip().endswith("sorted by Reference ^")

            await pilot.press("slash", *"zz-001")  # the id the form and the CLI use
            assert refs(screen) == ["Réf-1"]
            await pilot.press("escape")
            assert len(refs(screen)) == 31

            table = screen.query_one(PlainTable)
            table.focus()
            await pilot.press("end")
            assert table.cursor_row == table.row_count - 1 and table.scroll_x == 0
            await pilot.press("home")
            assert table.cursor_row == 0
            await pilot.press("pagedown")
            assert table.cursor_row > 1
            await pilot.press("pageup")
            assert table.cursor_row == 0
    finally:
        store.close()


@sync
async def test_new_case_errors_clear_when_their_field_is_filled_in(tui_store: Store) -> None:
    """`n`, Ctrl+S with nothing chosen: "Type of case is required" beside the field and in
    the summary; choosing a type clears it there and then, the other fields' stay."""
    app = make_app(tui_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, CaseDetailsModal))
        modal = app.screen
        assert isinstance(modal, CaseDetailsModal)
        await pilot.pause()
        await pilot.press("ctrl+s")  # refused: required fields missing
        await pilot.pause()

        def beside(field: str) -> str:
            return str(modal.query_one(f"#e--{field}", Static).render())

        def summary() -> str:
            return str(modal.query_one("#details-errors", Static).render())

        assert "Type of case is required" in beside("case_type")
        assert "Type of case" in summary()
        assert "required" in beside("gender")
        focused = app.focused
        modal.query_one("#f--case_type", Select).value = "licence"
        await pilot.pause()
        assert beside("case_type") == "" and "Type of case" not in summary()
        assert "required" in beside("gender")  # not touched: still said
        assert app.focused is focused  # re-checking does not move the focus
        modal.query_one("#f--case_id", Input).value = "C01"  # taken
        await pilot.pause()
        assert "already exists" in beside("case_id")
        modal.query_one("#f--case_id", Input).value = "C09"
        await pilot.pause()
        assert beside("case_id") == ""
