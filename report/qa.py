"""The report's quality-assurance section: cases dip-sampled per reader, queries raised,
judgements QA changed, and the share of cases signed off. Read from the store's QA views
(`reader_progress`, `qa_samples`, `queries`, `qa_changes`, `case_status`; docs/store.md);
`None` when the inspection has no QA history at all (the section is then left out)."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Any


@dataclass(frozen=True)
class ReaderQa:
    reader: str
    role: str  # lead | inspector | assessor | "" (not in the team)
    cases: int
    sampled: int
    queries: int
    changed: int  # answers changed after the case entered QA


@dataclass(frozen=True)
class QaSummary:
    readers: list[ReaderQa]
    cases: int
    sampled: int
    queries: int
    queries_closed: int
    changed: int
    signed_off: int

    @property
    def signed_off_share(self) -> float:
        return self.signed_off / self.cases if self.cases else 0.0


def gather_qa(store: Any, inspection_id: str) -> QaSummary | None:
    def rows(sql: str) -> list[dict[str, Any]]:
        return list(store.query(sql, [inspection_id] * sql.count("?")).to_pylist())

    readers = rows("""
        SELECT p.reader, coalesce(p.role, '') AS role, p.cases, p.sampled,
          (SELECT count(*) FROM queries q JOIN case_status s USING (inspection_id, case_id)
           WHERE q.inspection_id = p.inspection_id AND s.reader = p.reader) AS queries,
          (SELECT count(*) FROM qa_changes c
           WHERE c.inspection_id = p.inspection_id AND c.reader = p.reader) AS changed
        FROM reader_progress p WHERE p.inspection_id = ? ORDER BY p.reader""")
    totals = rows("""
        SELECT (SELECT count(*) FROM case_status WHERE inspection_id = ? AND kind = 'case')
                 AS cases,
          (SELECT count(DISTINCT case_id) FROM qa_samples WHERE inspection_id = ?) AS sampled,
          (SELECT count(*) FROM queries WHERE inspection_id = ?) AS queries,
          (SELECT count(*) FROM queries WHERE inspection_id = ? AND state = 'closed')
                 AS queries_closed,
          (SELECT count(*) FROM qa_changes WHERE inspection_id = ?) AS changed,
          (SELECT count(*) FROM case_status WHERE inspection_id = ? AND kind = 'case'
             AND signed_off) AS signed_off,
          (SELECT count(*) FROM qa_events WHERE inspection_id = ?) AS events""")[0]
    if not totals.pop("events"):
        return None
    return QaSummary([ReaderQa(**r) for r in readers], **totals)


def _pct(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "-"


def _lines(q: QaSummary) -> tuple[str, list[str], list[list[str]]]:
    text = (f"{q.sampled} of {q.cases} cases were dip-sampled by the quality leads; "
            f"{q.queries} queries were raised ({q.queries_closed} closed) and "
            f"{q.changed} judgements changed after quality assurance. "
            f"{q.signed_off} of {q.cases} cases ({_pct(q.signed_off, q.cases)}) are signed off.")
    header = ["Reader", "Role", "Cases", "Sampled", "% sampled", "Queries", "Changed"]
    body = [[r.reader, r.role, str(r.cases), str(r.sampled), _pct(r.sampled, r.cases),
             str(r.queries), str(r.changed)] for r in q.readers]
    return text, header, body


TITLE = "Quality assurance"


def markdown(q: QaSummary) -> str:
    text, header, body = _lines(q)
    table = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    table += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |"
              for row in body]
    return text + "\n\n" + "\n".join(table)


def html(q: QaSummary) -> str:
    text, header, body = _lines(q)
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    rows = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>"
                   for row in body)
    return (f'<section class="appendix"><h2>{TITLE}</h2><p>{escape(text)}</p>'
            f'<table class="qa"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'
            "</section>")
