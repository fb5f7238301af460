"""The figures a published report states, set beside what the store measures.

`criteria/data/reports/<name>.yaml` lists every figure of a published report (outcome
scores, case sample facts, "N of M" judgements, answer splits, interview counts). This
module measures each one in an inspection of the store, so a reader can check figure by
figure that the report could have come from caseread (the demo reproduces Bedfordshire).
"""

from __future__ import annotations

from typing import Any

from criteria import Framework, Rule
from criteria.reports import Figure, load_report
from report.fmt import of, pct
from report.model import Check, Comparison


def _rows(store: Any, sql: str, params: list[object]) -> list[dict[str, Any]]:
    return list(store.query(sql, params).to_pylist())


def compare(store: Any, fw: Framework, inspection_id: str, name: str, method: str) -> Comparison:
    """Measure every stated figure of report `name` in the inspection."""
    report = load_report(name, fw)
    checks = _outcomes(store, inspection_id, report.outcome_scores, method)
    checks += _sample(store, fw, inspection_id, report.sample)
    answers = _answer_counts(store, inspection_id)
    suff = {r["id"]: r for r in store.scores(inspection_id, method=method).questions}
    checks += [_figure(fw, f, answers, suff) for f in report.figures]
    interviews = _interview_counts(store, inspection_id)
    checks += [_figure(fw, f, interviews, {}) for f in report.interviews]
    return Comparison(report.report, checks)


def _outcomes(store: Any, iid: str, stated: dict[int, int], method: str) -> list[Check]:
    found = {r["code"]: r["score"] for r in store.scores(iid, method=method).outcomes}
    return [
        Check(
            "Summary",
            "The proportion of work judged to have been done well enough",
            f"Outcome {code}",
            f"{value}%",
            pct(found.get(code)),
            False,
        )
        for code, value in sorted(stated.items())
    ]


def _sample(store: Any, fw: Framework, iid: str, facts: list[Any]) -> list[Check]:
    out = []
    for fact in facts:
        where = Rule.parse(fact.rule, fw.field_types, []).to_sql(lambda f: f'c."{f}"')
        n = _rows(
            store,
            f"SELECT count(*) AS n FROM cases c WHERE c.inspection_id = ? "
            f"AND c.kind = 'case' AND ({where})",
            [iid],
        )[0]["n"]
        out.append(
            Check(
                fact.paragraph,
                fact.quote,
                f"cases where {fact.rule}",
                str(fact.count),
                str(n),
                fact.approx,
            )
        )
    return out


def _answer_counts(store: Any, iid: str) -> dict[str, dict[str, int]]:
    """Per question: answers by value and by scoring class, where the question applies."""
    counts: dict[str, dict[str, int]] = {}
    for r in _rows(
        store,
        "SELECT question_id, answer, scoring, count(*) AS n FROM answers_scored "
        "WHERE inspection_id = ? AND applies GROUP BY ALL",
        [iid],
    ):
        # A figure's key is a scale value, else a scoring class ("insufficient" can be
        # both; the value wins, as in the report file).
        by = counts.setdefault(r["question_id"], {})
        by[r["answer"]] = by.get(r["answer"], 0) + int(r["n"])
        cls = counts.setdefault(f"{r['question_id']}:class", {})
        cls[r["scoring"]] = cls.get(r["scoring"], 0) + int(r["n"])
    return counts


def _interview_counts(store: Any, iid: str) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = {}
    for r in _rows(store, "SELECT * FROM interview_counts WHERE inspection_id = ?", [iid]):
        counts.setdefault(r["question_id"], {})[r["answer"]] = int(r["n"])
    return counts


def _figure(
    fw: Framework,
    fig: Figure,
    answers: dict[str, dict[str, int]],
    scored: dict[str, dict[str, Any]],
) -> Check:
    if fig.answers is not None:
        on_scale = set(fw.scale_for(fig.question).values())
        values = answers.get(fig.question, {})
        classes = answers.get(f"{fig.question}:class", {})
        stated = ", ".join(f"{k} {v}" for k, v in fig.answers.items())
        measured = ", ".join(
            f"{k} {values.get(k, 0) if k in on_scale else classes.get(k, 0)}" for k in fig.answers
        )
    else:
        row = scored.get(fig.question, {})
        s, i = int(row.get("sufficient", 0)), int(row.get("insufficient", 0))
        stated = of(fig.sufficient or 0, fig.applicable or 0)
        measured = of(s, s + i)
    return Check(fig.paragraph, fig.quote, fig.question, stated, measured, fig.approx)
