"""The case list's rows cached per store and inspection, so a launch shows them at once.

A snapshot is only used when the inspection's fragment signature (the file names of its
partitions) is the one it was computed from: fragments are immutable and uniquely named,
so an unchanged listing means unchanged data. It is also keyed by a stamp of the code and
framework files that compute the rows. Anything unreadable, or not matching, is ignored.
The list still runs the real query after showing a snapshot and replaces the rows.

No store, duckdb or pydantic import here: this runs before they are loaded (launch time).
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import json
import os
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui.common.store_reads import CaseRow

if TYPE_CHECKING:
    from tui.common.store_seam import Store

FORMAT = 1
PARTITIONS = ("cases", "answers")  # per inspection; plus the flat inspections directory
QA_PARTITIONS = ("qa", "lead")  # after it: QA events change a case's state in the list
ROW_CODE = ("common/store_reads.py", "common/case_model.py", "cases/list_snapshot.py",
            "common/qa_status.py")  # tui files making rows


def fragment_signature(store_dir: Path, inspection_id: str) -> tuple[tuple[str, ...], ...]:
    """`Store.fragment_signature` without importing the store (a test keeps them equal)."""
    if not inspection_id or "/" in inspection_id or inspection_id.startswith("."):
        raise ValueError(f"not an inspection id: {inspection_id!r}")
    dirs = [store_dir / kind / f"inspection_id={inspection_id}" for kind in PARTITIONS]
    dirs.append(store_dir / "inspections")
    dirs += [store_dir / kind / inspection_id for kind in QA_PARTITIONS]
    return tuple(tuple(_fragments(d)) for d in dirs)


def _fragments(directory: Path) -> list[str]:
    try:
        names = os.listdir(directory)
    except FileNotFoundError:
        return []
    return [n for n in sorted(names) if n.endswith(".parquet") and n[0] != "."]


def code_stamp() -> str:
    """Changes whenever the framework data or the code computing the rows changes."""
    parts = []
    for package, patterns in (("criteria", ("*.py", "data/**/*.yaml")), ("tui", ROW_CODE)):
        spec = importlib.util.find_spec(package)  # locates without importing the package
        roots = list(spec.submodule_search_locations or []) if spec else []
        for root in roots:
            for pattern in patterns:
                for path in sorted(Path(root).glob(pattern)):
                    st = path.stat()
                    parts.append(f"{path}:{st.st_mtime_ns}:{st.st_size}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def snapshot_path(cache_dir: Path, store_dir: Path, inspection_id: str) -> Path:
    key = f"{Path(store_dir).resolve()}\0{inspection_id}".encode()
    return cache_dir / "case-lists" / f"{hashlib.sha256(key).hexdigest()[:32]}.json"


class Snapshot:
    """Rows of one inspection's case list as last computed, and whether it is synthetic."""

    def __init__(self, signature: Any, rows: list[CaseRow], synthetic: bool) -> None:
        self.signature = signature
        self.rows = rows
        self.synthetic = synthetic


def read(cache_dir: Path, store_dir: Path, inspection_id: str) -> Snapshot | None:
    """The snapshot if it is exactly current, else None (never raises)."""
    try:
        path = snapshot_path(cache_dir, store_dir, inspection_id)
        data = json.loads(path.read_text(encoding="utf-8"))
        if not _matches(data, store_dir, inspection_id):
            return None
        signature = fragment_signature(store_dir, inspection_id)
        if _tuples(data["signature"]) != signature:
            return None
        rows = [CaseRow(**row) for row in data["rows"]]
        if not all(isinstance(r.case_id, str) and isinstance(r.cells, dict) for r in rows):
            return None
        return Snapshot(signature, rows, bool(data["synthetic"]))
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None


def _matches(data: Any, store_dir: Path, inspection_id: str) -> bool:
    return (isinstance(data, dict) and data.get("format") == FORMAT
            and data.get("store") == str(Path(store_dir).resolve())
            and data.get("inspection_id") == inspection_id
            and data.get("stamp") == code_stamp())


def _tuples(value: Any) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(names) for names in value)


def write(cache_dir: Path, store_dir: Path, inspection_id: str, signature: Any,
          rows: list[CaseRow], synthetic: bool) -> None:
    """Save rows read at or after `signature` was taken; best effort (a cache)."""
    data = {
        "format": FORMAT, "store": str(Path(store_dir).resolve()),
        "inspection_id": inspection_id, "stamp": code_stamp(),
        "signature": [list(names) for names in signature], "synthetic": synthetic,
        "rows": [asdict(row) for row in rows],
    }
    path = snapshot_path(cache_dir, store_dir, inspection_id)
    from store.private_files import write_private  # late: the launch reads snapshots first

    with contextlib.suppress(OSError):  # best effort; personal data: 0600 (issue 14)
        write_private(path, json.dumps(data))


def bring_up_to_date(cache_dir: Path, store: Store, inspection_id: str) -> bool:
    """After the app has closed: if saves since the list last loaded (answers typed in a
    form, then quit) left the snapshot stale, read the list once more and keep it, so the
    next launch shows the list at once. Best effort; True if a snapshot was written."""
    from tui.common.store_reads import case_rows, is_synthetic

    if read(cache_dir, store.root, inspection_id) is not None:
        return False
    try:
        signature = fragment_signature(store.root, inspection_id)  # before reading
        rows = case_rows(store, store.framework, inspection_id)
        synthetic = is_synthetic(store, inspection_id)
    except Exception:  # a cache: the next launch reads the store instead
        return False
    write(cache_dir, store.root, inspection_id, signature, rows, synthetic)
    return True
