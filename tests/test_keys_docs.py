"""Every key of every screen is documented: in docs/keys.md and by `caseread help keys`."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from caseread.cli import cli
from tui.common.keys_reference import all_screen_keys

ROOT = Path(__file__).parent.parent


def test_every_screen_is_found() -> None:
    names = {s.name for s in all_screen_keys()}
    assert {"ScoreOverviewScreen", "SqlConsoleScreen", "ReportPreviewScreen",
            "ProgrammeScreen", "CaseListScreen", "CaseFormScreen"} <= names


def test_docs_keys_md_covers_every_binding_of_every_screen() -> None:
    documented = set(re.findall(r"`([a-z_]+\.[a-z_0-9]+)`",
                                (ROOT / "docs" / "keys.md").read_text(encoding="utf-8")))
    missing = [(s.name, b.id) for s in all_screen_keys() for b in s.bindings
               if b.id not in documented]
    assert missing == []


def test_caseread_help_keys_lists_them_all() -> None:
    result = CliRunner().invoke(cli, ["help", "keys"])
    assert result.exit_code == 0, result.output
    for screen in all_screen_keys():
        assert f"{screen.title}:" in result.stdout
        for b in screen.bindings:
            assert str(b.id) in result.stdout


def test_help_points_to_what_an_installed_user_has() -> None:
    help_source = (ROOT / "tui" / "common" / "help_screen.py").read_text(encoding="utf-8")
    assert "caseread help keys" in help_source and "docs/keys.md" not in help_source
