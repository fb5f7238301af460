"""Honest completion: complete means every applicable question is answered, now."""

from __future__ import annotations

from typing import Any

import test_tui_app
from test_tui_app import INSPECTION, make_app, settle, sync, wait_for
from test_tui_case_form import open_case
from textual.pilot import Pilot
from textual.widgets import Select

from store import AnswerInput, Store
from tui.cases.details_modal import CaseDetailsModal
from tui.common.case_model import CaseModel
from tui.form.screen import CaseFormScreen

tui_store = test_tui_app.tui_store


def complete_case(store: Store, case_id: str, details: dict[str, Any]) -> list[str]:
    """Answer every applicable question of `case_id` with its first choice and mark it
    complete; returns the questions answered."""
    store.save_case(INSPECTION, case_id, details)
    row = store.query("SELECT * FROM cases WHERE case_id = ?", [case_id]).to_pylist()[0]
    model = CaseModel(store.framework, "case", row)
    answers: dict[str, str] = {}
    while (qid := model.next_open(None)) is not None:  # answers can open questions
        value = model.scale(qid).choices[0].value
        model.set_answer(qid, value, 0, "alice")
        answers[qid] = value
    store.save_answers(INSPECTION, [AnswerInput(case_id, q, v) for q, v in answers.items()])
    store.save_case(INSPECTION, case_id, {"_complete": True})
    return list(answers)


def title(form: CaseFormScreen) -> str:
    return str(form.query_one("#form-title").render())


def marked(store: Store, case_id: str) -> bool:
    rows = store.query("SELECT marked_complete FROM cases WHERE case_id = ?", [case_id])
    return bool(rows.to_pylist()[0]["marked_complete"])


async def edit_detail(pilot: Pilot[Any], field: str, value: str) -> None:
    await pilot.press("e")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, CaseDetailsModal))
    await settle(pilot)
    pilot.app.screen.query_one(f"#f--{field}", Select).value = value
    await pilot.press("ctrl+s")
    await settle(pilot)


@sync
async def test_a_detail_that_opens_questions_clears_complete_and_goes_to_them(
        tui_store: Store) -> None:
    complete_case(tui_store, "C03", {"mappa_category": "none"})
    app = make_app(tui_store)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_case(pilot, "C03")
        assert form.model is not None and "COMPLETE" in title(form)
        await edit_detail(pilot, "mappa_category", "1")
        await wait_for(pilot, lambda: not marked(tui_store, "C03"))
        assert not form.marked_complete and "COMPLETE" not in title(form)
        opened = [q.id for q in form.model.order if form.model.is_open(q.id)]
        assert opened and form.current_question() == opened[0]
        assert any("No longer complete" in str(n.message) and "MAPPA category" in str(n.message)
                   for n in app._notifications)
        history = tui_store.query(
            "SELECT field, new_value FROM case_history WHERE case_id = 'C03' "
            "AND field IN ('_complete', 'mappa_category') ORDER BY saved_at, field"
        ).to_pylist()
        assert history[-2:] == [{"field": "_complete", "new_value": "false"},
                                {"field": "mappa_category", "new_value": "1"}]


@sync
async def test_changing_an_answer_on_a_complete_case_does_not_advise_c(
        tui_store: Store) -> None:
    answered = complete_case(tui_store, "C03", {})
    app = make_app(tui_store)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_case(pilot, "C03")
        assert form.model is not None and form.marked_complete
        fw = form.model.framework
        in_rules = {q for x in form.model.order if (r := fw.rule_for(x.id)) for q in r.questions}
        plain = next(q for q in answered if q not in in_rules)
        form.go_to(plain)
        await pilot.press("n")
        await settle(pilot)
        assert not any("c marks" in str(n.message) for n in app._notifications)
        assert form.marked_complete and "COMPLETE" in title(form)


@sync
async def test_details_read_before_our_own_save_do_not_undo_it(tui_store: Store) -> None:
    """A store poll that read the case's details just before our 'complete' was saved can
    arrive after it; it must not show the case as not complete again."""
    from tui.form.changes import CaseChanged

    app = make_app(tui_store)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_case(pilot, "C03")
        assert form.model is not None
        stale = dict(form.model.details, marked_complete=False)
        before = form.details_saves
        form.save_details({"_complete": "true"})
        await wait_for(pilot, lambda: form.details_saves > before)
        assert form.marked_complete
        form.post_message(CaseChanged([], stale, before))  # read began before the save ended
        await settle(pilot)
        assert form.marked_complete
