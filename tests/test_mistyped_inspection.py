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
