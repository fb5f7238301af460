"""Signed-off cases refuse changes: the check every save path makes (Store.save_answers,
Store.save_case, the CSV imports), read straight from the `lead/` partition with pyarrow
(no views: a save must stay a few milliseconds). Cached per inspection by the partition's
file names, which change whenever a lead event is written or compacted."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import pyarrow.parquet as pq

from .layout import Layout, fragment_names
from .validation import ValidationError


class CaseLocked(ValidationError):
    """A change to a signed-off case: `case CASE is signed off` (unlock it first)."""


@dataclass(frozen=True)
class Lock:
    case_id: str
    signed_off: bool
    author: str
    saved_at: datetime
    reason: str | None


_cache: dict[tuple[str, str], tuple[tuple[str, ...], dict[str, Lock]]] = {}
_cache_lock = threading.Lock()


def locks(layout: Layout, inspection_id: str) -> dict[str, Lock]:
    """The latest sign-off or unlock of each case that has one (case_id -> Lock)."""
    directory = layout.partition("lead", inspection_id)
    names = tuple(fragment_names(directory))
    key = (str(layout.root), inspection_id)
    with _cache_lock:
        hit = _cache.get(key)
        if hit is not None and hit[0] == names:
            return hit[1]
    latest: dict[str, tuple[tuple[datetime, str], Lock]] = {}
    for name in names:
        try:
            rows = pq.read_table(directory / name).to_pylist()
        except FileNotFoundError:  # compacted meanwhile: read again
            return locks(layout, inspection_id)
        for r in rows:
            if r["event"] not in ("signoff", "unlock") or r["case_id"] is None:
                continue
            order = (r["saved_at"], r["event_id"])
            old = latest.get(r["case_id"])
            if old is None or order > old[0]:
                latest[r["case_id"]] = (order, Lock(
                    r["case_id"], r["event"] == "signoff", r["author"], r["saved_at"], r["text"]))
    result = {case: lock for case, (_, lock) in latest.items()}
    with _cache_lock:
        _cache[key] = (names, result)
    return result


def signed_off(layout: Layout, inspection_id: str) -> set[str]:
    return {c for c, lock in locks(layout, inspection_id).items() if lock.signed_off}


def refuse_signed_off(layout: Layout, inspection_id: str, case_ids: Iterable[str]) -> None:
    """Raise CaseLocked naming the first signed-off case among `case_ids`."""
    done = signed_off(layout, inspection_id)
    if not done:
        return
    for case_id in sorted(set(case_ids)):
        if case_id in done:
            raise CaseLocked(
                f"case {case_id} is signed off: a lead must unlock it "
                f"(caseread case unlock {case_id} --reason TEXT) before it can change")
