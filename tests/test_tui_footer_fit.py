"""Every footer at 80x24 shows its keys whole: key and full description, never `f4 S`.

One Pilot session visits each screen with a footer (case list, QA, form, score overview,
SQL console, agreement) and reads the footer line as drawn (issue 12, fault 9).
"""

from __future__ import annotations

from typing import Any

import test_tui_app
from test_tui_app import make_app, settle, sync
from test_tui_case_form import open_case

from store import Store, qa

tui_store = test_tui_app.tui_store

# The keys each screen must show at 80 columns (the rest are in F1).
IMPORTANT = {
    "CaseListScreen": ["⏎ Open", "/ Filter", "n New", "i Interviews", "f1 Help", "f3 Scores"],
    "QaScreen": ["⏎ Open", "esc Back", "s Sign off", "f1 Help", "f2 Cases"],
    "CaseFormScreen": ["y Yes", "n No", "x N/A", "u Undo", "] Next", "/ Find", "f1 Help",
                       "f2 Cases"],
    "ScoreOverviewScreen": ["⏎ Criteria", "m Method", "b Breakdown", "f1 Help", "f2 Cases"],
    "SqlConsoleScreen": ["f5 Run", "f8 CSV", "f1 Help", "f2 Cases", "f3 Scores"],
    "AgreementScreen": ["esc Back", "f1 Help"],
}


def screen_lines(app: Any) -> list[str]:
    """The screen as drawn, one string a line."""
    return ["".join(seg.text for seg in strip) for strip in app.screen._compositor.render_strips()]


def check_footer(app: Any) -> str:
    """Assert the footer shows each of its keys whole; return the footer line."""
    screen = app.screen
    name = type(screen).__name__
    footer = screen_lines(app)[-1]
    width = app.size.width
    for key in screen.query("FooterKey"):
        if key.region.width == 0 or key.region.x >= width:
            continue  # not drawn at all
        whole = f"{key.key_display} {key.description}".rstrip()
        assert key.region.right <= width and whole in footer, (name, whole, footer)
    for item in IMPORTANT[name]:
        assert item in footer, (name, item, footer)
    for active in screen.active_bindings.values():  # a key left out is still in F1
        binding = active.binding
        assert binding.description or not binding.id, (name, binding)
    return footer


@sync
async def test_every_footer_shows_its_keys_whole_at_80_columns(tui_store: Store) -> None:
    qa.team_add(tui_store, test_tui_app.INSPECTION, "alice", "lead", check_user=False)
    app = make_app(tui_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        seen = [check_footer(app)]
        await pilot.press("q")  # the lead's QA screen
        await settle(pilot)
        seen.append(check_footer(app))
        await pilot.press("escape")
        await settle(pilot)
        await open_case(pilot, "C01")
        seen.append(check_footer(app))
        for key in ("f3", "f4", "f2", "f5"):
            await pilot.press(key)
            await settle(pilot)
            seen.append(check_footer(app))
        await pilot.resize_terminal(120, 40)  # a wider terminal: the keys left out come back
        await settle(pilot)
        assert "f4 SQL" in check_footer(app) and "f4 SQL" not in seen[-1]
        await pilot.resize_terminal(80, 24)  # and narrower again: still nothing cut
        await settle(pilot)
        assert check_footer(app) == seen[-1]
        here = {"CaseListScreen": "f2 Cases", "ScoreOverviewScreen": "f3 Scores",
                "SqlConsoleScreen": "f4 SQL", "AgreementScreen": "f5 Agreement"}
        for footer, name in zip(seen, ["CaseListScreen", "QaScreen", "CaseFormScreen",
                                       "ScoreOverviewScreen", "SqlConsoleScreen",
                                       "CaseListScreen", "AgreementScreen"], strict=True):
            assert here.get(name, "-") not in footer, (name, footer)  # the key to go here
        names = {"CaseListScreen", "QaScreen", "CaseFormScreen", "ScoreOverviewScreen",
                 "SqlConsoleScreen", "AgreementScreen"}
        assert len(seen) == 7 and names <= set(IMPORTANT)
