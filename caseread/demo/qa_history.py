"""A small quality-assurance history for the demo, so the QA screen has something to show:
the team (a quality lead, six inspectors, two local assessors, and whoever builds the demo
as a second lead, so they can try the lead's keys), every case assigned to its inspector,
one dip sample (seeded), and two queries: one answered and closed after the lead changed
the judgement it was about (the history shows the change as a QA change), one still open.

The demo's figures stay exact: the judgement QA "changes" is one the reader first entered
wrongly after the generated answers were saved; the lead puts back the generated value,
so every current answer is the generator's. Written once (skipped if the inspection
already has QA events)."""

from __future__ import annotations

from caseread.demo.build import DemoData
from store import AnswerInput, Store, qa

QA_LEAD = "QA-LEAD"
ASSESSORS = ("INSP-G", "INSP-H")  # local assessors: dip-sampled at twice the rate
SAMPLE_SEED = 2013


def _role(inspector: str) -> str:
    return "assessor" if inspector in ASSESSORS else "inspector"


def _changed_judgement(store: Store, data: DemoData) -> tuple[str, str, str, str]:
    """(case, question, reader, generated value): the first complete case's first 'yes' on
    a yes/no/n.a. scoring question (deterministic)."""
    fw = store.framework
    for case_id in sorted(data.of_kind("case")):
        if not data.complete.get(case_id):
            continue
        for q in fw.questions:
            if q.kind == "scoring" and q.scale == "yes_no_na" \
                    and data.answers[case_id].get(q.id) == "yes":
                return case_id, q.id, data.inspectors[case_id], "yes"
    raise LookupError("the demo has no complete case with a 'yes' answer")


def write_qa_history(store: Store, data: DemoData) -> None:
    iid = data.inspection_id
    if store.query("SELECT count(*) FROM qa_events WHERE inspection_id = ?",
                   [iid]).column(0)[0].as_py():
        return
    me = store.author
    try:
        store.author = QA_LEAD
        qa.team_add(store, iid, QA_LEAD, "lead", check_user=False)
        if me != QA_LEAD:
            qa.team_add(store, iid, me, "lead", check_user=False)
        for inspector in sorted(set(data.inspectors.values())):
            qa.team_add(store, iid, inspector, _role(inspector), check_user=False)
        by_reader: dict[str, list[str]] = {}
        for case_id in sorted(data.of_kind("case")):
            by_reader.setdefault(data.inspectors[case_id], []).append(case_id)
        for reader, cases in sorted(by_reader.items()):
            qa.assign(store, iid, cases, reader)
        case_id, question, reader, value = _changed_judgement(store, data)
        store.author = reader  # the reader's slip, before any QA
        store.save_answers(iid, [AnswerInput(case_id, question, "no")])
        store.author = QA_LEAD
        sample = qa.draw_sample(store, iid, per_reader=1, seed=SAMPLE_SEED)
        first = qa.open_query(store, iid, case_id, question,
                              "The record shows this was done well: why 'no'?")
        store.author = reader
        qa.respond(store, iid, first, "Agreed, I misread the record.")
        store.author = QA_LEAD
        store.save_answers(iid, [AnswerInput(case_id, question, value)])
        qa.close(store, iid, first, "Changed to yes by QA.")
        other = next(c for _, c in sample.cases if c != case_id)
        target = next(q for q in data.answers[other] if q.startswith("1.1."))
        qa.open_query(store, iid, other, target, "Please add the evidence for this judgement.")
    finally:
        store.author = me
