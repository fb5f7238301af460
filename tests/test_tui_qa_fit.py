"""The lead's QA screen at 80x24: a long query's text is cut with `…` in the room left,
never cut mid-column at the edge nor left wholly out of view; whole again when wider."""

from __future__ import annotations

from typing import Any

import test_tui_app
from test_tui_app import INSPECTION, make_app, settle, sync
from test_tui_footer_fit import screen_lines
from test_tui_qa import with_team

from store import AnswerInput, Store, qa
from tui.qa.screen import QaScreen

tui_store = test_tui_app.tui_store  # the shared fixture
LONG = ("Is the PSR really sufficient when the risk assessment was not shared with the "
        "court and the victim's view was never sought?")


def _queries_rows(app: Any) -> list[str]:
    table = app.screen.query_one("#qa-queries")
    top = table.region.y + table.header_height
    return screen_lines(app)[top:top + table.row_count]


@sync
async def test_a_long_query_is_cut_with_an_ellipsis_in_the_room_left(tui_store: Store) -> None:
    with_team(tui_store)
    tui_store.save_answers(INSPECTION, [AnswerInput("C01", "1.1.02", "yes")])
    qa.open_query(tui_store, INSPECTION, "C01", "1.1.02", LONG)
    app = make_app(tui_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("q")
        await settle(pilot)
        assert isinstance(app.screen, QaScreen)
        [row] = _queries_rows(app)
        assert "C01" in row and "1.1.02" in row and "Is the PSR really" in row, row
        assert row.rstrip().endswith("…") and LONG not in row, row
        await pilot.resize_terminal(200, 40)
        await settle(pilot)
        [row] = _queries_rows(app)
        assert LONG in row, row  # whole again on a wide terminal
