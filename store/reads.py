"""Reading the store: trusted SQL over the views, scores, and change polling for the TUI."""

from __future__ import annotations

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
from .layout import EMPTY, Layout, check_id, fragment_names, fragments_in, partition_name
from .lazyviews import LazyViews
from .live import LiveAnswers, case_and_interview_counts, grouped
from .reading import file_list_sql, partition_source, retrying
from .scoring import LEVELS, Scores, check_method, compute, fill
from .scoring_sql import group_expr
from .tally import Plan, levels
from .views import file_sources, store_definitions, view_sql


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


LIVE_INSPECTIONS = 8  # inspections whose answers stay in memory (~4 MB each on the demo)


class StoreReads:
    """The reading half of `Store` (which sets these attributes)."""

    root: Path
    layout: Layout
    framework: Framework
    _lock: threading.Lock
    _db: duckdb.DuckDBPyConnection | None
    _scan_db: duckdb.DuckDBPyConnection | None
    _views: LazyViews
    _live: dict[str, LiveAnswers]
    _tally_plan: Plan | None

    def check(self, deep: bool = False) -> list[Any]:
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
                events, framework = file_sources(self.root, self.framework, self._legacy())
                defs = store_definitions(self.framework, events, framework)
                self._views = LazyViews([d for d in defs if not d[0].startswith("fw_")])
                self._db = con
            return self._db

    def _database_for(self, sql: str) -> duckdb.DuckDBPyConnection:
        """The database, with the views `sql` names (and those under them) created."""
        db = self._database()
        with self._lock:
            self._views.create_for(db, sql)
        return db

    def _scan_database(self) -> duckdb.DuckDBPyConnection:
        """A bare in-memory database for reading named files (no views: creating those
        binds every view over every file, about 0.3 s on a big store)."""
        with self._lock:
            if self._scan_db is None:
                self._scan_db = duckdb.connect(":memory:")
                self._scan_db.execute("SET parquet_metadata_cache = true")
            return self._scan_db

    def _legacy(self) -> bool:
        """Still in the format-1 layout (a store we could not migrate: read-only)."""
        new = self.layout.kind_dir("answers") / partition_name(EMPTY)
        return not new.is_dir() and bool(self.layout.legacy_partitions())

    def _vet(self, inspection_id: str) -> None:
        """Check the inspection's files not checked yet (the first read of a fragment
        saved since the store was opened); bad ones are moved aside."""
        found = quarantine.ScanResult()
        for kind in ("cases", "answers"):
            quarantine.vet(self.layout, self.layout.partition(kind, inspection_id), found)
        self._note(found)

    def _note(self, found: quarantine.ScanResult) -> None:
        raise NotImplementedError  # Store._note

    def _on_damage(self) -> bool:
        """A query failed on a file: check every page of every file (a page corrupted
        behind a valid footer passes the first-read check)."""
        return bool(self.check(deep=True))

    def query(self, sql: str, params: Any = None) -> pa.Table:
        """Run trusted SQL over the views (retried if compaction removed a file)."""
        self.check()  # every file the views' globs will read checked once
        db = self._database_for(sql)

        def run() -> pa.Table:
            with db.cursor() as cur:
                return cur.sql(sql, params=params).to_arrow_table()

        return retrying(run, self._on_damage)

    def connect(self, limits: Any = None) -> duckdb.DuckDBPyConnection:
        """A confined, read-only connection with the views (for user SQL), within
        `limits` (store.sql_limits.Limits; default from the environment)."""
        from .confine import confined_connection

        self.check()  # every file the views' globs will read checked once
        return confined_connection(self.root, view_sql(self.root, self.framework, True,
                                                           self._legacy()), limits)

    def scores(
        self, inspection_id: str, method: str = "questions", by: str | None = None
    ) -> Scores:
        """Appendix 5 scores, live: the inspection's answers are kept in memory and each
        call reads only the fragments saved since the last one (see store/live.py), then
        sums in Python exactly what the score views compute in SQL (`scores_sql`)."""
        check_id(inspection_id)
        check_method(method)
        if by is not None:
            group_expr(self.framework, by)  # an unknown field: the views' error
        self._vet(inspection_id)
        live = self._live_answers(inspection_id)
        db = self._scan_database()
        with live.lock:
            retrying(lambda: live.refresh(db.cursor), self._on_damage)
            rows = levels(self._plan(), grouped(live, by), method)
            cases, interviews = case_and_interview_counts(live)
        result = Scores(inspection_id, method, by, cases=cases, interviews=interviews)
        fill(result, self.framework, *(rows[name] for name in LEVELS))
        return result

    def scores_sql(
        self, inspection_id: str, method: str = "questions", by: str | None = None
    ) -> Scores:
        """The same scores by the views' SQL over the inspection's files (one full pass:
        slower, and the reference `scores()` is tested against)."""
        check_id(inspection_id)
        db = self._database()
        _, framework = file_sources(self.root, self.framework)

        def run() -> Scores:
            events = partition_source(self.layout, inspection_id)
            with db.cursor() as cur:
                return compute(cur, self.framework, inspection_id, events, framework, method, by)

        return retrying(run, self._on_damage)

    def scores_by_inspection(
        self, inspection_ids: list[str], method: str = "questions"
    ) -> dict[str, Scores]:
        """`scores_sql` of every inspection in `inspection_ids`, in one DuckDB pass over
        their files (the programme's figures: see store/programme_sql.py)."""
        from .programme_sql import compute_many

        for iid in inspection_ids:
            check_id(iid)
        db = self._database()
        events, framework = file_sources(self.root, self.framework, self._legacy())

        def run() -> dict[str, Scores]:
            with db.cursor() as cur:
                return compute_many(cur, self.framework, inspection_ids, events, framework,
                                    method)

        return retrying(run, self._on_damage)

    def _live_answers(self, inspection_id: str) -> LiveAnswers:
        with self._lock:
            live = self._live.pop(inspection_id, None)  # re-inserted last: most recent
            if live is None:
                _, framework = file_sources(self.root, self.framework)
                live = LiveAnswers(self.layout, self.framework, inspection_id, framework)
            self._live[inspection_id] = live
            while len(self._live) > LIVE_INSPECTIONS:  # the least recently scored goes
                del self._live[next(iter(self._live))]
            return live

    def _plan(self) -> Plan:
        if self._tally_plan is None:
            self._tally_plan = Plan.of(self.framework)
        return self._tally_plan

    def changes_since(self, inspection_id: str, case_id: str, since: datetime) -> list[AnswerEvent]:
        """Answer events of one case saved after `since`, oldest first. Only fragments
        named at or after `since` are read (a name carries its save time)."""
        self._vet(inspection_id)
        cutoff = _naive_utc(since)
        stamp = cutoff.strftime("%Y%m%dT%H%M%S%f")
        db = self._scan_database()

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
        dirs += [self.layout.partition(k, inspection_id) for k in ("qa", "lead")]  # QA events
        return tuple(tuple(fragment_names(d)) for d in dirs)

    def close(self) -> None:
        with self._lock:
            for db in (self._db, self._scan_db):
                if db is not None:
                    db.close()
            self._db = self._scan_db = None


def _naive_utc(when: datetime) -> datetime:
    return when.astimezone(UTC).replace(tzinfo=None) if when.tzinfo else when
