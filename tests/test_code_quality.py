"""ruff and mypy are part of the suite, so CI keeps the code as clean as a review would."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _tool(name: str) -> str:
    path = Path(sys.executable).parent / name
    found = str(path) if path.exists() else shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed (pip install -e '.[test]')")
    return found


@pytest.mark.parametrize("command", [["ruff", "check", "."], ["mypy"]])
def test_clean(command: list[str]) -> None:
    result = subprocess.run(
        [_tool(command[0]), *command[1:]], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]


def _sources() -> list[Path]:
    """The project's Python files, tests and the virtualenv left out."""
    skip = {".venv", "tests", "build", ".git"}
    return [p for p in ROOT.rglob("*.py") if not skip & set(p.relative_to(ROOT).parts)]


def test_no_source_file_over_400_lines() -> None:
    sources = _sources()
    assert any(p.name == "screen.py" for p in sources)
    long = {str(p.relative_to(ROOT)): n for p in sources
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 400}
    assert long == {}, f"split these by responsibility: {long}"


def test_tui_is_grouped_by_screen() -> None:
    top = sorted(p.name for p in (ROOT / "tui").iterdir()
                 if p.is_file() and p.suffix in {".py", ".tcss"})
    assert len(top) <= 8, f"tui/ top level should be the app only: {top}"
    for room in ("cases", "form", "scores", "sql", "common"):
        assert (ROOT / "tui" / room / "__init__.py").exists(), room


def test_the_store_seam_is_typed() -> None:
    """No `Any` standing for the store in tui/: screens take the `Store` Protocol."""
    import re

    untyped = re.compile(r"\b_?store\s*:\s*Any\b")
    found = [f"{p.relative_to(ROOT)}:{i}" for p in (ROOT / "tui").rglob("*.py")
             for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
             if untyped.search(line)]
    assert found == []
