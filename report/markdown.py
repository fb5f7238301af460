"""The report as Markdown: tables and text bars, so it reads in any viewer.

`render_sections` is also what the app previews, one section at a time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from report import consistency, qa
from report.fmt import count_cells, count_labels, finding, of, pct
from report.model import (
    Breakdown,
    Comparison,
    Distribution,
    InterviewFinding,
    OutcomeReport,
    QuestionBar,
    ReportData,
)

BAR_CELLS = 20


@dataclass(frozen=True)
class Section:
    title: str
    markdown: str


def text_bar(fraction: float | None, cells: int = BAR_CELLS) -> str:
    if fraction is None:
        return "·" * cells
    full = round(max(0.0, min(1.0, fraction)) * cells)
    return "█" * full + "░" * (cells - full)


def cell(text: object) -> str:
    """Make a value safe inside a Markdown table cell."""
    return str(text).replace("|", "\\|").replace("\n", " ")


def table(header: list[str], rows: Sequence[Sequence[object]]) -> str:
    lines = ["| " + " | ".join(cell(h) for h in header) + " |"]
    lines.append("|" + "|".join("---" for _ in header) + "|")
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def banner(data: ReportData) -> str:
    """The provenance every section repeats: synthetic label, version, method, data time."""
    parts = []
    if data.synthetic:
        parts.append("**SYNTHETIC DATA: not a real inspection.**")
    parts.append(
        f"Inspection `{data.inspection_id}`, {data.area}, {data.date}"
        + (f" ({data.label})" if data.label else "")
        + f". Framework {data.framework_version}; scoring method `{data.method}`; "
        f"data as of {data.data_as_of}."
    )
    return " ".join(parts)


def summary(data: ReportData) -> Section:
    rows = [
        [f"Outcome {o.code}: {o.title}", pct(o.score), text_bar(o.score)] for o in data.outcomes
    ]
    body = [
        banner(data),
        f"{data.cases} cases inspected; {data.interviews} offender manager interviews.",
        table(
            ["Outcomes", "The proportion of work judged to have been done well enough", ""], rows
        ),
    ]
    return Section("Summary", "\n\n".join(body))


def data_summary(bars: list[QuestionBar], cases: int) -> str:
    rows = [
        [
            q.question_id,
            q.text,
            q.sufficient,
            q.insufficient,
            f"{text_bar(_share(q))} {of(q.sufficient, q.applicable)}",
        ]
        for q in bars
    ]
    note = f"_{cases} cases were inspected; totals may be lower where a question did not apply._"
    header = ["Question", "Key question", "Sufficient", "Insufficient", "Sufficient of applicable"]
    return "\n\n".join([note, table(header, rows)])


def _share(q: QuestionBar) -> float | None:
    return q.sufficient / q.applicable if q.applicable else None


def breakdown(b: Breakdown) -> str:
    rows = [[r.group, r.cases, *(pct(r.scores.get(c)) for c in b.columns)] for r in b.rows]
    return f"**{b.title}** ({b.reference})\n\n" + table(["Group", "Cases", *b.columns], rows)


def interviews(findings: list[InterviewFinding]) -> str:
    labels = count_labels(findings)
    rows = [[f.question_id, f.text, finding(f), *count_cells(f, labels)] for f in findings]
    return table(["Question", "", "Finding", *labels], rows)


def outcome(o: OutcomeReport, data: ReportData) -> Section:
    crit_rows = [
        [
            c.criterion_id,
            c.title,
            pct(c.score) if c.scored_from == "cases" else "interviews",
            of(c.sufficient, c.applicable) if c.scored_from == "cases" else "",
        ]
        for c in o.criteria
    ]
    overall = (
        "No answers to this outcome's questions applied, so it has no score."
        if o.score is None
        else f"Overall, {pct(o.score)} of the work was done well enough "
        f"({of(o.sufficient, o.applicable)} applicable answers judged sufficient)."
    )
    body = [
        f"**Case assessment score:** {pct(o.score)}. {overall}",
        "### Criteria\n\n"
        + table(["Criterion", "Title", "Score", "Answers sufficient"], crit_rows),
    ]
    if o.key_questions:
        body.append("### Data Summary\n\n" + data_summary(o.key_questions, data.cases))
    if o.breakdowns:
        body.append("### Breakdowns\n\n" + "\n\n".join(breakdown(b) for b in o.breakdowns))
    if o.interviews:
        body.append("### Interviews (leadership and management)\n\n" + interviews(o.interviews))
    return Section(f"Outcome {o.code}: {o.title}", "\n\n".join(body))


def distribution(d: Distribution) -> str:
    total = d.total
    rows = [
        [
            c.label,
            c.n,
            pct(c.n / total if total else None),
            text_bar(c.n / total if total else None),
        ]
        for c in d.counts
    ]
    return f"**{d.title}**\n\n" + table(["", "Cases", "%", ""], rows)


def sample(data: ReportData) -> Section:
    body = [f"In {data.area} we inspected a total of {data.cases} cases."]
    body += [distribution(d) for d in data.sample]
    return Section("Appendix 2: the inspected case sample", "\n\n".join(body))


def scoring(data: ReportData) -> Section:
    body = [
        data.method_text,
        f"Framework version {data.framework_version}. Data as of {data.data_as_of}; "
        f"report generated {data.generated_at}.",
    ]
    if data.synthetic:
        body.insert(0, "**SYNTHETIC DATA: not a real inspection.**")
    return Section("Appendix 5: scoring approach", "\n\n".join(body))


def grid(data: ReportData) -> Section:
    g = data.grid
    header = ["Outcome", *(f"{t}. {name}" for t, name in g.themes)]
    rows: list[list[object]] = []
    for code, title in g.outcomes:
        row: list[object] = [f"{code} {title}"]
        for t, _ in g.themes:
            c = g.cells.get((code, t))
            if c is None:
                row.append("")
            else:
                score = pct(c.score) if c.scored_from == "cases" else "interviews"
                row.append(f"{c.criterion_id} {c.title}: {score}")
        rows.append(row)
    return Section("Appendix 6: criteria", table(header, rows))


def published(c: Comparison) -> Section:
    rows = [
        [
            k.paragraph,
            k.quote,
            k.measure,
            ("≈ " if k.approx else "") + k.stated,
            k.measured,
            "yes" if k.matches else "NO",
        ]
        for k in c.checks
    ]
    head = (
        f"{c.matched} of {len(c.checks)} figures stated in the published report "
        f"({c.report}) are measured exactly in this inspection. ≈ marks figures the report "
        'gives in words ("just over half"): their counts were chosen to fit the words.'
    )
    header = ["Paragraph", "The report says", "Measured by", "Stated", "Measured", "Same"]
    return Section(f"Appendix: figures of {c.report} compared", head + "\n\n" + table(header, rows))


def render_sections(data: ReportData) -> list[Section]:
    extra = [] if data.comparison is None else [published(data.comparison)]
    if data.qa is not None:
        extra.insert(0, Section(qa.TITLE, qa.markdown(data.qa)))
    if data.consistency is not None:  # second readings: report/consistency.py
        extra.insert(0, Section("Consistency of judgements",
                                consistency.markdown(data.consistency, table)))
    return [
        summary(data),
        *(outcome(o, data) for o in data.outcomes),
        sample(data),
        scoring(data),
        grid(data),
        *extra,
    ]


def render(data: ReportData) -> str:
    head = [f"# {data.title}"]
    parts = [f"## {s.title}\n\n{s.markdown}" for s in render_sections(data)]
    return "\n\n".join(head + parts) + "\n"
