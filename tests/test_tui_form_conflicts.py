"""Two inspectors on one case: a key never replaces an answer its author has not seen."""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

import pytest
import test_tui_app
from test_tui_app import INSPECTION, make_app, settle, sync, wait_for
from test_tui_case_form import open_case, stored
from textual import events

from store import AnswerInput, Store
from tui.common import workers
from tui.form import conflict_handling

tui_store = test_tui_app.tui_store


def history(store: Store, case_id: str, qid: str) -> list[str | None]:
    rows = store.query("SELECT new_answer FROM answer_history WHERE case_id = ? AND "
                       "question_id = ? ORDER BY saved_at", [case_id, qid]).to_pylist()
    return [r["new_answer"] for r in rows]


@pytest.fixture(autouse=True)
def no_poll(monkeypatch: pytest.MonkeyPatch) -> None:
    """The other inspector's save reaches the store but not yet this screen (the race)."""
    monkeypatch.setattr(workers, "POLL_SECONDS", 600.0)


@sync
async def test_a_key_on_an_answer_saved_meanwhile_is_refused_then_replaces_it(
        tui_store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(conflict_handling, "REACTION_SECONDS", 60.0)  # the burst is "fast"
    other = Store.open(tui_store.root)
    app = make_app(tui_store)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_case(pilot, "C01")
        assert form.model is not None
        qid = form.current_question()
        assert qid is not None and form.model.is_open(qid)
        other.save_answers(INSPECTION, [AnswerInput("C01", qid, "yes")])  # A, first
        await pilot.press("n")  # B, not having seen it
        await wait_for(pilot, lambda: form.model.answers[qid].refused is not None)  # type: ignore[union-attr]
        await settle(pilot)
        assert history(tui_store, "C01", qid) == ["yes"]  # nothing replaced unseen
        assert form.current_question() == qid  # the cursor is back on it
        assert form.model.answers[qid].value == "yes"
        assert form.view.rendered[qid][0] == f"?{qid}"
        guidance = str(form.query_one("#guidance").render())
        assert "NOT SAVED" in guidance and "answered yes" in guidance
        await pilot.press("n")  # typed in the same burst: refused too
        await settle(pilot)
        assert history(tui_store, "C01", qid) == ["yes"]
        monkeypatch.setattr(conflict_handling, "REACTION_SECONDS", 0.0)  # time to see it
        await pilot.press("n")  # seen now: the same key again replaces it
        await wait_for(pilot, lambda: stored(tui_store, "C01").get(qid) == "no")
        assert history(tui_store, "C01", qid) == ["yes", "no"]
    other.close()


@sync
async def test_a_burst_over_questions_just_answered_by_another_replaces_none(
        tui_store: Store) -> None:
    """Fault 1: A answers four questions with y; B types nnnn over them before A's saves
    reach B's screen. A's answers stay; B is told and sent back to the first."""
    other = Store.open(tui_store.root)
    app = make_app(tui_store)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_case(pilot, "C01")
        model = form.model
        assert model is not None
        first = form.current_question()
        qids: list[str] = []
        after = None
        for _ in range(4):
            after = model.next_open(after if after is not None else first) if qids else first
            assert after is not None
            qids.append(after)
        other.save_answers(INSPECTION, [AnswerInput("C01", q, "yes") for q in qids])
        for _ in qids:
            await pilot.press("n")
        await wait_for(pilot, lambda: model.answers[qids[0]].refused is not None)
        await wait_for(pilot, lambda: not model.unsaved())
        await settle(pilot)
        assert {q: stored(tui_store, "C01")[q] for q in qids} == dict.fromkeys(qids, "yes")
        assert all(history(tui_store, "C01", q) == ["yes"] for q in qids)
        assert form.current_question() == qids[0]
    other.close()




async def _b_refused(pilot: Any, other: Store) -> tuple[Any, Any, str, float]:
    """C01 open; A (`other`) answers its current question yes first; B's `n` on it is
    refused. Returns the form, its model, the question and when B's key was typed."""
    form = await open_case(pilot, "C01")
    model = form.model
    assert model is not None
    qid = form.current_question()
    assert qid is not None and model.is_open(qid)
    other.save_answers(INSPECTION, [AnswerInput("C01", qid, "yes")])  # A, first
    typed = time.monotonic()
    await pilot.press("n")  # B, refused
    await wait_for(pilot, lambda: model.answers[qid].refused is not None)
    await settle(pilot)
    return form, model, qid, typed


@sync
async def test_type_ahead_after_a_conflict_replaces_nothing_and_is_counted(
        tui_store: Store) -> None:
    """A answers y; B types n and three more n in a burst at 0.15 s. The three were read
    before B could have read the conflict, even when the form handles them later (held by
    the key buffer and replayed, or waiting in the queue): none replaces A's answer, and B
    is told how many were not used.
    A key pressed once the notice was read does replace it."""
    other = Store.open(tui_store.root)
    app = make_app(tui_store)
    async with app.run_test(size=(80, 24)) as pilot:
        form, model, qid, typed = await _b_refused(pilot, other)
        burst = []
        for i in (1, 2, 3):  # read from the terminal 0.15 s apart, right after the first
            key = events.Key("n", "n").set_sender(app)
            key.time = typed + 0.15 * i
            burst.append(key)
        assert app._driver is not None
        app.hold_keys()  # the first two are held by the key buffer (a field opening)...
        for key in burst[:2]:
            app._driver.send_message(key)
        await wait_for(pilot, lambda: len(app._held or []) == 2)
        await asyncio.sleep(0.6)  # ...and handled only now, replayed as new key events
        app.release_keys()
        app._driver.send_message(burst[2])  # the third waited in the queue: handled late
        await wait_for(pilot, lambda: qid not in form.conflict_shown  # (over: a key replaced)
                       or form.conflict_shown[qid].unused == 3)
        await settle(pilot)
        assert history(tui_store, "C01", qid) == ["yes"]  # nothing replaced unseen
        assert model.answers[qid].value == "yes" and form.current_question() == qid
        assert "3 keys typed since not used" in str(form.query_one("#guidance").render())
        told = f"3 keys typed after the conflict on {qid} were not used"
        await wait_for(pilot, lambda: any(told in str(n.message) for n in app._notifications))
        await pilot.press("n")  # read now: the same key again replaces A's answer
        await wait_for(pilot, lambda: stored(tui_store, "C01").get(qid) == "no")
        await wait_for(pilot, lambda: not model.unsaved())
        assert history(tui_store, "C01", qid) == ["yes", "no"]
        assert form.view.rendered[qid][0] == f" {qid}" and form.current_question() != qid
    other.close()


@sync
async def test_a_key_on_another_question_before_the_notice_was_read_is_not_used(
        tui_store: Store) -> None:
    """A answers y; B types n (refused), Down, n at 0.15 s: B meant the first n to move on,
    so the last n would answer the question below the one B meant. Read before B could
    read the notice, it is not used (on any question) and is counted with the others.
    An answer key there read after the notice was readable is saved."""
    other = Store.open(tui_store.root)
    app = make_app(tui_store)
    async with app.run_test(size=(80, 24)) as pilot:
        form, model, qid, typed = await _b_refused(pilot, other)
        assert form.current_question() == qid
        down, n = events.Key("down", None), events.Key("n", "n")
        for i, key in enumerate((down, n), 1):  # read 0.15 s apart, after the first n
            key.set_sender(app)
            key.time = typed + 0.15 * i
        assert app._driver is not None
        app._driver.send_message(down)
        await wait_for(pilot, lambda: form.current_question() != qid)  # navigation moves
        below = form.current_question()
        assert below is not None and model.is_open(below)
        app._driver.send_message(n)
        await wait_for(pilot, lambda: form.conflict_shown[qid].unused == 1)
        await settle(pilot)
        assert stored(tui_store, "C01").get(below) is None  # not used
        assert model.answers.get(below) is None and form.current_question() == below
        told = f"1 key typed after the conflict on {qid} was not used"
        await wait_for(pilot, lambda: any(told in str(n.message) for n in app._notifications))
        await pilot.press("n")  # read now, well after the notice: saved
        await wait_for(pilot, lambda: stored(tui_store, "C01").get(below) == "no")
        assert history(tui_store, "C01", qid) == ["yes"]  # A's answer stands
        assert qid in form.conflict_shown  # a key on it would still replace A's knowingly
    other.close()


@sync
async def test_a_conflict_refused_under_a_modal_is_read_from_when_the_form_is_back(
        tui_store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """B presses n, then g (go to) before the refusal comes: the modal hides the row and
    the status line, so the time to read the conflict starts when the form is back."""
    gate = threading.Event()  # B's save is slow: the refusal comes with the modal up
    save = tui_store.save_answers

    def slow_save(*args: Any, **kw: Any) -> Any:
        gate.wait(10)
        return save(*args, **kw)

    other = Store.open(tui_store.root)
    app = make_app(tui_store)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_case(pilot, "C01")
        model = form.model
        assert model is not None
        qid = form.current_question()
        assert qid is not None
        other.save_answers(INSPECTION, [AnswerInput("C01", qid, "yes")])  # A, first
        monkeypatch.setattr(tui_store, "save_answers", slow_save)
        await pilot.press("n", "g")
        await wait_for(pilot, lambda: app.screen is not form)
        gate.set()
        await wait_for(pilot, lambda: model.answers[qid].refused is not None)
        await pilot.pause(0.1)
        assert form.conflict_shown[qid].drawn is None  # not on screen yet
        back = time.monotonic()
        await pilot.press("escape")
        await wait_for(pilot, lambda: form.conflict_shown[qid].drawn is not None)
        assert form.conflict_shown[qid].drawn >= back  # type: ignore[operator]
        assert history(tui_store, "C01", qid) == ["yes"]
    other.close()
