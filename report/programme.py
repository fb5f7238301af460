"""The programme (aggregate) report: inspections compared, with both labelled aggregates."""

from __future__ import annotations

from datetime import UTC, datetime
from html import escape
from typing import Any

from report import markdown, svg
from report.fmt import pct
from report.html import _band_class, _css
from store.programme import MEAN, POOLED, ProgrammeScores, programme_scores

TITLE = "Inspection of adult offending work: programme aggregate"


def explanation(p: ProgrammeScores, quote: str = "`") -> str:
    return (
        f"Scoring method {quote}{p.method}{quote}, framework {p.framework_version}. "
        f"'{POOLED}' scores every inspection's answers together, as one inspection, so larger "
        f"inspections weigh more; '{MEAN}' is the plain average of the inspections' own scores."
    )


def _synthetic(p: ProgrammeScores) -> bool:
    return any(r.synthetic for r in p.inspections)


def render(store: Any, inspection_ids: list[str] | None, fmt: str, method: str) -> str:
    p = programme_scores(store, inspection_ids, method)
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    return render_html(p, stamp) if fmt == "html" else render_md(p, stamp)


def render_md(p: ProgrammeScores, stamp: str) -> str:
    parts = [f"# {TITLE}", explanation(p) + f" Generated {stamp}."]
    if _synthetic(p):
        parts.insert(1, "**Includes SYNTHETIC DATA: not a real inspection.**")
    parts += ["## Outcome scores", markdown.table(*p.table("outcome"))]
    parts += ["## Criterion scores", markdown.table(*p.table("criterion"))]
    return "\n\n".join(parts) + "\n"


def _table(p: ProgrammeScores, kind: str) -> str:
    """HTML table with band-coloured score cells (same bands as the inspection report)."""
    cols = [c for c in p.columns if c.kind == kind]
    head = "".join(
        f"<th>{escape(h)}</th>" for h in ["", "Cases", *(c.short or c.key for c in cols)]
    )
    body = ""
    for r in p.rows():
        cells = [f"<td>{escape(r.label)}</td>", f'<td class="num">{r.cases}</td>']
        for c in cols:
            score = r.scores.get(c.key)
            cells.append(f'<td class="num {_band_class(score)}">{pct(score)}</td>')
        body += "<tr>" + "".join(cells) + "</tr>"
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def render_html(p: ProgrammeScores, stamp: str) -> str:
    figs = "".join(
        f"<figure><figcaption>{escape(c.title)}</figcaption>"
        + svg.score_bars(c.title, [(r.label, r.scores.get(c.key)) for r in p.rows()])
        + "</figure>"
        for c in p.columns
        if c.kind == "outcome"
    )
    banner = (
        '<p class="synthetic">Includes SYNTHETIC DATA: not a real inspection.</p>'
        if _synthetic(p)
        else ""
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(TITLE)}</title><style>{_css()}</style></head><body>"
        f"<h1>{escape(TITLE)}</h1>{banner}<p>{escape(explanation(p, ''))}</p>"
        f'<p class="meta">Generated {escape(stamp)}.</p>'
        f"<h2>Outcome scores</h2>{_table(p, 'outcome')}"
        f"<h2>Criterion scores</h2>{_table(p, 'criterion')}"
        f'<section class="appendix"><h2>Outcome scores compared</h2>{figs}</section>'
        "</body></html>\n"
    )
