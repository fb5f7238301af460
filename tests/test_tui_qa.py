"""The QA keys and screens, driven by Pilot: case states, reader filters and assignment in
the case list; the lead's QA screen; queries, failed checks and the sign-off lock in the
case form."""

from __future__ import annotations

from typing import Any

import test_tui_app
from test_tui_app import INSPECTION, make_app, settle, sync, wait_for
from textual.pilot import Pilot

from store import AnswerInput, Store, qa, qa_events
from tui.cases.case_list import CaseListScreen
from tui.form.screen import CaseFormScreen
from tui.qa.assign_modal import AssignModal
from tui.qa.screen import QaScreen

tui_store = test_tui_app.tui_store  # the shared fixture


def with_team(store: Store) -> Store:
    """alice (the store's user in these tests) leads; bob reads."""
    qa.team_add(store, INSPECTION, "alice", "lead", check_user=False)
    qa.team_add(store, INSPECTION, "bob", "inspector", check_user=False)
    return store


def list_rows(app: Any) -> dict[str, list[str]]:
    screen = app.screen
    assert isinstance(screen, CaseListScreen)
    return {r.case_id: [str(c) for c in r.cells.values()] + [r.status]
            for r in screen.visible_rows()}


@sync
async def test_case_list_assigns_with_a_and_filters_mine_and_by_reader(tui_store: Store) -> None:
    with_team(tui_store)
    qa.assign(tui_store, INSPECTION, ["C02"], "bob")
    app = make_app(tui_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CaseListScreen)
        assert screen.current_case() == "C01"
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, AssignModal)
        await pilot.press("enter")  # alice is highlighted first
        await settle(pilot)
        await wait_for(pilot, lambda: "alice" in list_rows(app).get("C01", []))
        got = tui_store.query("SELECT case_id, reader, assigned_by FROM assignments "
                              "ORDER BY case_id").to_pylist()
        assert got == [{"case_id": "C01", "reader": "alice", "assigned_by": "alice"},
                       {"case_id": "C02", "reader": "bob", "assigned_by": "alice"}]
        await pilot.press("m")  # C03, unassigned and unanswered, shows its creator: alice
        assert set(list_rows(app)) == {"C01", "C03"}
        assert "(mine)" in str(screen.query_one("#list-title").render())
        await pilot.press("m")
        assert set(list_rows(app)) == {"C01", "C02", "C03"}
        await pilot.press("b")  # first reader: alice
        assert set(list_rows(app)) == {"C01", "C03"}
        await pilot.press("b")  # then bob
        assert set(list_rows(app)) == {"C02"}
        await pilot.press("b")  # then everyone again
        assert len(list_rows(app)) == 3


@sync
async def test_assign_by_a_non_lead_is_refused_in_the_app(tui_store: Store) -> None:
    with_team(tui_store)
    tui_store.author = "bob"
    app = make_app(tui_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert tui_store.query("SELECT * FROM assignments").num_rows == 0
        assert any("only a lead may assign" in n.message for n in app._notifications)


def _qa_history(store: Store) -> str:
    """C01 complete and sampled (with a query on it), C03 marked complete and failing a
    check (RoSH very high without the risk management plan answer; C01, RoSH high, has
    it). C02's RoSH is low."""
    with_team(store)
    qa.assign(store, INSPECTION, ["C01", "C03"], "bob")
    store.save_answers(INSPECTION, [AnswerInput("C01", "1.1.02", "yes"),
                                    AnswerInput("C01", "4.1.14", "yes")])
    store.save_case(INSPECTION, "C01", {"_complete": True})
    qa.draw_sample(store, INSPECTION, per_reader=1, seed=3)
    store.save_case(INSPECTION, "C03", {"rosh": "very_high", "_complete": True})
    return qa.open_query(store, INSPECTION, "C01", "1.1.02", "Is the PSR really sufficient?")


@sync
async def test_qa_screen_shows_progress_sample_queries_checks_and_opens_the_case(
        tui_store: Store) -> None:
    query_id = _qa_history(tui_store)
    app = make_app(tui_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("q")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, QaScreen) and screen.data is not None
        assert [r["reader"] for r in screen.rows["qa-progress"]] == ["bob"]
        assert screen.rows["qa-progress"][0]["sampled"] == 1
        assert [r["case_id"] for r in screen.rows["qa-sample"]] == ["C01"]
        assert [r["query_id"] for r in screen.rows["qa-queries"]] == [query_id]
        assert ("C03", "rosh_high_no_rmp") in {(r["case_id"], r["check_id"])
                                               for r in screen.rows["qa-checks"]}
        assert "(lead)" in str(screen.query_one("#qa-title").render())
        # Tab to the queries table, Enter opens C01 at the queried question
        screen.query_one("#qa-queries").focus()
        await pilot.press("enter")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, CaseFormScreen) and form.case_id == "C01"
        assert form.current_question() == "1.1.02"
        line = str(form.query_one("#form-qa").render())
        assert line.startswith("queried (reader bob)")
        assert "1 open query: 1.1.02 open (alice: Is the PSR really sufficient?)" in line
        await pilot.press("escape")
        await settle(pilot)
        # the failed check opens its case at the check's question
        screen.query_one("#qa-checks").focus()
        await pilot.press("enter")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, CaseFormScreen) and form.case_id == "C03"
        assert form.current_question() == "4.1.14"
        assert "check failed: 4.1.14" in str(form.query_one("#form-qa").render())
        await pilot.press("escape")
        await settle(pilot)
        # Enter on a reader's progress shows their cases in the list
        screen.query_one("#qa-progress").focus()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CaseListScreen)
        assert set(list_rows(app)) == {"C01", "C03"}


