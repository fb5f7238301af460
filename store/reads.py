"""Reading the store: trusted SQL over the views, scores, and change polling for the TUI."""

from __future__ import annotations

import copy
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from criteria import Framework

from . import quarantine
from .frameworktables import framework_tables
from .layout import Layout, check_id, fragments_in
from .reading import file_list_sql, partition_source, retrying
from .scoring import Scores, compute
from .views import definitions, file_sources, render, view_sql


@dataclass(frozen=True)
class AnswerEvent:
    inspection_id: str
    case_id: str
    question_id: str
    answer: str | None
    note: str | None
    author: str
    saved_at: datetime
    framework_version: str
    event_id: str


class StoreReads:
    """The reading half of `Store` (which sets these attributes)."""

    root: Path
    layout: Layout
    framework: Framework
    _lock: threading.Lock
    _db: duckdb.DuckDBPyConnection | None
    _score_cache: dict[tuple, tuple[tuple, Scores]]

    def check(self) -> list[quarantine.Quarantined]:
        raise NotImplementedError  # Store.check

    def _database(self) -> duckdb.DuckDBPyConnection:
        """One in-memory database per Store: framework tables and the views (absolute
        paths); every call works on its own cursor, so threads can share it."""
        with self._lock:
            if self._db is None:
                con = duckdb.connect(":memory:")
                con.execute("SET parquet_metadata_cache = true")  # fragments never change
                for name, table in framework_tables(self.framework).items():
                    con.register("_t", table)
                    con.execute(f"CREATE TABLE fw_{name} AS SELECT * FROM _t")
                    con.unregister("_t")
                events, framework = file_sources(self.root, self.framework)
                defs = definitions(self.framework, events, framework)
                con.execute(render([d for d in defs if not d[0].startswith("fw_")]))
                self._db = con
            return self._db

    def _on_damage(self) -> bool:
        return bool(self.check())

    def query(self, sql: str, params: Any = None) -> pa.Table:
        """Run trusted SQL over the views (retried if compaction removed a file)."""
        db = self._database()

        def run() -> pa.Table:
            with db.cursor() as cur:
                return cur.sql(sql, params=params).to_arrow_table()

        return retrying(run, self._on_damage)

    def connect(self) -> duckdb.DuckDBPyConnection:
        """A confined, read-only connection with the views (for user SQL)."""
        from .confine import confined_connection

        return confined_connection(self.root, view_sql(self.root, self.framework, True))

    def scores(
        self, inspection_id: str, method: str = "questions", by: str | None = None,
        cached: bool = True,
    ) -> Scores:
        """Appendix 5 scores. Fragments are immutable and uniquely named, so an unchanged
        file list (fragment_signature) means unchanged scores: those are served from a
        small cache unless `cached=False`."""
        check_id(inspection_id)
        key = (inspection_id, method, by)
        signature = self.fragment_signature(inspection_id)
        hit = self._score_cache.get(key)
        if cached and hit is not None and hit[0] == signature:
            return copy.deepcopy(hit[1])
        db = self._database()
        _, framework = file_sources(self.root, self.framework)

        def run() -> Scores:
            events = partition_source(self.layout, inspection_id)
            with db.cursor() as cur:
                return compute(cur, self.framework, inspection_id, events, framework, method, by)

        result = retrying(run, self._on_damage)
        with self._lock:
            if len(self._score_cache) >= 32:
                self._score_cache.clear()
            self._score_cache[key] = (signature, copy.deepcopy(result))
        return result

    def changes_since(self, inspection_id: str, case_id: str, since: datetime) -> list[AnswerEvent]:
        """Answer events of one case saved after `since`, oldest first. Only fragments
        named at or after `since` are read (a name carries its save time)."""
        cutoff = _naive_utc(since)
        stamp = cutoff.strftime("%Y%m%dT%H%M%S%f")
        db = self._database()

        def run() -> list[AnswerEvent]:
            files = [
                p for p in fragments_in(self.layout.partition("answers", inspection_id))
                if p.name.split("-")[1] >= stamp
            ]
            if not files:
                return []
            sql = (
                f"SELECT DISTINCT ON (event_id) * FROM {file_list_sql(files)} "
                "WHERE case_id = $case AND saved_at > $since"
            )
            with db.cursor() as cur:
                rel = cur.sql(sql, params={"case": case_id, "since": cutoff})
                events = [AnswerEvent(**row) for row in rel.to_arrow_table().to_pylist()]
            return sorted(events, key=lambda e: (e.saved_at, e.event_id))

        return retrying(run, self._on_damage)

    def fragment_signature(self, inspection_id: str) -> tuple[tuple[str, ...], ...]:
        """Cheap change detector for polling: the file names of the inspection's data."""
        dirs = [self.layout.partition(k, inspection_id) for k in ("cases", "answers")]
        dirs.append(self.layout.partition("inspections"))
        return tuple(tuple(p.name for p in fragments_in(d)) for d in dirs)

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None


def _naive_utc(when: datetime) -> datetime:
    return when.astimezone(UTC).replace(tzinfo=None) if when.tzinfo else when
