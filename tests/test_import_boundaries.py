"""The core (criteria, store, caseread's scripting layer) must never pull in Textual."""

import subprocess
import sys

import pytest

CORE_MODULES = [
    "criteria",
    "store",
    "caseread.cli",
    "report",
    "caseread.demo",
    "store.programme",
]
UI_PREFIXES = ("textual.", "tui.")


@pytest.mark.parametrize("module", CORE_MODULES)
def test_core_does_not_import_textual(module: str) -> None:
    code = (
        f"import sys, {module}\n"
        f"ui = {UI_PREFIXES!r}\n"
        "bad = sorted(m for m in sys.modules if m in ('textual', 'tui') or m.startswith(ui))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"{module} imported {out.stdout.strip()}"
