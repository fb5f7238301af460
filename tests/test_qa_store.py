"""The QA rules in the store itself: the save path refuses signed-off cases (whatever calls
it), the QA views are in views.sql and documented, lead events need a lead."""

from __future__ import annotations

import os
import re
from pathlib import Path

import duckdb
import pytest

from store import AnswerInput, Store, qa, qa_events
from store.qa import QaRefused
from store.qa_lock import CaseLocked
from store.qa_views import definitions

INSPECTION = "bed13"
DOCS = Path(__file__).parent.parent / "docs" / "store.md"


def _signoff(store: Store, case_id: str) -> None:
    qa_events.write(store.layout, store.author, INSPECTION,
                    [{"event": "signoff", "case_id": case_id}])


def test_save_answers_and_save_case_refuse_a_signed_off_case(tmp_store: Store) -> None:
    s = tmp_store
    s.save_case(INSPECTION, "C1", {"case_ref": "C1", "case_type": "licence", "gender": "male"})
    s.save_answers(INSPECTION, [AnswerInput("C1", "1.1.02", "yes")])
    _signoff(s, "C1")
    with pytest.raises(CaseLocked, match="case C1 is signed off"):
        s.save_answers(INSPECTION, [AnswerInput("C1", "1.1.02", "no")])
    with pytest.raises(CaseLocked, match="case C1 is signed off"):  # one locked case: none saved
        s.save_answers(INSPECTION, [AnswerInput("C2", "1.1.02", "no"),
                                    AnswerInput("C1", "1.1.03", "no")])
    with pytest.raises(CaseLocked):
        s.save_case(INSPECTION, "C1", {"_complete": True})
    rows = s.query("SELECT case_id, answer FROM answers_current").to_pylist()
    assert rows == [{"case_id": "C1", "answer": "yes"}]
    qa_events.write(s.layout, s.author, INSPECTION,
                    [{"event": "unlock", "case_id": "C1", "text": "typo"}])
    s.save_answers(INSPECTION, [AnswerInput("C1", "1.1.02", "no")])  # unlocked: saves again
    other = Store.open(s.root)  # another process's view of the same store
    _signoff(other, "C1")
    with pytest.raises(CaseLocked):  # the first store sees the new sign-off at once
        s.save_answers(INSPECTION, [AnswerInput("C1", "1.1.02", "yes")])


def test_lead_operations_need_a_lead(tmp_store: Store) -> None:
    s = tmp_store
    s.save_case(INSPECTION, "C1", {"case_ref": "C1", "case_type": "licence", "gender": "male"})
    with pytest.raises(QaRefused, match="has no lead yet"):
        qa.team_add(s, INSPECTION, "ann", "inspector", check_user=False)
    with pytest.raises(QaRefused, match="only a lead may assign"):
        qa.assign(s, INSPECTION, ["C1"], "ann")
    qa.team_add(s, INSPECTION, s.author, "lead", check_user=False)
    qa.team_add(s, INSPECTION, "ann", "inspector", check_user=False)
    s.author = "ann"
    for attempt in (lambda: qa.assign(s, INSPECTION, ["C1"], "ann"),
                    lambda: qa.draw_sample(s, INSPECTION, seed=1),
                    lambda: qa.signoff(s, INSPECTION, "C1"),
                    lambda: qa.unlock(s, INSPECTION, "C1", "x"),
                    lambda: qa.accept_check(s, INSPECTION, "C1", "x", "y"),
                    lambda: qa.team_add(s, INSPECTION, "ann", "lead", check_user=False)):
        with pytest.raises(QaRefused, match="only a lead may .*: ann is an inspector"):
            attempt()
    qid = qa.open_query(s, INSPECTION, "C1", "1.1.02", "why?")  # anyone may query
    with pytest.raises(QaRefused, match="only a lead may close"):
        qa.close(s, INSPECTION, qid)


def test_qa_views_are_in_views_sql_and_work_from_inside_the_store(tmp_store: Store) -> None:
    text = (tmp_store.root / "views.sql").read_text()
    names = [name for name, _ in definitions(lambda kind: kind)]
    for name in names:
        assert f"CREATE OR REPLACE VIEW {name} AS" in text
    here = os.getcwd()
    os.chdir(tmp_store.root)
    try:
        con = duckdb.connect()
        con.execute(text)
        assert con.execute("SELECT count(*) FROM case_status").fetchone() == (0,)
    finally:
        os.chdir(here)


def test_every_qa_view_is_documented() -> None:
    doc = DOCS.read_text()
    documented = set(re.findall(r"^\| `([a-z_]+)`", doc, re.MULTILINE))
    for name, _ in definitions(lambda kind: kind):
        assert name in documented, f"view {name} missing from docs/store.md"
