"""95% intervals shown so a negative bound is never read as a dash: the agreement screen
printed `-0.00-0.00` (F5), the CLI `-0.12..0.40`. Everywhere: `[-0.12, 0.40]`, and a bound
that rounds to zero is `0.00`."""

from __future__ import annotations

import re

from report.consistency import Consistency, ConsistencyLine, intro
from store.agreement import Agreement, Estimate
from store.agreement_data import Row

SHOWN = re.compile(r"^\[-?\d\.\d\d, -?\d\.\d\d\]$")
NEAR_ZERO = (-0.004, 0.003)
NEGATIVE = (-0.12, 0.4)


def stats(ci: tuple[float, float]) -> Agreement:
    return Agreement(pairs=12, agreement=0.5, kappa=Estimate(0.0, ci), ac1=Estimate(-0.05, ci),
                     alpha=Estimate(0.1, ci), prevalence=0.5)


def test_the_agreement_screen_cli_and_report_bracket_their_intervals() -> None:
    from caseread.commands.reading_cmd import agreement_table
    from tui.agreement.screen import question_cells

    for ci, text in ((NEAR_ZERO, "[0.00, 0.00]"), (NEGATIVE, "[-0.12, 0.40]")):
        cells = question_cells(Row("question", "1.1.01", stats(ci)))
        assert cells[4] == cells[6] == text, cells  # kappa's, AC1's
        table = agreement_table([{"level": "question", "id": "1.1.01",
                                  **stats(ci).as_dict()}])
        row = table.splitlines()[-1]
        assert row.count(text) == 3, table  # kappa, AC1, alpha
        line = ConsistencyLine("1.1", "Assessment", 12, 0.5, -0.05, ci)
        assert f"(95% interval {text})" in intro(Consistency(6, line, [line]))
        assert all(SHOWN.match(c) for c in (cells[4], cells[6]))
