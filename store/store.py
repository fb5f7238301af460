"""The store: one directory of immutable Parquet fragments, read through DuckDB views."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import threading
import uuid
import warnings
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from criteria import Framework, load_framework

from . import compaction, migrate, qa_events, quarantine, schemas
from .clock import save_time, store_now
from .conflicts import (
    AnswerConflict,
    Latest,
    Unchecked,
    answers_lock_name,
    find_conflicts,
    held_lock,
    not_before,
)
from .errors import SaveError, StoreError
from .fragment_check import Verdict
from .fragments import publish, publish_file
from .frameworktables import write_framework
from .kind_guard import refuse_kind_changes
from .layout import FORMAT, KINDS, Layout, check_id, utc_now
from .live import LiveAnswers
from .permissions import DIR_MODE, check_root, current_author, make_dir, set_group
from .qa_lock import refuse_signed_off
from .reading import retrying
from .reads import StoreReads
from .second_reading import ReadingWrites
from .tally import Plan
from .validation import (
    AnswerInput,
    ValidationError,
    answer_value,
    base_value,
    check_date,
    encode_details,
    merged_answers,
)
from .views import view_sql

AUTO_COMPACT_AT = 64
log = logging.getLogger("store")
Problem = quarantine.Quarantined | Verdict


@dataclass(frozen=True)
class Receipt:
    """Proof of a durable save: the fragment, its events and their time."""

    path: Path | None
    event_ids: tuple[str, ...]
    saved_at: datetime


class Store(StoreReads, ReadingWrites):
    """Open with `Store.open(path)` or create with `Store.init(path, group=...)`."""

    def __init__(self, root: Path, framework: Framework) -> None:
        self.root = Path(root)
        self.layout = Layout(self.root)
        self.framework = framework
        self.author = current_author()
        self.auto_compact_at: int | None = AUTO_COMPACT_AT
        self.problems: list[Problem] = []  # damaged files moved aside, links, unreadable
        self._seen: set[str] = set()
        self._lock = threading.Lock()
        self._db: duckdb.DuckDBPyConnection | None = None
        self._scan_db: duckdb.DuckDBPyConnection | None = None
        self._compacting = threading.Lock()
        self._live: dict[str, LiveAnswers] = {}  # per inspection, for scores()
        self._tally_plan: Plan | None = None

    # -- opening --------------------------------------------------------------------
    @classmethod
    def init(
        cls, path: Path | str, group: str | None = None, framework: Framework | None = None
    ) -> Store:
        root = Path(path)
        if (root / "caseread-store.json").exists():
            raise StoreError(f"{root} is already a caseread store")
        if root.exists() and any(root.iterdir()):
            raise StoreError(f"{root} is not empty; a new store needs an empty directory")
        root.mkdir(parents=True, exist_ok=True)  # the root may be a link: the user's choice
        os.chmod(root, DIR_MODE)
        if group:
            set_group(root, group)
        meta = {"format": FORMAT, "created_by": current_author(),
                "created_at": utc_now().isoformat(timespec="seconds") + "Z"}
        _write_text(Layout(root), root / "caseread-store.json", json.dumps(meta, indent=2))
        return cls.open(root, framework)

    @classmethod
    def open(cls, path: Path | str, framework: Framework | None = None) -> Store:
        root = Path(path)
        if not (root / "caseread-store.json").is_file():
            raise StoreError(f"{root} is not a caseread store (no caseread-store.json)")
        check_root(root)
        store = cls(root, framework or load_framework())
        store._prepare()
        return store

    def _prepare(self) -> None:
        """Make the layout complete and readable: dirs, empty schema files, framework
        tables, views.sql; move damaged files aside and clean dead writers' temps.
        A store we cannot write to (a read-only backup) still opens, for reading."""
        if self._write_generated():
            self.check()

    def _write_generated(self) -> bool:
        """Write what the store generates and is missing; False on a read-only store."""
        lay = self.layout
        try:
            migrate.upgrade_on_open(lay)  # a store made (or written) by an older caseread
            for kind in KINDS:
                make_dir(lay.kind_dir(kind))
                if not os.path.lexists(lay.empty_file(kind)):
                    publish_file(lay, schemas.BY_KIND[kind].empty_table(), lay.empty_file(kind))
            qa_events.prepare(lay)
            write_framework(lay, self.framework)
            text = view_sql(self.root, self.framework, legacy=self._legacy())
            if not lay.views_sql.exists() or lay.views_sql.read_text() != text:
                _write_text(lay, lay.views_sql, text)
        except (OSError, SaveError) as exc:
            warnings.warn(f"store {self.root} is not writable ({exc}); reading only",
                          stacklevel=3)
            return False
        return True

    def check(self, deep: bool = False) -> list[Problem]:
        """Quarantine damaged files, rebuild damaged generated files, clean up dead
        writers' temps. Returns what changed (files moved aside), so a failed query is
        worth retrying; problems only reported (links that could not be moved, files
        that cannot be read) go to `problems` once."""
        found = quarantine.scan(self.layout, deep=deep)
        if found.generated:
            self._write_generated()
        quarantine.clean_temps(self.layout)
        self._note(found)
        return [*found.moved, *(Verdict(p, "rebuilt") for p in found.generated)]

    def now(self) -> datetime:
        """Now by the store's clock (naive UTC), as saves are stamped: for polling.
        This computer's clock on a store we cannot write to (nobody saves there)."""
        try:
            return store_now(self.layout)
        except (OSError, StoreError):
            return utc_now()

    def _note(self, found: quarantine.ScanResult) -> None:
        """Keep what a scan found in `problems` (a reported problem once)."""
        self.problems += found.moved
        for verdict in found.reported:
            if str(verdict) not in self._seen:
                self._seen.add(str(verdict))
                self.problems.append(verdict)

    # -- writing --------------------------------------------------------------------
    def add_inspection(
        self, inspection_id: str, area: str, date: str, label: str | None = None,
        synthetic: bool = False,
    ) -> Receipt:
        check_id(inspection_id)
        check_date(date)
        for kind in ("cases", "answers"):
            make_dir(self.layout.partition(kind, inspection_id))
        row = {"inspection_id": inspection_id, "area": area, "date": date, "label": label,
               "synthetic": synthetic}
        return self._save("inspections", None, [row])

    def save_case(
        self, inspection_id: str, case_id: str, details: dict[str, object], kind: str = "case"
    ) -> Receipt:
        self._require_inspection(inspection_id)
        check_id(case_id, "case id")
        refuse_signed_off(self.layout, inspection_id, [case_id])
        encoded = encode_details(self.framework, details, kind)
        if details.get("_deleted") is not True:  # a deleted record counts in no score
            refuse_kind_changes(self, inspection_id, {case_id: kind})
        rows = [
            {"inspection_id": inspection_id, "case_id": case_id, "field": k, "value": v,
             "framework_version": self.framework.version}
            for k, v in encoded.items()
        ]
        return self._save("cases", inspection_id, rows)

    def save_answers(self, inspection_id: str, answers: list[AnswerInput]) -> Receipt:
        """One fragment for all `answers`; durable (fsynced, published) when this returns.

        Raises `AnswerConflict` (nothing saved) if an answer's `base` is not the latest
        stored answer of its key, checked under the inspection's answer lock."""
        self._require_inspection(inspection_id)
        latest = merged_answers(answers)  # one save, one key: last wins, first base kept
        refuse_signed_off(self.layout, inspection_id, (a.case_id for a in answers))
        rows = []
        for item in latest.values():
            check_id(item.case_id, "case id")
            rows.append({
                "inspection_id": inspection_id, "case_id": item.case_id,
                "question_id": item.question_id, "answer": answer_value(self.framework, item),
                "note": item.note, "framework_version": self.framework.version,
            })
        checks = [(i.case_id, i.question_id, base_value(self.framework, i))
                  for i in latest.values() if not isinstance(i.base, Unchecked)]
        if not checks:
            return self._save("answers", inspection_id, rows)
        with held_lock(self.layout.locks, answers_lock_name(inspection_id)):
            stored = self._stored_answers(inspection_id, list(latest))
            conflicts = find_conflicts(checks, stored)
            if conflicts:
                raise AnswerConflict(conflicts)
            return self._save("answers", inspection_id, rows, not_before(stored))

    def _stored_answers(self, inspection_id: str, keys: list[tuple[str, str]]
                        ) -> dict[tuple[str, str], Latest]:
        """The latest stored save of each key, read from the store now (new files only)."""
        live = self._live_answers(inspection_id)
        db = self._scan_database()
        with live.lock:
            retrying(lambda: live.refresh(db.cursor), self._on_damage)
            found = {key: live.latest(*key) for key in keys}
        return {key: save for key, save in found.items() if save is not None}

    def _require_inspection(self, inspection_id: str) -> None:
        if not self.layout.partition("answers", check_id(inspection_id)).is_dir():
            raise ValidationError(f"no inspection {inspection_id!r} in {self.root}")

    def _save(self, kind: str, inspection_id: str | None, rows: list[dict[str, Any]],
              after: datetime | None = None) -> Receipt:
        if not rows:
            return Receipt(None, (), utc_now())
        ids = tuple(uuid.uuid4().hex for _ in rows)
        directory = self.layout.partition(kind, inspection_id)
        with save_time(self.layout, directory) as stamped:  # the store's clock, in order
            # and after every answer a checked save replaces (`after`, issue 12)
            saved_at = stamped if after is None else max(stamped, after)
            for row, event_id in zip(rows, ids, strict=True):
                row |= {"author": self.author, "saved_at": saved_at, "event_id": event_id}
            table = pa.Table.from_pylist(rows, schema=schemas.BY_KIND[kind])
            path = publish(self.layout, table, directory, when=saved_at)
        self._maybe_compact(directory)
        return Receipt(path, ids, saved_at)

    # -- compaction -------------------------------------------------------------------
    def compact(self, min_fragments: int = 2, wait: bool = True) -> compaction.CompactionResult:
        result = compaction.compact(self.layout, min_fragments, wait)
        self.problems += result.quarantined
        if self.layout.legacy_partitions() and not self._legacy():  # an older caseread
            migrate.upgrade(self.layout, wait=False)  # wrote here since we opened
        return result

    def _maybe_compact(self, directory: Path) -> None:
        """Too many fragments: compact in the background, unless someone already is."""
        limit = self.auto_compact_at
        if limit is None or len(os.listdir(directory)) <= limit:
            return
        if not self._compacting.acquire(blocking=False):
            return

        def run() -> None:
            with contextlib.suppress(OSError):  # Linux: nice applies to this thread only
                os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)
            try:
                self.compact(min_fragments=limit, wait=False)
            except (OSError, StoreError) as exc:  # a full disk, a planted link: the save
                log.error("background compaction of %s failed: %s", directory, exc)
            finally:  # itself is already durable, so this is only logged
                self._compacting.release()

        threading.Thread(target=run, name="caseread-compact").start()



def _write_text(layout: Layout, path: Path, text: str) -> None:
    """Atomically replace a small text file (views.sql, the marker)."""
    make_dir(layout.tmp)
    tmp = layout.tmp / f"{path.name}.{os.getpid()}.{uuid.uuid4().hex}.txt"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o660)
    with os.fdopen(fd, "w") as f:
        os.fchmod(f.fileno(), 0o660)
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
