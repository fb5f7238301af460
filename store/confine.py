"""The confined, read-only DuckDB connection behind the SQL console and `caseread sql`.

Two layers, because DuckDB has no "read-only directory" setting:
1. DuckDB's own controls: no external access except reading the store's Parquet
   directories, no extensions, no temp spill files, configuration locked.
   This stops reading or writing anywhere outside the store.
2. `check_read_only`: every statement of user SQL must be a SELECT (or EXPLAIN of one).
   This stops writes *inside* the store dirs (COPY ... TO, EXPORT DATABASE, ATTACH),
   which layer 1 alone would allow because those dirs must stay readable.
3. Every function it names must be on the allowlist of store/sql_allow.py (no settings,
   secrets, environment), checked on DuckDB's own parse tree.
Resource limits (memory, threads, time) are in store/sql_limits.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import duckdb
import pyarrow as pa

from .reading import retrying
from .sql_limits import Limits

# Store subdirectories holding Parquet that the views read (see DESIGN.md "Store layout").
DATA_DIRS = ("framework", "inspections", "cases", "answers", "qa", "lead", "readings")

_CONNECT_CONFIG: dict[str, str | int | float | list[str]] = {
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "allow_community_extensions": False,
    "allow_persistent_secrets": False,
    # "" = no spill files; otherwise DuckDB allows writing to its temp dir (./.tmp).
    "temp_directory": "",
}

_FIRST_WORD = re.compile(r"\s*(?:--[^\n]*\n\s*|/\*.*?\*/\s*)*\(*\s*([A-Za-z]+)", re.DOTALL)
_EXPLAIN = re.compile(r"^\s*explain(\s+analyze)?\s+", re.IGNORECASE)


class SqlRefused(Exception):
    """User SQL that tries to leave the store, write, or change settings."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"SQL refused: {reason}")
        self.reason = reason


class SqlError(Exception):
    """User SQL that is allowed but wrong (syntax, unknown column, ...)."""

    def __init__(self, problem: str) -> None:
        super().__init__(f"SQL error: {problem}")
        self.problem = problem


def allowed_directories(store_dir: Path) -> list[str]:
    """The store's data dirs, as given and as resolved (views may use either spelling)."""
    roots = {str(Path(store_dir).absolute()), str(Path(store_dir).resolve())}
    return sorted(f"{root}/{name}/" for root in roots for name in DATA_DIRS)


def confined_connection(store_dir: Path, view_sql: str,
                        limits: Limits | None = None) -> duckdb.DuckDBPyConnection:
    """An in-memory connection that can only read the store, with the views created.

    `view_sql` must name Parquet files by absolute path: DuckDB checks the path as
    written, so relative globs are refused once external access is off.
    Cursors (`con.cursor()`) share the same locked configuration.
    """
    config = dict(_CONNECT_CONFIG) | (limits or Limits.from_env()).config()
    con = duckdb.connect(":memory:", config=config)
    dirs = allowed_directories(store_dir)
    con.execute("SET allowed_directories = $dirs", {"dirs": dirs})
    con.execute("SET enable_external_access = false")
    if view_sql.strip():
        con.execute(view_sql)
    con.execute("SET lock_configuration = true")
    return con


def check_read_only(sql: str) -> None:
    """Raise SqlRefused unless every statement in `sql` only reads."""
    if not sql.strip():
        raise SqlError("the query is empty")
    try:
        statements = duckdb.extract_statements(sql)
    except duckdb.Error as exc:
        raise SqlError(first_line(exc)) from exc
    if not statements:
        raise SqlError("the query is empty")
    for statement in statements:
        _check_statement(statement)


def _check_statement(statement: duckdb.Statement) -> None:
    kind = statement.type
    if kind == duckdb.StatementType.SELECT:
        _check_functions(statement.query)
        return
    if kind == duckdb.StatementType.EXPLAIN:
        # EXPLAIN ANALYZE runs its statement, so the inner one must be a SELECT too.
        inner = _EXPLAIN.sub("", statement.query, count=1)
        if inner != statement.query:
            check_read_only(inner)
            return
    raise SqlRefused(f"only SELECT queries are allowed, not {_verb(statement)}")


def _check_functions(select: str) -> None:
    """Only allowed functions (store/sql_allow.py): not settings, secrets, environment."""
    from .sql_allow import refused_function

    try:
        reason = refused_function(select)
    except ValueError as exc:
        raise SqlError(first_line(exc)) from exc
    if reason:
        raise SqlRefused(reason)


def _verb(statement: duckdb.Statement) -> str:
    """The statement's first word as typed (INSTALL, not DuckDB's type name LOAD)."""
    word = _FIRST_WORD.match(statement.query)
    if word:
        return word.group(1).upper()
    kind = statement.type
    return kind.name if hasattr(kind, "name") else str(kind)


def run_read_only(
    con: duckdb.DuckDBPyConnection,
    sql: str,
    params: object = None,
    on_damage: Callable[[], bool] = lambda: False,
) -> pa.Table:
    """Check and run user SQL on a confined connection; DuckDB errors become ours.

    A query that lost a file to compaction is run again (`on_damage` may move a damaged
    file aside and return True to retry too, e.g. `lambda: bool(store.check(deep=True))`).
    """
    check_read_only(sql)

    def run() -> pa.Table:
        relation = con.sql(sql, params=params)
        return relation.to_arrow_table() if relation is not None else pa.table({})

    try:
        return retrying(run, on_damage)
    except duckdb.Error as exc:
        raise explain_error(exc) from exc


def explain_error(exc: BaseException) -> SqlRefused | SqlError:
    """Map a DuckDB error to a refusal (confinement hit) or a plain SQL error."""
    message = first_line(exc)
    if isinstance(exc, duckdb.PermissionException):
        return SqlRefused(_strip_prefix(message))
    if "configuration has been locked" in message:
        return SqlRefused("settings cannot be changed")
    return SqlError(message)


def first_line(exc: BaseException) -> str:
    lines = [line for line in str(exc).splitlines() if line.strip()]
    return lines[0] if lines else type(exc).__name__


def _strip_prefix(message: str) -> str:
    return re.sub(r"^Permission Error:\s*", "", message)
