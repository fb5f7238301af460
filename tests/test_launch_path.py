"""What the launch does before the case list is on screen (issue 11, launch): nothing there
may pull in the store's heavy libraries, each checked in a fresh interpreter."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("duckdb", "pyarrow", "pydantic")


def _loaded_after(code: str) -> set[str]:
    probe = code + "\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True, cwd=ROOT)
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


def test_remembering_the_inspection_loads_no_store_libraries(tmp_path: Path) -> None:
    """The app remembers the inspection when it opens the list, on the event loop, before
    the first frame: its 0600 write must not import duckdb/pyarrow/pydantic (~0.8 s)."""
    loaded = _loaded_after(
        "from pathlib import Path\nfrom tui.common import config\n"
        f"config.remember_inspection(Path({str(tmp_path)!r}), 'i1', Path({str(tmp_path)!r}))\n"
        f"assert config.last_inspection(Path({str(tmp_path)!r}), Path({str(tmp_path)!r})) == 'i1'"
    )
    assert not sorted(m for m in loaded if m.split(".")[0] in HEAVY)


def test_the_store_package_still_offers_its_names() -> None:
    loaded = _loaded_after("import store\nassert store.Store.open and store.StoreError\n"
                           "from store import AnswerInput, UNCHECKED, Scores")
    assert "duckdb" in loaded  # the names are there, loaded on use
