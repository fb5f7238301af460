"""Moving a format-1 store (`answers/<id>/`) to the partitioned layout
(`answers/inspection_id=<id>/`).

Run by `Store.open` whenever a format-1 directory is present (and by `caseread upgrade`).
Why no event can be lost, even with an older caseread still running against the store:
- it holds the compaction lock, so no compactor (old or new: same flock) merges or deletes
  files meanwhile;
- a directory is moved with one `rename` (atomic: every file is in exactly one visible place
  at every instant, and a reader that listed the old path retries on the lost file);
- an older writer that still links into the old path after the rename gets ENOENT, so its
  save fails loudly (never acknowledged); it cannot succeed silently somewhere unread;
- if both directories exist (an older process re-created the old one after a migration),
  files are moved one by one by `link` then `unlink` (each event visible throughout; a
  moment of two copies is deduped by every view), and the old directory is removed only
  once empty (`rmdir` fails if a writer just added a file: the next open moves it).
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

from .compaction import compact_lock
from .fragments import fsync_dir
from .layout import EMPTY, FORMAT, Layout, partition_name


def needs_upgrade(layout: Layout) -> bool:
    return bool(layout.legacy_partitions()) or store_format(layout) < FORMAT


def upgrade_on_open(layout: Layout) -> None:
    """A format-1 store waits for the lock (its data is invisible to the partitioned views
    until moved); a stray old-layout directory in a format-2 store (an older caseread still
    running) is moved if no compactor is busy, else by the next open or compaction."""
    if needs_upgrade(layout):
        upgrade(layout, wait=store_format(layout) < FORMAT)


def upgrade(layout: Layout, wait: bool = True) -> list[Path]:
    """Move every format-1 directory into its partition; returns the directories moved.
    `wait=False` gives up (returns []) if a compactor holds the lock."""
    moved: list[Path] = []
    with compact_lock(layout, wait) as got:
        if not got:
            return moved
        for old in layout.legacy_partitions():
            _move_dir(old, old.parent / partition_name(EMPTY if old.name == EMPTY else old.name))
            moved.append(old)
        _set_format(layout)
    return moved


def _move_dir(old: Path, new: Path) -> None:
    if not new.exists():
        try:
            os.rename(old, new)  # atomic; never replaces a non-empty directory
            fsync_dir(old.parent)
            return
        except FileNotFoundError:  # gone meanwhile
            return
        except OSError:  # the new one appeared meanwhile: move file by file
            pass
    if old.name == EMPTY:  # an older caseread re-created its zero-row schema file
        with contextlib.suppress(FileNotFoundError):
            os.unlink(old / f"{EMPTY}.parquet")
    for entry in sorted(os.listdir(old)):
        src = old / entry
        try:
            os.link(src, new / entry)
        except FileExistsError:
            if not os.path.samefile(src, new / entry):  # names are unique: should not happen
                continue  # keep both rather than lose either; the old dir stays
        except FileNotFoundError:
            continue
        fsync_dir(new)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(src)
    fsync_dir(old)
    with contextlib.suppress(OSError):  # not empty: a writer just added a file; next time
        os.rmdir(old)
        fsync_dir(old.parent)


def store_format(layout: Layout) -> int:
    try:
        return int(json.loads(layout.marker.read_text()).get("format", 1))
    except (OSError, ValueError, AttributeError):
        return 1


def _set_format(layout: Layout) -> None:
    if store_format(layout) >= FORMAT or layout.legacy_partitions():
        return
    from .store import _write_text  # the atomic small-file writer

    meta = json.loads(layout.marker.read_text())
    meta["format"] = FORMAT
    _write_text(layout, layout.marker, json.dumps(meta, indent=2))
