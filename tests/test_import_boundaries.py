"""Import boundaries, each checked in a fresh interpreter (sys.modules after the import):
- the core (criteria, store, report, caseread's scripting layer) never pulls in Textual;
- tui/ never imports the command line package (`caseread`);
- `caseread --help`, `--version` and every subcommand's `--help` load neither duckdb,
  pyarrow, pydantic nor Textual (they cost ~0.3 s that a help text must not pay).
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORE_MODULES = [
    "criteria",
    "store",
    "report",
    "caseread.cli",
    "caseread.demo",
    "store.programme",
]
UI_PREFIXES = ("textual.", "tui.")
HEAVY = ("duckdb", "pyarrow", "pydantic", "textual")


def _loaded_after(code: str) -> list[str]:
    """Run `code` in a new interpreter; the top-level package names it loaded."""
    probe = code + (
        "\nimport json, sys\nprint(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True, cwd=ROOT)
    return list(json.loads(out.stdout.strip().splitlines()[-1]))


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


def _tui_modules() -> list[str]:
    return sorted(
        ".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for p in (ROOT / "tui").rglob("*.py")
    )


def test_tui_never_imports_the_command_line() -> None:
    modules = _tui_modules()
    assert "tui.form.screen" in modules and "tui.app" in modules
    loaded = _loaded_after("\n".join(f"import {m}" for m in modules))
    assert "caseread" not in loaded, "a tui module imports the caseread CLI package"


def test_the_probe_sees_an_import() -> None:
    # the check above can fail: importing the CLI does show up as 'caseread'
    assert "caseread" in _loaded_after("import caseread.cli")


def _command_paths() -> list[list[str]]:
    """Every command path of the CLI, e.g. ['case', 'import'] (read without running any)."""
    code = (
        "import json, click\nfrom caseread.cli import cli\n"
        "def walk(group, path):\n"
        "    out = []\n"
        "    for name in group.list_commands(None):\n        cmd = group.get_command(None, name)\n"
        "        out.append(path + [name])\n"
        "        if isinstance(cmd, click.Group):\n"
        "            out += walk(cmd, path + [name])\n"
        "    return out\n"
        "print(json.dumps(walk(cli, [])))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=ROOT)
    return list(json.loads(out.stdout))


def _heavy_after_each(invocations: list[list[str]]) -> list[list[str]]:
    """Run every invocation of `caseread ARGS` in ONE new interpreter, one after another;
    after each, the heavy packages loaded so far (sys.modules only grows, so the first
    invocation that shows one is the one that loaded it). One interpreter for ~50 help
    texts instead of ~50: the same check, a second instead of half a minute."""
    code = (
        "import json, sys\nfrom caseread.cli import cli\n"
        f"heavy = {HEAVY!r}\nseen = []\n"
        f"for args in {invocations!r}:\n"
        "    try:\n"
        "        cli.main(args=args, prog_name='caseread', standalone_mode=False)\n"
        "    except (SystemExit, Exception):\n        pass\n"
        "    seen.append(sorted({m.split('.')[0] for m in sys.modules} & set(heavy)))\n"
        "print(json.dumps(seen))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=ROOT)
    return list(json.loads(out.stdout.strip().splitlines()[-1]))


def test_help_and_version_stay_light() -> None:
    paths = _command_paths()
    assert ["sql"] in paths and ["case", "import"] in paths and len(paths) > 15
    assert _heavy_after_each([["--version"]]) == [[]]  # alone: nothing else loads first
    invocations = [["--help"], *([*p, "--help"] for p in paths)]
    for args, heavy in zip(invocations, _heavy_after_each(invocations), strict=True):
        assert heavy == [], f"caseread {' '.join(args)} imported {heavy}"


def test_the_help_probe_sees_a_heavy_import() -> None:
    # the check above can fail: a command that runs (not --help) loads the framework
    seen = _heavy_after_each([["--help"], ["criteria", "check"]])
    assert seen[0] == [] and "pydantic" in seen[1], seen
