"""The real `caseread` in tmux at 80x24: keys typed in one burst after `/` and `n` land in
the field that opened, in order (tmux sends a send-keys call as one burst)."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_tmux_app import CASEREAD, Tmux
from test_tui_app import build_store

from store import Store

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux not installed")


@pytest.fixture
def tmux(tmp_path: Path) -> Iterator[tuple[Tmux, Store]]:
    store = build_store(tmp_path / "store")
    tmux = Tmux(f"caseread-keys-{os.getpid()}", "app")
    env = {"TERM": "xterm-256color", "CASEREAD_CONFIG_DIR": str(tmp_path / "config"),
           "CASEREAD_CACHE_DIR": str(tmp_path / "cache")}
    command = " ".join(["env", *(f"{k}={v}" for k, v in env.items()),
                        str(CASEREAD), "--store", str(store.root)])
    tmux.run("new-session", "-d", "-s", "app", "-x", "80", "-y", "24", command)
    try:
        tmux.wait_for("R-003")
        yield tmux, store
    finally:
        if tmux.alive():
            tmux.run("kill-session", "-t", "app")
        tmux.run("kill-server")
        store.close()


def test_a_burst_after_slash_and_ctrl_u_fills_the_filter(tmux: tuple[Tmux, Store]) -> None:
    term, _ = tmux
    term.keys("/", "R-002")
    assert filter_line(term, "R-002") == "R-002"
    term.keys("C-u", "R-003")
    assert filter_line(term, "R-003") == "R-003"
    assert "1 of 3 cases" in term.screen()


def filter_line(term: Tmux, expect: str) -> str:
    """The filter box's text (the second line) once it shows `expect` or time is up."""
    end = time.monotonic() + 10
    while time.monotonic() < end:
        line = term.screen().splitlines()[1].strip()
        if line == expect:
            break
        time.sleep(0.1)
    time.sleep(0.3)  # nothing more arrives after it
    return term.screen().splitlines()[1].strip()


def test_a_burst_after_n_fills_the_new_case_form(tmux: tuple[Tmux, Store]) -> None:
    term, store = tmux
    term.keys("n", "BTab", "ZZ9", "Tab", "NEW-REF")  # one burst: the form is not up yet
    shown = term.wait_for("NEW-REF")
    assert "ZZ9" in shown and "C04" not in shown


def test_keys_typed_at_launch_reach_the_case_list(tmp_path: Path) -> None:
    """`caseread` then `/R-002` at once, before the list is up: the filter gets them all
    (they reached Textual's empty default screen and were lost)."""
    store = build_store(tmp_path / "store")
    store.close()
    term = Tmux(f"caseread-launch-{os.getpid()}", "app")
    env = {"TERM": "xterm-256color", "CASEREAD_CONFIG_DIR": str(tmp_path / "config"),
           "CASEREAD_CACHE_DIR": str(tmp_path / "cache")}
    command = " ".join(["env", *(f"{k}={v}" for k, v in env.items()),
                        str(CASEREAD), "--store", str(store.root)])
    term.run("new-session", "-d", "-s", "app", "-x", "80", "-y", "24", command)
    try:
        term.keys("/", "R-002")  # typed while caseread starts
        term.wait_for("1 of 3 cases")
        assert filter_line(term, "R-002") == "R-002"
    finally:
        term.run("kill-server")
