"""`caseread sql`: user SQL streamed out in batches, within memory, thread and time limits.

The query runs in a worker thread while the main thread waits, so Ctrl+C is seen at once:
DuckDB's interrupt stops the query within a second and the command says so in one line,
exit 130. Rows are written batch by batch as DuckDB produces them (Python holds one
batch; DuckDB holds what the query needs, under its `memory_limit`); the text table stops
reading at its cap. A write that fails (a full disk, a closed pipe) is an error, never a
silently shorter output. Values are shaped by DuckDB first (store/sql_shape.py).
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
import threading
from collections.abc import Callable
from typing import IO, Any

import click

from caseread.streams import visible_bytes

from .common import FORMATS, CliError, one_line_errors, open_store, store_option

BATCH_ROWS = 8_192


@click.command("sql")
@click.argument("query", metavar='"QUERY"')
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@click.option("--timeout", "timeout_s", type=float, metavar="SECONDS",
              help="Stop the query after this long (default 120, or CASEREAD_SQL_TIMEOUT; "
                   "0 = no limit).")
@click.option("--memory-limit", "memory", metavar="SIZE",
              help="DuckDB's memory limit, e.g. 4GB (default 2GB, or CASEREAD_SQL_MEMORY).")
@click.option("--threads", type=int, help="Threads DuckDB may use (default: a quarter of "
              "the cores, or CASEREAD_SQL_THREADS).")
@store_option
@click.pass_context
@one_line_errors
def sql_cmd(ctx: click.Context, query: str, fmt: str, timeout_s: float | None,
            memory: str | None, threads: int | None) -> None:
    """Read-only SQL over the store's views ('-' reads the query from stdin).

    Only SELECT queries; files outside the store cannot be read, nothing can be written.
    """
    from store.confine import check_read_only
    from store.sql_limits import Limits

    if query == "-":
        query = sys.stdin.read()
    check_read_only(query)
    limits = Limits.from_env(memory, threads, timeout_s)
    store = open_store(ctx)
    con = store.connect(limits)
    try:
        _run_interruptible(con, query, fmt, limits.timeout_s,
                           lambda: bool(store.check(deep=True)))
    finally:
        con.close()


def _run_interruptible(con: Any, sql: str, fmt: str, timeout_s: float,
                       on_damage: Any) -> None:
    """Run in a worker; the main thread turns Ctrl+C into DuckDB's interrupt."""
    from store.sql_limits import deadline, timeout_message

    outcome: list[BaseException] = []

    def work() -> None:
        try:
            _stream(con, sql, fmt, on_damage)
        except BaseException as exc:  # noqa: BLE001 - handed to the main thread
            outcome.append(exc)

    worker = threading.Thread(target=work, name="caseread-sql", daemon=True)
    with deadline(con, timeout_s) as timed_out:
        worker.start()
        try:
            while worker.is_alive():
                worker.join(0.05)
        except KeyboardInterrupt:
            con.interrupt()
            worker.join(1.0)
            click.echo("caseread: interrupted: the query was stopped", err=True)
            with contextlib.suppress(OSError):
                sys.stdout.flush()
                sys.stderr.flush()
            # Not SystemExit: the connection may still be unwinding in the worker, and
            # closing it or shutting the interpreter down under it aborts. Nothing to
            # clean up: the query only read.
            os._exit(130)
    if outcome:
        if timed_out.is_set():
            raise CliError(timeout_message(timeout_s))
        raise outcome[0]


class _Recoded(io.RawIOBase):
    """UTF-8 bytes written on in the stream's own encoding, what it cannot show as '?':
    a non-UTF-8 terminal (or PYTHONIOENCODING) gets text it can show, never a crash
    (caseread/streams.py decides which streams need it); on a terminal, control
    characters in the data (a note holding ESC sequences) are shown, never run."""

    def __init__(self, raw: IO[bytes], encoding: str, terminal: bool = False) -> None:
        import codecs

        super().__init__()
        self.raw = raw
        self.encoding = encoding
        self.terminal = terminal
        self.decoder = codecs.getincrementaldecoder("utf-8")()  # a batch may split a character

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        out = self.decoder.decode(bytes(data)).encode(self.encoding, "replace")
        self.raw.write(visible_bytes(out) if self.terminal else out)
        return len(data)

    def flush(self) -> None:
        self.raw.flush()


def _output() -> Any:
    """Where the writers put their UTF-8 bytes: stdout's buffer, recoded when stdout is
    not UTF-8 (configure_output left it so because it is a terminal or was chosen)."""
    import codecs

    encoding = getattr(sys.stdout, "encoding", None) or "utf-8"
    terminal = sys.stdout.isatty()
    if codecs.lookup(encoding).name == "utf-8" and not terminal:
        return sys.stdout.buffer  # a file or a pipe: the exact bytes
    return _Recoded(sys.stdout.buffer, encoding, terminal)


def _stream(con: Any, sql: str, fmt: str, on_damage: Callable[[], bool]) -> None:
    import duckdb

    from store.confine import explain_error
    from store.reading import retrying
    from store.sql_shape import shaped, split_last

    before, last = split_last(sql)
    out = _output()
    try:
        cur = con  # not a cursor: interrupt() must reach the running query
        for statement in before:
            cur.execute(statement).fetchall()
        wrapped = shaped(cur, last, fmt) if last is not None else sql

        def start() -> Any:
            relation = cur.sql(wrapped)
            if relation is None:
                import pyarrow as pa

                return pa.RecordBatchReader.from_batches(pa.schema([]), [])
            return relation.to_arrow_reader(BATCH_ROWS)

        reader = retrying(start, on_damage)
        _WRITERS[fmt](reader, out)
    except duckdb.Error as exc:
        raise explain_error(exc) from exc
    except BrokenPipeError:  # `| head`: the reader has all it wanted
        return
    except OSError as exc:
        raise CliError(f"output not complete: {exc.strerror or exc}") from exc


def _write_csv(reader: Any, out: IO[bytes]) -> None:
    import pyarrow.csv as pacsv

    with pacsv.CSVWriter(out, reader.schema) as writer:
        for batch in reader:
            writer.write_batch(batch)
    out.flush()


def _write_json(reader: Any, out: IO[bytes]) -> None:
    """A JSON array, one object per line, each made by DuckDB (`to_json`)."""
    first = True
    out.write(b"[")
    for batch in reader:
        for text in batch.column(0).to_pylist():
            out.write((b"\n " if first else b",\n ") + text.encode("utf-8"))
            first = False
    out.write(b"\n]\n")
    out.flush()


def _write_table(reader: Any, out: IO[bytes]) -> None:
    from . import common

    cap = common.TABLE_ROWS
    rows: list[list[str]] = []
    more = False
    for batch in reader:
        for row in batch.to_pylist():
            if len(rows) == cap:
                more = True
                break
            rows.append([common._cell(v) for v in row.values()])
        if more:
            break
    text = common.text_table(list(reader.schema.names), rows)
    if more:
        text += (f"\n... more than {cap} rows: only the first {cap} shown "
                 "(--format csv or json gives them all)")
    out.write((text + "\n").encode("utf-8"))
    out.flush()


_WRITERS = {"csv": _write_csv, "json": _write_json, "table": _write_table}
COMMANDS = [sql_cmd]
