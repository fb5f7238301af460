"""Read every figure of an inspection report from the store's views.

Nothing is counted by hand here: scores come from `Store.scores()` (the same SQL as the
`outcome_scores`, `criterion_scores` and `question_scores` views, over one inspection's
files), breakdowns from `Store.scores(by=)`, counts from the `cases` and
`interview_counts` views. Python only arranges rows for the renderers.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from criteria import Framework, load_framework
from report import consistency, published
from report.breakdowns import breakdowns_for
from report.model import (
    Count,
    CriteriaGrid,
    CriterionLine,
    Distribution,
    GridCell,
    InterviewFinding,
    OutcomeReport,
    QuestionBar,
    ReportData,
)
from report.qa import gather_qa

# Appendix 2 of the report: the case sample charts, as case detail fields.
SAMPLE_FIELDS = ["gender", "ethnicity", "rosh", "case_type", "offence"]
NOT_RECORDED = "Not recorded"

METHOD_TEXT = {
    "questions": (
        "Each outcome score is the average, over all the relevant scoring questions of the "
        "case assessment (its own and those that also count towards it), of the proportion "
        "of applicable answers judged sufficient ('above the line'). Answers that do not "
        "apply to a case, or are not applicable, are left out. A criterion score is the "
        "average of its questions' proportions. Leadership and management criteria are "
        "evidenced from interviews: their answers are counted, not scored."
    ),
    "criteria": (
        "Each outcome score is the average of the scores of its component criteria scored "
        "from cases; a criterion score is the average, over its relevant questions, of the "
        "proportion of applicable answers judged sufficient ('above the line'). Leadership "
        "and management criteria are evidenced from interviews: counted, not scored."
    ),
}


def rows(store: Any, sql: str, params: list[object] | None = None) -> list[dict[str, Any]]:
    """Run a query through the store (which retries lost files) and return dict rows."""
    return list(store.query(sql, params).to_pylist())


def framework_of(store: Any) -> Framework:
    fw = getattr(store, "framework", None)
    return fw if isinstance(fw, Framework) else load_framework()


def gather(
    store: Any, inspection_id: str, method: str = "questions", compare: str | None = None
) -> ReportData:
    """All figures of the report; `compare` names a published report file
    (criteria/data/reports/NAME.yaml) whose stated figures are measured too."""
    if method not in METHOD_TEXT:
        raise ValueError(f"unknown scoring method {method!r} (questions or criteria)")
    fw = framework_of(store)
    info = _inspection(store, inspection_id)
    outcomes = _outcomes(store, fw, inspection_id, method)
    return ReportData(
        inspection_id=inspection_id,
        area=str(info.get("area") or inspection_id),
        date=str(info.get("date") or ""),
        label=info.get("label"),
        synthetic=bool(info.get("synthetic")),
        framework_version=_versions(store, inspection_id, fw),
        method=method,
        method_text=METHOD_TEXT[method],
        data_as_of=_data_as_of(store, inspection_id),
        generated_at=_stamp(datetime.now(UTC)),
        cases=_count_kind(store, inspection_id, "case"),
        interviews=_count_kind(store, inspection_id, "interview"),
        outcomes=outcomes,
        grid=_grid(fw, outcomes),
        comparison=None
        if compare is None
        else published.compare(store, fw, inspection_id, compare, method),
        sample=[
            _distribution(store, fw, inspection_id, f) for f in SAMPLE_FIELDS if f in fw.field_types
        ],
        qa=gather_qa(store, inspection_id),
        consistency=consistency.gather(store, fw, inspection_id),
    )


def _inspection(store: Any, inspection_id: str) -> dict[str, Any]:
    found = rows(store, "SELECT * FROM inspections WHERE inspection_id = ?", [inspection_id])
    if not found:
        raise LookupError(f"no inspection {inspection_id!r} in the store")
    return found[0]


def _versions(store: Any, inspection_id: str, fw: Framework) -> str:
    found = rows(
        store,
        "SELECT DISTINCT framework_version AS v FROM answers_current "
        "WHERE inspection_id = ? ORDER BY v",
        [inspection_id],
    )
    versions = [r["v"] for r in found if r["v"]] or [fw.version]
    return ", ".join(versions)


def _stamp(when: datetime | None) -> str:
    return "no data yet" if when is None else when.strftime("%Y-%m-%d %H:%M:%S UTC")


def _data_as_of(store: Any, inspection_id: str) -> str:
    """The time of the newest saved change (answers or case details) in the inspection."""
    found = rows(
        store,
        "SELECT max(t) AS t FROM ("
        " SELECT max(saved_at) AS t FROM answer_history WHERE inspection_id = ?"
        " UNION ALL SELECT max(saved_at) FROM case_history WHERE inspection_id = ?)",
        [inspection_id, inspection_id],
    )
    return _stamp(found[0]["t"] if found else None)


def _count_kind(store: Any, inspection_id: str, kind: str) -> int:
    found = rows(
        store,
        "SELECT count(*) AS n FROM cases WHERE inspection_id = ? AND kind = ?",
        [inspection_id, kind],
    )
    return int(found[0]["n"])


def _outcomes(store: Any, fw: Framework, iid: str, method: str) -> list[OutcomeReport]:
    """Scores from `Store.scores()`: the views' SQL over this inspection's files only."""
    sc = store.scores(iid, method=method)
    o_rows = {r["code"]: r for r in sc.outcomes}
    c_rows = {r["code"]: r for r in sc.criteria}
    q_rows = {r["id"]: r for r in sc.questions}
    interviews = _interview_counts(store, iid)
    splits = breakdowns_for(store, fw, iid, method)
    result = []
    for o in fw.outcomes:
        row = o_rows.get(o.code, {})
        result.append(
            OutcomeReport(
                code=o.code,
                title=o.title,
                score=row.get("score"),
                sufficient=int(row.get("sufficient") or 0),
                applicable=int(row.get("applicable") or 0),
                criteria=[
                    _criterion(c, c_rows.get(c.id, {})) for c in fw.criteria if c.outcome == o.code
                ],
                key_questions=_key_questions(fw, o.code, q_rows),
                interviews=_findings(fw, o.code, interviews),
                breakdowns=splits.get(o.code, []),
            )
        )
    return result


def _criterion(c: Any, row: dict[str, Any]) -> CriterionLine:
    return CriterionLine(
        criterion_id=c.id,
        title=c.title,
        score=row.get("score"),
        sufficient=int(row.get("sufficient") or 0),
        applicable=int(row.get("applicable") or 0),
        scored_from=c.scored_from,
    )


def _key_questions(
    fw: Framework, code: int, q_rows: dict[str, dict[str, Any]]
) -> list[QuestionBar]:
    bars = []
    for q in fw.questions_for_outcome(code):
        row = q_rows.get(q.id)
        if not q.key_question or row is None:
            continue
        bars.append(
            QuestionBar(
                q.id, q.short or q.text, int(row["sufficient"] or 0), int(row["insufficient"] or 0)
            )
        )
    return bars


def _interview_counts(store: Any, iid: str) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = {}
    for r in rows(store, "SELECT * FROM interview_counts WHERE inspection_id = ?", [iid]):
        counts.setdefault(r["question_id"], {})[r["answer"]] = int(r["n"])
    return counts


def _findings(
    fw: Framework, code: int, counts: dict[str, dict[str, int]]
) -> list[InterviewFinding]:
    found = []
    for q in fw.interview_questions:
        if fw.criterion(q.criterion).outcome != code or q.id not in counts:
            continue
        scale = fw.scale_for(q)
        by_value = counts[q.id]
        answered = [c for c in scale.choices if c.scoring != "not_applicable"]
        # Interview answers are facts (yes/no/unsure): the finding counts the "yes".
        good = [c for c in scale.choices if c.value == "yes"] or [
            c for c in scale.choices if c.scoring == "sufficient"
        ]
        found.append(
            InterviewFinding(
                question_id=q.id,
                text=q.text,
                counts=[Count(c.label, by_value.get(c.value, 0)) for c in scale.choices],
                answered=sum(by_value.get(c.value, 0) for c in answered),
                positive=sum(by_value.get(c.value, 0) for c in good) if good else None,
                positive_label=" or ".join(c.label.lower() for c in good) or "yes",
                asked=_asked(fw, q.applies_when),
            )
        )
    return found


def _asked(fw: Framework, rule: str | None) -> str:
    """Who was asked, in words, for the common rule "answer('I2.4.12') == 'yes'"."""
    if rule is None:
        return "who answered"
    m = re.fullmatch(r"\s*answer\('([^']+)'\)\s*==\s*'([^']+)'\s*", rule)
    if m is None:
        return f"who answered (asked where {rule})"
    parent = fw.question(m.group(1))
    return f"who answered {m.group(2)} to {parent.id}"


def _grid(fw: Framework, outcomes: list[OutcomeReport]) -> CriteriaGrid:
    lines = {c.criterion_id: c for o in outcomes for c in o.criteria}
    cells = {}
    for c in fw.criteria:
        line = lines.get(c.id)
        cells[(c.outcome, c.theme)] = GridCell(
            c.id, c.title, line.score if line else None, c.scored_from
        )
    return CriteriaGrid(
        themes=[(t.code, t.title) for t in fw.themes],
        outcomes=[(o.code, o.title) for o in fw.outcomes],
        cells=cells,
    )


def _distribution(store: Any, fw: Framework, iid: str, field_id: str) -> Distribution:
    f = fw.case_field(field_id)
    found = rows(
        store,
        f'SELECT "{field_id}" AS v, count(*) AS n FROM cases '
        "WHERE inspection_id = ? AND kind = 'case' GROUP BY 1",
        [iid],
    )
    by_value = {r["v"]: int(r["n"]) for r in found}
    counts = [Count(c.label, by_value.pop(c.value)) for c in f.choices if c.value in by_value]
    missing = by_value.pop(None, 0)
    counts += [Count(str(v), n) for v, n in sorted(by_value.items(), key=lambda kv: str(kv[0]))]
    if missing:
        counts.append(Count(NOT_RECORDED, missing))
    return Distribution(f.label, counts)
