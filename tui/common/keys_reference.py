"""Every key of every screen and widget of the app, from their bindings (for `caseread
help keys` and the test that docs/keys.md documents each one).

Found by walking the `tui` package, so a new screen is listed without anyone adding it
here. Keys are the defaults; the F1 screen shows them with the user's remapping applied.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from dataclasses import dataclass

from textual.binding import Binding
from textual.dom import DOMNode

# Screens first in the order a user meets them; anything else after, by name.
ORDER = ("CasereadApp", "CaseListScreen", "CaseFormScreen", "CaseDetailsModal", "NoteModal",
         "GotoModal", "ScoreOverviewScreen", "SummaryTable", "CriteriaGrid", "QuestionBars",
         "ScoreDrilldownScreen", "BreakdownSelect", "ReportPreviewScreen", "ExportModal",
         "ProgrammeScreen", "SqlConsoleScreen", "InspectionPicker", "HelpScreen")

# Names for the classes without a HELP_TITLE of their own.
TITLES = {"CasereadApp": "everywhere", "NoteModal": "note", "GotoModal": "go to question",
          "SummaryTable": "scores: summary table", "CriteriaGrid": "scores: criteria grid",
          "QuestionBars": "scores: questions of a criterion",
          "BreakdownSelect": "scores: breakdown choice", "ExportModal": "export file name",
          "InspectionPicker": "inspection picker", "HelpScreen": "help (F1)",
          "CaseList": "cases behind a score: the list"}


@dataclass(frozen=True)
class ScreenKeys:
    name: str  # the class
    title: str  # HELP_TITLE, else the class name
    bindings: tuple[Binding, ...]


def all_screen_keys() -> list[ScreenKeys]:
    """Every class in `tui` with bindings of its own that carry an id."""
    import tui

    found: dict[str, ScreenKeys] = {}
    for info in pkgutil.walk_packages(tui.__path__, "tui."):
        module = importlib.import_module(info.name)
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if not issubclass(cls, DOMNode) or cls.__module__ != module.__name__:
                continue
            own = tuple(b for b in cls.__dict__.get("BINDINGS", [])
                        if isinstance(b, Binding) and b.id)
            if own:
                title = str(cls.__dict__.get("HELP_TITLE", TITLES.get(name, name)))
                found[name] = ScreenKeys(name, title, own)
    rank = {n: i for i, n in enumerate(ORDER)}
    return sorted(found.values(), key=lambda s: (rank.get(s.name, len(rank)), s.name))


def keys_text() -> str:
    """All of it as plain text: one block per screen, key / what it does / remap id."""
    lines = ["Keys of the caseread app, by screen (defaults). In the app F1 shows the keys",
             "of the screen you are on, with your remapping. To remap, put a [keys] table in",
             "config.toml in your config directory (~/.config/caseread/): \"remap id\" = \"key\".",
             ""]
    for screen in all_screen_keys():
        lines.append(f"{screen.title}:")
        for b in screen.bindings:
            keys = ", ".join(b.key.split(","))
            lines.append(f"  {keys:<14} {b.description or b.action:<22} {b.id}")
        lines.append("")
    return "\n".join(lines)
