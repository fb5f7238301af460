"""Where things live inside a store directory, and how fragments are named."""

from __future__ import annotations

import os
import re
import socket
import stat
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from .errors import StoreError

MARKER = "caseread-store.json"
KINDS = ("inspections", "cases", "answers", "readings")  # readings: see second_reading.py
# A zero-row file per kind, so a view's glob always matches something (DuckDB errors on
# an empty glob). Dot-named so it can never clash with an inspection id or a fragment.
EMPTY = ".empty"
# Cases and answers live in hive-style partitions, `answers/inspection_id=<id>/`, so that
# DuckDB reads only the inspection a query names (it prunes on the directory name before
# opening a file). Stores of format 1 used `answers/<id>/`: store/migrate.py moves them.
PART_KEY = "inspection_id"
FORMAT = 2
# Names of files compaction writes (every event of their inputs, store/current_state.py):
# `compacted-` (cases, readings; answers by an older caseread), `current-` and `history-`.
MERGED = ("compacted-", "current-", "history-")
_SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
_HOST = re.sub(r"[^A-Za-z0-9]", "", socket.gethostname())[:32] or "host"
_NAME = re.compile(
    r"^(?P<prefix>part|compacted|current|history)-(?P<ts>\d{8}T\d{12})-(?P<host>[A-Za-z0-9]+)-(?P<pid>\d+)-[0-9a-f]{32}"
)


def check_id(value: str, what: str = "inspection id") -> str:
    """Inspection ids become directory names, so they must be plain."""
    if not isinstance(value, str) or not _SAFE_ID.match(value):
        raise StoreError(
            f"invalid {what} {value!r}: use letters, digits, '_', '-', '.' (max 64)"
        )
    return value


def utc_now() -> datetime:
    """Naive UTC with microseconds: the TIMESTAMP stored in every event."""
    return datetime.now(UTC).replace(tzinfo=None)


def fragment_name(prefix: str = "part", when: datetime | None = None) -> str:
    """`part-<utc>-<host>-<pid>-<uuid>`; sorts by time, never collides."""
    stamp = (when or utc_now()).strftime("%Y%m%dT%H%M%S%f")
    return f"{prefix}-{stamp}-{_HOST}-{os.getpid()}-{uuid.uuid4().hex}"


def parse_name(name: str) -> dict[str, str] | None:
    """The parts of a fragment or temp name, or None if it is not one of ours."""
    m = _NAME.match(name)
    return m.groupdict() if m else None


def this_host() -> str:
    return _HOST


