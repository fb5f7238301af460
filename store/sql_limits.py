"""What one user query may cost on a shared server: memory, threads, time.

`caseread sql` and the app's SQL console both run user SQL on `Store.connect()`, which
applies `Limits` to DuckDB (`memory_limit` covers everything DuckDB holds; results are
streamed out in batches, so Python holds one batch), and `deadline()` stops a query that
runs past its time with DuckDB's own interrupt.

Defaults keep the server responsive for the inspectors saving answers beside an analyst:
2 GB, a quarter of the cores (at least 1, at most 4), 120 s. Each can be changed with
`CASEREAD_SQL_MEMORY` (DuckDB's size syntax, e.g. 4GB), `CASEREAD_SQL_THREADS`,
`CASEREAD_SQL_TIMEOUT` (seconds, 0 = none), or the options of `caseread sql`.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import duckdb

from .errors import StoreError

_SIZE = re.compile(r"^\s*\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)\s*$", re.IGNORECASE)


def _default_threads() -> int:
    return max(1, min(4, (os.cpu_count() or 1) // 4))


@dataclass(frozen=True)
class Limits:
    memory: str = "2GB"
    threads: int = 0  # 0: the default for this machine
    timeout_s: float = 120.0  # 0: no timeout

    @classmethod
    def from_env(cls, memory: str | None = None, threads: int | None = None,
                 timeout_s: float | None = None) -> Limits:
        """Explicit values, else the CASEREAD_SQL_* variables, else the defaults."""
        env = os.environ
        try:
            limits = cls(
                memory=memory or env.get("CASEREAD_SQL_MEMORY") or cls.memory,
                threads=threads if threads is not None else int(
                    env.get("CASEREAD_SQL_THREADS") or 0),
                timeout_s=timeout_s if timeout_s is not None else float(
                    env.get("CASEREAD_SQL_TIMEOUT") or cls.timeout_s),
            )
        except ValueError as exc:
            raise StoreError(f"CASEREAD_SQL_THREADS/TIMEOUT must be numbers ({exc})") from None
        return limits.checked()

    def checked(self) -> Limits:
        if not _SIZE.match(self.memory):
            raise StoreError(f"memory limit {self.memory!r}: use a size such as 512MB or 2GB")
        if self.threads < 0 or self.timeout_s < 0:
            raise StoreError("threads and timeout cannot be negative")
        return self

    @property
    def thread_count(self) -> int:
        return self.threads or _default_threads()

    def config(self) -> dict[str, str | int]:
        """DuckDB connection settings."""
        return {"memory_limit": self.memory, "threads": self.thread_count}


class QueryTimeout(StoreError):
    """A user query ran past its time and was stopped."""


@contextmanager
def deadline(con: duckdb.DuckDBPyConnection, seconds: float) -> Iterator[threading.Event]:
    """Interrupt `con`'s running query after `seconds` (0: never); the event is set if
    it did, so the caller can say why the query stopped."""
    fired = threading.Event()
    if not seconds:
        yield fired
        return

    def stop() -> None:
        fired.set()
        con.interrupt()

    timer = threading.Timer(seconds, stop)
    timer.daemon = True
    timer.start()
    try:
        yield fired
    finally:
        timer.cancel()


def timeout_message(seconds: float) -> str:
    return (f"query stopped after {seconds:g} s (the statement timeout; set "
            "CASEREAD_SQL_TIMEOUT or --timeout to allow longer)")
