"""Moving round the case form: next/previous unanswered, find by words, go to after a
resize, and a drill-down that opens at the question drilled from."""

from __future__ import annotations

from typing import Any

import test_tui_app
from test_tui_app import INSPECTION, make_app, settle, sync, wait_for
from test_tui_case_form import open_case
from test_tui_footer_fit import screen_lines
from test_tui_typed_keys import burst
from textual.pilot import Pilot

from store import AnswerInput, Store
from tui.form.question_table import QuestionTable
from tui.form.screen import CaseFormScreen
from tui.scores.drilldown import ScoreDrilldownScreen

tui_store = test_tui_app.tui_store


def footer(app: Any) -> str:
    return " ".join(str(k.key_display) + " " + str(k.description)
                    for k in app.screen.query("FooterKey"))


@sync
async def test_brackets_go_to_the_next_and_previous_unanswered(tui_store: Store) -> None:
    app = make_app(tui_store)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_case(pilot, "C01")
        model = form.model
        assert model is not None
        first = form.current_question()
        assert first is not None
        second = model.next_open(first)
        await pilot.press("right_square_bracket")
        assert form.current_question() == second
        await pilot.press("left_square_bracket")
        assert form.current_question() == first
        await wait_for(pilot, lambda: "] Next" in footer(app))


@sync
async def test_slash_finds_a_question_by_words_of_its_text(tui_store: Store) -> None:
    app = make_app(tui_store)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_case(pilot, "C01")
        assert form.model is not None
        target = next(q for q in form.model.order  # a title match ranks first
                      if "accommodation" in f"{q.text} {q.short}".lower())
        burst(app, "slash", *"accommodation", "enter")
        await wait_for(pilot, lambda: form.current_question() == target.id)
        await wait_for(pilot, lambda: "Find" in footer(app))  # the footer recomposes


@sync
async def test_found_questions_at_80_columns_are_cut_at_a_word_with_an_ellipsis(
        tui_store: Store) -> None:
    """A tester saw `ass`, `indiv`, `circumsta`: results cut mid-word, nothing saying so."""
    app = make_app(tui_store)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_case(pilot, "C01")
        assert form.model is not None
        texts = {q.id: q.text for q in form.model.order}
        burst(app, "slash", *"the")
        results = await wait_for_results(pilot, app)
        lines = "\n".join(screen_lines(app))
        cut = 0
        for index in range(results.option_count):
            option = results.get_option_at_index(index)
            shown = str(option.prompt)
            assert option.id is not None and shown.startswith(f"{option.id} ")
            text, whole = shown[len(option.id) + 1:], texts[option.id]
            assert text == whole or (text.endswith("…") and whole.startswith(text[:-1])
                                     and whole[len(text) - 1] in " ,;:-"), shown
            cut += text != whole
            if index < 5:
                assert shown in lines  # on one line, whole as given
        assert cut  # long questions were cut, so the check above checked something


async def wait_for_results(pilot: Pilot[Any], app: Any) -> Any:
    from textual.widgets import OptionList

    await wait_for(pilot, lambda: bool(app.screen.query("#search-results")) and
                   app.screen.query_one("#search-results", OptionList).option_count > 5)
    await pilot.pause()
    return app.screen.query_one("#search-results", OptionList)


@sync
async def test_g_takes_words_too(tui_store: Store) -> None:
    app = make_app(tui_store)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_case(pilot, "C01")
        assert form.model is not None
        target = next(q for q in form.model.order  # a title match ranks first
                      if "accommodation" in f"{q.text} {q.short}".lower())
        burst(app, "g", *"accommodation", "enter")
        await wait_for(pilot, lambda: form.current_question() == target.id)


async def cursor_visible(pilot: Pilot[Any], form: CaseFormScreen) -> bool:
    await settle(pilot)
    table = form.query_one("#questions", QuestionTable)
    row = table.cursor_row + 1  # the header line
    return table.scroll_y <= row < table.scroll_y + table.scrollable_content_region.height


@sync
async def test_g_after_a_resize_scrolls_to_the_question(tui_store: Store) -> None:
    app = make_app(tui_store)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_case(pilot, "C01")
        assert form.model is not None
        questions = form.model.sections[form.section].questions
        await pilot.resize_terminal(120, 40)
        await settle(pilot)
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        for target in (questions[-1].id, questions[0].id, questions[-2].id):
            burst(app, "g", *target, "enter")
            await wait_for(pilot, lambda t=target: form.current_question() == t)  # type: ignore[misc]
            assert await cursor_visible(pilot, form), target


@sync
async def test_drill_down_opens_the_case_at_the_drilled_question(tui_store: Store) -> None:
    tui_store.save_answers(INSPECTION, [AnswerInput("C01", "2.1.05", "yes")])
    app = make_app(tui_store)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.push_screen(ScoreDrilldownScreen(tui_store, INSPECTION, "2.1.05", "title"))
        await settle(pilot)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, CaseFormScreen)
                       and app.screen.model is not None)
        await settle(pilot)
        assert app.screen.current_question() == "2.1.05"  # type: ignore[attr-defined]


@sync
async def test_f_shows_only_the_unanswered_questions(tui_store: Store) -> None:
    tui_store.save_answers(INSPECTION, [AnswerInput("C01", "2.1.02", "yes")])
    app = make_app(tui_store)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_case(pilot, "C01")
        model = form.model
        assert model is not None
        form.go_to("2.1.01")
        await settle(pilot)
        everything = list(form.view.rendered)
        assert "2.1.02" in everything
        await pilot.press("f")
        await settle(pilot)
        shown = list(form.view.rendered)
        assert "2.1.02" not in shown and shown and all(model.is_open(q) for q in shown)
        assert "unanswered only" in str(form.query_one("#form-title").render())
        first = form.current_question()
        await pilot.press("y")  # answered: it goes once the cursor moves on
        await settle(pilot)
        assert first not in form.view.rendered
        assert form.current_question() == model.next_open(first)
        await pilot.press("f")
        await settle(pilot)
        assert list(form.view.rendered) == everything


def test_words_in_a_question_s_title_rank_before_words_in_guidance() -> None:
    """`/ likelihood of reoffending Enter n` took 1.1.03, which has the words only in its
    guidance, before 1.1.05 and 1.1.07 whose titles say them, and changed its answer."""
    from criteria import load_framework
    from tui.form.search import matches

    fw = load_framework()
    found = matches(fw.questions, "likelihood of reoffending")
    in_title = [q.id for q in fw.questions
                if "likelihood of reoffending" in f"{q.text} {q.short}".lower()]
    assert in_title and found[:len(in_title)] == in_title
    assert set(found) > set(in_title)  # the guidance matches still follow
