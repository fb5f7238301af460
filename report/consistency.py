"""The report's consistency section: how far a second, blind reading of some cases agreed
with the primary reading, by criterion (pairs, observed agreement, Gwet's AC1 with its 95%
interval), and the method stated. Figures come from `store.agreement_data`; second
readings never count in any score, so this section is the only place they appear."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Any

from store.agreement import interval_text

METHOD = (
    "A pair is a case and question that both the primary reading and a blind second "
    "reading answered (not applicable counts as an answer like the others); calibration "
    "cases are left out. Observed agreement is the share of pairs answered alike. Gwet's "
    "AC1 (Gwet 2008) corrects it for chance agreement and, unlike Cohen's kappa, stays "
    "stable when nearly every answer is 'sufficient'; its 95% interval uses Gwet's "
    "variance. Second readings never count in the scores."
)


@dataclass(frozen=True)
class ConsistencyLine:
    criterion_id: str
    title: str
    pairs: int
    agreement: float | None
    ac1: float | None
    ac1_ci: tuple[float, float] | None


@dataclass(frozen=True)
class Consistency:
    cases: int  # cases read twice
    overall: ConsistencyLine
    lines: list[ConsistencyLine]


def _line(fw: Any, row: Any) -> ConsistencyLine:
    title = "All criteria" if row.level == "inspection" else fw.criterion(row.id).title
    s = row.stats
    return ConsistencyLine(row.id, title, s.pairs, s.agreement, s.ac1.value, s.ac1.ci)


def gather(store: Any, fw: Any, inspection_id: str) -> Consistency | None:
    """None when the inspection has no paired readings (the section is left out)."""
    from store.agreement_data import agreement_rows, pairs

    found = pairs(store, inspection_id)
    if not found:
        return None
    rows = agreement_rows(fw, found, "criterion")
    return Consistency(len({p["case_id"] for p in found}), _line(fw, rows[0]),
                       [_line(fw, r) for r in rows[1:]])


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{x * 100:.0f}%"


def _num(x: float | None) -> str:
    return "-" if x is None else f"{x:.2f}"


def _ci(ci: tuple[float, float] | None) -> str:
    return interval_text(ci)


HEADER = ["Criterion", "", "Pairs", "Agreement", "AC1", "AC1 95% interval"]


def _cells(line: ConsistencyLine) -> list[str]:
    return [line.criterion_id, line.title, str(line.pairs), _pct(line.agreement),
            _num(line.ac1), _ci(line.ac1_ci)]


def intro(c: Consistency) -> str:
    o = c.overall
    return (f"{c.cases} cases were read a second time, blind, by another inspector: "
            f"{o.pairs} paired answers, {_pct(o.agreement)} answered alike, "
            f"AC1 {_num(o.ac1)} (95% interval {_ci(o.ac1_ci)}).")


def markdown(c: Consistency, table: Any) -> str:
    """Markdown body; `table(header, rows)` is the report's Markdown table helper."""
    rows = [_cells(line) for line in [*c.lines, c.overall]]
    return f"{intro(c)}\n\n{table(HEADER, rows)}\n\n*Method.* {METHOD}"


def html(c: Consistency) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in HEADER)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(x)}</td>" for x in _cells(line)) + "</tr>"
        for line in [*c.lines, c.overall])
    return (f'<section class="consistency"><h2>Consistency of judgements</h2>'
            f"<p>{escape(intro(c))}</p><table><thead><tr>{head}</tr></thead>"
            f"<tbody>{body}</tbody></table><p><em>Method.</em> {escape(METHOD)}</p></section>")
