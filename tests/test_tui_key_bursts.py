"""No key lost while a screen changes: keys typed before the case list is up at launch,
right after Enter on a case (before the form has loaded), after Esc/F2 back to the list,
and after Enter (note) in the form, all land where they were meant to, in order."""

from __future__ import annotations

import time
from typing import Any

import pytest
from test_tui_app import INSPECTION, make_app, settle, sync, wait_for
from test_tui_typed_keys import burst, tui_store  # noqa: F401  (a fixture)
from textual.widgets import Input, TextArea

import tui.app
from store import Store
from tui.cases.case_list import CaseListScreen
from tui.common.case_model import AnswerState
from tui.form.note_modal import NoteModal
from tui.form.screen import CaseFormScreen


def answers(store: Store, case_id: str) -> dict[str, str]:
    rows = store.query("SELECT question_id, answer FROM answers_current "
                       f"WHERE inspection_id = '{INSPECTION}' AND case_id = '{case_id}'")
    return {r["question_id"]: r["answer"] for r in rows.to_pylist()}


def first_open(form: CaseFormScreen, count: int) -> list[str]:
    """The first `count` questions that apply, in the form's order."""
    assert form.model is not None
    return [q.id for q in form.model.order if form.model.applies[q.id]][:count]


@sync
async def test_keys_typed_before_the_case_list_is_up_go_to_it(
        tui_store: Store, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    """At launch with no inspection given, the App reads which to open before it shows the
    case list: keys typed meanwhile (`caseread` then `/R-002` at once) reached Textual's
    default screen and were lost. An Enter typed before the terminal was raw arrives as
    Ctrl+J: it opens the case found."""
    real = tui.app.inspections

    def slow(store: Store) -> Any:
        time.sleep(0.3)
        return real(store)

    monkeypatch.setattr(tui.app, "inspections", slow)
    app = make_app(tui_store, None)
    async with app.run_test(size=(80, 24)) as pilot:
        burst(app, "slash", *"R-002")
        await wait_for(pilot, lambda: isinstance(app.screen, CaseListScreen)
                       and app.screen.loaded)
        await settle(pilot)
        assert app.screen.query_one("#list-filter", Input).value == "R-002"
        assert "1 of 3 cases" in str(app.screen.query_one("#list-title").render())
        burst(app, "ctrl+j")  # after the launch: Ctrl+J is no Enter
        await settle(pilot)
        assert isinstance(app.screen, CaseListScreen)

    app = make_app(tui_store, None)
    async with app.run_test(size=(80, 24)) as pilot:
        burst(app, "slash", *"R-002", "ctrl+j")
        await wait_for(pilot, lambda: isinstance(app.screen, CaseFormScreen)
                       and app.screen.case_id == "C02")


@sync
async def test_a_burst_across_form_list_and_note_lands_in_order(
        tui_store: Store) -> None:  # noqa: F811
    """Enter then answer keys before the form has loaded: they answer its first questions,
    in order. Enter in the form then text: the text is the note, not answers. Esc (or F2),
    a move and Enter at once: the next case opens."""
    app = make_app(tui_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        burst(app, "enter", "y", "y", "n")
        await wait_for(pilot, lambda: isinstance(app.screen, CaseFormScreen)
                       and app.screen.model is not None)
        form = app.screen
        assert isinstance(form, CaseFormScreen)
        first = first_open(form, 4)
        await wait_for(pilot, lambda: len(answers(tui_store, "C01")) == 3)
        assert answers(tui_store, "C01") == dict(zip(first, ["yes", "yes", "no"],
                                                     strict=False))
        assert form.current_question() == first[3]
        burst(app, "enter", *"seen", "ctrl+s")  # Enter in the form: a note
        await wait_for(pilot, lambda: form.model is not None
                       and form.model.answers.get(first[3], AnswerState()).note == "seen")
        assert form.model is not None and form.model.answers[first[3]].value is None
        burst(app, "q", *"why")  # a query's text: not `y` answering the question
        await wait_for(pilot, lambda: isinstance(app.screen, NoteModal)
                       and app.screen.query_one(TextArea).text == "why")
        burst(app, "escape")
        await wait_for(pilot, lambda: app.screen is form)
        assert form.model.answers[first[3]].value is None
        burst(app, "escape", "down", "enter", "y")
        await wait_for(pilot, lambda: isinstance(app.screen, CaseFormScreen)
                       and app.screen.case_id == "C02")
        second = app.screen
        assert isinstance(second, CaseFormScreen)
        await wait_for(pilot, lambda: len(answers(tui_store, "C02")) == 1)
        assert answers(tui_store, "C02") == {first_open(second, 1)[0]: "yes"}
        burst(app, "f2", "down", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, CaseFormScreen)
                       and app.screen.case_id == "C03")
        assert len(answers(tui_store, "C01")) == 3  # nothing else answered on the way
        assert len(answers(tui_store, "C02")) == 1
