"""Which functions user SQL may name: an allowlist, checked on DuckDB's own parse tree.

DuckDB parses the query (`json_serialize_sql`, the same parser that will run it); every
`function_name` in the tree must be allowed:

- table functions (FROM f(...)): only `TABLE_FUNCTIONS`, the ones about data (ranges,
  unnesting, the store's Parquet, the store's own views and columns). Settings, secrets,
  extensions, files, other databases, `query()` are not named there, so they are refused;
- every other function must be one of DuckDB's built-in scalar, aggregate, window or
  macro functions (computed from its catalogue, so new versions' functions of values work)
  but not one whose answer is about the server rather than its arguments (`SERVER`:
  settings, environment, versions, sessions, profiling).

A name DuckDB does not know is left to DuckDB to reject as a plain error.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from functools import cache
from typing import Any

import duckdb

TABLE_FUNCTIONS = frozenset({
    "range", "generate_series", "unnest", "read_parquet", "parquet_scan",
    "parquet_metadata", "parquet_schema", "duckdb_views", "duckdb_tables",
    "duckdb_columns", "json_each", "json_tree",
})
SERVER = frozenset({
    "current_setting", "getenv", "version", "pragma_version", "user_agent",
    "current_query", "current_query_id", "current_connection_id", "current_transaction_id",
    "current_user", "session_user", "user", "current_role", "current_catalog",
    "current_database", "current_schema", "current_schemas", "database_size",
    "extension_versions", "enable_profile", "disable_profile", "which_secret",
    "add_grammar_extension", "remove_grammar_extension", "pragma_user_agent",
})
_lock = threading.Lock()


@cache
def _parser() -> duckdb.DuckDBPyConnection:
    return duckdb.connect(":memory:")


@cache
def _builtins() -> tuple[frozenset[str], frozenset[str]]:
    """(table functions, other functions) DuckDB ships."""
    rows = _parser().sql(
        "SELECT DISTINCT function_name, function_type IN ('table', 'table_macro', 'pragma') "
        "FROM duckdb_functions() WHERE internal").fetchall()
    return (frozenset(n for n, t in rows if t), frozenset(n for n, t in rows if not t))


def refused_function(select: str) -> str | None:
    """The first function `select` names that user SQL may not, with why; else None.
    Raises ValueError with DuckDB's message if the query does not parse."""
    with _lock:
        text = _parser().execute("SELECT json_serialize_sql(?)", [select]).fetchall()[0]
    tree = json.loads(text[0] if text else "{}")
    if tree.get("error"):
        raise ValueError(tree.get("error_message", "the query does not parse"))
    tables, others = _builtins()
    for name, is_table in _functions(tree):
        name = name.lower()
        if is_table and name not in TABLE_FUNCTIONS:
            return f"{name}() is not allowed: user SQL reads the store's data only"
        only_table = name in tables and name not in others and name not in TABLE_FUNCTIONS
        if not is_table and (name in SERVER or only_table):
            return f"{name}() is not allowed: user SQL reads the store's data only"
    return None


def _functions(node: Any, table: bool = False) -> Iterator[tuple[str, bool]]:
    """(function name, is a table function) for every call in a parse tree."""
    if isinstance(node, dict):
        if isinstance(node.get("function_name"), str):
            yield node["function_name"], table
        for key, value in node.items():
            yield from _functions(value, key == "function" and node.get("type") ==
                                  "TABLE_FUNCTION")
    elif isinstance(node, list):
        for item in node:
            yield from _functions(item)
