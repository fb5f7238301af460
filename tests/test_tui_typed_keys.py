"""Forms keep what you typed: errors inside the form, and every key of a burst in the field
that `n`, `/`, `e` or `g` opened, in order."""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Any

import pytest
import test_tui_app
from test_tui_app import INSPECTION, make_app, settle, sync, wait_for
from test_tui_case_form import open_case
from test_tui_launch_snapshot import launch
from textual import events
from textual.pilot import Pilot
from textual.widgets import Input, Select, Static

from store import Store
from tui.app import CasereadApp
from tui.cases.details_modal import CaseDetailsModal
from tui.common.store_opening import OpeningStore

tui_store = test_tui_app.tui_store
NAMES = {" ": "space", ".": "full_stop", "-": "minus"}


def burst(app: Any, *keys: str) -> None:
    """Keys as a terminal delivers a fast typist's burst: all queued before any is handled."""
    for key in keys:
        char = key if len(key) == 1 else None
        app.post_message(events.Key(NAMES.get(key, key), char))


def field(modal: Any, fid: str) -> str | None:
    """The field's text (None while the form is still being built)."""
    found = modal.query(f"#f--{fid}")
    return str(found.first(Input).value) if found else None


def beside(modal: Any, fid: str) -> str:
    widget = modal.query_one(f"#e--{fid}", Static)
    return str(widget.render()) if widget.display else ""


async def fill_required(pilot: Pilot[Any], modal: Any) -> None:
    modal.query_one("#f--case_type", Select).value = "licence"
    modal.query_one("#f--gender", Select).value = "female"
    modal.query_one("#f--offence", Select).value = "robbery"
    await pilot.pause()


async def new_case_form(pilot: Pilot[Any]) -> CaseDetailsModal:
    await pilot.press("n")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, CaseDetailsModal))
    await settle(pilot)
    modal = pilot.app.screen
    assert isinstance(modal, CaseDetailsModal)
    return modal


@sync
async def test_new_case_errors_stay_in_the_form_beside_the_field(tui_store: Store) -> None:
    """Fault 3: an id that exists, an invalid id, a missing inspection: the form stays open
    with everything typed, the problem beside the field; it closes once saved."""
    app = make_app(tui_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        modal = await new_case_form(pilot)
        await pilot.press(*"NEW-REF-1")  # the case reference has the focus
        await fill_required(pilot, modal)
        for bad, problem in (("C01", "already exists"), ("bad id!", "use letters")):
            modal.query_one("#f--case_id", Input).value = bad
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert app.screen is modal
            assert problem in beside(modal, "case_id")
            assert field(modal, "case_ref") == "NEW-REF-1"
        modal.query_one("#f--case_id", Input).value = "C09"
        gone = tui_store.layout.partition("answers", INSPECTION)
        shutil.move(gone, gone.with_name("moved-away"))  # the inspection is gone
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "no inspection" in str(
            modal.query_one("#details-errors").render()))
        assert app.screen is modal and field(modal, "case_ref") == "NEW-REF-1"
        shutil.move(gone.with_name("moved-away"), gone)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen is not modal)
        row = tui_store.query("SELECT case_ref FROM cases WHERE case_id = 'C09'").to_pylist()
        assert row == [{"case_ref": "NEW-REF-1"}]


@sync
async def test_a_burst_after_n_lands_in_the_fields_in_order(
        tui_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Fault 4: `n`, Shift+Tab, `ZZ9` in one burst, while the store is still opening:
    the id is ZZ9 (not the suggested one), the reference untouched."""
    cache = tmp_path / "cache"
    await launch(tui_store.root, cache)
    real_open = OpeningStore._open

    def slow_open(self: OpeningStore) -> Any:
        time.sleep(0.5)
        return real_open(self)

    monkeypatch.setattr(OpeningStore, "_open", slow_open)
    app = CasereadApp(OpeningStore(tui_store.root), INSPECTION, remember=False,
                      snapshots=cache)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        burst(app, "n", "shift+tab", "Z", "Z", "9", "tab", *"R-9")
        await wait_for(pilot, lambda: isinstance(app.screen, CaseDetailsModal), timeout=10)
        modal = app.screen
        await wait_for(pilot, lambda: field(modal, "case_ref") == "R-9")
        assert field(modal, "case_id") == "ZZ9"


@sync
async def test_a_burst_after_slash_fills_the_filter(tui_store: Store) -> None:
    app = make_app(tui_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        burst(app, "slash", *"R-002")
        await settle(pilot)
        box = app.screen.query_one("#list-filter", Input)
        assert box.value == "R-002"
        burst(app, "ctrl+u", *"R-003")
        await settle(pilot)
        assert box.value == "R-003"


@sync
async def test_a_burst_after_g_and_e_lands_in_their_fields(tui_store: Store) -> None:
    app = make_app(tui_store)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_case(pilot, "C01")
        burst(app, "g", *"2.1.05", "enter")
        await wait_for(pilot, lambda: form.current_question() == "2.1.05")
        burst(app, "e", *"R-1X")  # the reference has the focus, its text selected
        await wait_for(pilot, lambda: isinstance(app.screen, CaseDetailsModal))
        await settle(pilot)
        assert field(app.screen, "case_ref") == "R-1X"

