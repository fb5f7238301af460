"""Presence in the app: this process's lease on the open case, and others' leases read.

The store side is `store/presence.py` (lease files under STORE/.presence). The app keeps
one `PresenceLease` (a form holds it while open; it is dropped when the form closes and
when the process exits). Reads and writes are small file operations run in workers.
"""

from __future__ import annotations

import atexit
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual.message import Message

if TYPE_CHECKING:
    from store.presence import PresenceLease
    from tui.common.store_seam import Store

RENEW_SECONDS = 10.0  # as store.presence.RENEW_SECONDS (not imported: the list starts light)


@dataclass
class PresenceRead(Message):
    """Others' open cases of an inspection: case id -> "open by bob since 10:02"."""

    open_by: dict[str, str]


def lease_of(app: Any, store: Store) -> PresenceLease:
    """The app's lease (made on first use, released when the process exits)."""
    lease = getattr(app, "presence_lease", None)
    if lease is None:
        from store.presence import PresenceLease

        lease = PresenceLease(store.root, str(getattr(store, "author", "") or "unknown"))
        atexit.register(lease.release)
        app.presence_lease = lease
    return lease


def open_by(store: Store, inspection_id: str) -> dict[str, str]:
    """Other processes' open cases: case id -> "open by bob since 10:02[, alice ...]"."""
    from store.presence import who_has

    found = who_has(store.root, inspection_id, exclude_pid=os.getpid())
    return {case_id: "; ".join(lease.describe() for lease in leases)
            for case_id, leases in found.items()}
