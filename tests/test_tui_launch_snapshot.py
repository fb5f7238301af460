"""Launch: the case list shown from a snapshot before the store opens, and never stale."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest
import test_tui_app
from test_tui_app import INSPECTION, settle, sync, wait_for
from textual.widgets import DataTable

from store import AnswerInput, Store
from tui.app import CasereadApp
from tui.cases import list_snapshot
from tui.cases.case_list import CaseListScreen
from tui.common import config as user_config
from tui.common.store_opening import OpeningStore

tui_store = test_tui_app.tui_store  # the shared fixture


def progress(app: Any) -> dict[str, str]:
    """Case id -> progress cell of the case list."""
    table = app.screen.query_one(DataTable)
    return {str(key.value): str(table.get_cell(key, "progress")) for key in table.rows}


async def launch(store_dir: Path, cache: Path, **kw: Any) -> dict[str, str]:
    """Run the app as `run_app` does until the list has rows from the store; its progress."""
    app = CasereadApp(OpeningStore(store_dir), INSPECTION, remember=False, snapshots=cache, **kw)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: app.store.is_open and not app.workers)
        await settle(pilot)
        return progress(app)


def test_signature_is_the_stores(tui_store: Store) -> None:
    tui_store.save_answers(INSPECTION, [AnswerInput("C01", "2.1.01", "yes")])
    assert list_snapshot.fragment_signature(tui_store.root, INSPECTION) == \
        tui_store.fragment_signature(INSPECTION)


@sync
async def test_repeat_launch_shows_the_list_before_the_store_opens(
        tui_store: Store, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    tui_store.save_answers(INSPECTION, [AnswerInput("C01", "2.1.01", "yes")])
    first = await launch(tui_store.root, cache)
    assert first["C01"].startswith("1/")
    opening = OpeningStore(tui_store.root)
    app = CasereadApp(opening, INSPECTION, remember=False, snapshots=cache)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, CaseListScreen) and screen.loaded
        assert progress(app) == first and not opening.is_open  # shown without the store
        await wait_for(pilot, lambda: opening.is_open and not app.workers)  # then read
        await settle(pilot)
        assert progress(app) == first


@sync
async def test_a_changed_store_is_never_shown_from_the_snapshot(
        tui_store: Store, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    await launch(tui_store.root, cache)
    tui_store.save_answers(INSPECTION, [AnswerInput("C02", "2.1.01", "yes")])
    assert list_snapshot.read(cache, tui_store.root, INSPECTION) is None
    opening = OpeningStore(tui_store.root)
    app = CasereadApp(opening, INSPECTION, remember=False, snapshots=cache)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: app.screen.loaded)  # type: ignore[attr-defined]
        assert progress(app)["C02"].startswith("1/")  # the first rows shown are current
        await wait_for(pilot, lambda: not app.workers)  # the snapshot is written last
    assert list_snapshot.read(cache, tui_store.root, INSPECTION) is not None  # rewritten


@sync
async def test_after_the_app_closes_a_stale_snapshot_is_brought_up_to_date(
        tui_store: Store, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    await launch(tui_store.root, cache)
    tui_store.save_answers(INSPECTION, [AnswerInput("C02", "2.1.01", "yes")])  # then quit
    assert list_snapshot.read(cache, tui_store.root, INSPECTION) is None
    assert list_snapshot.bring_up_to_date(cache, tui_store, INSPECTION)
    snapshot = list_snapshot.read(cache, tui_store.root, INSPECTION)
    assert snapshot is not None
    assert next(r for r in snapshot.rows if r.case_id == "C02").answered == 1
    assert not list_snapshot.bring_up_to_date(cache, tui_store, INSPECTION)  # already current


@sync
async def test_the_real_read_replaces_snapshot_rows_that_differ(
        tui_store: Store, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    await launch(tui_store.root, cache)
    snap = list_snapshot.read(cache, tui_store.root, INSPECTION)
    assert snap is not None
    wrong = [dataclasses.replace(r, answered=99) for r in snap.rows]
    list_snapshot.write(cache, tui_store.root, INSPECTION, snap.signature, wrong, False)
    app = CasereadApp(OpeningStore(tui_store.root), INSPECTION, remember=False,
                      snapshots=cache)
    async with app.run_test(size=(100, 30)) as pilot:
        assert progress(app)["C01"].startswith("99/")  # what the snapshot said, at once
        await wait_for(pilot, lambda: not progress(app)["C01"].startswith("99/"))
        assert progress(app)["C01"].startswith("0/")


@sync
async def test_the_last_inspection_opens_from_its_snapshot(
        tui_store: Store, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    await launch(tui_store.root, cache)
    user_config.remember_inspection(tui_store.root, INSPECTION)  # config dir: the fixture's
    opening = OpeningStore(tui_store.root)
    app = CasereadApp(opening, None, snapshots=cache)
    async with app.run_test(size=(100, 30)):
        assert app.inspection_id == INSPECTION and not opening.is_open
        assert set(progress(app)) == {"C01", "C02", "C03"}


@pytest.mark.parametrize("damage", [
    "not json", '{"format": 1}', "[]", "null",
    '{"format": 1, "rows": [{"case_id": 3}], "signature": 5}',
])
def test_a_damaged_snapshot_is_ignored(tui_store: Store, tmp_path: Path, damage: str) -> None:
    cache = tmp_path / "cache"
    path = list_snapshot.snapshot_path(cache, tui_store.root, INSPECTION)
    path.parent.mkdir(parents=True)
    path.write_text(damage)
    assert list_snapshot.read(cache, tui_store.root, INSPECTION) is None


def test_rows_that_do_not_fit_are_ignored(tui_store: Store, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    sig = list_snapshot.fragment_signature(tui_store.root, INSPECTION)
    list_snapshot.write(cache, tui_store.root, INSPECTION, sig, [], False)
    path = list_snapshot.snapshot_path(cache, tui_store.root, INSPECTION)
    assert list_snapshot.read(cache, tui_store.root, INSPECTION) is not None
    data = json.loads(path.read_text())
    data["rows"] = [{"case_id": "C01", "colour": "red"}]
    path.write_text(json.dumps(data))
    assert list_snapshot.read(cache, tui_store.root, INSPECTION) is None
    data["rows"], data["stamp"] = [], "other code"
    path.write_text(json.dumps(data))
    assert list_snapshot.read(cache, tui_store.root, INSPECTION) is None


@sync
async def test_a_damaged_snapshot_still_launches_from_the_store(
        tui_store: Store, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    path = list_snapshot.snapshot_path(cache, tui_store.root, INSPECTION)
    path.parent.mkdir(parents=True)
    path.write_text("{")
    assert set(await launch(tui_store.root, cache)) == {"C01", "C02", "C03"}


@sync
async def test_not_a_store_ends_the_app_with_an_error(tmp_path: Path) -> None:
    opening = OpeningStore(tmp_path)
    app = CasereadApp(opening, None, remember=False, snapshots=tmp_path / "cache")
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: app.return_code is not None)
    assert app.return_code == 1 and "not a caseread store" in str(opening.error)


@sync
async def test_new_case_before_the_store_opens_does_not_block_the_screen(
        tui_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import threading
    import time

    from tui.cases.details_modal import CaseDetailsModal

    cache = tmp_path / "cache"
    await launch(tui_store.root, cache)
    real_open = OpeningStore._open
    opened_in: list[str] = []

    def slow_open(self: OpeningStore) -> Any:
        opened_in.append(threading.current_thread().name)
        time.sleep(0.3)
        return real_open(self)

    monkeypatch.setattr(OpeningStore, "_open", slow_open)
    app = CasereadApp(OpeningStore(tui_store.root), INSPECTION, remember=False,
                      snapshots=cache)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, CaseDetailsModal), timeout=10)
        await wait_for(pilot, lambda: str(getattr(app.focused, "id", "")).startswith("f--"))
        await pilot.press("escape")  # a form ready to type in, closed before the app ends
    assert opened_in and threading.main_thread().name not in opened_in


def test_snapshot_code_stamp_names_files_that_exist() -> None:
    """The stamp hashes the files that make rows; a moved file must not drop out silently."""
    root = Path(list_snapshot.__file__).resolve().parents[1]
    missing = [name for name in list_snapshot.ROW_CODE if not (root / name).is_file()]
    assert missing == []
