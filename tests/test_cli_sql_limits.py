"""User SQL within limits, odd values, allowlisted functions, safe CSV (issue 14, items 4, 5
and 8's CSV injection), through the installed `caseread` and the app's SQL runner."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from store import Store
from store.confine import SqlRefused, run_read_only
from store.sql_limits import Limits

PROGRAM = Path(sys.executable).with_name("caseread")
pytestmark = pytest.mark.skipif(not PROGRAM.exists(), reason="caseread is not installed")
MB = 1 << 20


@pytest.fixture()
def env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ, CASEREAD_STORE=str(tmp_path / "store"),
               CASEREAD_CONFIG_DIR=str(tmp_path / "config"))
    subprocess.run([str(PROGRAM), "init"], env=env, check=True, capture_output=True)
    return env


def sql(env: dict[str, str], query: str, *opts: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(PROGRAM), "sql", query, *opts], env=env, capture_output=True,
                          text=True, timeout=120)


_MEASURE = """
import resource, subprocess, sys
p = subprocess.Popen(sys.argv[1:], stdout=subprocess.PIPE)
n = 0
while chunk := p.stdout.read(1 << 20):
    n += len(chunk)
p.wait()
print(n, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024, p.returncode)
"""


def test_a_result_bigger_than_the_memory_limit_streams_within_it(env: dict[str, str]) -> None:
    limit = 256 * MB
    out = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(PROGRAM), "sql", "--format", "csv",
         "--memory-limit", "256MB", "SELECT range AS n, range * 2 AS m FROM range(25000000)"],
        env=env, capture_output=True, text=True, timeout=300, check=True)
    written, peak, code = (int(x) for x in out.stdout.split())
    assert code == 0
    assert written > 1.5 * limit  # the whole result, far more than the limit ...
    assert peak < limit + 200 * MB  # ... while the process stayed near it (Python ~120 MB)


def test_a_runaway_query_is_stopped_by_the_timeout(env: dict[str, str]) -> None:
    start = time.monotonic()
    out = sql(env, "SELECT sum(a.range * b.range) FROM range(1000000) a, range(1000000) b",
              "--timeout", "1")
    assert out.returncode == 1 and out.stdout == ""
    assert out.stderr.splitlines() == [
        "caseread: error: query stopped after 1 s (the statement timeout; set "
        "CASEREAD_SQL_TIMEOUT or --timeout to allow longer)"]
    assert time.monotonic() - start < 30


def test_ctrl_c_stops_a_query_at_once_with_one_line_and_130(env: dict[str, str]) -> None:
    proc = subprocess.Popen(
        [str(PROGRAM), "sql", "--timeout", "0",
         "SELECT sum(a.range * b.range) FROM range(1000000) a, range(1000000) b"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(3)  # imports done, query running
    sent = time.monotonic()
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130
    assert err.splitlines() == ["caseread: interrupted: the query was stopped"]
    assert time.monotonic() - sent < 2


def test_thread_cap_and_memory_limit_apply_to_the_connection(tmp_path: Path) -> None:
    store = Store.init(tmp_path / "store")
    con = store.connect(Limits(memory="300MB", threads=1))
    assert con.sql("SELECT current_setting('threads')").fetchall() == [(1,)]
    assert "286" in con.sql("SELECT current_setting('memory_limit')").fetchall()[0][0]
    default = store.connect()
    assert default.sql("SELECT current_setting('threads')").fetchall()[0][0] <= \
        max(1, (os.cpu_count() or 1) // 4)


ODD = ("SELECT INTERVAL 90 MINUTE AS span, 'infinity'::TIMESTAMP AS inf, "
       "'-infinity'::TIMESTAMP AS ninf, TIMESTAMP '20000-01-01 00:00:00' AS far, "
       "[1, 2] AS list, {'a': [1], 'b': 'x'} AS rec, MAP {'k': 1} AS m, "
       "[{'x': NULL}] AS nested, 12345678901234567890::HUGEINT AS big, "
       "'1.5'::DECIMAL(4, 1) AS dec, NULL::INTERVAL AS nothing")


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_odd_values_never_crash_any_format(env: dict[str, str], fmt: str) -> None:
    out = sql(env, ODD, "--format", fmt)
    assert out.returncode == 0, out.stderr
    assert "infinity" in out.stdout and "01:30:00" in out.stdout
    if fmt == "json":
        row = json.loads(out.stdout)[0]
        assert row["list"] == [1, 2] and row["rec"] == {"a": [1], "b": "x"}
        assert row["inf"] == "infinity"


def test_nested_columns_are_json_text_in_csv(env: dict[str, str]) -> None:
    out = sql(env, "SELECT ['a', 'b;c'] AS l, {'k': 1} AS s", "--format", "csv")
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[1] == '"[""a"",""b;c""]","{""k"":1}"'


def test_csv_formula_injection_is_neutralised(env: dict[str, str]) -> None:
    out = sql(env, "SELECT * FROM (VALUES ('=HYPERLINK(\"http://x\")'), ('+1'), ('-2+3'), "
              "('@SUM(A1)'), ('plain')) t(note)", "--format", "csv")
    assert out.stdout.splitlines()[1:] == [
        '"\'=HYPERLINK(""http://x"")"', '"\'+1"', '"\'-2+3"', '"\'@SUM(A1)"', '"plain"']


@pytest.mark.parametrize("query", [
    "SELECT * FROM duckdb_secrets()",
    "SELECT current_setting('home_directory')",
    "SELECT * FROM duckdb_settings()",
    "SELECT getenv('HOME')",
    "SELECT * FROM duckdb_extensions()",
    "SELECT * FROM pragma_version()",
    "SELECT (SELECT count(*) FROM duckdb_temporary_files())",
    "SELECT * FROM which_secret('s3://x', 's3')",
    "WITH s AS (SELECT * FROM duckdb_settings()) SELECT * FROM s",
    "EXPLAIN SELECT current_setting('home_directory')",
])
def test_information_functions_are_refused(tmp_path: Path, query: str) -> None:
    store = Store.init(tmp_path / "store")
    with pytest.raises(SqlRefused, match="is not allowed"):
        run_read_only(store.connect(), query)


def test_functions_about_data_stay_allowed(tmp_path: Path) -> None:
    store = Store.init(tmp_path / "store")
    rows = run_read_only(store.connect(), "SELECT count(*) AS n, max(length(upper('x'))) AS l "
                         "FROM range(3), (SELECT unnest([1, 2])) "
                         "WHERE EXISTS (SELECT 1 FROM duckdb_views())").to_pylist()
    assert rows == [{"n": 6, "l": 1}]


def test_the_consoles_runner_shows_odd_values_and_has_a_timeout(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from store.confine import SqlError
    from tui.sql.run import export_csv, run_capped

    store = Store.init(tmp_path / "store")
    cur = store.connect().cursor()
    shown = run_capped(cur, ODD).table.to_pylist()[0]  # to_pylist: no OverflowError
    assert shown["inf"] == "infinity" and shown["span"] == "01:30:00"
    assert export_csv(cur, ODD, tmp_path / "odd.csv") == 1
    monkeypatch.setenv("CASEREAD_SQL_TIMEOUT", "1")
    start = time.monotonic()
    with pytest.raises(SqlError, match="query stopped after 1 s"):
        run_capped(cur, "SELECT sum(a.range * b.range) FROM range(1000000) a, "
                        "range(1000000) b")
    assert time.monotonic() - start < 30
