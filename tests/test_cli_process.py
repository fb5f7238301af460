"""The installed `caseread` program: exit statuses and one-line errors on stderr."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

PROGRAM = Path(sys.executable).with_name("caseread")
pytestmark = pytest.mark.skipif(not PROGRAM.exists(), reason="caseread is not installed")


def caseread(tmp_path: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, CASEREAD_STORE=str(tmp_path / "store"),
               CASEREAD_CONFIG_DIR=str(tmp_path / "config"))
    return subprocess.run([str(PROGRAM), *args], env=env, input=stdin, capture_output=True,
                          text=True, timeout=120, cwd=tmp_path)


def test_exit_statuses_and_one_line_errors(tmp_path: Path) -> None:
    missing = caseread(tmp_path, "scores")
    assert missing.returncode == 1
    assert missing.stderr.splitlines() == [
        f"caseread: error: {tmp_path / 'store'}: not a caseread store "
        "(create one with `caseread init`)"
    ]
    assert caseread(tmp_path, "init").returncode == 0
    assert caseread(tmp_path, "inspection", "add", "B1", "--area", "Beds",
                    "--date", "2013-03").returncode == 0
    refused = caseread(tmp_path, "sql", "-", stdin="SELECT * FROM glob('/*')")
    assert refused.returncode == 1 and refused.stdout == ""
    assert refused.stderr.splitlines() == [
        "caseread: error: SQL refused: glob() is not allowed: user SQL reads the store's "
        "data only"
    ]
    answered = caseread(tmp_path, "answer", "C1", "1.1.02", "y")
    assert answered.returncode == 1 and len(answered.stderr.splitlines()) == 1
    assert "unknown case 'C1'" in answered.stderr


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert caseread(tmp_path, "scores", "--method", "guess").returncode == 2
    assert caseread(tmp_path, "no-such-command").returncode == 2
    assert caseread(tmp_path, "answer", "C1").returncode == 2
