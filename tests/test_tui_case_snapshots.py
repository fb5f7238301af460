"""Snapshots (80x24) of the case list and the case form on the small test store."""

from __future__ import annotations

from typing import Any

import test_tui_app
from test_tui_app import INSPECTION, make_app, settle
from textual.pilot import Pilot

from store import AnswerInput, Store

tui_store = test_tui_app.tui_store  # the shared fixture


def _answered(store: Store) -> Store:
    store.save_answers(INSPECTION, [AnswerInput("C01", "1.1.02", "yes"),
                                    AnswerInput("C01", "1.1.03", "no")])
    return store


async def _ready(pilot: Pilot[Any]) -> None:
    await settle(pilot)


def test_case_list_snapshot(tui_store: Store, snap_compare: Any) -> None:
    app = make_app(_answered(tui_store))
    assert snap_compare(app, terminal_size=(80, 24), run_before=_ready)


def test_case_form_snapshot(tui_store: Store, snap_compare: Any) -> None:
    app = make_app(_answered(tui_store))

    async def open_and_answer(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("y")
        form = pilot.app.screen
        while form.model.unsaved():  # type: ignore[attr-defined]
            await pilot.pause(0.05)
        await settle(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=open_and_answer)
