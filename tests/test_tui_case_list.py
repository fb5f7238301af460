"""The case list: rows and progress, filter, sort, new case, open, interviews, live updates."""

from __future__ import annotations

from typing import Any

import test_tui_app
from test_tui_app import INSPECTION, make_app, settle, sync, wait_for
from textual.widgets import DataTable, Input, Select

from store import AnswerInput, Store
from tui.cases.case_list import COLUMNS, CaseListScreen
from tui.cases.details_modal import CaseDetailsModal
from tui.form.screen import CaseFormScreen

COLUMN_KEYS = [key for key, _ in COLUMNS]

tui_store = test_tui_app.tui_store  # the shared fixture


def table_rows(screen: Any) -> list[list[str]]:
    table = screen.query_one(DataTable)
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


def refs(screen: Any) -> list[str]:
    return [row[0] for row in table_rows(screen)]


@sync
async def test_rows_show_details_progress_and_status(tui_store: Store) -> None:
    tui_store.save_answers(INSPECTION, [AnswerInput("C02", "2.1.01", "yes")])
    tui_store.save_case(INSPECTION, "C03", {"_complete": "true"})
    app = make_app(tui_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CaseListScreen)
        rows = {r[0]: r for r in table_rows(screen)}
        refs_ = ("R-001", "R-002", "R-003")
        cells = [dict(zip(COLUMN_KEYS, rows[ref], strict=True)) for ref in refs_]
        assert [cells[0][k] for k in ("case_type", "rosh", "om_grade", "office", "inspector")] == [
            "Licence", "High", "PO", "Luton", "alice"]
        assert cells[0]["status"] == "not started"
        assert cells[1]["progress"].startswith("1/") and cells[1]["status"] == "in progress"
        assert cells[2]["status"] == "complete"


@sync
async def test_details_with_brackets_show_as_typed(tui_store: Store) -> None:
    tui_store.save_case(INSPECTION, "C02", {"office": "Luton [/x] [bold]North"})
    app = make_app(tui_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        rows = {r[0]: dict(zip(COLUMN_KEYS, r, strict=True)) for r in table_rows(app.screen)}
        assert rows["R-002"]["office"] == "Luton [/x] [bold]North"  # not read as markup
        await pilot.pause()  # and it renders


@sync
async def test_slash_filters_as_you_type_and_escape_clears(tui_store: Store) -> None:
    app = make_app(tui_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"bedf")
        assert refs(app.screen) == ["R-002", "R-003"]
        await pilot.press("escape")
        assert refs(app.screen) == ["R-001", "R-002", "R-003"]
        assert not app.screen.query_one(Input).display


@sync
async def test_s_sorts_by_each_column_and_r_reverses(tui_store: Store) -> None:
    app = make_app(tui_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        await pilot.press("s")  # type of case, in the framework's order
        assert [r[1] for r in table_rows(screen)] == ["CO", "SSO", "Licence"]
        await pilot.press("s")  # RoSH, in the framework's order, not alphabetical
        assert [r[2] for r in table_rows(screen)] == ["Low", "Medium", "High"]
        await pilot.press("r")
        assert [r[2] for r in table_rows(screen)] == ["High", "Medium", "Low"]


@sync
async def test_n_adds_a_validated_case(tui_store: Store) -> None:
    app = make_app(tui_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, CaseDetailsModal)
        await pilot.press(*"R-004")  # the case reference has the focus
        await pilot.press("ctrl+s")  # refused: required fields missing
        await pilot.pause()
        assert app.screen is modal
        assert "required" in str(modal.query_one("#details-errors").render())
        modal.query_one("#f--case_type", Select).value = "licence"
        modal.query_one("#f--gender", Select).value = "female"
        modal.query_one("#f--offence", Select).value = "robbery"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, CaseDetailsModal)
        await wait_for(pilot, lambda: "R-004" in refs(app.screen))
        row = tui_store.query(
            "SELECT case_ref, case_type, gender, kind FROM cases WHERE case_id = 'C04'"
        ).to_pylist()
        assert row == [{"case_ref": "R-004", "case_type": "licence", "gender": "female",
                        "kind": "case"}]


@sync
async def test_enter_opens_the_case_under_the_cursor(tui_store: Store) -> None:
    app = make_app(tui_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, CaseFormScreen) and app.screen.case_id == "C02"
        await pilot.press("escape")
        assert isinstance(app.screen, CaseListScreen)


@sync
async def test_i_toggles_cases_and_interviews(tui_store: Store) -> None:
    app = make_app(tui_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("i")
        assert refs(app.screen) == ["OM01"]
        await pilot.press("i")
        assert len(refs(app.screen)) == 3


@sync
async def test_another_inspectors_save_appears_without_moving_the_cursor(
    tui_store: Store,
) -> None:
    other = Store.open(tui_store.root)
    other.author = "bob"
    app = make_app(tui_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        await pilot.press("down", "down")
        assert screen.current_case() == "C03"  # type: ignore[attr-defined]
        other.save_answers(INSPECTION, [AnswerInput("C02", "2.1.01", "yes")])
        progress = COLUMN_KEYS.index("progress")
        await wait_for(pilot, lambda: table_rows(screen)[1][progress].startswith("1/"), timeout=3)
        assert screen.current_case() == "C03"  # type: ignore[attr-defined]
    other.close()


@sync
async def test_n_in_interviews_adds_an_interview(tui_store: Store) -> None:
    app = make_app(tui_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("i", "n")
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, CaseDetailsModal) and modal.kind == "interview"
        assert modal.query_one("#f--case_id", Input).value == "OM02"
        await pilot.press(*"Luton", "ctrl+s")  # the office has the focus
        await settle(pilot)
        await wait_for(pilot, lambda: "OM02" in refs(app.screen))
        row = tui_store.query("SELECT kind, office FROM cases WHERE case_id = 'OM02'")
        assert row.to_pylist() == [{"kind": "interview", "office": "Luton"}]


@sync
async def test_the_list_under_an_open_form_does_not_reread_until_shown(
        tui_store: Store) -> None:
    """`Screen.is_current` is also true of the screen just below the top one: the list
    must not re-read the store on every save while the inspector types in a form."""
    app = make_app(tui_store)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CaseListScreen)
        reads: list[str] = []
        screen.reload = lambda: reads.append("read")  # type: ignore[method-assign]
        app.push_screen(CaseFormScreen(tui_store, INSPECTION, "C01"))
        await settle(pilot)
        tui_store.save_answers(INSPECTION, [AnswerInput("C02", "2.1.01", "yes")])
        form = app.screen
        await wait_for(pilot, lambda: form._signature is not None  # type: ignore[attr-defined]
                       and form._signature[1] == tui_store.fragment_signature(INSPECTION))
        await pilot.pause(1.2)  # the list's own poll would have fired by now
        assert reads == []
        app.pop_screen()
        await settle(pilot)
        assert reads  # shown again, it reads at once
