"""Report preview: sections from report, HTML and Markdown export from a worker."""

from __future__ import annotations

import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_tui_scores_sample import fill, host_app, sync, wait_for
from textual.widgets import Input, Markdown, OptionList, Static

from report import sections
from store import Store
from tui.common.export_modal import ExportModal
from tui.scores.overview import ScoreOverviewScreen
from tui.scores.report_preview import ReportPreviewScreen

INSPECTION = "bed13"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store.init(tmp_path / "store")
    s.add_inspection(INSPECTION, "Bedfordshire", "2013-04")
    fill(s, INSPECTION, cases=8)
    yield s
    s.close()


def status(screen: ReportPreviewScreen) -> str:
    return str(screen.query_one("#report-status", Static).render())


async def open_preview(pilot: Any) -> ReportPreviewScreen:
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, ScoreOverviewScreen)
                   and pilot.app.screen.scores is not None)
    await pilot.press("r")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, ReportPreviewScreen)
                   and bool(pilot.app.screen.sections))
    screen = pilot.app.screen
    assert isinstance(screen, ReportPreviewScreen)
    return screen


def overview(store: Store) -> Any:
    return host_app(store, INSPECTION, lambda: ScoreOverviewScreen(store, INSPECTION))


@sync
async def test_r_previews_the_report_sections(store: Store) -> None:
    expected = sections(store, INSPECTION)
    async with overview(store).run_test(size=(80, 24)) as pilot:
        screen = await open_preview(pilot)
        chooser = screen.query_one("#report-sections", OptionList)
        assert chooser.option_count == len(expected) > 3
        assert [str(chooser.get_option_at_index(i).prompt) for i in range(len(expected))] == [
            s.title for s in expected]
        await pilot.press("down")
        await pilot.pause()
        shown = screen.query_one("#report-markdown", Markdown)
        assert shown.source == expected[1].markdown
        await pilot.press("enter")  # read it at full width
        assert not chooser.display and screen.query_one("#report-scroll").has_focus
        await pilot.press("escape")  # back to the list
        assert chooser.display and chooser.has_focus
        await pilot.press("escape")  # back to the scores
        assert isinstance(pilot.app.screen, ScoreOverviewScreen)


@pytest.mark.parametrize(("name", "start"), [("r.html", "<!doctype html"), ("r.md", "# ")])
def test_e_exports_the_report(store: Store, tmp_path: Path, name: str, start: str) -> None:
    target = tmp_path / name

    @sync
    async def check() -> None:
        async with overview(store).run_test(size=(80, 24)) as pilot:
            screen = await open_preview(pilot)
            await pilot.press("e")
            await wait_for(pilot, lambda: isinstance(pilot.app.screen, ExportModal))
            pilot.app.screen.query_one(Input).value = str(target)
            await pilot.press("enter")
            await wait_for(pilot, lambda: "written to" in status(screen))
            assert str(target) in status(screen)

    check()
    text = target.read_text(encoding="utf-8")
    assert text.lower().startswith(start)
    assert "Bedfordshire" in text
    assert not list(tmp_path.glob(".*.part"))  # written through a temporary name
    # personal data: as private as the store (its mode without execute bits), not 0644
    assert stat.S_IMODE(target.stat().st_mode) == stat.S_IMODE(store.root.stat().st_mode) & 0o666


@sync
async def test_export_refuses_an_unknown_suffix(store: Store, tmp_path: Path) -> None:
    async with overview(store).run_test(size=(80, 24)) as pilot:
        screen = await open_preview(pilot)
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ExportModal))
        pilot.app.screen.query_one(Input).value = str(tmp_path / "report.pdf")
        await pilot.press("enter")
        await wait_for(pilot, lambda: ".html or .md" in status(screen))
    assert not (tmp_path / "report.pdf").exists()
