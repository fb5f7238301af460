"""Damaged files are moved aside, never deleted; leftover temp files are cleaned up safely."""

from __future__ import annotations

import logging
import os
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from . import manifest, nofollow
from .errors import StoreError
from .fragment_check import Verdict, check_fragment, file_key, open_regular
from .layout import Layout, parse_name, this_host
from .permissions import make_dir
from .schemas import BY_KIND

log = logging.getLogger("store")
_checked: set[tuple[tuple[int, ...], object]] = set()  # fragments are immutable: check each once


@dataclass(frozen=True)
class Quarantined:
    """A file moved aside: where it was, where it is now, and why."""

    original: Path
    moved_to: Path
    reason: str

    def __str__(self) -> str:
        return f"{self.original} moved to {self.moved_to}: {self.reason}"


def problem_with(path: Path, schema: pa.Schema, deep: bool = False) -> str | None:
    """Why `path` is not a sound fragment of `schema`'s kind (None if it is fine, or
    is not ours to judge: unreadable files and links are reported by `scan`)."""
    verdict = checked(path, _KIND_OF[id(schema)], deep)
    return None if verdict is None or verdict.unreadable else verdict.problem


_KIND_OF = {id(schema): kind for kind, schema in BY_KIND.items()}


def checked(path: Path, kind: str, deep: bool = False) -> Verdict | None:
    """`check_fragment`, remembered per unchanged file (fragments are immutable)."""
    key = _key(path)
    if key is None or (key, deep) in _checked or (key, True) in _checked:
        return None
    verdict = check_fragment(path, kind, deep)
    if verdict is None:
        _checked.add((key, deep))
    return verdict


def _generated(path: Path, kind: str | None) -> Verdict | None:
    key = _key(path)
    if key is None or (key, "generated") in _checked:
        return None
    verdict = generated_problem(path, kind)
    if verdict is None:
        _checked.add((key, "generated"))
    return verdict


def _key(path: Path) -> tuple[int, ...] | None:
    try:
        return file_key(os.lstat(path))
    except FileNotFoundError:
        return None


def move_aside(layout: Layout, path: Path, reason: str) -> Quarantined | None:
    """Move a damaged file (or a link, as a link) into quarantine/, keeping its relative
    path in the name. No link is followed on the way (store/nofollow.py): a partition or
    quarantine/ replaced by a link makes this refuse, never move someone's file."""
    rel = path.relative_to(layout.root)
    dest = layout.quarantine / f"{'__'.join(rel.parts)}.{int(time.time())}.bad"
    try:
        make_dir(layout.quarantine)
        nofollow.rename(layout.root, path, dest)
    except FileNotFoundError:
        return None
    except (OSError, StoreError) as exc:  # read-only store, a link: report, leave it
        log.error("cannot move damaged file %s aside: %s", path, exc)
        return None
    item = Quarantined(path, dest, reason)
    log.warning("quarantined %s", item)
    warnings.warn(f"caseread store: damaged file {item}", stacklevel=2)
    return item


@dataclass
class ScanResult:
    """What a scan found: files moved aside, and problems only reported (links,
    unreadable files, links where a directory should be)."""

    moved: list[Quarantined] = field(default_factory=list)
    reported: list[Verdict] = field(default_factory=list)
    generated: list[Path] = field(default_factory=list)  # damaged generated files, moved


def scan(layout: Layout, deep: bool = False, fix: bool = True) -> ScanResult:
    """Check every fragment (`check_fragment`) and the generated files; with `fix`, move
    damaged ones (and links in data directories, which DuckDB's globs would follow) aside.
    Unreadable files are only reported. Fragments the checked-files manifest lists passed
    before, in some process, and are not read again unless `deep` (a query failed on a
    file: every page of every file is read)."""
    out = ScanResult()
    for path in layout.kind_dirs_links():
        out.reported.append(Verdict(path, "a symbolic link where a directory belongs",
                                    link=True))
    known = manifest.load(layout)
    seen = _Seen(skip=set() if deep else known)
    out_links: list[Path] = []
    for directory in layout.partitions(out_links):
        vet(layout, directory, out, deep, fix, seen)
    for path in out_links:  # a partition replaced by a link: move the link itself
        _handle(layout, Verdict(path, "a symbolic link (never followed)", link=True), out, fix)
    for path in layout.strays():  # read by the views' globs, written by no one of ours
        _handle(layout, Verdict(path, "not the store's own file in its empty-schema folder",
                                link=path.is_symlink()), out, fix)
    for file, schema_kind in layout.generated_files():
        bad = _generated(file, schema_kind)
        if bad is not None and fix and not bad.link and not bad.unreadable:
            if move_aside(layout, file, bad.problem):
                out.generated.append(file)
        elif bad is not None:
            out.reported.append(bad)
    if fix:
        passed = [rel for rel in seen.passed if rel not in known]
        manifest.record(layout, passed)
        manifest.prune(layout, known | set(passed), seen.present)
    return out


@dataclass
class _Seen:
    """What a scan met, for the checked-files manifest (paths relative to the store)."""

    skip: set[str]  # listed as checked: not read again
    present: set[str] = field(default_factory=set)
    passed: list[str] = field(default_factory=list)


def vet(layout: Layout, directory: Path, out: ScanResult, deep: bool = False,
        fix: bool = True, seen: _Seen | None = None) -> ScanResult:
    """Check one partition's entries (each file once per process, and once per store when
    `seen` brings the manifest), as `scan` does."""
    kind = directory.relative_to(layout.root).parts[0]
    base = directory.relative_to(layout.root).as_posix()
    for path in _entries(directory):
        rel = f"{base}/{path.name}"
        if seen is not None:
            seen.present.add(rel)
            if rel in seen.skip:
                continue
        verdict = checked(path, kind, deep)
        if verdict is not None:
            _handle(layout, verdict, out, fix)
        elif seen is not None:
            seen.passed.append(rel)
    return out


def _handle(layout: Layout, verdict: Verdict, out: ScanResult, fix: bool) -> None:
    if verdict.unreadable or not fix:
        out.reported.append(verdict)
        log.error("%s", verdict)
        return
    item = move_aside(layout, verdict.path, verdict.problem)
    if item is None:
        out.reported.append(verdict)
    else:
        out.moved.append(item)


def _entries(directory: Path) -> list[Path]:
    """Every `*.parquet` entry of a partition, whatever its type (FIFOs and links too)."""
    try:
        names = os.listdir(directory)
    except FileNotFoundError:
        return []
    return [directory / n for n in sorted(names) if n.endswith(".parquet") and n[0] != "."]


def generated_problem(path: Path, kind: str | None) -> Verdict | None:
    """A generated file (an empty schema file, a framework table) that cannot be read."""
    fd, verdict = open_regular(path)
    if fd is None:
        return verdict
    with os.fdopen(fd, "rb") as f:
        try:
            table = pq.read_table(f)
        except Exception as exc:  # noqa: BLE001 - any failure: rebuild it
            return Verdict(path, f"unreadable generated file ({type(exc).__name__})")
    if kind is not None and not set(BY_KIND[kind].names) <= set(table.column_names):
        return Verdict(path, "generated file with the wrong schema")
    return None


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