@dataclass(frozen=True)
class Layout:
    """Paths of one store directory."""

    root: Path

    @property
    def marker(self) -> Path:
        return self.root / MARKER

    @property
    def tmp(self) -> Path:
        return self.root / ".tmp"

    @property
    def quarantine(self) -> Path:
        return self.root / "quarantine"

    @property
    def locks(self) -> Path:
        return self.root / ".locks"

    @property
    def views_sql(self) -> Path:
        return self.root / "views.sql"

    def kind_dir(self, kind: str) -> Path:
        return self.root / kind

    def framework_dir(self, version: str) -> Path:
        return self.root / "framework" / version

    def partition(self, kind: str, inspection_id: str | None = None) -> Path:
        """Inspections are one flat directory; the other kinds one per inspection."""
        if kind == "inspections":
            return self.kind_dir(kind)
        return self._current(kind, check_id(inspection_id or ""))

    def empty_file(self, kind: str) -> Path:
        if kind == "inspections":
            return self.kind_dir(kind) / f"{EMPTY}.parquet"
        return self._current(kind, EMPTY) / f"{EMPTY}.parquet"

    def _current(self, kind: str, name: str) -> Path:
        """The partition directory; the format-1 one only while it alone exists (a store
        that could not be migrated, e.g. a read-only backup)."""
        new = self.kind_dir(kind) / partition_name(name)
        if new.is_dir():
            return new
        old = self.kind_dir(kind) / name
        return old if old.is_dir() else new

    def partitions(self, links: list[Path] | None = None) -> list[Path]:
        """Every real directory that holds fragments (not the .empty ones; format-1
        directories not yet migrated included, so the damaged-file scan and compaction still
        see them). A symbolic link is never followed: it is appended to `links` (if given)
        for the caller to report."""
        out = [] if _is_link(self.kind_dir("inspections")) else [self.kind_dir("inspections")]
        for kind in KINDS[1:]:
            base = self.kind_dir(kind)
            if _is_link(base):
                continue
            try:
                entries = sorted(os.scandir(base), key=lambda e: e.name)
            except (FileNotFoundError, NotADirectoryError):
                continue
            for entry in entries:
                if entry.name[0] == "." or entry.name == partition_name(EMPTY):
                    continue
                if entry.is_symlink():
                    if links is not None:
                        links.append(Path(entry.path))
                elif entry.is_dir(follow_symlinks=False):
                    out.append(Path(entry.path))
        return out

    def strays(self) -> list[Path]:
        """Entries of the `.empty` partitions other than the store's empty schema file:
        the store never writes one there, but the views' globs read every file there."""
        out = []
        for kind in KINDS[1:]:
            empty = self.empty_file(kind)
            try:
                entries = sorted(os.scandir(empty.parent), key=lambda e: e.name)
            except (FileNotFoundError, NotADirectoryError):
                continue
            out += [Path(e.path) for e in entries if e.name != empty.name]
        return out

    def legacy_partitions(self) -> list[Path]:
        """Format-1 directories (`answers/<id>/`, `answers/.empty/`) still to be migrated."""
        out = []
        for kind in KINDS[1:]:
            base = self.kind_dir(kind)
            if base.is_dir() and not _is_link(base):  # a link is reported, never migrated
                out += sorted(p for p in base.iterdir() if not p.is_symlink() and p.is_dir()
                              and not p.name.startswith(f"{PART_KEY}="))
        return out

    def kind_dirs_links(self) -> list[Path]:
        """The kind directories (and quarantine/, .locks/, .tmp/) that are links."""
        names = [*KINDS, "framework", "quarantine", ".locks", ".tmp"]
        return [self.root / n for n in names if _is_link(self.root / n)]

    def generated_files(self) -> list[tuple[Path, str | None]]:
        """Files the store writes itself and rebuilds when damaged: the empty schema
        files (kind) and the framework tables (None)."""
        out: list[tuple[Path, str | None]] = [(self.empty_file(k), k) for k in KINDS]
        base = self.root / "framework"
        if not _is_link(base) and base.is_dir():
            for version in sorted(base.iterdir()):
                if not _is_link(version) and version.is_dir():
                    out += [(p, None) for p in sorted(version.glob("*.parquet"))]
        return [(p, k) for p, k in out if os.path.lexists(p)]

    @staticmethod
    def glob(kind: str) -> str:
        """Relative glob of a kind's files (the .empty file included)."""
        if kind == "inspections":
            return f"{kind}/*.parquet"
        return f"{kind}/{PART_KEY}=*/*.parquet"


def partition_name(inspection_id: str) -> str:
    """The directory of one inspection's cases or answers: `inspection_id=<id>`."""
    return f"{PART_KEY}={inspection_id}"


def inspection_of(directory: Path) -> str | None:
    """The inspection id a partition directory holds (None: not a partition)."""
    key, sep, value = directory.name.partition("=")
    return value if sep and key == PART_KEY and value != EMPTY else None


def fragment_names(directory: Path) -> list[str]:
    """Names of the published fragments of one partition, oldest first (dot files excluded).
    Regular files only (the directory entry's type, no stat): a FIFO would hang a reader
    and a link is never followed. Just names: polling and live scores list hundreds of
    files several times a second."""
    try:
        entries = list(os.scandir(directory))
    except (FileNotFoundError, NotADirectoryError):
        return []
    return sorted(e.name for e in entries if e.name.endswith(".parquet") and e.name[0] != "."
                  and e.is_file(follow_symlinks=False))


def fragments_in(directory: Path) -> list[Path]:
    """Published fragments of one partition, oldest name first (dot files excluded)."""
    return [directory / n for n in fragment_names(directory)]


def _is_link(path: Path) -> bool:
    try:
        return stat.S_ISLNK(os.lstat(path).st_mode)
    except FileNotFoundError:
        return False
