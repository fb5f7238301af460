"""Tables are sized to their cells when drawn, not at the next idle: after a breakdown
(or back to none) the Summary never shows header-wide, cut columns ("2464 of 32")."""

from __future__ import annotations

from typing import Any

import test_tui_scores
from rich.cells import cell_len
from rich.text import Text
from test_tui_scores import INSPECTION, loaded, overview_app, sync
from textual.widgets import OptionList

from store import Store
from tui.common.plain_table import PlainTable
from tui.scores.summary import SummaryTable

store = test_tui_scores.store


def _width(value: Any) -> int:
    return value.cell_len if isinstance(value, Text) else cell_len(str(value))


def too_narrow(table: PlainTable) -> list[str]:
    """Columns narrower than their widest cell, as they would be drawn now."""
    out = []
    for key, column in table.columns.items():
        widest = max([_width(column.label), *(_width(row[key]) for row in table._data.values())])
        if column.get_render_width(table) - 2 * table.cell_padding < widest:
            out.append(str(column.label))
    return out


@sync
async def test_summary_columns_fit_their_cells_at_once(store: Store) -> None:
    async with overview_app(store).run_test(size=(80, 24)) as pilot:
        screen = await loaded(pilot)
        summary = screen.query_one(SummaryTable)
        await pilot.press("b")
        await pilot.pause()
        chooser: Any = pilot.app.screen.query_one(OptionList)
        chooser.highlighted = chooser.get_option_index("rosh")
        await pilot.press("enter")
        await pilot.pause()
        split = screen.scores
        assert split is not None and split.by == "rosh"
        from tui.scores.data import load_scores

        whole = load_scores(store, INSPECTION, "questions", None)
        for scores in (whole, split, whole):  # drawn right after, before any idle
            summary.show(scores)
            assert too_narrow(summary) == []
