"""The case form draws every cell whole: at 120x40 whole section names and answers, at
80x24 a cut always shown as one (`…`), never a word or an answer lost at the edge
(issue 12, fault 9: section names and answers cut even at 120 columns)."""

from __future__ import annotations

import test_tui_app
from test_tui_app import INSPECTION, make_app, settle, sync
from test_tui_case_form import open_case
from test_tui_footer_fit import screen_lines
from test_tui_scores_fit import cut_cells
from textual.widgets import OptionList

from store import AnswerInput, Store
from tui.form.question_table import QuestionTable

tui_store = test_tui_app.tui_store


@sync
async def test_form_cells_whole_at_120_and_marked_cuts_at_80(tui_store: Store) -> None:
    tui_store.save_answers(INSPECTION, [AnswerInput("C01", "4.1.01", "late"),
                                        AnswerInput("C01", "1.1.02", "yes")])
    app = make_app(tui_store)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_case(pilot, "C01")
        assert form.model is not None
        label = form.model.scale("4.1.01").choice("late").label  # "Done, but not on time"
        titles = [s.title for s in form.model.sections]
        for size in ((120, 40), (80, 24)):
            await pilot.resize_terminal(*size)
            await settle(pilot)
            form.go_to("4.1.01")
            await settle(pilot)
            await pilot.pause()
            assert cut_cells(app) == [], size  # every cell drawn as the table holds it
            lines = screen_lines(app)
            table = form.query_one("#questions", QuestionTable)
            row = table.get_row("4.1.01")
            answer_line = next(line for line in lines if "4.1.01" in line
                               and line.index("4.1.01") > 20)
            sections = form.query_one("#sections", OptionList)
            shown = [str(sections.get_option_at_index(i).prompt)
                     for i in range(sections.option_count)]
            assert all(p in "\n".join(lines) for p in shown)
            if size[0] >= 120:  # whole section names, whole answers
                assert str(row[2]) == label and label in answer_line
                assert all(any(p.startswith(t) for p in shown) for t in titles), shown
            else:  # cut, and shown to be cut
                assert str(row[2]) in (label, label[:len(str(row[2])) - 1] + "…")
                assert str(row[2]) in answer_line
                assert all(any(p.startswith(t) or p.split("…")[0] and t.startswith(
                    p.split("…")[0]) for p in shown) for t in titles), shown
