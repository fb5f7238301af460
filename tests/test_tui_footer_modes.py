"""The case list's footer at 80 columns shows `i`; F2 from the scores is the case list."""

from __future__ import annotations

from typing import Any

import test_tui_app
from test_tui_app import make_app, settle, sync, wait_for
from test_tui_case_form import open_case

from store import Store
from tui.cases.case_list import CaseListScreen

tui_store = test_tui_app.tui_store


def footer_line(app: Any) -> str:
    """The footer as drawn (the last line of the screen)."""
    lines = app.export_screenshot().count("\n")  # make sure a frame exists
    assert lines
    return " ".join(f"{k.key_display} {k.description}" for k in app.screen.query("FooterKey")
                    if k.region.width > 0 and k.region.right <= app.size.width)


@sync
async def test_interviews_key_is_in_the_footer_at_80_columns(tui_store: Store) -> None:
    app = make_app(tui_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await wait_for(pilot, lambda: "i Interviews" in footer_line(app))


@sync
async def test_f2_from_scores_returns_to_the_case_list(tui_store: Store) -> None:
    app = make_app(tui_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_case(pilot, "C01")
        await pilot.press("f3")
        await settle(pilot)
        await pilot.press("f2")
        await settle(pilot)
        assert isinstance(app.screen, CaseListScreen)
