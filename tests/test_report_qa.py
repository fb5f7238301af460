"""The report's quality-assurance section, from a small QA history made here."""

from __future__ import annotations

from report import build_report  # noqa: F401  (the package's public entry must still import)
from report.gather import gather
from report.markdown import render
from store import AnswerInput, Store, qa

INSPECTION = "bed13"


def _case(store: Store, case_id: str) -> None:
    store.save_case(INSPECTION, case_id, {"case_ref": case_id, "case_type": "licence",
                                         "gender": "male", "rosh": "low"})


def test_no_qa_history_no_section(tmp_store: Store) -> None:
    _case(tmp_store, "C1")
    data = gather(tmp_store, INSPECTION)
    assert data.qa is None
    assert "Quality assurance" not in render(data)


def test_section_counts_samples_queries_changes_and_signoffs(tmp_store: Store) -> None:
    s = tmp_store
    s.author = "lee"
    qa.team_add(s, INSPECTION, "lee", "lead", check_user=False)
    qa.team_add(s, INSPECTION, "ann", "inspector", check_user=False)
    qa.team_add(s, INSPECTION, "bob", "assessor", check_user=False)
    for c in ("C1", "C2", "C3", "C4"):
        _case(s, c)
        s.save_answers(INSPECTION, [AnswerInput(c, "1.1.02", "yes")])
        s.save_case(INSPECTION, c, {"_complete": True})
    qa.assign(s, INSPECTION, ["C1", "C2"], "ann")
    qa.assign(s, INSPECTION, ["C3", "C4"], "bob")
    sample = qa.draw_sample(s, INSPECTION, per_reader=1, seed=11)
    bob_sampled = [c for r, c in sample.cases if r == "bob"]
    assert len(bob_sampled) == 2  # assessor at twice the rate
    first = qa.open_query(s, INSPECTION, bob_sampled[0], "1.1.02", "sure?")
    qa.open_query(s, INSPECTION, bob_sampled[1], "1.1.02", "and this?")
    qa.close(s, INSPECTION, first)
    s.save_answers(INSPECTION, [AnswerInput(bob_sampled[0], "1.1.02", "no")])  # QA change
    s.save_answers(INSPECTION, [AnswerInput(bob_sampled[0], "1.1.02", "no")])  # same: no change
    from store import qa_events

    qa_events.write(s.layout, "lee", INSPECTION, [{"event": "signoff", "case_id": "C1"}])
    data = gather(s, INSPECTION)
    q = data.qa
    assert q is not None
    assert (q.cases, q.sampled, q.queries, q.queries_closed, q.changed, q.signed_off) == \
        (4, 3, 2, 1, 1, 1)
    by = {r.reader: r for r in q.readers}
    assert (by["ann"].role, by["ann"].sampled, by["ann"].queries, by["ann"].changed) == \
        ("inspector", 1, 0, 0)
    assert (by["bob"].role, by["bob"].sampled, by["bob"].queries, by["bob"].changed) == \
        ("assessor", 2, 2, 1)
    text = render(data)
    assert "## Quality assurance" in text
    assert "3 of 4 cases were dip-sampled" in text and "1 of 4 cases (25%) are signed off" in text
    assert "| bob | assessor | 2 | 2 | 100% | 2 | 1 |" in text
    from report.html import render as render_html

    assert "<h2>Quality assurance</h2>" in render_html(data)
