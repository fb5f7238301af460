"""The store: one directory of immutable Parquet fragments, read through DuckDB views."""

from __future__ import annotations

import contextlib
import json
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

from . import compaction, quarantine, schemas
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
from .fragments import publish, publish_file
from .frameworktables import write_framework
from .layout import KINDS, Layout, check_id, utc_now
from .live import LiveAnswers
from .permissions import DIR_MODE, check_root, current_author, make_dir, set_group
from .reading import retrying
from .reads import StoreReads
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


@dataclass(frozen=True)
class Receipt:
    """Proof of a durable save: the fragment, its events and their time."""

    path: Path | None
    event_ids: tuple[str, ...]
    saved_at: datetime


class Store(StoreReads):
    """Open with `Store.open(path)` or create with `Store.init(path, group=...)`."""

    def __init__(self, root: Path, framework: Framework) -> None:
        self.root = Path(root)
        self.layout = Layout(self.root)
        self.framework = framework
        self.author = current_author()
        self.auto_compact_at: int | None = AUTO_COMPACT_AT
        self.problems: list[quarantine.Quarantined] = []  # damaged files moved aside
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
        make_dir(root)
        os.chmod(root, DIR_MODE)
        if group:
            set_group(root, group)
        meta = {"format": 1, "created_by": current_author(),
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
        lay = self.layout
        try:
            for kind in KINDS:
                make_dir(lay.kind_dir(kind))
                if not lay.empty_file(kind).exists():
                    publish_file(lay, schemas.BY_KIND[kind].empty_table(), lay.empty_file(kind))
            write_framework(lay, self.framework)
            text = view_sql(self.root, self.framework)
            if not lay.views_sql.exists() or lay.views_sql.read_text() != text:
                _write_text(lay, lay.views_sql, text)
        except (OSError, SaveError) as exc:
            warnings.warn(f"store {self.root} is not writable ({exc}); reading only",
                          stacklevel=3)
            return
        self.check()

    def check(self) -> list[quarantine.Quarantined]:
        """Quarantine damaged files and clean up dead writers' temps; returns new problems."""
        moved = quarantine.scan(self.layout)
        quarantine.clean_temps(self.layout)
        self.problems += moved
        return moved

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
        encoded = encode_details(self.framework, details, kind)
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
        saved_at = utc_now() if after is None else max(utc_now(), after)
        if not rows:
            return Receipt(None, (), saved_at)
        ids = tuple(uuid.uuid4().hex for _ in rows)
        for row, event_id in zip(rows, ids, strict=True):
            row |= {"author": self.author, "saved_at": saved_at, "event_id": event_id}
        table = pa.Table.from_pylist(rows, schema=schemas.BY_KIND[kind])
        directory = self.layout.partition(kind, inspection_id)
        path = publish(self.layout, table, directory, when=saved_at)
        self._maybe_compact(directory)
        return Receipt(path, ids, saved_at)

    # -- compaction -------------------------------------------------------------------
    def compact(self, min_fragments: int = 2, wait: bool = True) -> compaction.CompactionResult:
        result = compaction.compact(self.layout, min_fragments, wait)
        self.problems += result.quarantined
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
            finally:
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
