"""Presence: who has a case open, as lease files in the store (information, never a lock)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import test_tui_app
from test_tui_app import INSPECTION, make_app, settle, sync, wait_for
from test_tui_case_form import open_case

from store import Store
from store.presence import LEASE_SECONDS, PresenceLease, who_has

tui_store = test_tui_app.tui_store


def lease_file(root: Path, user: str, case_id: str, pid: int, since: datetime) -> Path:
    """A lease as another inspector's app writes it."""
    directory = root / ".presence"
    directory.mkdir(exist_ok=True)
    path = directory / f"{user}.host.{pid}.json"
    import socket

    path.write_text(json.dumps({
        "user": user, "host": socket.gethostname(), "pid": pid,
        "inspection_id": INSPECTION, "case_id": case_id,
        "since": since.isoformat(), "renewed": datetime.now(UTC).isoformat()}))
    return path


def test_a_lease_is_seen_by_others_and_gone_when_released(tmp_path: Path) -> None:
    lease = PresenceLease(tmp_path, "alice")
    lease.hold(INSPECTION, "C08")
    (found,) = who_has(tmp_path, INSPECTION)["C08"]
    assert (found.user, found.case_id) == ("alice", "C08")
    assert found.describe().startswith("open by alice since ")
    assert who_has(tmp_path, INSPECTION, exclude_pid=os.getpid()) == {}
    assert who_has(tmp_path, "other") == {}
    lease.release()
    assert who_has(tmp_path, INSPECTION) == {}


def test_a_lease_not_renewed_expires(tmp_path: Path) -> None:
    lease = PresenceLease(tmp_path, "alice")
    lease.hold(INSPECTION, "C08")
    later = datetime.now(UTC) + timedelta(seconds=LEASE_SECONDS + 1)
    assert who_has(tmp_path, INSPECTION, now=later) == {}


def test_a_dead_apps_lease_is_gone_at_once(tmp_path: Path) -> None:
    """A real process holds a lease and is killed: nobody sees the case open any more."""
    script = textwrap.dedent(f"""
        import sys, time
        from store.presence import PresenceLease
        PresenceLease({str(tmp_path)!r}, "bob").hold({INSPECTION!r}, "C02")
        print("held", flush=True)
        time.sleep(60)
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True,
                            cwd=Path(__file__).resolve().parents[1])
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
        assert [le.user for le in who_has(tmp_path, INSPECTION)["C02"]] == ["bob"]
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        assert who_has(tmp_path, INSPECTION) == {}
    finally:
        proc.kill()


def test_leases_are_regular_files_only(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.txt"
    target.write_text("keep")
    lease = PresenceLease(tmp_path, "alice")
    lease.directory.mkdir()
    lease.path.symlink_to(target)  # planted where the lease goes
    lease.hold(INSPECTION, "C08")
    assert target.read_text() == "keep" and not lease.path.is_symlink()
    other = lease.directory / "mallory.host.1.json"
    other.symlink_to(target)  # never read through
    fifo = lease.directory / "fifo.json"
    os.mkfifo(fifo)  # never blocks a reader
    assert [le.user for le in who_has(tmp_path, INSPECTION)["C08"]] == ["alice"]


@sync
async def test_who_has_a_case_open_shows_in_the_list_and_the_form(tui_store: Store) -> None:
    since = datetime.now(UTC) - timedelta(minutes=5)
    lease_file(tui_store.root, "bob", "C01", os.getppid(), since)  # a live process
    app = make_app(tui_store)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        screen: Any = app.screen
        text = f"open by bob since {since.astimezone():%H:%M}"
        await wait_for(pilot, lambda: screen.open_by.get("C01") == text)
        rows = [screen.query_one("#cases").get_row_at(i) for i in range(3)]
        assert any(text in " ".join(map(str, r)) for r in rows)
        form = await open_case(pilot, "C01")
        await wait_for(pilot, lambda: text in str(form.query_one("#form-title").render()))
        mine = who_has(tui_store.root, INSPECTION)
        assert [le.user for le in mine["C01"]] == ["bob", tui_store.author]  # ours is held
        await pilot.press("escape")
        await settle(pilot)
        assert [le.user for le in who_has(tui_store.root, INSPECTION)["C01"]] == ["bob"]



@sync
async def test_at_80_columns_the_form_title_shortens_who_else_has_it_open(
        tui_store: Store) -> None:
    """At 80 columns the title was cut mid-phrase, "ALSO open by root since": it now says
    "also open: root 17:02" (whole) when the long form does not fit."""
    since = datetime.now(UTC) - timedelta(minutes=5)
    lease_file(tui_store.root, "root", "C01", os.getppid(), since)
    app = make_app(tui_store)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_case(pilot, "C01")
        short = f"also open: root {since.astimezone():%H:%M}"
        title = form.query_one("#form-title")
        await wait_for(pilot, lambda: short in str(title.render()))
        shown = str(title.render())
        assert len(shown) <= title.size.width and "ALSO open by" not in shown
