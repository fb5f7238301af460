"""At 120 columns the form shows whole section names and answers."""

from __future__ import annotations

import test_tui_app
from test_tui_app import INSPECTION, make_app, settle, sync, wait_for
from test_tui_case_form import open_case
from textual.widgets import OptionList

from store import AnswerInput, Store
from tui.form.question_table import QuestionTable

tui_store = test_tui_app.tui_store


@sync
async def test_section_names_and_answers_whole_at_120_columns(tui_store: Store) -> None:
    tui_store.save_answers(INSPECTION, [AnswerInput("C01", "4.1.01", "late")])
    app = make_app(tui_store)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_case(pilot, "C01")
        assert form.model is not None
        sections = form.query_one("#sections", OptionList)
        shown = [str(sections.get_option_at_index(i).prompt)
                 for i in range(sections.option_count)]
        for section in form.model.sections:
            assert any(p.startswith(section.title) for p in shown), (section.title, shown)
        form.go_to("4.1.01")
        await settle(pilot)
        table = form.query_one("#questions", QuestionTable)
        label = form.model.scale("4.1.01").choice("late").label
        answer = table.columns["answer"]  # type: ignore[index]
        await wait_for(pilot, lambda: answer.width >= len(label))
        screen_text = app.export_screenshot()
        assert label.replace(" ", "&#160;") in screen_text or label in screen_text