async def _open(pilot: Pilot[Any], case_id: str) -> CaseFormScreen:
    app = pilot.app
    await settle(pilot)
    app.push_screen(CaseFormScreen(app.store, INSPECTION, case_id))  # type: ignore[attr-defined]
    await settle(pilot)
    form = app.screen
    assert isinstance(form, CaseFormScreen) and form.model is not None
    return form


@sync
async def test_q_in_the_form_opens_a_query_on_the_focused_answer(tui_store: Store) -> None:
    with_team(tui_store)
    app = make_app(tui_store)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await _open(pilot, "C02")
        qid = form.current_question()
        assert not form.query_one("#form-qa").display
        await pilot.press("q")
        await settle(pilot)
        await pilot.press(*"Why not", "ctrl+s")
        await settle(pilot)
        rows = tui_store.query("SELECT case_id, question_id, opened_by, text, state "
                               "FROM queries").to_pylist()
        assert rows == [{"case_id": "C02", "question_id": qid, "opened_by": "alice",
                         "text": "Why not", "state": "open"}]
        await wait_for(pilot, lambda: form.query_one("#form-qa").display)
        assert "1 open query" in str(form.query_one("#form-qa").render())


@sync
async def test_a_signed_off_case_refuses_answers_in_the_form(tui_store: Store) -> None:
    with_team(tui_store)
    tui_store.save_answers(INSPECTION, [AnswerInput("C02", "1.1.02", "yes")])
    # the lock itself (sign-off rules are tested on the command line)
    qa_events.write(tui_store.layout, "alice", INSPECTION,
                    [{"event": "signoff", "case_id": "C02"}])
    app = make_app(tui_store)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await _open(pilot, "C02")
        await wait_for(pilot, lambda: form.qa_state.signed_off_by == "alice")
        assert "SIGNED OFF by alice" in str(form.query_one("#form-qa").render())
        before = tui_store.query("SELECT count(*) FROM answer_history").column(0)[0].as_py()
        for key in ("y", "n", "q", "c"):
            await pilot.press(key)
        await settle(pilot)
        after = tui_store.query("SELECT count(*) FROM answer_history").column(0)[0].as_py()
        assert after == before
        assert tui_store.query("SELECT * FROM queries").num_rows == 0
        assert any("is signed off" in n.message for n in app._notifications)


@sync
async def test_form_shows_a_contradiction_at_once_and_unanswered_checks_at_completion(
        tui_store: Store) -> None:
    with_team(tui_store)
    # 2.2.17 = no (no non-compliance) but 2.2.22 = yes (enforcement started): contradiction
    tui_store.save_answers(INSPECTION, [AnswerInput("C02", "2.2.17", "yes"),
                                        AnswerInput("C02", "2.2.22", "yes")])
    app = make_app(tui_store)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await _open(pilot, "C01")  # RoSH high, 4.1.14 unanswered, not complete
        await wait_for(pilot, lambda: form._checks is not None)
        assert form.failed_checks() == []
        form.marked_complete = True
        assert [c.id for c in form.failed_checks()] == ["rosh_high_no_rmp"]
        await pilot.press("escape")
        form = await _open(pilot, "C02")
        await wait_for(pilot, lambda: form._checks is not None)
        assert form.failed_checks() == []
        form.go_to("2.2.17")
        await pilot.press("n")  # now it contradicts 2.2.22 = yes
        await settle(pilot)
        assert "enforcement_without_non_compliance" in [c.id for c in form.failed_checks()]
        assert "check failed: 2.2.17" in str(form.query_one("#form-qa").render())


