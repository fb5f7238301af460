"""Inspection reports built from the store: HTML (A4 print, self-contained) and Markdown.

from report import build_report, sections, Section
html_text = build_report(store, "bedfordshire-2013", "html")
for s in sections(store, "bedfordshire-2013"):   # for a preview, one section at a time
    print(s.title, s.markdown)
"""

from __future__ import annotations

from typing import Any

from report import html, markdown, programme
from report.gather import gather
from report.markdown import Section

FORMATS = ("html", "md")

__all__ = ["FORMATS", "Section", "build_programme_report", "build_report", "gather", "sections"]


def _check(fmt: str) -> None:
    if fmt not in FORMATS:
        raise ValueError(f"unknown report format {fmt!r} (html or md)")


def build_report(
    store: Any,
    inspection_id: str,
    fmt: str = "html",
    method: str = "questions",
    compare: str | None = None,
) -> str:
    """The whole report of one inspection as an HTML document or Markdown text.

    `compare` names a published report (criteria/data/reports/NAME.yaml, e.g.
    "bedfordshire_2013") whose stated figures are set beside the measured ones."""
    _check(fmt)
    data = gather(store, inspection_id, method, compare)
    return html.render(data) if fmt == "html" else markdown.render(data)


def sections(
    store: Any, inspection_id: str, method: str = "questions", compare: str | None = None
) -> list[Section]:
    """The report's sections as Markdown, in report order (Summary, outcomes, appendices)."""
    return markdown.render_sections(gather(store, inspection_id, method, compare))


def build_programme_report(
    store: Any,
    inspection_ids: list[str] | None = None,
    fmt: str = "html",
    method: str = "questions",
) -> str:
    """The programme comparison: every inspection's scores and both labelled aggregates."""
    _check(fmt)
    return programme.render(store, inspection_ids, fmt, method)
