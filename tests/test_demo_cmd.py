"""Where `caseread demo` puts the demo store, and that it opens the app when it can."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import caseread.demo.write as write
from caseread.cli import cli
from caseread.demo.write import DemoResult


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Path, bool]]:
    seen: list[tuple[Path, bool]] = []

    def fake(store_dir: Path, rebuild: bool = False) -> DemoResult:
        seen.append((store_dir, rebuild))
        return DemoResult(store_dir, "demo-x", created=True)

    monkeypatch.setattr(write, "ensure_demo", fake)
    return seen


def test_default_is_the_per_user_demo_store(calls: list, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    monkeypatch.delenv("CASEREAD_STORE", raising=False)
    result = CliRunner().invoke(cli, ["demo", "--no-open"])
    assert result.exit_code == 0, result.output
    assert calls == [(tmp_path / "caseread" / "demo", False)]
    assert str(tmp_path / "caseread" / "demo") in result.output


def test_store_option_and_env(calls: list, tmp_path: Path) -> None:
    runner = CliRunner()
    runner.invoke(cli, ["--store", str(tmp_path / "a"), "demo", "--no-open", "--rebuild"])
    runner.invoke(cli, ["demo", "--no-open"], env={"CASEREAD_STORE": str(tmp_path / "b")})
    assert calls == [(tmp_path / "a", True), (tmp_path / "b", False)]


def test_opens_the_app_on_the_demo(calls: list, tmp_path: Path,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    import tui.app
    from caseread.commands import demo_cmd

    opened: list[tuple[Path, str]] = []
    monkeypatch.setattr(tui.app, "run_app", lambda path, iid: opened.append((path, iid)))
    monkeypatch.setattr(demo_cmd, "has_terminal", lambda: True)  # CliRunner has none
    result = CliRunner().invoke(cli, ["--store", str(tmp_path), "demo"])
    assert result.exit_code == 0, result.output
    assert opened == [(tmp_path, "demo-x")]
