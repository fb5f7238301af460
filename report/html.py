"""The report as one self-contained HTML file: inline CSS and SVG, no scripts, no fetches."""

from __future__ import annotations

from html import escape
from importlib.resources import files

from report import consistency, qa, svg
from report.fmt import BANDS, band, count_cells, count_labels, finding, of, pct
from report.model import (
    Breakdown,
    Comparison,
    InterviewFinding,
    OutcomeReport,
    ReportData,
)


def _css() -> str:
    return (files("report") / "report.css").read_text(encoding="utf-8")


def _band_class(score: float | None) -> str:
    b = band(score)
    return "" if b is None else f"band-{BANDS.index(b)}"


def _table(header: list[str], rows: list[list[str]], cls: str = "") -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(rows_cell) + "</tr>" for rows_cell in rows)
    attr = f' class="{cls}"' if cls else ""
    return f"<table{attr}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _td(text: object, cls: str = "") -> str:
    attr = f' class="{cls}"' if cls else ""
    return f"<td{attr}>{escape(str(text))}</td>"


def _figure(caption: str, chart: str) -> str:
    head = f"<figcaption>{escape(caption)}</figcaption>" if caption else ""
    return f"<figure>{head}{chart}</figure>"


def _provenance(data: ReportData) -> str:
    label = f" ({escape(data.label)})" if data.label else ""
    return (
        f'<p class="meta">Inspection <code>{escape(data.inspection_id)}</code>, '
        f"{escape(data.area)}, {escape(data.date)}{label}. "
        f"Framework {escape(data.framework_version)}; "
        f"scoring method <code>{escape(data.method)}</code>; data as of {escape(data.data_as_of)}; "
        f"generated {escape(data.generated_at)}.</p>"
    )


def _synthetic(data: ReportData) -> str:
    if not data.synthetic:
        return ""
    return (
        '<p class="synthetic">SYNTHETIC DATA: this is a demonstration, not a real inspection.</p>'
    )


def summary(data: ReportData) -> str:
    rows = [
        [
            _td(f"Outcome {o.code}: {o.title}"),
            _td(pct(o.score), f"num score {_band_class(o.score)}"),
        ]
        for o in data.outcomes
    ]
    chart = svg.score_bars("Outcome scores", [(o.title, o.score) for o in data.outcomes])
    return (
        "<section><h2>Summary</h2>"
        f"<p>{data.cases} cases were inspected and {data.interviews} offender managers "
        "interviewed.</p>"
        + _table(["Outcomes", "The proportion of work judged to have been done well enough"], rows)
        + _figure("Outcome scores", chart)
        + "</section>"
    )


def _breakdown(b: Breakdown) -> str:
    rows = [
        [
            _td(r.group),
            _td(r.cases, "num"),
            *(_td(pct(r.scores.get(c)), f"num {_band_class(r.scores.get(c))}") for c in b.columns),
        ]
        for r in b.rows
    ]
    caption = f"<p><strong>{escape(b.title)}</strong> ({escape(b.reference)})</p>"
    return caption + _table(["Group", "Cases", *b.columns], rows)


def _interviews(findings: list[InterviewFinding]) -> str:
    labels = count_labels(findings)
    rows = [
        [
            _td(f.question_id),
            _td(f.text),
            _td(finding(f)),
            *(_td(n, "num") for n in count_cells(f, labels)),
        ]
        for f in findings
    ]
    return _table(["Question", "", "Finding", *labels], rows, "interviews")


def outcome(o: OutcomeReport, data: ReportData) -> str:
    crit_rows = [
        [
            _td(c.criterion_id),
            _td(c.title),
            _td(pct(c.score), f"num {_band_class(c.score)}")
            if c.scored_from == "cases"
            else _td("interviews"),
            _td(of(c.sufficient, c.applicable) if c.scored_from == "cases" else "", "num"),
        ]
        for c in o.criteria
    ]
    if o.score is None:
        overall = "No answers to this outcome's questions applied, so it has no score."
    else:
        overall = (
            f"Overall, {pct(o.score)} of the work was done well enough "
            f"({of(o.sufficient, o.applicable)} applicable answers judged sufficient)."
        )
    parts = [
        f'<section class="outcome"><h2>Outcome {o.code}: {escape(o.title)}</h2>',
        "<h3>Case assessment score</h3>",
        f'<p><span class="score">{pct(o.score)}</span> {overall}</p>',
        "<h3>Criteria</h3>",
        _table(["Criterion", "Title", "Score", "Answers sufficient"], crit_rows),
    ]
    if o.key_questions:
        parts.append("<h3>Data Summary</h3>")
        parts.append(
            f"<p>The chart summarises the key questions. {data.cases} cases were inspected; "
            "totals may be lower where a question did not apply to every case.</p>"
        )
        parts.append(_question_charts(o))
    if o.breakdowns:
        parts.append("<h3>Breakdowns</h3>" + "".join(_breakdown(b) for b in o.breakdowns))
    if o.interviews:
        parts.append("<h3>Interviews (leadership and management)</h3>" + _interviews(o.interviews))
    parts.append("</section>")
    return "".join(parts)


