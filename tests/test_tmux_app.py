"""The real `caseread` in a real terminal (tmux): launch, answer from the keyboard, quit.

Catches what Pilot cannot: the console entry point, terminal capabilities (TERM=screen,
NO_COLOR), and key sequences as a terminal sends them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_tui_app import INSPECTION, build_store

from store import Store

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux not installed")
CASEREAD = Path(sys.executable).with_name("caseread")


class Tmux:
    def __init__(self, socket: str, session: str) -> None:
        self.base = ["tmux", "-L", socket]
        self.session = session

    def run(self, *args: str) -> str:
        done = subprocess.run([*self.base, *args], capture_output=True, text=True, timeout=10)
        return done.stdout

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", self.session)

    def keys(self, *keys: str) -> None:
        self.run("send-keys", "-t", self.session, *keys)

    def wait_for(self, text: str, timeout: float = 20.0) -> str:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            shown = self.screen()
            if text in shown:
                return shown
            time.sleep(0.1)
        raise AssertionError(f"{text!r} not on screen:\n{self.screen()}")

    def alive(self) -> bool:
        return subprocess.run([*self.base, "has-session", "-t", self.session],
                              capture_output=True).returncode == 0


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    built = build_store(tmp_path / "store")
    yield built
    built.close()


@pytest.mark.parametrize("term, no_color", [("xterm-256color", False), ("screen", True)])
def test_caseread_in_tmux(store: Store, tmp_path: Path, term: str, no_color: bool) -> None:
    tmux = Tmux(f"caseread-test-{os.getpid()}", "app")
    env = {"TERM": term, "CASEREAD_CONFIG_DIR": str(tmp_path / "config"), "NO_COLOR": "1",
           "CASEREAD_CACHE_DIR": str(tmp_path / "cache")}
    if not no_color:
        del env["NO_COLOR"]
    command = " ".join([
        "env", *(f"{k}={v}" for k, v in env.items()),
        str(CASEREAD), "--store", str(store.root),
    ])
    tmux.run("new-session", "-d", "-s", "app", "-x", "100", "-y", "30", command)
    try:
        tmux.wait_for("Inspection t1")
        shown = tmux.wait_for("not started")  # the rows may paint a frame after the title
        assert "R-001" in shown
        tmux.keys("Enter")
        tmux.wait_for("Not answered yet")
        tmux.keys("y")
        tmux.wait_for("1/")  # progress in the title
        end = time.monotonic() + 10
        while time.monotonic() < end:
            rows = store.query("SELECT case_id, answer FROM answers_current").to_pylist()
            if rows:
                break
            time.sleep(0.1)
        assert rows == [{"case_id": "C01", "answer": "yes"}]
        tmux.keys("F1")
        tmux.wait_for("Remap id")
        tmux.keys("Escape")
        time.sleep(0.8)  # tmux holds Esc for its escape-time
        tmux.keys("Escape")
        shown = tmux.wait_for("in progress")
        tmux.keys("C-q")
        end = time.monotonic() + 10
        while tmux.alive() and time.monotonic() < end:
            time.sleep(0.1)
        assert not tmux.alive(), tmux.screen()
    finally:
        if tmux.alive():
            tmux.run("kill-session", "-t", "app")
        tmux.run("kill-server")


def test_inspection_is_the_fixture() -> None:
    assert INSPECTION == "t1"


def test_qa_keys_in_tmux(store: Store, tmp_path: Path) -> None:
    """The lead's path in a real terminal: `q` opens the QA screen, F1 lists its keys,
    Esc back; in the form `q` opens a query, typed and saved with Ctrl+S."""
    from store import qa
    from store.permissions import current_author

    me = current_author()
    qa.team_add(store, INSPECTION, me, "lead", check_user=False)
    tmux = Tmux(f"caseread-qa-{os.getpid()}", "app")
    command = " ".join(["env", "TERM=xterm-256color",
                        f"CASEREAD_CONFIG_DIR={tmp_path / 'config'}",
                        f"CASEREAD_CACHE_DIR={tmp_path / 'cache'}",
                        str(CASEREAD), "--store", str(store.root)])
    tmux.run("new-session", "-d", "-s", "app", "-x", "100", "-y", "30", command)
    try:
        tmux.wait_for("not started")
        tmux.keys("q")
        tmux.wait_for(f"QA t1: {me} (lead)")
        tmux.keys("F1")
        shown = tmux.wait_for("Remap id")
        assert "qa.signoff" in shown
        tmux.keys("Escape")
        time.sleep(0.8)  # tmux holds Esc for its escape-time
        tmux.keys("Escape")
        tmux.wait_for("not started")
        tmux.keys("Enter")
        tmux.wait_for("Not answered yet")
        tmux.keys("q")
        tmux.wait_for("Query on")
        tmux.keys("-l", "Is this right?")
        tmux.wait_for("Is this right?")  # a burst of text then Ctrl+S at once: let it land
        tmux.keys("C-s")
        tmux.wait_for("1 open query")
        rows = store.query("SELECT case_id, opened_by, text FROM queries").to_pylist()
        assert rows == [{"case_id": "C01", "opened_by": me, "text": "Is this right?"}]
        tmux.keys("C-q")
    finally:
        if tmux.alive():
            tmux.run("kill-session", "-t", "app")
        tmux.run("kill-server")
