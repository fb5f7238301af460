"""Damaged files are moved aside, never deleted; leftover temp files are cleaned up safely."""

from __future__ import annotations

import logging
import os
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from . import manifest
from .layout import Layout, fragment_names, parse_name, this_host
from .permissions import make_dir
from .schemas import BY_KIND

log = logging.getLogger("store")
_checked: set[tuple[str, int, int]] = set()  # fragments are immutable: check each once


@dataclass(frozen=True)
class Quarantined:
    """A file moved aside: where it was, where it is now, and why."""

    original: Path
    moved_to: Path
    reason: str

    def __str__(self) -> str:
        return f"{self.original} moved to {self.moved_to}: {self.reason}"


def _same_kind(actual: pa.DataType, wanted: pa.DataType) -> bool:
    if pa.types.is_timestamp(wanted):
        return pa.types.is_timestamp(actual)
    if pa.types.is_string(wanted):
        return pa.types.is_string(actual) or pa.types.is_large_string(actual)
    return bool(actual == wanted)


def problem_with(path: Path, schema: pa.Schema, cached: bool = True) -> str | None:
    """Why `path` is not a readable fragment of `schema` (None if it is fine).
    `cached=False` reads it again even if this process found it fine before."""
    try:
        st = path.stat()
        key = (str(path), st.st_size, st.st_mtime_ns)
        if cached and key in _checked:
            return None
        found = pq.read_schema(path)
    except FileNotFoundError:
        return None  # compacted away meanwhile: not damage
    except Exception as exc:  # noqa: BLE001 - any parse failure means damage
        return f"unreadable Parquet ({type(exc).__name__}: {exc})"
    for field in schema:
        idx = found.get_field_index(field.name)
        if idx < 0:
            return f"wrong schema: column {field.name!r} missing"
        if not _same_kind(found.field(idx).type, field.type):
            return f"wrong schema: column {field.name!r} is {found.field(idx).type}"
    _checked.add(key)
    return None


def move_aside(layout: Layout, path: Path, reason: str) -> Quarantined | None:
    """Move a damaged file into quarantine/ (keeping its relative path in the name)."""
    rel = path.relative_to(layout.root)
    dest = layout.quarantine / f"{'__'.join(rel.parts)}.{int(time.time())}.bad"
    try:
        make_dir(layout.quarantine)
        os.rename(path, dest)
    except FileNotFoundError:
        return None
    except OSError as exc:  # read-only store: report, leave it (queries will still fail)
        log.error("cannot move damaged file %s aside: %s", path, exc)
        return None
    item = Quarantined(path, dest, reason)
    log.warning("quarantined %s", item)
    warnings.warn(f"caseread store: damaged file {item}", stacklevel=2)
    return item


def check_file(path: Path, kind: str, cached: bool = True) -> str | None:
    """The one check every fragment gets once (footer and schema): why `path` is not a
    sound fragment of `kind`, or None."""
    return problem_with(path, BY_KIND[kind], cached)


def scan(layout: Layout, recheck: bool = False) -> list[Quarantined]:
    """Check each fragment not yet in the checked-files manifest (`recheck`: every one);
    move damaged ones aside, record the sound ones."""
    known = manifest.load(layout)
    skip = set() if recheck else known
    moved: list[Quarantined] = []
    present: set[str] = set()
    passed: list[str] = []
    for directory in layout.partitions():
        kind = directory.relative_to(layout.root).parts[0]
        base = directory.relative_to(layout.root).as_posix()
        for name in fragment_names(directory):
            rel = f"{base}/{name}"
            present.add(rel)
            if rel in skip:
                continue
            reason = check_file(directory / name, kind, cached=not recheck)
            if reason:
                item = move_aside(layout, directory / name, reason)
                moved += [item] if item else []
            elif rel not in known:
                passed.append(rel)
    manifest.record(layout, passed)
    manifest.prune(layout, known | set(passed), present)
    return moved


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's live process
    return True


def clean_temps(layout: Layout, older_than_s: float = 600.0) -> list[Path]:
    """Remove temp files left by killed writers: only old ones whose writer is gone.

    A temp file from another host cannot have its pid checked; it is left for a day.
    """
    removed: list[Path] = []
    now = time.time()
    try:
        entries = list(os.scandir(layout.tmp))
    except FileNotFoundError:
        return removed
    for entry in entries:
        parts = parse_name(entry.name)
        try:
            age = now - entry.stat().st_mtime
        except FileNotFoundError:
            continue
        if parts is None or age < older_than_s:
            continue
        here = parts["host"] == this_host()
        if (here and _pid_alive(int(parts["pid"]))) or (not here and age < 86400):
            continue
        try:
            os.unlink(entry.path)
            removed.append(Path(entry.path))
        except OSError:
            pass
    return removed
