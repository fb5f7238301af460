"""Shared fixtures. `tmp_store`: a fresh store with the real framework and one inspection."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from store import Store

INSPECTION = "bed13"


@pytest.fixture
def tmp_store(tmp_path: Path) -> Iterator[Store]:
    """An empty store at tmp_path/store holding inspection `bed13` (Bedfordshire, 2013-04)."""
    store = Store.init(tmp_path / "store")
    store.add_inspection(INSPECTION, "Bedfordshire", "2013-04", label="Bedfordshire 2013")
    yield store
    store.close()
