"""The score overview at 80x24 and wide: every breakdown in whole columns, wide terminals used.

At 80x24 no number is cut: every cell of the Summary, the criteria grid and the question
bars that is drawn at all is drawn whole, for each breakdown and back to none (issue 12,
fault 6: `1 Sente   77   66   73% 1   78%` and a Summary keeping `2464 of 32`). At 120 and
160 columns the overview uses the width: whole outcome titles, more of each question.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rich.text import Text
from test_tui_app import make_app, settle, sync
from test_tui_footer_fit import screen_lines
from test_tui_scores_sample import answer_for, case_details
from textual.widgets import DataTable

from store import AnswerInput, Store
from tui.common.plain_table import PlainTable
from tui.scores.breakdown_select import breakdown_options
from tui.scores.overview import ScoreOverviewScreen

INSPECTION = "fit1"
AUTHORS = [f"INSP-{c}" for c in "ABCDEFGHJ"]  # more inspectors than fit at 80 columns


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    monkeypatch.setenv("CASEREAD_CONFIG_DIR", str(tmp_path / "config"))
    s = Store.init(tmp_path / "store")
    s.add_inspection(INSPECTION, "Fitshire", "2013-05")
    fw = s.framework
    for i, author in enumerate(AUTHORS * 2, start=1):
        s.author = author
        case_id = f"C{i:02d}"
        s.save_case(INSPECTION, case_id, case_details(i))
        s.save_answers(INSPECTION, [AnswerInput(case_id, q.id, answer_for(fw, case_id, q.id))
                                    for q in fw.questions if q.kind in ("scoring", "fact")])
    yield s
    s.close()


def cut_cells(app: Any) -> list[tuple[str, str, str]]:
    """(table, cell, line) for every cell of a table drawn but not whole on screen."""
    lines = screen_lines(app)
    cut = []
    for table in app.screen.query(DataTable):
        region = table.region
        if not table.display or region.width == 0:
            continue
        right = table.scrollable_content_region.right  # the vertical scrollbar covers the rest
        left = region.x - int(table.scroll_x)
        top = region.y + table.header_height - int(table.scroll_y)
        bottom = region.bottom - (1 if table.show_horizontal_scrollbar else 0)
        for column in table.ordered_columns:
            width = column.get_render_width(table)
            if left >= right:
                break
            if left + width <= region.x:  # scrolled away to the left: not drawn
                left += width
                continue
            for row_index, row_key in enumerate(table.rows):
                y = top + row_index
                if not region.y + table.header_height <= y < bottom:
                    continue
                value = table.get_cell(row_key, column.key)
                text = value.plain if isinstance(value, Text) else str(value)
                drawn = lines[y][left + 1:left + 1 + len(text)]
                if left < region.x or left + width > right or drawn != text:
                    cut.append((str(table.id), text, lines[y]))
            left += width
        cut += _drawn_past_the_last_whole_column(table, lines, right)
    return cut


def _drawn_past_the_last_whole_column(table: Any, lines: list[str], right: int) -> list[Any]:
    """Columns left to scrolling show nothing, header included, in the cells up to the
    table's edge (a header `I` of `INSP-G` was drawn where the scrollbar would be)."""
    end = table.region.x - int(table.scroll_x)
    widths = [column.get_render_width(table) for column in table.ordered_columns]
    for width in widths:
        if end + width > right:
            break
        end += width
    else:
        return []  # every column whole
    found = []
    for y in range(table.region.y, table.region.bottom):
        past = lines[y][end:table.region.right]
        if any(c.isalnum() or c in "%/–…" for c in past):
            found.append((str(table.id), past, lines[y]))
    return found


async def wait_scores(pilot: Any, screen: ScoreOverviewScreen) -> None:
    for _ in range(400):
        scores = screen.scores
        if scores is not None and scores.by == screen.by and not screen.workers:
            break
        await pilot.pause(0.05)
    await settle(pilot)
    await pilot.pause()


async def open_scores(pilot: Any) -> ScoreOverviewScreen:
    await settle(pilot)
    await pilot.press("f3")
    screen = pilot.app.screen
    assert isinstance(screen, ScoreOverviewScreen)
    await wait_scores(pilot, screen)
    return screen


