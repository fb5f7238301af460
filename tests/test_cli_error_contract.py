"""The error contract on a shared server (issue 14, item 8): one line, never a traceback,
never a hang. The suite runs as root, whose reads never fail and whose interpreter lives
under /root (0700), so a second OS account cannot run caseread here: the non-member's
permission error is injected (os.access / Path.exists), the rest is real."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from caseread.cli import cli
from store import AnswerInput, Store, StoreError

PROGRAM = Path(sys.executable).with_name("caseread")
DATA = Path(__file__).parent / "data"


def caseread(tmp_path: Path, *args: str, stdin: object = subprocess.DEVNULL
             ) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, CASEREAD_STORE=str(tmp_path / "store"),
               CASEREAD_CONFIG_DIR=str(tmp_path / "config"))
    return subprocess.run([str(PROGRAM), *args], env=env, stdin=stdin, capture_output=True,
                          text=True, timeout=60, cwd=tmp_path)


@pytest.fixture(scope="module")
def made_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    made = tmp_path_factory.mktemp("contract")
    for args in (["init"], ["inspection", "add", "B1", "--area", "Beds", "--date", "2013-03"],
                 ["case", "import", str(DATA / "cases.csv")]):
        assert caseread(made, *args).returncode == 0
    return made


@pytest.fixture()
def store_path(tmp_path: Path, made_once: Path) -> Path:
    """A private copy (store and config) of the store the module made once."""
    shutil.copytree(made_once, tmp_path, dirs_exist_ok=True, symlinks=True)
    return tmp_path


def test_a_non_member_gets_one_line_not_usage(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    store = tmp_path / "store"
    Store.init(store).close()
    real_exists = Path.exists

    def denied(self: Path, *a: object, **kw: object) -> bool:
        if self.parent == store:
            raise PermissionError(13, "Permission denied", str(self))
        return real_exists(self)

    monkeypatch.setattr(os, "access", lambda *a, **kw: False)  # what click checks
    monkeypatch.setattr(Path, "exists", denied)
    result = CliRunner().invoke(cli, ["--store", str(store), "scores"],
                                env={"CASEREAD_CONFIG_DIR": str(tmp_path / "c")})
    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines() == [
        f"caseread: error: {store}: permission denied (a store is shared with one Unix "
        "group: ask to be added to it)"]


@pytest.mark.skipif(not PROGRAM.exists(), reason="caseread is not installed")
def test_without_a_terminal_the_app_says_so_and_exits_1(store_path: Path) -> None:
    for args in ([], ["open"]):
        out = caseread(store_path, *args)
        assert out.returncode == 1 and out.stdout == ""
        assert out.stderr.splitlines() == [
            "caseread: error: the app needs a terminal (stdin and stdout are not one); use a "
            "command instead, see `caseread --help`"]


@pytest.mark.skipif(not PROGRAM.exists(), reason="caseread is not installed")
def test_importing_a_fifo_is_refused_not_hung(store_path: Path) -> None:
    fifo = store_path / "answers.csv"
    os.mkfifo(fifo)
    for command in ("answers", "case"):
        out = caseread(store_path, command, "import", str(fifo))
        assert out.returncode == 1
        assert out.stderr.splitlines() == [
            f"caseread: error: {fifo}: not a regular file (a FIFO, device or directory "
            "cannot be imported); nothing imported"]


@pytest.mark.skipif(not PROGRAM.exists(), reason="caseread is not installed")
def test_a_note_over_128_kib_imports_or_fails_in_one_line(store_path: Path) -> None:
    note = "x,\n" * 60_000  # quoted, with commas and newlines: ~180 KiB
    good = store_path / "good.csv"
    good.write_text(f'case_id,question_id,answer,note\nC001,1.1.02,y,"{note}"\n')
    assert caseread(store_path, "answers", "import", str(good)).returncode == 0
    bad = store_path / "bad.csv"
    bad.write_text(f'case_id,question_id,answer,note\nC001,1.1.02,y,"{note}"\n'
                   "C002,1.1.02,y,a,b\n")
    out = caseread(store_path, "answers", "import", str(bad))
    assert out.returncode == 1 and len(out.stderr.splitlines()) == 1
    assert "row 3: expected 4 columns, found 5" in out.stderr


def test_kind_change_of_a_record_with_answers_is_refused(tmp_store: Store) -> None:
    tmp_store.save_case("bed13", "C1", {}, kind="case")
    tmp_store.save_case("bed13", "C2", {}, kind="case")
    tmp_store.save_answers("bed13", [AnswerInput("C1", "1.1.01", "yes")])
    with pytest.raises(StoreError, match="C1 has answers, so it cannot change from case"):
        tmp_store.save_case("bed13", "C1", {}, kind="interview")
    tmp_store.save_case("bed13", "C2", {}, kind="interview")  # no answers: allowed
    tmp_store.save_answers("bed13", [AnswerInput("C1", "1.1.01", None)])
    tmp_store.save_case("bed13", "C1", {}, kind="interview")  # answers cleared: allowed


@pytest.mark.skipif(not PROGRAM.exists(), reason="caseread is not installed")
def test_kind_change_by_reimport_is_refused_and_scores_stay(store_path: Path) -> None:
    assert caseread(store_path, "answer", "C001", "1.1.02", "y").returncode == 0
    before = caseread(store_path, "scores", "--format", "json").stdout
    text = (DATA / "cases.csv").read_text().splitlines()
    header, rows = text[0], [r for r in text[1:] if r.startswith("C001")]
    (store_path / "again.csv").write_text("\n".join([header, rows[0].rstrip(",") + ",interview"
                                                    if rows[0].endswith(",") else rows[0]]))
    out = caseread(store_path, "case", "import", str(store_path / "again.csv"))
    assert out.returncode == 1 and "C001 is a case record with answers" in out.stderr
    assert caseread(store_path, "scores", "--format", "json").stdout == before


def test_background_compaction_on_a_full_disk_prints_no_traceback(
        tiny_store: Store, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    from store import compaction

    def full(*a: object, **kw: object) -> None:
        raise OSError(28, "No space left on device")

    tiny_store.auto_compact_at = 2
    monkeypatch.setattr(compaction, "_merge", full)
    hooks: list[object] = []
    monkeypatch.setattr(threading, "excepthook", lambda args: hooks.append(args))
    for i in range(4):
        tiny_store.save_answers("t1", [AnswerInput(f"C{i}", "1.1.01", "y")])
    for thread in threading.enumerate():
        if thread.name == "caseread-compact":
            thread.join(10)
    assert hooks == [] and "Traceback" not in capsys.readouterr().err


def test_per_user_caches_are_private_under_a_loose_umask(tmp_path: Path,
                                                         store_path: Path) -> None:
    """Item 6: the case-list snapshot and state.json were 0644 under umask 022."""
    from tui.cases import list_snapshot
    from tui.common import config

    old = os.umask(0o022)
    try:
        cache = tmp_path / "cache"
        list_snapshot.write(cache, store_path / "store", "B1", [["a"]], [], False)
        config.remember_inspection(store_path / "store", "B1", tmp_path / "appcfg")
        assert caseread(store_path, "scores", "--inspection", "B1").returncode == 0
    finally:
        os.umask(old)
    files = [list_snapshot.snapshot_path(cache, store_path / "store", "B1"),
             tmp_path / "appcfg" / "state.json", store_path / "config" / "state.json"]
    for path in files:
        assert (path.stat().st_mode & 0o777) == 0o600, path
    assert (list_snapshot.snapshot_path(cache, store_path / "store", "B1").parent.stat()
            .st_mode & 0o077) == 0


@pytest.mark.skipif(not PROGRAM.exists(), reason="caseread is not installed")
def test_usage_errors_are_one_line_naming_the_command(store_path: Path) -> None:
    """Click's own errors (a directory given for a file, a missing argument, an unknown
    command or option) were three lines of usage and hint: now one, like every error."""
    cases = [
        (("answers", "import", str(store_path)), "caseread answers import",
         f"Invalid value for 'FILE.csv': File '{store_path}' is a directory"),
        (("case", "import"), "caseread case import", "Missing argument 'FILE.csv'"),
        (("nosuch",), "caseread", "No such command 'nosuch'"),
        (("scores", "--bogus"), "caseread scores", "No such option '--bogus'"),
    ]
    for args, path, message in cases:
        out = caseread(store_path, *args)
        assert out.returncode == 2, (args, out.stderr)
        assert out.stderr.splitlines() == [
            f"{path}: error: {message}; see `{path} --help`"], args


@pytest.mark.skipif(not PROGRAM.exists(), reason="caseread is not installed")
def test_the_demo_without_a_terminal_prints_scores_not_a_hidden_app(tmp_path: Path) -> None:
    """`caseread demo | less` or in a script ran the app headless, spinning unseen forever."""
    out = caseread(tmp_path, "demo")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0].startswith("Demo inspection") and "(synthetic) created in" in lines[0]
    assert lines[-1] == "Open it in a terminal with `caseread demo`."
    assert any(line.startswith("5 Delivering effective work for victims") for line in lines)


@pytest.mark.skipif(not PROGRAM.exists(), reason="caseread is not installed")
def test_an_argument_that_is_not_utf8_is_one_line_not_a_traceback(store_path: Path) -> None:
    """A Latin-1 terminal's é in a note or a query reached the store as a lone surrogate
    and ended in a UnicodeEncodeError traceback (or a TypeError from the SQL parser)."""
    env = dict(os.environ, CASEREAD_STORE=str(store_path / "store"),
               CASEREAD_CONFIG_DIR=str(store_path / "config"), LC_ALL="C")
    for args in ([b"answer", b"C001", b"1.1.04", b"n", b"--note", b"caf\xe9 iso"],
                 [b"sql", b"SELECT '\xe9'"]):
        out = subprocess.run([bytes(PROGRAM), *args], env=env, capture_output=True,
                             timeout=60, cwd=store_path, stdin=subprocess.DEVNULL)
        err = out.stderr.decode("utf-8", "replace")
        assert out.returncode == 2 and "Traceback" not in err, err
        assert len(err.splitlines()) == 1 and "is not UTF-8 text" in err, err
    hist = caseread(store_path, "sql", "SELECT count(*) AS n FROM answer_history",
                    "--format", "csv")
    assert hist.stdout.splitlines()[-1] == "0"  # nothing saved
