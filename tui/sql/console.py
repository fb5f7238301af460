"""SQL console: read-only queries on the store's views, confined exactly as `caseread sql`.

F5 (or Ctrl+R) runs the editor's SQL in a worker on its own cursor of the store's confined
connection; Esc interrupts it from the UI thread. F6/F7 step through this session's
queries, F8 exports the current query in full to CSV, F9 shows or hides the schema.
"""

from __future__ import annotations

import threading
import time
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import pyarrow as pa
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static, TextArea

from tui.common.export_modal import ExportModal
from tui.common.footer import KeysFooter
from tui.sql.history import History
from tui.sql.results import SqlResults
from tui.sql.run import ROW_CAP, export_csv, run_capped
from tui.sql.schema import SCHEMA_SQL, SqlSchema

if TYPE_CHECKING:
    from tui.common.store_seam import Store

clock = time.perf_counter  # a seam: the snapshot test freezes it so timings do not vary

STARTER = "SELECT outcome, title, method, round(100 * score) AS pct, sufficient, applicable\n" \
    "FROM outcome_scores\nORDER BY method, outcome"


class SqlConsoleScreen(Screen[None]):
    """Editor, schema and results for read-only SQL on one store."""

    CSS_PATH = "console.tcss"
    HELP_TITLE = "SQL console"
    # F-keys are priority bindings: the editor binds F6 (select line) and F7 (select all),
    # and priority keeps the footer in this order.
    BINDINGS = [
        Binding("f5,ctrl+r", "run", "Run", priority=True, id="sql_console.run"),
        Binding("escape", "cancel", "Cancel", priority=True, id="sql_console.cancel"),
        Binding("escape", "stay", "Stay", show=False, priority=True, id="sql_console.stay"),
        Binding("ctrl+l", "clear", "Clear", priority=True, id="sql_console.clear"),
        Binding("ctrl+a", "select_all", "All", show=False, priority=True,
                id="sql_console.select_all"),
        Binding("f6", "history(-1)", "Prev", priority=True, id="sql_console.history_prev"),
        Binding("f7", "history(1)", "Next", priority=True, id="sql_console.history_next"),
        Binding("f8", "export", "CSV", priority=True, id="sql_console.export"),
        Binding("f9", "toggle_schema", "Schema", priority=True, id="sql_console.toggle_schema"),
    ]

    class SchemaLoaded(Message):
        def __init__(self, columns: list[dict[str, str]]) -> None:
            super().__init__()
            self.columns = columns

    class QueryDone(Message):
        def __init__(self, table: pa.Table, capped: bool, seconds: float) -> None:
            super().__init__()
            self.table = table
            self.capped = capped
            self.seconds = seconds

    class ExportDone(Message):
        def __init__(self, path: Path, rows: int, seconds: float) -> None:
            super().__init__()
            self.path = path
            self.rows = rows
            self.seconds = seconds

    class BusyChanged(Message):
        """A query or export started or ended (posted from its worker)."""

    class Failed(Message):
        def __init__(self, what: str, error: str, cancelled: bool) -> None:
            super().__init__()
            self.what = what
            self.error = error
            self.cancelled = cancelled

    def __init__(self, store: Store, row_cap: int = ROW_CAP) -> None:
        super().__init__()
        self.store = store
        self.row_cap = row_cap
        self.history = History()
        self._connection: duckdb.DuckDBPyConnection | None = None
        self._busy_cursor: duckdb.DuckDBPyConnection | None = None  # cursor of the busy worker
        self._cancelled = False
        self._lock = threading.Lock()
        self.last_sql = ""

    def compose(self) -> ComposeResult:
        with Horizontal(id="sql-main"):
            yield SqlSchema(id="sql-schema")
            with Vertical(id="sql-right"):
                yield TextArea.code_editor(STARTER, language="sql", soft_wrap=True,
                                           id="sql-editor")
                yield Static("F5 runs the query (read-only: SELECT only)", id="sql-status")
                yield SqlResults(id="sql-results")
        yield KeysFooter()

    def on_mount(self) -> None:
        editor = self.query_one("#sql-editor", TextArea)
        editor.focus()
        editor.select_all()  # the starter query runs with F5; a query typed at once replaces it
        self.load_schema()

    def on_unmount(self) -> None:
        """Stop a running query; close the connection unless a worker still holds a cursor."""
        self._interrupt()
        if self._busy_cursor is None and self._connection is not None:
            self._connection.close()
            self._connection = None

    @property
    def busy(self) -> bool:
        return self._busy_cursor is not None

    def _status(self, text: str, kind: str = "info") -> None:
        status = self.query_one("#sql-status", Static)
        status.set_classes(f"status-{kind}")
        status.update(text)

    # -- the connection and its cursors (worker threads only) --
    def _cursor(self) -> duckdb.DuckDBPyConnection:
        with self._lock:  # the schema and the first query may both ask at start-up
            if self._connection is None:
                self._connection = self.store.connect()
            return self._connection.cursor()

    @work(thread=True, exclusive=True, exit_on_error=False, group="sql-schema")
    def load_schema(self) -> None:
        try:
            cur = self._cursor()
            try:
                table: pa.Table = cur.sql(SCHEMA_SQL).to_arrow_table()
                rows = table.to_pylist()
            finally:
                cur.close()
        except Exception as exc:  # the console still works without the schema panel
            self.post_message(self.Failed("schema", str(exc).splitlines()[0], False))
            return
        self.post_message(self.SchemaLoaded(rows))

    @work(thread=True, exclusive=True, exit_on_error=False, group="sql-run")
    def run_query(self, sql: str) -> None:
        started = clock()
        cur = self._begin()
        try:
            result = run_capped(cur, sql, self.row_cap)
        except Exception as exc:
            self.post_message(self.Failed("query", _message(exc), self._cancelled))
            return
        finally:
            self._end(cur)
        self.post_message(self.QueryDone(result.table, result.capped,
                                         clock() - started))

    @work(thread=True, exclusive=True, exit_on_error=False, group="sql-run")
    def export_query(self, sql: str, path: Path) -> None:
        from store.exportfiles import store_access  # the store package: only to export

        started = clock()
        cur = self._begin()
        try:
            rows = export_csv(cur, sql, path, store_access(self.store.root))
        except Exception as exc:
            self.post_message(self.Failed("export", _message(exc), self._cancelled))
            return
        finally:
            self._end(cur)
        self.post_message(self.ExportDone(path, rows, clock() - started))

    def _begin(self) -> duckdb.DuckDBPyConnection:
        cur = self._cursor()
        self._cancelled = False
        self._busy_cursor = cur
        self.post_message(self.BusyChanged())  # the footer shows Esc Cancel
        return cur

    def _end(self, cur: duckdb.DuckDBPyConnection) -> None:
        self._busy_cursor = None
        cur.close()
        self.post_message(self.BusyChanged())  # ... and no longer

    def _interrupt(self) -> None:
        cur = self._busy_cursor
        if cur is not None:
            self._cancelled = True
            cur.interrupt()

    # -- handlers --
    def on_sql_console_screen_busy_changed(self) -> None:
        self.refresh_bindings()

    def on_sql_console_screen_schema_loaded(self, message: SchemaLoaded) -> None:
        self.query_one(SqlSchema).show(message.columns)

    async def on_sql_console_screen_query_done(self, message: QueryDone) -> None:
        await self.query_one(SqlResults).show(message.table)
        rows = message.table.num_rows
        took = f"{message.seconds:.2f} s"
        if message.capped:
            self._status(f"Showing the first {rows:,} rows only (more not fetched; F8 exports "
                         f"all) · {took}", "capped")
        else:
            self._status(f"{rows:,} row{'s' if rows != 1 else ''} · {took}", "ok")

    def on_sql_console_screen_export_done(self, message: ExportDone) -> None:
        self._status(f"Exported {message.rows:,} rows to {message.path} (mode and group as "
                     "the store) · "
                     f"{message.seconds:.2f} s", "ok")

    async def on_sql_console_screen_failed(self, message: Failed) -> None:
        if message.what == "query":
            await self.query_one(SqlResults).clear_result()  # no stale rows under an error
        if message.cancelled:
            self._status(f"The {message.what} was cancelled", "cancelled")
        else:
            self._status(f"{message.error}", "error")

    @on(SqlSchema.Insert)
    def insert_name(self, message: SqlSchema.Insert) -> None:
        editor = self.query_one("#sql-editor", TextArea)
        editor.insert(message.text)
        editor.focus()

    # -- actions --
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "cancel":
            return self.busy  # shown only while something runs
        if action == "stay":  # Esc with nothing running: the editor keeps the focus
            return not self.busy
        return True

    def action_stay(self) -> None:
        self.query_one("#sql-editor", TextArea).focus()

    def action_clear(self) -> None:
        """Empty the editor (what it held goes to the history: F6 brings it back)."""
        editor = self.query_one("#sql-editor", TextArea)
        if editor.text.strip():
            self.history.add(editor.text)
        editor.load_text("")
        editor.focus()
        self._status("Cleared (F6 brings the text back)")

    def action_select_all(self) -> None:
        editor = self.query_one("#sql-editor", TextArea)
        editor.select_all()
        editor.focus()

    def _sql(self) -> str:
        return self.query_one("#sql-editor", TextArea).text

    def _refuse_if_busy(self) -> bool:
        if self.busy:
            self._status("A query is still running: Esc cancels it", "running")
        return self.busy

    def action_run(self) -> None:
        if self._refuse_if_busy():
            return
        sql = self._sql()
        if not sql.strip():
            self._status("Type a query first", "error")
            return
        self.history.add(sql)
        self.last_sql = sql
        self._status("Running… (Esc cancels)", "running")
        self.run_query(sql)

    def action_cancel(self) -> None:
        self._interrupt()

    def action_history(self, step: int) -> None:
        editor = self.query_one("#sql-editor", TextArea)
        text = self.history.previous(editor.text) if step < 0 else self.history.next()
        if text is None:
            self._status("No older query" if step < 0 else "No newer query")
            return
        editor.load_text(text)
        editor.move_cursor(editor.document.end)

    def action_export(self) -> None:
        if self._refuse_if_busy():
            return
        sql = self._sql()
        if not sql.strip():
            self._status("Type a query first", "error")
            return
        default = Path.cwd() / f"caseread-{datetime.now():%Y%m%d-%H%M%S}.csv"

        def chosen(path: Path | None) -> None:
            if path is not None:
                self._status(f"Exporting to {path}… (Esc cancels)", "running")
                self.export_query(sql, path)

        self.app.push_screen(ExportModal(default, "query's full result"), chosen)

    def action_toggle_schema(self) -> None:
        schema = self.query_one(SqlSchema)
        schema.display = not schema.display
        if schema.display:
            schema.focus()
        else:
            self.query_one("#sql-editor", TextArea).focus()


def _message(exc: BaseException) -> str:
    lines = [line for line in str(exc).splitlines() if line.strip()]
    return lines[0] if lines else type(exc).__name__
