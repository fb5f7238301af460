"""Small pieces shared by the CSV imports of answers and of case details."""

from __future__ import annotations

import getpass
import os
import pwd
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from .layout import _SAFE_ID as SAFE_ID

__all__ = ["ID_RULE", "SAFE_ID", "os_user"]

ID_RULE = "use letters, digits, '_', '-', '.' (max 64)"  # the store's check_id rule


def os_user() -> str:
    """Who saves: the OS user (the same rule as the store)."""
    try:
        return pwd.getpwuid(os.geteuid()).pw_name
    except KeyError:
        return getpass.getuser()


def _row_numbers(n: int) -> Any:
    """0..n-1 as an Arrow int64 array, without a Python int per row."""
    return pc.subtract(pc.cumulative_sum(pa.repeat(pa.scalar(1, pa.int64()), n)), 1)


def _event_ids(n: int) -> pa.Array:
    """n distinct 32-hex-digit ids: a random 80-bit prefix for this import + the row number.

    Shaped like uuid4 hex (what the store writes) but built by Arrow kernels, not a
    Python object per row. One import never has two events for the same answer, so the
    tie-break order inside it does not matter.
    """
    prefix = pa.scalar(os.urandom(10).hex(), pa.string())
    rows = pc.utf8_lpad(pc.cast(_row_numbers(n), pa.string()), 12, "0")
    return pc.binary_join_element_wise(pa.repeat(prefix, n), rows, "")
