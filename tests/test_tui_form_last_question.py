"""After the last open question the cursor stays; further answer keys of the same burst
must not silently replace the answer just given."""

from __future__ import annotations

import test_tui_app
from test_tui_app import INSPECTION, make_app, settle, sync, wait_for
from test_tui_case_form import open_case
from test_tui_key_bursts import answers
from test_tui_typed_keys import burst

from store import AnswerInput, Store
from tui.common.case_model import CaseModel

tui_store = test_tui_app.tui_store


def all_but_last_two(store: Store, case_id: str) -> list[str]:
    """Answer every applicable question of `case_id` but two yes/no ones near the end
    (whose answers open no other question); returns those two."""
    row = store.query("SELECT * FROM cases WHERE case_id = ?", [case_id]).to_pylist()[0]
    model = CaseModel(store.framework, "case", row)
    given: dict[str, str] = {}
    while (qid := model.next_open(None)) is not None:
        value = model.scale(qid).choices[0].value
        model.set_answer(qid, value, 0, "alice")
        given[qid] = value
    yes_no = [q for q in given if model.choice_for_key(q, "y") and model.choice_for_key(q, "n")]
    for left in zip(yes_no[-2::-1], yes_no[::-1], strict=False):
        check = CaseModel(store.framework, "case", row)
        for qid, value in given.items():
            if qid not in left:
                check.set_answer(qid, value, 0, "alice")
        if {q.id for q in check.order if check.is_open(q.id)} == set(left):
            store.save_answers(INSPECTION, [AnswerInput(case_id, q, v)
                                            for q, v in given.items() if q not in left])
            return list(left)
    raise AssertionError("no two questions to leave open")


@sync
async def test_keys_after_the_last_question_do_not_replace_its_answer(
        tui_store: Store) -> None:
    left = all_but_last_two(tui_store, "C02")
    app = make_app(tui_store)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_case(pilot, "C02")
        assert form.model is not None and form.open_questions() == set(left)
        assert form.current_question() == left[0]
        burst(app, "y", "y", "y", "n")  # the last two, then two keys too many
        await wait_for(pilot, lambda: all(q in answers(tui_store, "C02") for q in left))
        await settle(pilot)
        assert [answers(tui_store, "C02")[q] for q in left] == ["yes", "yes"]
        assert form.current_question() == left[1]
        shown = [n.message for n in app._notifications]
        assert any("key ignored" in m and left[1] in m for m in shown), shown
        burst(app, "up", "down", "n")  # deliberately back onto it: the change is made
        await wait_for(pilot, lambda: answers(tui_store, "C02")[left[1]] == "no")
        burst(app, "u", "y")  # undo, then the key answers it again
        await wait_for(pilot, lambda: answers(tui_store, "C02")[left[1]] == "yes")
