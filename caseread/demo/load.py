"""Read the report's figures (criteria/data/reports/bedfordshire_2013.yaml) for the demo."""

from __future__ import annotations

from pathlib import Path

from caseread.demo.figures import Fact, Figures, Split
from criteria.models import Framework
from criteria.reports import Figure, load_report

REPORT = "bedfordshire_2013"


def _where(paragraph: str, quote: str) -> str:
    return f'{paragraph} "{quote}"'


def _split(fig: Figure) -> Split:
    if fig.answers is not None:
        counts = dict(fig.answers)
    else:
        assert fig.sufficient is not None and fig.applicable is not None
        counts = {"sufficient": fig.sufficient, "insufficient": fig.applicable - fig.sufficient}
    return Split(fig.question, counts, _where(fig.paragraph, fig.quote))


def load_figures(fw: Framework | None = None, path: Path | None = None) -> Figures:
    """The figures as the demo uses them; the report loader checks them against `fw`."""
    report = load_report(REPORT, framework=fw, path=path)
    return Figures(
        cases=report.cases,
        interviews=report.interview_count,
        facts=[Fact(f.rule, f.count, _where(f.paragraph, f.quote)) for f in report.sample],
        splits=[_split(f) for f in report.figures],
        interview_splits=[_split(f) for f in report.interviews],
        targets={o: pct / 100 for o, pct in report.outcome_scores.items()},
        area=report.area,
        date=report.date,
    )
