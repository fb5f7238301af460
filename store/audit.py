"""Tamper evidence: a hash-chained record of every event, checked by `caseread check`.

Each accepted check writes `.audit/events-<n>.parquet` (every event's kind, id and a
digest of its content) and appends a line to `.audit/chain.jsonl` holding that file's
SHA-256, who checked, when, and the SHA-256 of the previous line. The next check
verifies the chain and reports events that disappeared or changed since.

What this protects against, and what not (docs/store.md, "Threat model"): a member who
deletes or rewrites events, by hand or through a forged compacted file, is reported at
the next check. A member who also rewrites `.audit/` consistently is not, unless the
chain head that check prints is kept somewhere they cannot write (a mail, a ticket).
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from . import nofollow
from .errors import StoreError
from .fragment_check import open_regular
from .fragments import publish_file
from .layout import KINDS, Layout, fragments_in, utc_now
from .permissions import current_author, make_dir
from .reading import file_list_sql
from .schemas import BY_KIND

SHOWN = 5  # event ids named per problem line


@dataclass
class Audit:
    problems: list[str] = field(default_factory=list)
    events: int = 0
    head: str = ""  # SHA-256 of the chain's last line, after recording


def _audit_dir(layout: Layout) -> Path:
    return layout.root / ".audit"


def current_events(layout: Layout) -> pa.Table:
    """(kind, event_id, digest) of every event now in the store, one row per event id."""
    parts = []
    with duckdb.connect() as con:
        for kind in KINDS:
            files = [p for d in layout.partitions() if d.relative_to(layout.root).parts[0]
                     == kind for p in fragments_in(d)]
            if not files:
                continue
            cols = ", ".join(f"coalesce(CAST({c} AS VARCHAR), '\\x00')"
                             for c in BY_KIND[kind].names)
            parts.append(con.sql(
                f"SELECT DISTINCT '{kind}' AS kind, event_id, md5(concat_ws('|', {cols})) "
                f"AS digest FROM {file_list_sql(files)}").to_arrow_table())
    empty = pa.table({"kind": pa.array([], pa.string()), "event_id": pa.array([], pa.string()),
                      "digest": pa.array([], pa.string())})
    return pa.concat_tables(parts) if parts else empty


def _read(path: Path) -> bytes:
    """A regular file's bytes, never through a link or from a FIFO (FileNotFoundError if
    it is missing, StoreError if it is something else)."""
    fd, verdict = open_regular(path)
    if verdict is not None:
        raise StoreError(str(verdict))
    if fd is None:
        raise FileNotFoundError(path)
    with os.fdopen(fd, "rb") as f:
        return f.read()


def _chain(layout: Layout) -> list[str]:
    try:
        return _read(_audit_dir(layout) / "chain.jsonl").decode().splitlines()
    except FileNotFoundError:
        return []


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def audit(layout: Layout, record: bool, accept: bool = False) -> Audit:
    """Verify the chain, compare the store's events with the last record; if `record`
    and nothing is wrong (or `accept`: whatever the comparison says), append a record."""
    out = Audit()
    lines = _chain(layout)
    last: dict[str, object] | None = None
    for i, line in enumerate(lines):
        entry = json.loads(line)
        if i and entry.get("prev") != _sha(lines[i - 1].encode()):
            out.problems.append(f".audit/chain.jsonl line {i + 1}: the chain is broken "
                                "(an earlier record was changed or removed)")
        last = entry
    now = current_events(layout)
    out.events = now.num_rows
    if last is not None and not accept:
        out.problems += _compare(layout, last, now)
    if record and not out.problems:
        out.head = _record(layout, now, lines)
    elif lines:
        out.head = _sha(lines[-1].encode())
    return out


def _compare(layout: Layout, last: dict[str, object], now: pa.Table) -> list[str]:
    path = _audit_dir(layout) / str(last["file"])
    try:
        data = _read(path)
    except (OSError, StoreError) as exc:
        return [f"{path}: the last check's record is missing or odd ({exc})"]
    if _sha(data) != last["sha256"]:
        return [f"{path}: the last check's record was changed"]
    before = pq.read_table(pa.BufferReader(data)).to_pylist()
    seen = {(r["kind"], r["event_id"]): r["digest"] for r in now.to_pylist()}
    gone = [r for r in before if (r["kind"], r["event_id"]) not in seen]
    changed = [r for r in before if seen.get((r["kind"], r["event_id"]), r["digest"])
               != r["digest"]]
    when = f"since the check of {last['at']} by {last['by']}"
    return [f"{len(rows)} event(s) {what} {when}: "
            + ", ".join(f"{r['kind']}/{r['event_id']}" for r in rows[:SHOWN])
            + (" ..." if len(rows) > SHOWN else "")
            for rows, what in ((gone, "disappeared"), (changed, "changed")) if rows]


def _record(layout: Layout, now: pa.Table, lines: list[str]) -> str:
    make_dir(_audit_dir(layout))
    name = f"events-{len(lines) + 1}-{utc_now():%Y%m%dT%H%M%S%f}.parquet"
    path = _audit_dir(layout) / name
    publish_file(layout, now.sort_by([("kind", "ascending"), ("event_id", "ascending")]), path)
    entry = {"seq": len(lines) + 1, "at": utc_now().isoformat(timespec="seconds") + "Z",
             "by": current_author(), "events": now.num_rows, "file": name,
             "sha256": _sha(_read(path)),
             "prev": _sha(lines[-1].encode()) if lines else None}
    text = json.dumps(entry, sort_keys=True)
    chain = _audit_dir(layout) / "chain.jsonl"
    tmp = layout.tmp / f"chain.{name}.tmp"
    make_dir(layout.tmp)
    fd = nofollow.open_file(layout.root, tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o660)
    with os.fdopen(fd, "w") as f:
        os.fchmod(f.fileno(), 0o660)
        f.write("\n".join([*lines, text]) + "\n")
        f.flush()
        os.fsync(f.fileno())
    nofollow.rename(layout.root, tmp, chain)
    return _sha(text.encode())
