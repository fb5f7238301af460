"""The case form as a blind second reading: the assigned reader sees no reading 1 until
they mark their reading complete; their answers go to reading 2, never to the scores."""

from __future__ import annotations

from typing import Any

import test_tui_app
from test_tui_app import INSPECTION, make_app, settle, sync, wait_for

from store import AnswerInput, Store
from store.second_reading import assign_reading, save_reading
from tui.form.screen import CaseFormScreen
from tui.form.view import ANSWER_KEYS

tui_store = test_tui_app.tui_store  # the shared fixture (author "alice")


def _first_reading(store: Store) -> dict[str, str]:
    """Reading 1 of C01 by bob: 'no' to every yes/no/na scoring question."""
    store.author = "bob"
    fw = store.framework
    qids = [q.id for q in fw.questions if q.kind == "scoring" and q.scale == "yes_no_na"]
    store.save_answers(INSPECTION, [AnswerInput("C01", q, "no") for q in qids])
    store.author = "alice"
    assign_reading(store, INSPECTION, "C01", "alice")
    return {q: "no" for q in qids}


async def _open_c01(pilot: Any) -> CaseFormScreen:
    await settle(pilot)
    await pilot.press("enter")  # C01 is first in the list
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, CaseFormScreen)
                   and pilot.app.screen.model is not None)
    await settle(pilot)
    form = pilot.app.screen
    assert isinstance(form, CaseFormScreen)
    return form


def _text(form: CaseFormScreen, selector: str) -> str:
    return str(form.query_one(selector).render().plain)  # type: ignore[attr-defined]


@sync
async def test_the_assigned_reader_answers_blind_into_reading_two(tui_store: Store) -> None:
    first = _first_reading(tui_store)
    scores = tui_store.scores(INSPECTION).to_json()
    async with make_app(tui_store).run_test(size=(80, 24)) as pilot:
        form = await _open_c01(pilot)
        assert form.reading == 2 and "READING 2 (blind)" in _text(form, "#form-title")
        assert form.model is not None and not any(
            s.value for s in form.model.answers.values())  # nothing of reading 1
        assert "Reading 1" not in _text(form, "#guidance")
        qid = form.current_question()
        await pilot.press("y")
        await wait_for(pilot, lambda: form.model is not None and not form.model.unsaved())
    got = tui_store.query("SELECT reading, answer FROM readings WHERE case_id = 'C01' AND "
                          "question_id = ? ORDER BY reading", [qid]).to_pylist()
    assert got == [{"reading": 1, "answer": first[qid]}, {"reading": 2, "answer": "yes"}]
    assert tui_store.scores(INSPECTION).to_json() == scores


@sync
async def test_completing_the_reading_shows_reading_one(tui_store: Store) -> None:
    _first_reading(tui_store)
    async with make_app(tui_store).run_test(size=(80, 24)) as pilot:
        form = await _open_c01(pilot)
        assert form.model is not None
        fw = tui_store.framework
        open_ids = [q.id for q in form.model.order if form.model.is_open(q.id)]
        save_reading(tui_store, INSPECTION, 2, [
            AnswerInput("C01", q, fw.scale_for(fw.question(q)).choices[0].value)
            for q in open_ids[1:]])
        await pilot.press("escape")
        form = await _open_c01(pilot)
        first_open = form.current_question()
        assert first_open == open_ids[0]
        model = form.model
        assert model is not None
        for _ in range(200):  # answers can open follow-up questions: answer until none is open
            qid = model.next_open(None)
            if qid is None:
                break
            form.go_to(qid)
            await pilot.press(model.keys_for(qid, ANSWER_KEYS)[0][0])
        assert model.complete_ready()
        await wait_for(pilot, lambda: not model.unsaved())
        await pilot.press("c")
        await wait_for(pilot, lambda: form.reading_mode is not None
                       and form.reading_mode.complete, timeout=10)
        await settle(pilot)
        form.go_to(first_open)
        await pilot.pause()
        assert "complete: reading 1 shown" in _text(form, "#form-title")
        assert "Reading 1: no (bob)" in _text(form, "#guidance")
    done = tui_store.query("SELECT complete FROM reading_assignments "
                           "WHERE case_id = 'C01'").to_pylist()
    assert done == [{"complete": True}]


@sync
async def test_others_open_the_case_as_reading_one(tui_store: Store) -> None:
    _first_reading(tui_store)
    tui_store.author = "carol"  # not the assigned reader
    async with make_app(tui_store).run_test(size=(80, 24)) as pilot:
        form = await _open_c01(pilot)
        assert form.reading == 1 and "READING" not in _text(form, "#form-title")
        assert form.model is not None and any(s.value == "no" for s in form.model.answers.values())
