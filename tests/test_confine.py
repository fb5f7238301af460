"""The SQL console's connection reads the store's views and nothing else."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from store.confine import (
    SqlError,
    SqlRefused,
    check_read_only,
    confined_connection,
    run_read_only,
)


@pytest.fixture()
def store_dir(tmp_path: Path) -> Path:
    store = tmp_path / "store"
    (store / "answers" / "I1").mkdir(parents=True)
    (store / ".tmp").mkdir()
    with duckdb.connect() as con:
        con.execute(
            "COPY (SELECT 'I1' AS inspection_id, 'C1' AS case_id, 'yes' AS answer) "
            f"TO '{store}/answers/I1/part-1.parquet'"
        )
    (tmp_path / "secret.csv").write_text("a,b\n1,2\n")
    return store


@pytest.fixture()
def con(store_dir: Path) -> duckdb.DuckDBPyConnection:
    views = (
        "CREATE VIEW answers_current AS SELECT * FROM "
        f"read_parquet('{store_dir}/answers/*/*.parquet', union_by_name=true)"
    )
    return confined_connection(store_dir, views)


def test_views_over_the_store_are_readable(con: duckdb.DuckDBPyConnection) -> None:
    table = run_read_only(con, "SELECT case_id, answer FROM answers_current")
    assert table.to_pylist() == [{"case_id": "C1", "answer": "yes"}]


def test_cursors_share_the_confinement(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    cursor = con.cursor()
    assert cursor.execute("SELECT count(*) FROM answers_current").fetchone() == (1,)
    with pytest.raises(duckdb.PermissionException):
        cursor.execute(f"SELECT * FROM read_csv('{tmp_path}/secret.csv')")


def escapes(store: Path) -> list[str]:
    outside = store.parent
    return [
        # reading elsewhere
        "SELECT * FROM read_csv('/etc/passwd')",
        "SELECT * FROM read_text('/etc/passwd')",
        "SELECT * FROM read_blob('/etc/hostname')",
        "SELECT * FROM read_json('/etc/passwd')",
        "SELECT * FROM sniff_csv('/etc/passwd')",
        "SELECT * FROM glob('/*')",
        f"SELECT * FROM '{outside}/secret.csv'",
        f"SELECT * FROM read_csv('{store}/../secret.csv')",
        f"SELECT * FROM read_text('{store}/answers/../../secret.csv')",
        f"SELECT * FROM read_text('{store}/answers/I1/../../.tmp/x')",
        f"SELECT * FROM glob('{store}/answers/../*')",
        "SELECT * FROM read_csv('secret.csv')",
        "SELECT * FROM 'https://example.com/data.csv'",
        # writing, outside and inside the store
        "COPY (SELECT 1) TO '/tmp/caseread-escape.csv'",
        f"COPY (SELECT 1) TO '{store}/answers/I1/part-evil.parquet'",
        f"COPY answers_current TO '{store}/answers/I1/part-evil.parquet'",
        "EXPORT DATABASE '/tmp/caseread-escape'",
        f"EXPORT DATABASE '{store}/answers/export'",
        f"ATTACH '{store}/answers/x.duckdb'",
        "ATTACH '/tmp/caseread-escape.duckdb'",
        "CREATE TABLE t AS SELECT 1",
        "CREATE TEMP TABLE t AS SELECT 1",
        "CREATE OR REPLACE VIEW answers_current AS SELECT 1",
        "INSERT INTO answers_current VALUES (1)",
        "DROP VIEW answers_current",
        # settings and extensions
        "SET enable_external_access = true",
        "RESET enable_external_access",
        "SET allowed_directories = ['/']",
        "SET memory_limit = '100GB'",
        "PRAGMA threads = 1",
        "INSTALL httpfs",
        "LOAD httpfs",
        "CALL pragma_version()",
        "CHECKPOINT",
        # smuggling a second statement or a write inside EXPLAIN ANALYZE / query()
        "SELECT 1; COPY (SELECT 1) TO '/tmp/caseread-escape.csv'",
        f"EXPLAIN ANALYZE COPY (SELECT 1) TO '{store}/answers/x.csv'",
        f"SELECT * FROM query('COPY (SELECT 1) TO ''{store}/answers/x.csv''')",
    ]


def test_every_escape_attempt_is_refused(con: duckdb.DuckDBPyConnection, store_dir: Path) -> None:
    before = sorted(p.name for p in store_dir.rglob("*"))
    for sql in escapes(store_dir):
        # query() is not on the allowlist of table functions (store/sql_allow.py)
        with pytest.raises(SqlRefused) as info:
            run_read_only(con, sql)
        assert str(info.value).startswith(("SQL refused: ", "SQL error: ")), sql
    assert sorted(p.name for p in store_dir.rglob("*")) == before
    assert not Path("/tmp/caseread-escape.csv").exists()


def test_escapes_fail_on_the_raw_connection_too(
    con: duckdb.DuckDBPyConnection, store_dir: Path
) -> None:
    """Layer 1 alone (no statement check) still stops everything outside the store."""
    outside = [
        "SELECT * FROM read_csv('/etc/passwd')",
        "SELECT * FROM glob('/*')",
        "COPY (SELECT 1) TO '/tmp/caseread-escape.csv'",
        "ATTACH '/tmp/caseread-escape.duckdb'",
        "SET enable_external_access = true",
        "LOAD httpfs",
        "INSTALL httpfs",
    ]
    for sql in outside:
        with pytest.raises(duckdb.Error):
            con.execute(sql)


def test_refusals_say_why(con: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(SqlRefused, match="only SELECT queries are allowed, not COPY"):
        run_read_only(con, "COPY (SELECT 1) TO '/tmp/x.csv'")
    with pytest.raises(SqlRefused, match="not INSTALL"):
        run_read_only(con, "-- a comment\n/* and another */ INSTALL httpfs")
    with pytest.raises(SqlRefused, match="not PRAGMA"):
        run_read_only(con, "SELECT 1; PRAGMA threads = 1")
    with pytest.raises(SqlRefused, match=r"read_csv\(\) is not allowed"):
        run_read_only(con, "SELECT * FROM read_csv('/etc/passwd')")


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT 1",
        "FROM answers_current",
        "DESCRIBE answers_current",
        "SUMMARIZE answers_current",
        "EXPLAIN SELECT 1",
        "WITH a AS (SELECT 1) SELECT * FROM a",
        "SELECT * FROM duckdb_views()",
    ],
)
def test_reading_queries_are_allowed(con: duckdb.DuckDBPyConnection, sql: str) -> None:
    check_read_only(sql)
    assert run_read_only(con, sql).num_rows >= 1


def test_plain_sql_mistakes_are_errors_not_refusals(con: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(SqlError, match="nope"):
        run_read_only(con, "SELECT nope FROM answers_current")
    with pytest.raises(SqlError, match="empty"):
        run_read_only(con, "  ")


def test_memory_is_limited(con: duckdb.DuckDBPyConnection) -> None:
    # user SQL may not read settings (sql_allow), so the connection is asked directly
    limit = con.sql("SELECT current_setting('memory_limit') AS m").fetchall()[0][0]
    assert limit == "1.8 GiB"  # DuckDB shows 2GB (decimal) in GiB
