"""A mistyped inspection is an error, and is never remembered as the last used."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import test_tui_app
from test_tui_app import make_app, settle, sync

from store import Store
from tui.cases.inspection_picker import InspectionPicker
from tui.common import config as user_config

tui_store = test_tui_app.tui_store
CASEREAD = Path(sys.executable).with_name("caseread")


@pytest.mark.skipif(not CASEREAD.exists(), reason="caseread is not installed")
def test_open_with_a_mistyped_inspection_is_an_error(tui_store: Store, tmp_path: Path) -> None:
    env = dict(os.environ, CASEREAD_CONFIG_DIR=str(tmp_path / "config"))
    done = subprocess.run([str(CASEREAD), "--store", str(tui_store.root), "open",
                           "--inspection", "nope"], env=env, capture_output=True, text=True,
                          timeout=120, stdin=subprocess.DEVNULL)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        f"caseread: error: no inspection 'nope' in {tui_store.root} (inspections: t1)"]
    assert user_config.last_inspection(tui_store.root, tmp_path / "config") is None


@sync
async def test_the_app_given_an_unknown_inspection_says_so_and_forgets_it(
        tui_store: Store) -> None:
    user_config.remember_inspection(tui_store.root, "nope")  # as an older caseread did
    app = make_app(tui_store, "nope", remember=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert any("No inspection 'nope'" in str(n.message) for n in app._notifications)
        assert isinstance(app.screen, InspectionPicker)
    assert user_config.last_inspection(tui_store.root) != "nope"


def test_in_a_terminal_the_app_checks_the_inspection_not_a_store_open_first(
        tui_store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """`caseread open --inspection X` opened the store to check X before the app started:
    a second per launch, 3x a minimal app. In a terminal the app's own check (above) does."""
    from click.testing import CliRunner

    import tui.app
    from caseread.cli import cli
    from caseread.commands import app_cmd

    started: list[tuple[Path, str | None]] = []
    monkeypatch.setattr(app_cmd, "has_terminal", lambda: True)
    monkeypatch.setattr(tui.app, "run_app", lambda path, iid: started.append((path, iid)))

    def no_store_open(*args: object, **kwargs: object) -> Store:
        raise AssertionError("the store was opened before the app started")

    monkeypatch.setattr(Store, "open", no_store_open)
    done = CliRunner().invoke(cli, ["--store", str(tui_store.root), "open", "--inspection", "nope"])
    assert done.exit_code == 0, done.output
    assert started == [(tui_store.root, "nope")]
