"""What an answer key repaints: only the rows it changed, and a scroll only every few keys
(each full repaint of the question table costs a keystroke's worth of time)."""

from __future__ import annotations

from typing import Any

import pytest
import test_tui_app
from test_tui_app import make_app, settle, sync
from test_tui_case_form import open_case

from store import Store
from tui.form.question_table import QuestionTable

tui_store = test_tui_app.tui_store


@sync
async def test_an_answer_repaints_its_rows_and_scrolls_by_half_a_page(
        tui_store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    whole: list[int] = []
    real = QuestionTable.refresh

    def refresh(self: QuestionTable, *regions: Any, **kw: Any) -> Any:
        if not regions and not kw.get("layout"):
            whole.append(self.cursor_row)
        return real(self, *regions, **kw)

    app = make_app(tui_store)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_case(pilot, "C01")
        table = form.query_one("#questions", QuestionTable)
        monkeypatch.setattr(QuestionTable, "refresh", refresh)
        await pilot.press("y")
        await settle(pilot)
        assert whole == []  # the answered row and the cursor's rows only
        visible = table.scrollable_content_region.height - table.header_height
        scrolls = []
        for _ in range(visible + 2):
            before = table.scroll_y
            await pilot.press("y")
            await pilot.pause()
            if table.scroll_y != before:
                scrolls.append(table.scroll_y - before)
        await settle(pilot)
        top = round(table.scroll_y)
        assert top <= table.cursor_row < top + visible
        assert scrolls and all(step >= visible // 2 for step in scrolls), scrolls