def _answer_all(store: Store, case_id: str) -> None:
    from store.qa_checks import case_unanswered

    fw = store.framework
    while missing := case_unanswered(store, INSPECTION, case_id):
        store.save_answers(INSPECTION, [
            AnswerInput(case_id, q, fw.scale_for(fw.question(q)).choices[0].value)
            for q in missing])


@sync
async def test_lead_keys_on_the_qa_screen_close_accept_and_sign_off(tui_store: Store) -> None:
    query_id = _qa_history(tui_store)
    app = make_app(tui_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("q")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, QaScreen)
        screen.query_one("#qa-sample").focus()
        await pilot.press("s")  # C01: an open query, questions unanswered
        await settle(pilot)
        assert any("C01 cannot be signed off: 1 open query" in n.message
                   for n in app._notifications)
        screen.query_one("#qa-queries").focus()
        await pilot.press("c")
        await settle(pilot)
        assert qa.query(tui_store, INSPECTION, query_id)["state"] == "closed"
        screen.query_one("#qa-checks").focus()
        await pilot.press("x")
        await settle(pilot)
        await pilot.press(*"paper file", "ctrl+s")
        await settle(pilot)
        got = tui_store.query("SELECT case_id, check_id, reason, accepted_by "
                              "FROM check_acceptances").to_pylist()
        assert got == [{"case_id": "C03", "check_id": "rosh_high_no_rmp",
                        "reason": "paper file", "accepted_by": "alice"}]
        await wait_for(pilot, lambda: screen.rows["qa-checks"] == [])
        _answer_all(tui_store, "C01")
        screen.query_one("#qa-sample").focus()
        await pilot.press("s")
        await settle(pilot)
        state = tui_store.query("SELECT state FROM case_status WHERE case_id = 'C01'")
        assert state.column(0).to_pylist() == ["signed off"]


@sync
async def test_q_on_a_queried_question_responds(tui_store: Store) -> None:
    query_id = _qa_history(tui_store)
    tui_store.author = "bob"  # the reader
    app = make_app(tui_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(CaseFormScreen(tui_store, INSPECTION, "C01", question_id="1.1.02"))
        await settle(pilot)
        form = app.screen
        assert isinstance(form, CaseFormScreen)
        await wait_for(pilot, lambda: bool(form.qa_state.queries))
        await pilot.press("q")
        await settle(pilot)
        await pilot.press(*"It is", "ctrl+s")
        await settle(pilot)
        thread = tui_store.query("SELECT step, author, text FROM query_thread WHERE "
                                 "query_id = ? ORDER BY saved_at", [query_id]).to_pylist()
        assert thread[-1] == {"step": "respond", "author": "bob", "text": "It is"}
        assert tui_store.query("SELECT count(*) FROM queries").column(0)[0].as_py() == 1


@sync
async def test_d_draws_a_sample_and_u_unlocks_with_a_reason(tui_store: Store) -> None:
    with_team(tui_store)
    qa.assign(tui_store, INSPECTION, ["C01", "C02"], "bob")
    for case_id in ("C01", "C02", "C03"):
        tui_store.save_case(INSPECTION, case_id, {"_complete": True})
    app = make_app(tui_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("q")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, QaScreen)
        await pilot.press("d")
        await settle(pilot)
        drawn = tui_store.query("SELECT case_id, reader, seed FROM qa_samples "
                                "ORDER BY reader").to_pylist()
        # 10% of each reader's complete cases, at least one: bob's 1 of 2; C03 has no
        # reader (neither assigned nor answered), so it is not in the pool
        assert [r["reader"] for r in drawn] == ["bob"]
        assert any(f"seed {drawn[0]['seed']}" in n.message for n in app._notifications)
        await wait_for(pilot, lambda: len(screen.rows["qa-sample"]) == 1)
        sampled = drawn[0]["case_id"]
        qa_events.write(tui_store.layout, "alice", INSPECTION,
                        [{"event": "signoff", "case_id": sampled}])
        await wait_for(pilot, lambda: screen.rows["qa-sample"][0]["state"] == "signed off")
        screen.query_one("#qa-sample").focus()
        await pilot.press("u")
        await settle(pilot)
        await pilot.press(*"typo", "ctrl+s")
        await settle(pilot)
        got = tui_store.query("SELECT event, reason FROM signoffs ORDER BY saved_at").to_pylist()
        assert got == [{"event": "signoff", "reason": None}, {"event": "unlock", "reason": "typo"}]
