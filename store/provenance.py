"""What compaction knows about each event's origin, kept beside the merged file.

A `part-` fragment's author is verified (it must be the file's owner, fragment_check);
compaction replaces the owner with the compactor's. So, before its inputs go, compaction
writes `.audit/provenance/<kind>__<partition>__<merged name>.parquet`: per event, the
verified author (the owner of its `part-` fragment, or what an earlier provenance file
said) and the SHA-256 of the fragment it came from. `caseread check` compares a compacted
file's events with it (`mismatches`). The record lives in the group-writable store, so a
member who rewrites both is not caught by this alone (the hash-chained manifest reports
the change at the next check); docs/store.md, "Threat model".
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from .fragments import publish_file
from .layout import Layout, parse_name

SCHEMA = pa.schema([("event_id", pa.string()), ("verified_author", pa.string()),
                    ("source_sha256", pa.string())])


def sidecar(layout: Layout, fragment: Path) -> Path:
    rel = fragment.relative_to(layout.root).parts
    return layout.root / ".audit" / "provenance" / f"{'__'.join(rel)}"


def of_inputs(layout: Layout, files: list[Path]) -> pa.Table:
    """Provenance rows of the events in `files` (compaction's sound inputs: a `part-`
    fragment's authors passed fragment_check, so they are its owner or a pseudonym)."""
    parts = []
    for path in files:
        parsed = parse_name(path.name)
        earlier = sidecar(layout, path)
        if parsed and parsed["prefix"] != "part" and earlier.is_file():
            parts.append(pq.read_table(earlier).cast(SCHEMA))
            continue
        data = path.read_bytes()
        events = pq.read_table(pa.BufferReader(data), columns=["event_id", "author"])
        digest = pa.scalar(hashlib.sha256(data).hexdigest())
        parts.append(pa.table({"event_id": events["event_id"],
                               "verified_author": events["author"],
                               "source_sha256": pa.repeat(digest, events.num_rows)},
                              schema=SCHEMA))
    table = pa.concat_tables(parts) if parts else SCHEMA.empty_table()
    first = table.group_by("event_id", use_threads=False).aggregate(
        [("verified_author", "first"), ("source_sha256", "first")])
    return first.rename_columns(["event_id", "verified_author", "source_sha256"])


def write(layout: Layout, merged: Path, rows: pa.Table) -> None:
    publish_file(layout, rows, sidecar(layout, merged))


def forget(layout: Layout, files: list[Path]) -> None:
    """Drop the provenance of compacted inputs that are gone (merged into a new file)."""
    for path in files:
        with contextlib.suppress(OSError):
            os.unlink(sidecar(layout, path))


def mismatches(layout: Layout, fragment: Path) -> list[str]:
    """Events of a compacted file whose author is not the verified one."""
    record = sidecar(layout, fragment)
    if not record.is_file() or record.is_symlink():
        return []
    verified = dict(zip(*(pq.read_table(record).column(c).to_pylist()
                          for c in ("event_id", "verified_author")), strict=True))
    table = pq.read_table(fragment, columns=["event_id", "author"])
    out = []
    for event_id, author in zip(table["event_id"].to_pylist(), table["author"].to_pylist(),
                                strict=True):
        want = verified.get(event_id)
        if want is None:
            out.append(f"{fragment}: event {event_id} has no recorded origin")
        elif want != author:
            out.append(f"{fragment}: event {event_id} claims author {author!r}, but its "
                       f"fragment belonged to {want!r}")
    return out
