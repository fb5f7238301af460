"""Writers under fire (short version of bench/soak_store.py): SIGKILLed writers and
compactor, concurrent readers; no acknowledged answer lost, none doubled, no reader error."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.soak_store import fire_drill, new_soak_store  # noqa: E402


def test_writers_under_fire(tmp_path: Path) -> None:
    result = fire_drill(new_soak_store(tmp_path), seconds=7, writers=3, readers=1, seed=7)
    assert result["acknowledged"] > 10, result  # the drill really saved things
    assert result["kills"] >= 3
    assert result["missing"] == []
    assert result["missing_before_final_compaction"] == []
    assert result["duplicates_after_compaction"] == []
    assert result["reader_errors"] == []
    assert result["quarantined"] == []