CHART_ROWS = 10  # key questions per SVG, so a long chart flows over pages without gaps


def _question_charts(o: OutcomeReport) -> str:
    """The Data Summary as stacked SVG pieces; each piece stays whole on a page."""
    bars = o.key_questions
    pieces = [bars[i : i + CHART_ROWS] for i in range(0, len(bars), CHART_ROWS)]
    return "".join(
        _figure(
            o.title if i == 0 else "",
            svg.question_bars(f"Data Summary: {o.title}", piece, legend=i == len(pieces) - 1),
        )
        for i, piece in enumerate(pieces)
    )


def sample(data: ReportData) -> str:
    figs = "".join(
        _figure(f"{d.title} (n = {d.total})", svg.count_bars(d.title, d.counts))
        for d in data.sample
    )
    return (
        '<section class="appendix"><h2>Appendix 2: the inspected case sample</h2>'
        f"<p>In {escape(data.area)} we inspected a total of {data.cases} cases.</p>{figs}</section>"
    )


def scoring(data: ReportData) -> str:
    return (
        '<section class="appendix"><h2>Appendix 5: scoring approach</h2>'
        f"{_synthetic(data)}<p>{escape(data.method_text)}</p>{_provenance(data)}"
        + grid(data)
        + "</section>"
    )


def grid(data: ReportData) -> str:
    g = data.grid
    rows = []
    for code, title in g.outcomes:
        row = [_td(f"{code} {title}")]
        for t, _ in g.themes:
            c = g.cells.get((code, t))
            if c is None:
                row.append('<td class="empty"></td>')
                continue
            score = pct(c.score) if c.scored_from == "cases" else "interviews"
            cls = _band_class(c.score) if c.scored_from == "cases" else ""
            row.append(
                f'<td class="{cls}"><strong>{escape(c.criterion_id)}</strong> '
                f"{escape(c.title)}<br><strong>{score}</strong></td>"
            )
        rows.append(row)
    header = ["Outcome", *(f"{t} {name}" for t, name in g.themes)]
    return "<h2>Appendix 6: criteria</h2>" + _table(header, rows, "grid")


def published(c: Comparison) -> str:
    rows = [
        [
            _td(k.paragraph),
            _td(k.quote),
            _td(k.measure),
            _td(("≈ " if k.approx else "") + k.stated, "num"),
            _td(k.measured, "num"),
            _td("yes" if k.matches else "NO", "" if k.matches else "band-0"),
        ]
        for k in c.checks
    ]
    header = ["Paragraph", "The report says", "Measured by", "Stated", "Measured", "Same"]
    return (
        f'<section class="appendix"><h2>Appendix: figures of {escape(c.report)} compared</h2>'
        f"<p>{c.matched} of {len(c.checks)} figures stated in the published report are "
        "measured exactly in this inspection. ≈ marks figures the report gives in words "
        '("just over half"): their counts were chosen to fit the words.</p>'
        + _table(header, rows, "figures")
        + "</section>"
    )


def render(data: ReportData) -> str:
    body = "".join(
        [
            f"<h1>{escape(data.title)}</h1>",
            _synthetic(data),
            _provenance(data),
            summary(data),
            *(outcome(o, data) for o in data.outcomes),
            sample(data),
            scoring(data),
            "" if data.qa is None else qa.html(data.qa),
            "" if data.consistency is None else consistency.html(data.consistency),
            "" if data.comparison is None else published(data.comparison),
        ]
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(data.title)}</title><style>{_css()}</style></head>"
        f"<body>{body}</body></html>\n"
    )
