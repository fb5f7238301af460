"""Keys of one burst act in the order typed, whatever screen change comes between them:
quit waits behind the answers typed before it, answers typed after `g`/`/` Enter answer the
question gone to, and keys typed back in the case list work the list, not the old filter."""

from __future__ import annotations

from test_tui_app import make_app, settle, sync, wait_for
from test_tui_case_form import open_case
from test_tui_key_bursts import answers, first_open
from test_tui_typed_keys import burst, new_case_form, tui_store  # noqa: F401  (a fixture)
from textual.widgets import DataTable, Input, Select
from textual.widgets._select import SelectOverlay

from store import Store
from tui.cases.case_list import CaseListScreen
from tui.cases.details_modal import CaseDetailsModal
from tui.form.screen import CaseFormScreen
from tui.form.search import matches


@sync
async def test_quit_in_a_burst_waits_for_the_answers_typed_before_it(
        tui_store: Store) -> None:  # noqa: F811
    """`Enter y n Ctrl+Q` in one burst from the case list: the app quit at once (Ctrl+Q was
    never held) and the two answers typed before it were lost without a word. Quit now
    comes after them, so they are saved (and the unsaved-answers guard applies)."""
    app = make_app(tui_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        burst(app, "enter", "y", "n", "ctrl+q")
        await wait_for(pilot, lambda: len(answers(tui_store, "C01")) == 2
                       or not app.is_running, timeout=10)
        assert len(answers(tui_store, "C01")) == 2
        if app.is_running:  # quit came while they were saving: the guard, then quit again
            await pilot.press("ctrl+q")
    assert sorted(answers(tui_store, "C01").values()) == ["no", "yes"]


@sync
async def test_answer_keys_after_goto_or_search_answer_the_question_gone_to(
        tui_store: Store) -> None:  # noqa: F811
    """`g 4.1.02 Enter y` in one burst went to the question but `y` was typed into the
    closing box and lost; the same after `/ words Enter`."""
    app = make_app(tui_store)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_case(pilot, "C01")
        assert form.model is not None
        order = list(form.model.order)
        opens = first_open(form, 12)
        goto, search, last = opens[5], opens[8], opens[10:12]
        assert matches(order, search)[0] == search  # the first found is the one meant
        burst(app, "g", *goto, "enter", "y")
        await wait_for(pilot, lambda: answers(tui_store, "C01").get(goto) == "yes")
        burst(app, "slash", *search, "enter", "n")
        await wait_for(pilot, lambda: answers(tui_store, "C01").get(search) == "no")
        burst(app, "g", *last[0], "enter", "y", "n")  # more than one: in order
        await wait_for(pilot, lambda: len(answers(tui_store, "C01")) == 4)
        assert answers(tui_store, "C01") == {goto: "yes", search: "no", last[0]: "yes",
                                             last[1]: "no"}
        assert app.screen is form


@sync
async def test_back_in_the_case_list_keys_work_the_list_not_the_old_filter(
        tui_store: Store) -> None:  # noqa: F811
    """`/R-002`, Enter, Esc, then `/`: the old filter still had the focus, so `/` was typed
    into it (`R-002/`, no case shown); after F2 `n` went into it too. Back in the list the
    table has the focus; `/` opens the filter with its text selected, so typing replaces it."""
    app = make_app(tui_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        listing = app.screen
        assert isinstance(listing, CaseListScreen)
        box = listing.query_one("#list-filter", Input)
        burst(app, "slash", *"R-002", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, CaseFormScreen)
                       and app.screen.model is not None)
        burst(app, "escape", "slash", *"R-003")
        await wait_for(pilot, lambda: app.screen is listing and box.value == "R-003")
        await settle(pilot)
        assert "1 of 3 cases" in str(listing.query_one("#list-title").render())
        burst(app, "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, CaseFormScreen)
                       and app.screen.case_id == "C03" and app.screen.model is not None)
        burst(app, "f2", "n")
        await wait_for(pilot, lambda: isinstance(app.screen, CaseDetailsModal))
        assert box.value == "R-003"
        assert isinstance(listing.focused, DataTable)


@sync
async def test_a_burst_in_a_dropdown_of_the_case_form_chooses_and_moves_on(
        tui_store: Store) -> None:  # noqa: F811
    """Gender focused, `Enter Down Enter Tab` in one burst: the list opened but Down and
    Enter went to the closed dropdown (it stayed open on "(not set)"). They now wait for
    the list, and Tab for the dropdown to close: Male chosen, the next field focused."""
    app = make_app(tui_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        modal = await new_case_form(pilot)
        gender = modal.query_one("#f--gender", Select)
        gender.focus()
        await pilot.pause()
        burst(app, "enter", "down", "enter", "tab")
        await wait_for(pilot, lambda: gender.value == "male" and not gender.expanded
                       and app.focused is not None and app.focused.id != "f--gender"
                       and not isinstance(app.focused, SelectOverlay))
        assert app.screen is modal


@sync
async def test_quit_asked_while_saving_quits_once_the_answers_are_saved(
        tui_store: Store) -> None:  # noqa: F811
    """The guard said the answers were still being saved, and the app stayed open with
    that message long after they were: now it quits as soon as they are."""
    app = make_app(tui_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        saving = [3]  # the saver reports 3 pending answers until they "land"
        app.saver.pending = lambda: saving[0]  # type: ignore[method-assign]
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert app.is_running
        assert any("still being saved" in str(n.message) for n in app._notifications)
        saving[0] = 0
        await wait_for(pilot, lambda: not app.is_running, timeout=5)
