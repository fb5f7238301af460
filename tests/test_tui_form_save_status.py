"""The form's status line follows a save to the end: "saving..." turns into "Saved." as
soon as the store has it, for the question just answered and for any other shown."""

from __future__ import annotations

import threading
from typing import Any

import pytest
import test_tui_app
from test_tui_app import INSPECTION, make_app, sync, wait_for
from test_tui_case_form import open_case, stored

from store import AnswerInput, Store
from tui.app import framework_of
from tui.common.case_model import CaseModel
from tui.common.store_reads import load_case
from tui.form.screen import CaseFormScreen

tui_store = test_tui_app.tui_store


def answers_leaving_two(store: Store, case_id: str) -> tuple[list[AnswerInput], str, str]:
    """Answers (first choice each) to every question but two neighbours of one section
    that always apply, and those two: the last open questions of the case."""
    loaded = load_case(store, INSPECTION, case_id)
    model = CaseModel(framework_of(store), loaded.kind, loaded.details)
    rule_for, order = model.framework.rule_for, model.order
    first, last = next((a.id, b.id) for a, b in zip(order[-2::-1], order[::-1], strict=False)
                       if rule_for(a.id) is None and rule_for(b.id) is None
                       and model.section_of[a.id] == model.section_of[b.id])
    chosen: dict[str, str] = {}
    while open_ := [q.id for q in order if model.is_open(q.id) and q.id not in (first, last)]:
        for qid in open_:  # answers may open questions: again until none is left
            chosen[qid] = model.scale(qid).choices[0].value
            model.set_answer(qid, chosen[qid], 0, "bob")
    return [AnswerInput(case_id, q, v) for q, v in chosen.items()], first, last


def status(form: CaseFormScreen) -> str:
    return str(form.query_one("#guidance").render())


@sync
async def test_saving_turns_into_saved_on_the_question_shown(
        tui_store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    gate = threading.Event()  # the store is slow: the confirmation comes after the repaint
    save = tui_store.save_answers

    def slow_save(*args: Any, **kw: Any) -> Any:
        gate.wait(10)
        return save(*args, **kw)

    answers, first, last = answers_leaving_two(tui_store, "C01")
    tui_store.save_answers(INSPECTION, answers)
    app = make_app(tui_store)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_case(pilot, "C01")
        model = form.model
        assert model is not None
        assert form.current_question() == first
        monkeypatch.setattr(tui_store, "save_answers", slow_save)
        await pilot.press("y")  # moves on to the last open question
        assert form.current_question() == last
        await pilot.press("up")  # back on the first while its save is under way
        assert form.current_question() == first and "saving..." in status(form)
        gate.set()
        await wait_for(pilot, lambda: not model.unsaved())
        await pilot.pause()
        assert "Saved. Last answered by" in status(form), status(form)

        gate.clear()
        await pilot.press("down", "y")  # the last open question: the cursor stays on it
        assert form.current_question() == last and "saving..." in status(form), status(form)
        gate.set()
        await wait_for(pilot, lambda: not model.unsaved())
        await pilot.pause()
        assert stored(tui_store, "C01").get(last) is not None
        assert "saving" not in str(form.query_one("#form-title").render())
        assert "Saved. Last answered by" in status(form), status(form)
