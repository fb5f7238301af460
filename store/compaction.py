"""Merging many small fragments into one sorted file, by exactly one compactor at a time.

Order matters for never losing an answer: the merged file is published (fsynced, linked,
directory fsynced) BEFORE its inputs are deleted. Between the two steps a reader's glob may
see an event twice (merged file + input); the views dedupe by event_id, so that is harmless.
A compactor killed in between leaves duplicates that the next compaction merges away.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa

from . import current_state, provenance
from .clock import store_now
from .fragment_check import Verdict
from .fragments import fsync_dir, publish
from .layout import Layout, fragments_in
from .nofollow import open_lock
from .permissions import make_dir
from .quarantine import Quarantined, checked, clean_temps, move_aside
from .reading import file_list_sql
from .schemas import BY_KIND, SORT_KEYS

ROW_GROUP = 122_880  # DuckDB's own row group size: good parallel scans and pruning


@dataclass
class CompactionResult:
    merged: list[Path] = field(default_factory=list)
    removed: int = 0
    quarantined: list[Quarantined] = field(default_factory=list)
    locked_out: bool = False  # another compactor was running
    skipped: list[Verdict] = field(default_factory=list)  # unreadable inputs, left alone


@contextmanager
def compact_lock(layout: Layout, wait: bool) -> Iterator[bool]:
    """flock on .locks/compact.lock; yields False if not acquired (wait=False).

    The kernel drops the lock when the process dies, so a killed compactor never leaves
    a stale lock behind.
    """
    make_dir(layout.locks)
    fd = open_lock(layout.root, layout.locks / "compact.lock")
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(fd)  # closing releases the flock


def compact(layout: Layout, min_fragments: int = 2, wait: bool = True) -> CompactionResult:
    result = CompactionResult()
    with compact_lock(layout, wait) as got:
        if not got:
            result.locked_out = True
            return result
        clean_temps(layout)
        for directory in layout.partitions():
            _compact_dir(layout, directory, min_fragments, result)
    return result


def _sound_inputs(layout: Layout, files: list[Path], kind: str, result: CompactionResult,
                  deep: bool) -> list[Path]:
    """Inputs that pass `check_fragment` (`deep`: every page reads, too); damaged or
    unbelievable ones are moved aside, never merged; unreadable ones (permission, I/O
    error) are left where they are and left out."""
    used = []
    for path in files:
        verdict = checked(path, kind, deep)
        if verdict is None:
            used.append(path)
        elif verdict.unreadable or verdict.link:
            result.skipped.append(verdict)
        else:
            item = move_aside(layout, path, verdict.problem)
            result.quarantined += [item] if item else []
    return used


def _merge(files: list[Path], kind: str) -> list[tuple[str, pa.Table]]:
    """One pass: drop repeated events (same event_id), sort for pruning and history.
    Answers come out as a `current-` and a `history-` file (store/current_state.py)."""
    order = ", ".join(SORT_KEYS[kind])
    once = (f"(SELECT * FROM {file_list_sql(files)} "
            "QUALIFY row_number() OVER (PARTITION BY event_id) = 1)")
    parts = current_state.split_sql(once, order) if kind == "answers" \
        else [("compacted", f"SELECT * FROM {once} ORDER BY {order}")]
    out = []
    with duckdb.connect() as con:
        for prefix, sql in parts:
            table = con.sql(sql).to_arrow_table().select(BY_KIND[kind].names).cast(BY_KIND[kind])
            if table.num_rows or prefix != current_state.HISTORY:
                out.append((prefix, table))
    return out


def _due(files: list[Path], kind: str, min_fragments: int) -> bool:
    """Enough files to merge; an answer partition holding an older caseread's `compacted-`
    file (every event in one) is split into current state and history even alone."""
    counted = [p for p in files if not current_state.is_history(p.name)]
    legacy = kind == "answers" and any(p.name.startswith("compacted-") for p in files)
    return len(counted) >= max(min_fragments, 2) or (legacy and bool(counted))


def _compact_dir(
    layout: Layout, directory: Path, min_fragments: int, result: CompactionResult
) -> None:
    files = fragments_in(directory)
    kind = directory.relative_to(layout.root).parts[0]
    if not _due(files, kind, min_fragments):
        return
    used = _sound_inputs(layout, files, kind, result, deep=False)
    try:
        merged = _merge(used, kind) if _due(used, kind, min_fragments) else None
    except duckdb.Error:  # a damaged page, or an input gone: check each file and retry
        used = _sound_inputs(layout, fragments_in(directory), kind, result, deep=True)
        merged = _merge(used, kind) if _due(used, kind, min_fragments) else None
    if merged is None:
        return
    origins = provenance.of_inputs(layout, used)
    when = store_now(layout, directory)
    for prefix, table in merged:  # current state first: see _remove
        published = publish(layout, table, directory, prefix, ROW_GROUP, when=when)
        provenance.write(layout, published, origins)  # before the inputs (and owners) go
        result.merged.append(published)
    result.removed += _remove(used)
    fsync_dir(directory)
    provenance.forget(layout, used)


def _remove(used: list[Path]) -> int:
    """Delete the inputs, only now that the merged files are durable. `current-` inputs go
    first: two `current-` files make readers group the inspection again, and a key whose
    latest event came from a fragment must never show its older current row alone."""
    removed = 0
    for path in sorted(used, key=lambda p: not p.name.startswith(f"{current_state.CURRENT}-")):
        try:
            os.unlink(path)
            removed += 1
        except FileNotFoundError:
            pass
    return removed
