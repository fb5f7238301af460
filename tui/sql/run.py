"""Run user SQL on a confined cursor: capped for the screen, streamed in full to CSV.

Both go through the store's read-only check first, and map DuckDB errors to the store's
`SqlError` / `SqlRefused`, so the console says the same things as `caseread sql`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.csv as pacsv

from store.confine import SqlError, check_read_only, explain_error
from store.exportfiles import Access
from store.sql_limits import Limits, deadline, timeout_message
from store.sql_shape import shaped, split_last

ROW_CAP = 10_000
BATCH_ROWS = 2_048


@dataclass(frozen=True)
class Result:
    table: pa.Table
    capped: bool  # more rows exist than are shown


def _reader(cur: duckdb.DuckDBPyConnection, sql: str, fmt: str) -> pa.RecordBatchReader:
    check_read_only(sql)
    try:
        before, last = split_last(sql)  # odd values (INTERVAL, infinity, nested) as text
        for statement in before:
            cur.execute(statement).fetchall()
        relation = cur.sql(shaped(cur, last, fmt) if last is not None else sql)
        if relation is None:
            return pa.RecordBatchReader.from_batches(pa.schema([]), [])
        return relation.to_arrow_reader(BATCH_ROWS)
    except duckdb.Error as exc:
        raise explain_error(exc) from exc


def run_capped(cur: duckdb.DuckDBPyConnection, sql: str, cap: int = ROW_CAP) -> Result:
    """At most `cap` rows; reading stops one row past the cap so we know it was capped."""
    timeout = Limits.from_env().timeout_s
    batches: list[pa.RecordBatch] = []
    rows = 0
    with deadline(cur, timeout) as timed_out:
        try:
            reader = _reader(cur, sql, "table")
            try:
                for batch in reader:
                    batches.append(batch)
                    rows += batch.num_rows
                    if rows > cap:
                        break
            finally:
                reader.close()
        except (duckdb.Error, SqlError) as exc:
            if timed_out.is_set():
                raise SqlError(timeout_message(timeout)) from exc
            raise exc if isinstance(exc, SqlError) else explain_error(exc) from exc
    table = pa.Table.from_batches(batches, schema=reader.schema)
    return Result(table.slice(0, cap), rows > cap)


def export_csv(cur: duckdb.DuckDBPyConnection, sql: str, path: Path,
               access: Access | None = None) -> int:
    """Every row of the query to a CSV file, written batch by batch; returns the row count.

    Written to a temporary name first, so a cancelled or failed export leaves no
    half-written file under the chosen name. `access`: the store's mode and group, which
    the file gets before it appears (store/exportfiles.py). Text that a spreadsheet would
    run as a formula gets a leading ' (store/csvsafe.py).
    """
    from store.csvsafe import neutralise_column
    from store.exportfiles import protect

    reader = _reader(cur, sql, "csv")
    tmp = path.with_name(f".{path.name}.part")
    rows = 0
    try:
        with pacsv.CSVWriter(str(tmp), reader.schema) as writer:
            for batch in reader:
                writer.write_batch(pa.RecordBatch.from_arrays(
                    [neutralise_column(c) for c in batch.columns], schema=batch.schema))
                rows += batch.num_rows
        if access is not None:
            protect(tmp, access)
        tmp.replace(path)
    except duckdb.Error as exc:
        raise explain_error(exc) from exc
    finally:
        reader.close()
        tmp.unlink(missing_ok=True)
    return rows
