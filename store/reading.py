"""Reading while others write and compact: explicit file lists and retries.

A query binds its file list, then opens the files; a compactor may delete an input in
between. Such a query fails with an IO error about a missing file and is simply run again
(with a fresh listing). A query failing on a damaged file triggers a quarantine scan.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import duckdb
import pyarrow as pa

from .layout import Layout, fragments_in

T = TypeVar("T")
log = logging.getLogger("store")
ATTEMPTS = 8
_LOST = ("no such file", "no files found", "cannot open file", "could not open", "not found")


def lost_a_file(exc: BaseException) -> bool:
    if isinstance(exc, FileNotFoundError):  # read directly (pyarrow, open)
        return True
    return isinstance(exc, duckdb.IOException) and any(s in str(exc).lower() for s in _LOST)


def _maybe_damage(exc: BaseException) -> bool:
    """DuckDB names the bad file; pyarrow's complaint about a file may not."""
    return ".parquet" in str(exc) or isinstance(exc, pa.ArrowException)


def retrying(run: Callable[[], T], on_damage: Callable[[], bool]) -> T:
    """Run `run()`; again on a lost file, or after `on_damage()` moved a bad file aside."""
    for attempt in range(ATTEMPTS):
        try:
            return run()
        except (duckdb.Error, OSError, pa.ArrowException) as exc:
            if attempt == ATTEMPTS - 1:
                raise
            if lost_a_file(exc):
                log.debug("retrying a query that lost a file: %s", exc)
                time.sleep(0.001 * 2**attempt)
                continue
            if _maybe_damage(exc) and on_damage():
                continue
            raise
    raise AssertionError("unreachable")


def file_list_sql(paths: list[Path], filename: bool = False) -> str:
    inner = ", ".join("'" + str(p).replace("'", "''") + "'" for p in paths)
    named = ", filename = true" if filename else ""  # the answer views need it
    # The file's own inspection_id column, never one guessed from the directory name.
    return f"read_parquet([{inner}], hive_partitioning = false{named})"


def partition_source(layout: Layout, inspection_id: str) -> Callable[[str], str]:
    """Event sources limited to one inspection's current files (listed now)."""
    lists = {
        kind: [layout.empty_file(kind), *fragments_in(layout.partition(kind, inspection_id))]
        for kind in ("cases", "answers", "readings")
    }
    lists["inspections"] = [layout.empty_file("inspections")]

    def events(kind: str) -> str:
        return file_list_sql(lists[kind], filename=kind == "answers")

    return events
