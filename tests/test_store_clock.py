"""The writer's clock does not decide the order of saves (issue 14, item 3).

With Debian's `faketime` (installed by .ci/run) the real `caseread` runs with a clock
minutes behind, an hour behind, or a day ahead; without it the same cases run in-process
with the writer's clock monkeypatched.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from store import AnswerInput, Store, clock, layout
from store.clock import ClockError

PROGRAM = Path(sys.executable).with_name("caseread")
FAKETIME = shutil.which("faketime")
needs_faketime = pytest.mark.skipif(FAKETIME is None or not PROGRAM.exists(),
                                    reason="faketime (Debian package) or caseread missing")
CASES = Path(__file__).parent / "data" / "cases.csv"


def run(tmp_path: Path, *args: str, fake: str | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, CASEREAD_STORE=str(tmp_path / "store"),
               CASEREAD_CONFIG_DIR=str(tmp_path / "config"))
    prefix = [str(FAKETIME), "-f", fake] if fake else []
    return subprocess.run([*prefix, str(PROGRAM), *args], env=env, capture_output=True,
                          text=True, timeout=120, cwd=tmp_path)


def current(tmp_path: Path) -> str:
    out = run(tmp_path, "sql", "SELECT answer FROM answers_current", "--format", "csv")
    assert out.returncode == 0, out.stderr
    return out.stdout.splitlines()[1].strip('"')


@pytest.fixture
def cli_store(tmp_path: Path) -> Path:
    assert run(tmp_path, "init").returncode == 0
    assert run(tmp_path, "inspection", "add", "B1", "--area", "Beds",
               "--date", "2013-03").returncode == 0
    imported = run(tmp_path, "case", "import", str(CASES))
    assert imported.returncode == 0, imported.stderr
    return tmp_path


@needs_faketime
def test_a_later_save_from_a_slow_clock_wins(cli_store: Path) -> None:
    assert run(cli_store, "answer", "C001", "1.1.01", "y").returncode == 0
    slow = run(cli_store, "answer", "C001", "1.1.01", "n", fake="-3m")
    assert slow.returncode == 0, slow.stderr
    assert current(cli_store) == "no"


@needs_faketime
def test_a_clock_an_hour_behind_is_refused_with_a_clear_message(cli_store: Path) -> None:
    assert run(cli_store, "answer", "C001", "1.1.01", "y").returncode == 0
    slow = run(cli_store, "answer", "C001", "1.1.01", "n", fake="-1h")
    assert slow.returncode == 1 and slow.stdout == ""
    assert slow.stderr.startswith("caseread: error: not saved: this computer's clock")
    assert len(slow.stderr.splitlines()) == 1 and "1 h 0 min behind" in slow.stderr
    assert current(cli_store) == "yes"


@needs_faketime
def test_a_clock_a_day_ahead_does_not_win_later_corrections(cli_store: Path) -> None:
    fast = run(cli_store, "answer", "C001", "1.1.01", "y", fake="+1d")
    assert fast.returncode == 0, fast.stderr
    assert run(cli_store, "answer", "C001", "1.1.01", "n").returncode == 0
    assert current(cli_store) == "no"
    history = run(cli_store, "sql", "SELECT count(*) FROM answer_history", "--format", "csv")
    assert history.stdout.splitlines()[1].strip('"') == "2"  # nothing quarantined: both believable


@needs_faketime
def test_an_open_form_sees_the_slow_writers_save(cli_store: Path) -> None:
    store = Store.open(cli_store / "store")
    since = store.now()
    assert run(cli_store, "answer", "C001", "1.1.01", "n", fake="-3m").returncode == 0
    events = store.changes_since("B1", "C001", since)
    assert [e.answer for e in events] == ["no"]


def _shift(monkeypatch: pytest.MonkeyPatch, by: timedelta) -> None:
    real = layout.utc_now
    monkeypatch.setattr(clock, "utc_now", lambda: real() + by)
    monkeypatch.setattr(layout, "utc_now", lambda: real() + by)


def test_order_comes_from_the_store_not_the_writers_clock(
        tiny_store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    tiny_store.save_answers("t1", [AnswerInput("C1", "1.1.01", "y")])
    _shift(monkeypatch, -timedelta(minutes=3))
    later = tiny_store.save_answers("t1", [AnswerInput("C1", "1.1.01", "n")])
    assert tiny_store.scores("t1").question("1.1.01")["insufficient"] == 1
    _shift(monkeypatch, -timedelta(hours=1))
    with pytest.raises(ClockError, match="behind the store"):
        tiny_store.save_answers("t1", [AnswerInput("C1", "1.1.01", "y")])
    assert later.saved_at > clock.store_now(tiny_store.layout) - timedelta(minutes=1)


def test_saves_in_one_partition_are_strictly_ordered(tiny_store: Store,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    frozen = clock.store_now(tiny_store.layout)
    monkeypatch.setattr(clock, "store_now", lambda _layout: frozen)  # a coarse store clock
    times = [tiny_store.save_answers("t1", [AnswerInput("C1", "1.1.01", v)]).saved_at
             for v in "ynyn"]
    assert times == sorted(set(times)) and len(set(times)) == 4
    assert tiny_store.scores("t1").question("1.1.01")["insufficient"] == 1


def test_a_forged_future_name_does_not_drag_saves_into_the_future(tiny_store: Store) -> None:
    future = tiny_store.root / "answers" / "inspection_id=t1" / (
        "part-99991231T000000000000-host-1-" + "0" * 32 + ".parquet")
    future.write_bytes(b"x")
    receipt = tiny_store.save_answers("t1", [AnswerInput("C1", "1.1.01", "y")])
    assert receipt.saved_at < clock.store_now(tiny_store.layout) + timedelta(seconds=1)
