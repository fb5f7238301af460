"""User query results shaped for output, by DuckDB, so no value can crash the writer.

Odd but legitimate values (an INTERVAL, `'infinity'::timestamp`, a timestamp in year
20000, nested lists, structs and maps) have no faithful Python or Arrow-CSV form, so the
query is wrapped: such columns become text in DuckDB's own spelling, nested values JSON
text. For CSV, text that a spreadsheet would run as a formula (starting with = + - @,
tab or carriage return) gets a leading apostrophe (OWASP's advice against CSV injection).
"""

from __future__ import annotations

import duckdb

from .csvsafe import FORMULA_START

# DuckDB type ids (lower case) by how they are shown.
_NESTED = ("list", "struct", "map", "array", "union")
_PLAIN = ("boolean", "tinyint", "smallint", "integer", "bigint", "utinyint", "usmallint",
          "uinteger", "ubigint", "float", "double", "varchar", "decimal")
# the same characters as the Python side (exports, F8) uses, as a regex character class
_FORMULA = "^[" + "".join({"-": r"\-", "\t": r"\t", "\r": r"\r"}.get(c, c)
                          for c in FORMULA_START) + "]"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _type_id(t: object) -> str:
    return str(getattr(t, "id", str(t))).lower()


def split_last(sql: str) -> tuple[list[str], str | None]:
    """The statements before the last, and the last if it is a plain SELECT (which
    can be wrapped), else None (EXPLAIN, ...: run as given)."""
    statements = duckdb.extract_statements(sql)
    *before, last = statements
    wrappable = last.type == duckdb.StatementType.SELECT
    return [s.query for s in before], (last.query if wrappable else None)


def shaped(con: duckdb.DuckDBPyConnection, select: str, fmt: str) -> str:
    """`select` wrapped so every column is safe to write as `fmt` ('table', 'csv',
    'json', 'arrow': the console, which shows text)."""
    rel = con.sql(select)  # binds only: the column names and types
    inner = f"(\n{select.strip().rstrip(';')}\n) AS _q"
    if fmt == "json":  # one JSON object per row, by DuckDB (values in their own spelling)
        return f"SELECT to_json(_q)::VARCHAR AS row_json FROM {inner}"
    cols = []
    for name, t in zip(rel.columns, rel.types, strict=True):
        col, kind = f"_q.{_ident(name)}", _type_id(t)
        if kind in _NESTED:
            expr = f"to_json({col})::VARCHAR"
        elif kind not in _PLAIN:
            expr = f"CAST({col} AS VARCHAR)"
        else:
            expr = col
        if fmt == "csv" and (kind in _NESTED or kind not in _PLAIN or kind == "varchar"):
            expr = f"CASE WHEN regexp_matches({expr}, '{_FORMULA}') THEN '''' || {expr} " \
                   f"ELSE {expr} END"
        cols.append(f"{expr} AS {_ident(name)}")
    return f"SELECT {', '.join(cols) or '*'} FROM {inner}"