@sync
async def test_every_breakdown_at_80x24_in_whole_columns(store: Store) -> None:
    app = make_app(store, INSPECTION)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_scores(pilot)
        assert cut_cells(app) == []
        options = breakdown_options(store.framework)
        for _ in options:  # each breakdown in turn, then back to none
            await pilot.press("b")
            await settle(pilot)
            await pilot.press("down", "enter")
            await wait_scores(pilot, screen)
            assert screen.scores is not None and len(screen.scores.groups) > 1 or \
                screen.by is None
            assert cut_cells(app) == [], screen.by
            screen.query_one("#score-grid").focus()  # another criterion fills the bars
            await pilot.press("right", "down")
            await settle(pilot)
            assert cut_cells(app) == [], screen.by
            if screen.by == "author":  # the most groups: and the other method
                await pilot.press("m")
                await wait_scores(pilot, screen)
                assert cut_cells(app) == [], "m"
                await pilot.press("m")
                await wait_scores(pilot, screen)
        assert screen.by is None
        summary = [str(screen.query_one("#score-summary", PlainTable).get_row_at(r)[2])
                   for r in range(5)]
        assert all(f"{c.sufficient} of {c.applicable}" in summary
                   for o in screen.scores.outcomes for c in [o.cells["All"]])  # type: ignore[union-attr]


@sync
async def test_a_wide_score_overview_uses_the_width(store: Store) -> None:
    app = make_app(store, INSPECTION)
    titles = [f"{o.code} {o.title}" for o in store.framework.outcomes]
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_scores(pilot)
        assert cut_cells(app) == []
        text = "\n".join(screen_lines(app))
        assert all(t in text for t in titles)  # the Summary: whole outcome titles
        bars = screen.query_one("#score-bars", PlainTable)
        shown = [str(bars.get_row_at(r)[1]) for r in range(bars.row_count)]
        assert all(len(s) >= 70 for s in shown if s.endswith("…")), shown  # 28 at 80
        await pilot.resize_terminal(160, 50)
        await wait_scores(pilot, screen)
        assert cut_cells(app) == []
        grid = screen.query_one("#score-grid", PlainTable)
        assert [str(grid.get_row_at(r)[0]) for r in range(grid.row_count)] == titles
        await pilot.resize_terminal(80, 24)  # and back: nothing cut
        await wait_scores(pilot, screen)
        await settle(pilot)
        assert cut_cells(app) == []


def test_breakdown_snapshot(store: Store, snap_compare: Any) -> None:
    """The score overview at 80x24 split by RoSH: whole columns, the scores' counts where
    they fit."""
    async def by_rosh(pilot: Any) -> None:
        screen = await open_scores(pilot)
        await pilot.press("b")
        await settle(pilot)
        await pilot.press("down", "enter")
        await wait_scores(pilot, screen)

    assert snap_compare(make_app(store, INSPECTION), terminal_size=(80, 24), run_before=by_rosh)


@sync
async def test_every_breakdown_at_120x40_and_after_the_method_toggle_in_whole_columns(
        store: Store) -> None:
    """The tester's 120x40: `b`, RoSH left `1.1.03  74  100  58% 7  78%` (no question text,
    counts cut), and so after `m`."""
    app = make_app(store, INSPECTION)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_scores(pilot)
        for _ in breakdown_options(store.framework):
            await pilot.press("b")
            await settle(pilot)
            await pilot.press("down", "enter")
            await wait_scores(pilot, screen)
            for toggle in (False, True):
                if toggle:
                    await pilot.press("m")
                    await wait_scores(pilot, screen)
                screen.query_one("#score-grid").focus()
                await pilot.press("right", "down")
                await settle(pilot)
                assert cut_cells(app) == [], (screen.by, toggle)
                bars = screen.query_one("#score-bars", PlainTable)
                if bars.row_count and screen.by is not None:
                    texts = [str(bars.get_row_at(r)[1]) for r in range(bars.row_count)]
                    assert all(t.strip() for t in texts), (screen.by, texts)


@sync
async def test_scrolling_a_wide_breakdown_sideways_moves_by_whole_columns(store: Store) -> None:
    """The tester's 80x24, F3, `b` Inspector, then Right: one cell a press, the edges cut
    numbers mid-value (`SP-F  INSP-G  IN` over `1%     68%     8`). Each Right/Left moves
    by whole columns; after every press no cell is cut at either edge."""
    app = make_app(store, INSPECTION)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_scores(pilot)
        await pilot.press("b")
        await settle(pilot)
        ids = [fid for fid, _ in breakdown_options(store.framework)]
        await pilot.press(*["down"] * ids.index("author"), "enter")
        await wait_scores(pilot, screen)
        assert screen.by == "author"
        scrolled = []
        for table in screen.query(PlainTable):
            if not table.display or table.max_scroll_x == 0:
                continue
            table.focus()
            for key in ["right"] * 6 + ["left"] * 6:
                await pilot.press(key)
                await settle(pilot)
                await pilot.pause()
                assert cut_cells(app) == [], (table.id, key, table.scroll_x)
                scrolled.append(table.scroll_x)
            assert table.scroll_x == 0, table.id  # Left all the way back
        assert any(scrolled), "no table was scrolled sideways"
