"""A list of case ids whose Enter says what it does (open the case) in the footer."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import OptionList


class CaseList(OptionList):
    BINDINGS = [
        Binding("enter", "select", "Open case", id="score_drilldown.open_case"),
    ]
