"""The case question form, driven from the keyboard, checked against what the store holds."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import test_tui_app
from test_tui_app import INSPECTION, make_app, settle, sync, wait_for
from textual import events
from textual.pilot import Pilot

from store import AnswerInput, SaveError, Store
from tui.common.case_model import CaseModel
from tui.form.screen import CaseFormScreen

tui_store = test_tui_app.tui_store  # the shared fixture


def stored(store: Store, case_id: str) -> dict[str, str]:
    rows = store.query(
        "SELECT question_id, answer FROM answers_current WHERE case_id = ?", [case_id]
    ).to_pylist()
    return {r["question_id"]: r["answer"] for r in rows}


async def open_case(pilot: Pilot[Any], case_id: str) -> CaseFormScreen:
    app = pilot.app
    await settle(pilot)
    app.push_screen(CaseFormScreen(app.store, INSPECTION, case_id))  # type: ignore[attr-defined]
    await settle(pilot)
    form = app.screen
    assert isinstance(form, CaseFormScreen) and form.model is not None
    return form


async def saved(pilot: Pilot[Any], form: CaseFormScreen) -> None:
    await wait_for(pilot, lambda: form.model is not None and not form.model.unsaved())


@sync
async def test_keys_answer_and_move_to_the_next_open_question(tui_store: Store) -> None:
    app = make_app(tui_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # C01 is first in the list
        await settle(pilot)
        form = app.screen
        assert isinstance(form, CaseFormScreen) and form.model is not None
        expected, qid = {}, form.current_question()
        for key, value in (("y", "yes"), ("n", "no"), ("x", "na")):
            assert qid is not None and form.model.is_open(qid)
            expected[qid] = value
            await pilot.press(key)
            qid = form.current_question()
        assert qid == form.model.next_open(list(expected)[-1])
        await saved(pilot, form)
        assert stored(tui_store, "C01") == expected
        assert form.query_one("#form-title").render().plain.find("3/") > 0  # type: ignore[attr-defined]


@sync
async def test_inapplicable_questions_are_skipped(tui_store: Store) -> None:
    app = make_app(tui_store)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_case(pilot, "C02")  # no pre-sentence report: 1.1.x do not apply
        model = form.model
        assert model is not None
        assert not model.applies["1.1.02"]
        first = form.current_question()
        assert first is not None and model.applies[first]
        assert model.index[first] > model.index["1.1.02"]
        form.go_to("1.1.02")
        await pilot.press("y")  # refused: does not apply
        await settle(pilot)
        assert "1.1.02" not in stored(tui_store, "C02")


@sync
async def test_digits_answer_richer_scales(tui_store: Store) -> None:
    app = make_app(tui_store)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_case(pilot, "C01")
        model = form.model
        assert model is not None
        qid = next(q.id for q in model.order
                   if q.scale == "compliance" and model.applies[q.id])
        form.go_to(qid)
        await pilot.press("3")
        await saved(pilot, form)
        assert stored(tui_store, "C01")[qid] == model.scale(qid).choices[2].value
        await pilot.press("y")  # not a key of this scale if the cursor is on one
        await saved(pilot, form)


@sync
async def test_undo_writes_a_new_event_and_history_keeps_both(tui_store: Store) -> None:
    app = make_app(tui_store)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_case(pilot, "C01")
        qid = form.current_question()
        await pilot.press("y")
        await saved(pilot, form)
        form.go_to(qid)  # type: ignore[arg-type]
        await pilot.press("n")
        await saved(pilot, form)
        await pilot.press("u")
        await saved(pilot, form)
        assert form.current_question() == qid
        assert stored(tui_store, "C01")[qid] == "yes"
        await pilot.press("u")  # and back to unanswered
        await saved(pilot, form)
        assert qid not in stored(tui_store, "C01")
        history = tui_store.query(
            "SELECT new_answer FROM answer_history WHERE case_id = 'C01' AND question_id = ? "
            "ORDER BY saved_at", [qid]).column("new_answer").to_pylist()
        assert history == ["yes", "no", "yes", None]


@sync
async def test_tab_moves_between_sections_and_g_jumps(tui_store: Store) -> None:
    app = make_app(tui_store)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_case(pilot, "C01")
        model = form.model
        assert model is not None and form.section == 0
        await pilot.press("tab")
        assert form.section == 1
        assert model.section_of[form.current_question() or ""] == 1
        await pilot.press("shift+tab", "shift+tab")
        assert form.section == len(model.sections) - 1
        await pilot.press("g")
        await pilot.press(*"2.1.1", "enter")  # tolerant of the missing zero
        await settle(pilot)
        assert form.current_question() == "2.1.01"
        assert form.section == model.section_of["2.1.01"]


@sync
async def test_enter_opens_a_note_saved_with_the_answer(tui_store: Store) -> None:
    app = make_app(tui_store)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_case(pilot, "C01")
        qid = form.current_question()
        await pilot.press("y")
        await saved(pilot, form)
        form.go_to(qid)  # type: ignore[arg-type]
        await pilot.press("enter")
        await pilot.press(*"OASys dated", "ctrl+s")
        await saved(pilot, form)
        row = tui_store.query(
            "SELECT answer, note FROM answers_current WHERE case_id = 'C01' AND question_id = ?",
            [qid]).to_pylist()
        assert row == [{"answer": "yes", "note": "OASys dated"}]


@sync
async def test_editing_details_reevaluates_applicability_at_once(tui_store: Store) -> None:
    from textual.widgets import Select

    app = make_app(tui_store)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_case(pilot, "C02")
        assert form.model is not None and not form.model.applies["1.1.02"]
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("#f--psr", Select).value = "full"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert form.model.applies["1.1.02"]  # before the save has landed
        await settle(pilot)
        psr = tui_store.query("SELECT psr FROM cases WHERE case_id = 'C02'").to_pylist()
        assert psr == [{"psr": "full"}]


@sync
async def test_details_that_fail_to_save_are_undone_on_screen(
    tui_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from textual.widgets import Select

    def disk_full(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    app = make_app(tui_store)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_case(pilot, "C02")
        assert form.model is not None and not form.model.applies["1.1.02"]
        monkeypatch.setattr(tui_store, "save_case", disk_full)
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("#f--psr", Select).value = "full"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert form.model.details.get("psr") != "full"
        assert not form.model.applies["1.1.02"]  # applicability follows the stored details
        assert any("NOT saved" in str(n.message) for n in app._notifications)


@sync
async def test_whole_case_from_the_keyboard_then_complete(tui_store: Store) -> None:
    app = make_app(tui_store)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_case(pilot, "C03")
        model = form.model
        assert model is not None
        await pilot.press("c")  # refused: questions remain
        await settle(pilot)
        assert not form.marked_complete
        # the keys a fast typist would press (first choice each time), worked out on a copy
        copy = CaseModel(model.framework, model.kind, model.details)
        keys, qid = [], copy.next_open(None)
        while qid is not None:
            choice = copy.scale(qid).choices[0]
            copy.set_answer(qid, choice.value, 0, "")
            keys.append(choice.key)
            qid = copy.next_open(qid)
        await pilot.press(*keys[:5])
        for key in keys[5:]:  # as key events in a burst, faster than the screen repaints
            app.post_message(events.Key(key, key))
        await wait_for(pilot, lambda: model.complete_ready() and not model.unsaved(), 30)
        answered, applicable = model.progress()
        assert answered == applicable == len(stored(tui_store, "C03"))
        await pilot.press("c")
        await settle(pilot)
        # a store poll that read the details just before the save may land after it; the
        # next poll brings the mark back, so wait for it rather than assert at once
        await wait_for(pilot, lambda: form.marked_complete)
        row = tui_store.query("SELECT marked_complete FROM cases WHERE case_id = 'C03'")
        assert row.to_pylist() == [{"marked_complete": True}]
        # the store's SQL agrees with the form on what applies, and scores the case
        sql = tui_store.query(
            "SELECT count(*) AS n FROM answers_scored WHERE case_id = 'C03' AND applies"
        ).to_pylist()[0]["n"]
        assert sql == applicable
        outcomes = tui_store.query(
            "SELECT score FROM outcome_scores WHERE inspection_id = ? AND score IS NOT NULL",
            [INSPECTION]).column("score").to_pylist()
        assert outcomes and all(s == 1.0 for s in outcomes)  # every first choice sufficient


@sync
async def test_failed_save_is_shown_kept_and_retried(
    tui_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = tui_store.save_answers
    failures = {"left": 2}

    def flaky(inspection_id: str, answers: list[AnswerInput]) -> Any:
        if failures["left"]:
            failures["left"] -= 1
            raise SaveError("disk full")
        return real(inspection_id, answers)

    monkeypatch.setattr(tui_store, "save_answers", flaky)
    app = make_app(tui_store)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_case(pilot, "C01")
        qid = form.current_question()
        assert qid is not None and form.model is not None
        await pilot.press("y")
        await wait_for(pilot, lambda: form.model.answers[qid].status == "unsaved")  # type: ignore[union-attr]
        assert form.view.rendered[qid][0] == f"!{qid}"
        await wait_for(pilot, lambda: form.model.answers[qid].status == "saved")  # type: ignore[union-attr]
        assert failures["left"] == 0
        assert stored(tui_store, "C01") == {qid: "yes"}


@sync
async def test_another_inspectors_change_appears(tui_store: Store) -> None:
    other = Store.open(tui_store.root)
    other.author = "bob"
    app = make_app(tui_store)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_case(pilot, "C01")
        qid = form.current_question()
        assert qid is not None and form.model is not None
        other.save_answers(INSPECTION, [AnswerInput("C01", qid, "no")])
        await wait_for(pilot, lambda: form.model.answers.get(qid) is not None, timeout=4)  # type: ignore[union-attr]
        state = form.model.answers[qid]
        assert (state.value, state.author, state.changed_by_other) == ("no", "bob", True)
        assert "changed by bob" in str(form.query_one("#guidance").render())
    other.close()


@sync
async def test_interviews_use_the_same_form(tui_store: Store) -> None:
    app = make_app(tui_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("i", "enter")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, CaseFormScreen) and form.case_id == "OM01"
        assert form.model is not None and form.model.kind == "interview"
        qid = form.current_question()
        await pilot.press("y")
        await saved(pilot, form)
        assert stored(tui_store, "OM01") == {qid: "yes"}
        following = form.current_question()
        assert following is not None and form.model.scale(following).id == "yes_no_unsure"
        assert "3 Unsure" in str(form.query_one("#guidance").render())  # u is undo here
        await pilot.press("3")
        await saved(pilot, form)
        assert stored(tui_store, "OM01")[following] == "unsure"
        await pilot.press("escape")
        assert not isinstance(app.screen, CaseFormScreen)


def test_fixture_store_is_small(tui_store: Store) -> None:
    assert Path(tui_store.root, "caseread-store.json").exists()


@sync
async def test_resizing_keeps_the_question(tui_store: Store) -> None:
    app = make_app(tui_store)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_case(pilot, "C01")
        form.go_to("1.1.09")
        await pilot.resize_terminal(120, 40)
        await settle(pilot)
        assert form.current_question() == "1.1.09"
        assert form.view.text_width > 40


@sync
async def test_what_a_loaded_form_holds_is_frozen_for_the_garbage_collector(
        tui_store: Store) -> None:
    """Full collections then skip start-up objects (the periodic keystroke outlier);
    the app gives the collector back as it was when it ends."""
    import gc

    before = gc.get_threshold()
    gc.unfreeze()
    app = make_app(tui_store)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        listed = gc.get_freeze_count()
        assert listed > 0  # the list's rows loaded
        await open_case(pilot, "C01")
        assert gc.get_freeze_count() > listed
        assert gc.get_threshold()[2] > before[2]
    assert gc.get_freeze_count() == 0 and gc.get_threshold() == before


@sync
async def test_compaction_waits_for_a_pause_in_typing(tui_store: Store) -> None:
    """The store's own auto-compaction would start mid-typing and hold the interpreter;
    the app compacts at the same threshold once its saver is idle, then hands it back."""
    events: list[str] = []
    save, compact = tui_store.save_answers, tui_store.compact

    def saving(*args: Any, **kwargs: Any) -> Any:
        events.append(f"save, auto_compact_at={tui_store.auto_compact_at}")
        return save(*args, **kwargs)

    def compacting(*args: Any, **kwargs: Any) -> Any:
        events.append("compact")
        return compact(*args, **kwargs)

    tui_store.save_answers = saving  # type: ignore[method-assign]
    tui_store.compact = compacting  # type: ignore[method-assign]
    tui_store.auto_compact_at = 3
    app = make_app(tui_store)
    async with app.run_test(size=(100, 30)) as pilot:
        form = await open_case(pilot, "C01")
        for _ in range(5):
            await pilot.press("y")
            await saved(pilot, form)
        await wait_for(pilot, lambda: "compact" in events)
        await wait_for(pilot, lambda: len(tui_store.fragment_signature(INSPECTION)[1]) <= 3)
    saves = [e for e in events if e.startswith("save")]
    assert len(saves) >= 2 and set(saves) == {"save, auto_compact_at=None"}
    assert "compact" not in events[:events.index(saves[-1])]
    assert tui_store.auto_compact_at == 3
    assert stored(tui_store, "C01")  # the answers survive compaction
