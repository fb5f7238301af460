"""Output never crashes on a non-UTF-8 locale: UTF-8 to pipes and files, '?' for what a
non-UTF-8 terminal cannot show. Through the installed `caseread` in a subprocess."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from caseread.streams import configure_stream

PROGRAM = Path(sys.executable).with_name("caseread")
DATA = Path(__file__).parent / "data"
NOTE = "seen \u2013 \u201cPSR\u201d \u2192 ok"  # en dash, curly quotes, arrow: not in Latin-1


def caseread(tmp_path: Path, *args: str, encoding: str = "latin-1",
             ) -> subprocess.CompletedProcess[bytes]:
    env = dict(os.environ, CASEREAD_STORE=str(tmp_path / "store"),
               CASEREAD_CONFIG_DIR=str(tmp_path / "config"), LANG="en_GB.ISO-8859-1",
               LC_ALL="en_GB.ISO-8859-1", PYTHONIOENCODING=encoding)
    return subprocess.run([str(PROGRAM), *args], env=env, capture_output=True, timeout=120,
                          cwd=tmp_path, check=False)


@pytest.fixture(scope="module")
def made_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not PROGRAM.exists():
        pytest.skip("caseread is not installed")
    made = tmp_path_factory.mktemp("encoding")
    for args in (("init",), ("inspection", "add", "B1", "--area", "Beds", "--date", "2013-03"),
                 ("case", "import", str(DATA / "cases.csv")),
                 ("answer", "C001", "1.1.02", "y", "--note", NOTE)):
        done = caseread(made, *args, encoding="utf-8")
        assert done.returncode == 0, done.stderr
    return made


@pytest.fixture()
def store(tmp_path: Path, made_once: Path) -> Path:
    """A private copy (store and config) of the store the module made once."""
    shutil.copytree(made_once, tmp_path, dirs_exist_ok=True, symlinks=True)
    return tmp_path


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_sql_output_in_every_format_survives_a_latin1_locale(store: Path, fmt: str) -> None:
    done = caseread(store, "sql", "SELECT note FROM answers_current", "--format", fmt)
    assert done.returncode == 0, done.stderr.decode("latin-1")
    assert b"Traceback" not in done.stderr
    # PYTHONIOENCODING chose Latin-1: kept, with '?' for what it cannot encode
    assert "seen ? ?PSR? ? ok".encode("latin-1") in done.stdout


def test_report_markdown_to_stdout_survives_a_latin1_locale(store: Path) -> None:
    done = caseread(store, "report", "--format", "md", "-")
    assert done.returncode == 0, done.stderr.decode("latin-1")
    assert b"Traceback" not in done.stderr and done.stdout.startswith(b"#")


def test_a_pipe_gets_utf8_whatever_the_locale() -> None:
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="latin-1")  # a pipe: not a terminal
    configure_stream(stream)
    stream.write(NOTE)
    stream.flush()
    assert raw.getvalue().decode("utf-8") == NOTE


def test_a_non_utf8_terminal_gets_replacements_not_a_crash() -> None:
    class Terminal(io.TextIOWrapper):
        def isatty(self) -> bool:
            return True

    raw = io.BytesIO()
    stream = Terminal(raw, encoding="latin-1")
    configure_stream(stream)
    stream.write(NOTE + " caf\u00e9")
    stream.flush()
    assert raw.getvalue() == "seen ? ?PSR? ? ok caf\u00e9".encode("latin-1")
