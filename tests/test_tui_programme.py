"""Programme screen: each inspection beside the pooled and mean aggregates, labelled."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_tui_scores_sample import fill, host_app, sync, wait_for
from textual.coordinate import Coordinate

from store import Store
from store.programme import MEAN, POOLED, programme_scores
from tui.scores.model import pct
from tui.scores.overview import ScoreOverviewScreen
from tui.scores.programme_screen import ProgrammeScreen
from tui.scores.programme_table import ProgrammeTable


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store.init(tmp_path / "store")
    s.add_inspection("bed13", "Bedfordshire", "2013-04")
    fill(s, "bed13", cases=8)
    s.add_inspection("lon14", "London", "2014-01")
    fill(s, "lon14", cases=20, salt="london")
    yield s
    s.close()


def cell(table: ProgrammeTable, row: int, column: int) -> str:
    value = table.get_cell_at(Coordinate(row, column))
    return str(getattr(value, "plain", value)).strip()


async def open_programme(pilot: Any) -> ProgrammeScreen:
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, ScoreOverviewScreen)
                   and pilot.app.screen.scores is not None)
    await pilot.press("p")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, ProgrammeScreen)
                   and pilot.app.screen.programme is not None)
    screen = pilot.app.screen
    assert isinstance(screen, ProgrammeScreen)
    return screen


def app_for(store: Store) -> Any:
    return host_app(store, "bed13", lambda: ScoreOverviewScreen(store, "bed13"))


@sync
async def test_p_compares_inspections_with_both_aggregates(store: Store) -> None:
    expected = programme_scores(store)
    async with app_for(store).run_test(size=(80, 24)) as pilot:
        screen = await open_programme(pilot)
        table = screen.query_one(ProgrammeTable)
        labels = [cell(table, r, 0) for r in range(table.row_count)]
        assert labels == ["▸ Bedfordshire 2013-04", "London 2014-01", POOLED, MEAN]
        columns = [str(c.label) for c in table.ordered_columns]
        assert columns == ["", "Cases", "O1", "O2", "O3", "O4", "O5"]
        for r, row in enumerate(expected.rows()):
            assert cell(table, r, 1) == str(row.cases)
            for c, key in enumerate(columns[2:], start=2):
                assert cell(table, r, c) == pct(row.scores[key])
        # pooled and mean differ here: the inspections differ in size
        assert expected.pooled is not None and expected.mean is not None
        assert expected.pooled.scores != expected.mean.scores
        await pilot.press("c")
        columns = [str(c.label) for c in table.ordered_columns]
        assert columns[2:] == [c.key for c in expected.columns if c.kind == "criterion"]
        assert cell(table, 2, 2) == pct(expected.pooled.scores[columns[2]])


@sync
async def test_m_switches_the_programme_method(store: Store) -> None:
    expected = programme_scores(store, method="criteria")
    async with app_for(store).run_test(size=(80, 24)) as pilot:
        screen = await open_programme(pilot)
        before = screen.programme
        await pilot.press("m")
        await wait_for(pilot, lambda: screen.programme is not before)
        assert screen.programme.method == "criteria"
        table = screen.query_one(ProgrammeTable)
        assert expected.mean is not None
        assert cell(table, 3, 2) == pct(expected.mean.scores["O1"])
        await pilot.press("escape")
        assert isinstance(pilot.app.screen, ScoreOverviewScreen)


@sync
async def test_programme_is_in_the_command_palette(store: Store) -> None:
    async with app_for(store).run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ScoreOverviewScreen))
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"programme")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ProgrammeScreen))


def test_programme_snapshot(store: Store, snap_compare: Any) -> None:
    async def before(pilot: Any) -> None:
        screen = await open_programme(pilot)
        table = screen.query_one(ProgrammeTable)
        # columns are sized when the table is next idle; a busy machine can be slow to idle
        await wait_for(pilot, lambda: table.virtual_size.width > 60)
        await pilot.pause(0.2)

    assert snap_compare(app_for(store), terminal_size=(80, 24), run_before=before)
