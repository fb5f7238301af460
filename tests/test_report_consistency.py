"""The report's consistency section (second readings), Markdown and HTML."""

from __future__ import annotations

from report.gather import gather
from report.html import render as render_html
from report.markdown import render as render_md
from store import AnswerInput, Store
from store.second_reading import save_reading
from tests.conftest import INSPECTION


def _answers(store: Store) -> list[AnswerInput]:
    qids = [q.id for q in store.framework.questions
            if q.kind == "scoring" and q.criterion == "1.1"][:4]
    return [AnswerInput(f"C{i}", q, "yes") for i in range(1, 6) for q in qids]


def test_no_second_readings_no_section(tmp_store: Store) -> None:
    for i in range(1, 6):
        tmp_store.save_case(INSPECTION, f"C{i}", {})
    tmp_store.save_answers(INSPECTION, _answers(tmp_store))
    data = gather(tmp_store, INSPECTION)
    assert data.consistency is None
    assert "Consistency" not in render_md(data) and "Consistency" not in render_html(data)


def test_section_gives_pairs_agreement_and_ac1_by_criterion(tmp_store: Store) -> None:
    for i in range(1, 6):
        tmp_store.save_case(INSPECTION, f"C{i}", {})
    first = _answers(tmp_store)
    tmp_store.save_answers(INSPECTION, first)
    second = [AnswerInput(a.case_id, a.question_id, "no" if n == 0 else "yes")
              for n, a in enumerate(first)]
    save_reading(tmp_store, INSPECTION, 2, second)
    data = gather(tmp_store, INSPECTION)
    c = data.consistency
    assert c is not None and c.cases == 5 and c.overall.pairs == len(first)
    assert [line.criterion_id for line in c.lines] == ["1.1"]
    assert c.overall.agreement == (len(first) - 1) / len(first)
    md = render_md(data)
    assert "## Consistency of judgements" in md
    assert f"| 1.1 | {tmp_store.framework.criterion('1.1').title} | {len(first)} | 95% |" in md
    assert "Gwet's AC1" in md and "Second readings never count" in md
    assert '<section class="consistency">' in render_html(data)
