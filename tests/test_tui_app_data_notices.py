"""What the app must tell about its data: a synthetic inspection (the demo) is labelled on
every screen that names it, and a damaged file the store moved aside is announced."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_tui_app import make_app, settle, sync, wait_for
from textual.widgets import Static

from store import Store


def _store(path: Path, synthetic: bool) -> Store:
    store = Store.init(path)
    store.add_inspection("d1", "Demoshire", "2013-05", label="Demo", synthetic=synthetic)
    store.save_case("d1", "C01", {"case_ref": "R-1", "case_type": "licence", "rosh": "high"})
    return store


def _text(app: object, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())  # type: ignore[attr-defined]


@pytest.mark.parametrize("synthetic", [True, False])
@sync
async def test_case_list_and_scores_say_synthetic(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, synthetic: bool
) -> None:
    monkeypatch.setenv("CASEREAD_CONFIG_DIR", str(tmp_path / "config"))
    store = _store(tmp_path / "s", synthetic)
    app = make_app(store, "d1")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await wait_for(pilot, lambda: "of 1 cases" in _text(app, "#list-title"))
        assert ("SYNTHETIC" in _text(app, "#list-title")) is synthetic
        await pilot.press("f3")
        await settle(pilot)
        await wait_for(pilot, lambda: "cases" in _text(app, "#score-title"))
        assert ("SYNTHETIC" in _text(app, "#score-title")) is synthetic
    store.close()


@sync
async def test_damaged_file_moved_aside_is_shown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CASEREAD_CONFIG_DIR", str(tmp_path / "config"))
    store = _store(tmp_path / "s", synthetic=False)
    app = make_app(store, "d1")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        bad = (store.root / "answers" / "inspection_id=d1"
               / "part-20991231T000000000000-x-1-dead.parquet")
        bad.write_bytes(b"not parquet")
        with pytest.warns(UserWarning):
            store.check()  # what a failing query does: quarantine, recorded in store.problems
        await wait_for(pilot, lambda: any(
            "Damaged file moved aside" in str(n.message) for n in app._notifications
        ))
    store.close()
