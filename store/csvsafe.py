"""CSV cells that a spreadsheet would run as a formula, made inert (and read back).

Excel, LibreOffice and Google Sheets treat a cell starting with `=`, `+`, `-`, `@` (and a
tab or carriage return before one) as a formula: a note typed as `=HYPERLINK(...)` or
`-2+3` would run when an analyst opens the export (OWASP "CSV injection"). Every text
cell starting so gets a leading apostrophe, which spreadsheets show as text and hide.
Numbers are written as numbers (a negative number is not text). Imports take the
apostrophe off again (`restore_column`), so an export edited in a spreadsheet imports back
as it was.

`neutralise_table(table)` for whole Arrow tables (caseread export, caseread sql CSV),
`neutralise(text)` for one value.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PATTERN = "^[=+\\-@\t\r]"
_QUOTED = "^'[=+\\-@\t\r]"


def neutralise(text: str) -> str:
    """`'=1+2` for `=1+2`; any other text unchanged."""
    return "'" + text if text.startswith(FORMULA_START) else text


def neutralise_column(column: Any) -> Any:
    """The same for an Arrow string column (others returned as they are)."""
    if not (pa.types.is_string(column.type) or pa.types.is_large_string(column.type)):
        return column
    risky = pc.match_substring_regex(column, _PATTERN)
    if not pc.any(risky).as_py():
        return column
    return pc.if_else(risky, pc.binary_join_element_wise("'", column, ""), column)


def neutralise_table(table: pa.Table) -> pa.Table:
    """Every text column of `table` neutralised; the schema is unchanged."""
    columns = [neutralise_column(c) for c in table.columns]
    return pa.table(columns, names=table.column_names)


def restore_column(column: Any) -> Any:
    """Undo `neutralise` on an imported text column: `'=x` -> `=x` (nothing else changes)."""
    quoted = pc.match_substring_regex(column, _QUOTED)
    if not pc.any(quoted).as_py():
        return column
    return pc.if_else(quoted, pc.utf8_slice_codeunits(column, 1), column)
