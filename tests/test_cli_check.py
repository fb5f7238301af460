"""`caseread check` reports each kind of odd file and moves nothing; `caseread repair`
fixes what can be fixed (issue 14, item 2)."""

from __future__ import annotations

import os
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner, Result

from caseread.cli import cli
from store.layout import fragment_name
from store.schemas import ANSWERS

DATA = Path(__file__).parent / "data"
pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")


def run(env: dict[str, str], *args: str) -> Result:
    return CliRunner().invoke(cli, list(args), env=env)


@pytest.fixture()
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    monkeypatch.setenv("CASEREAD_CONFIG_DIR", str(tmp_path / "config"))
    env = {"CASEREAD_STORE": str(tmp_path / "store"),
           "CASEREAD_CONFIG_DIR": str(tmp_path / "config")}
    for args in (["init"], ["inspection", "add", "B1", "--area", "Beds", "--date", "2013-03"],
                 ["case", "import", str(DATA / "cases.csv")],
                 ["answers", "import", str(DATA / "answers.csv")]):
        assert run(env, *args).exit_code == 0
    return env


def _plant_odd_files(store: Path, outside: Path) -> dict[str, Path]:
    part = store / "answers" / "inspection_id=B1"
    fifo = part / f"{fragment_name()}.parquet"
    os.mkfifo(fifo)
    null_time = part / f"{fragment_name()}.parquet"
    row = {"inspection_id": "B1", "case_id": "C001", "question_id": "1.1.02", "answer": "no",
           "author": "x", "saved_at": None, "framework_version": "v", "event_id": "e" * 32}
    pq.write_table(pa.Table.from_pylist([row], schema=ANSWERS), null_time)
    lock = store / ".locks" / "compact.lock"
    lock.parent.mkdir(exist_ok=True)
    lock.unlink(missing_ok=True)
    lock.symlink_to(outside)
    empty = store / "answers" / "inspection_id=.empty" / ".empty.parquet"
    empty.write_bytes(b"damaged")
    return {"fifo": fifo, "null": null_time, "lock": lock, "empty": empty}


def test_check_reports_each_kind_and_moves_nothing_then_repair_fixes(
        env: dict[str, str], tmp_path: Path) -> None:
    sound = run(env, "check")
    assert sound.exit_code == 0 and "store is sound" in sound.stdout
    outside = tmp_path / "victim"
    outside.write_text("private")
    outside.chmod(0o600)
    planted = _plant_odd_files(tmp_path / "store", outside)
    checked = run(env, "check")
    assert checked.exit_code == 1
    report = checked.stdout
    assert "FIFO" in report and "saved_at is empty" in report
    assert f"{planted['lock']}: a symbolic link" in report
    assert str(planted["empty"]) in report
    assert checked.stderr.startswith("caseread: error: 4 problem(s) found")
    assert all(os.path.lexists(p) for p in planted.values())  # check moves nothing
    repaired = run(env, "repair")
    assert repaired.exit_code == 0, repaired.output
    assert run(env, "check").exit_code == 0
    assert outside.read_text() == "private" and (outside.stat().st_mode & 0o777) == 0o600
    assert pq.read_table(planted["empty"]).num_rows == 0  # rebuilt
    scores = run(env, "scores", "--format", "json")
    assert scores.exit_code == 0


def test_repair_leaves_a_link_in_the_data_it_cannot_judge_reported(
        env: dict[str, str], tmp_path: Path) -> None:
    private = tmp_path / "private"
    private.mkdir()
    (tmp_path / "store" / "answers" / "zz").symlink_to(private)
    assert run(env, "check").exit_code == 1
    assert run(env, "repair").exit_code == 0  # moved aside as a link, then removed
    assert private.is_dir() and run(env, "check").exit_code == 0
