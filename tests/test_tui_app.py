"""The app shell: config and keymap, launch choices, modes, help, and the key reference.

Also holds the helpers the other TUI tests import (`tui_store`, `settle`, `make_app`).
"""

from __future__ import annotations

import asyncio
import functools
import re
from collections.abc import Callable, Coroutine, Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from store import Store
from tui.app import CasereadApp
from tui.common import config as user_config

INSPECTION = "t1"
CASES = {
    "C01": {"case_ref": "R-001", "case_type": "licence", "gender": "male", "offence": "abh",
            "rosh": "high", "psr": "full", "om_grade": "po", "office": "Luton"},
    "C02": {"case_ref": "R-002", "case_type": "community_order", "gender": "female",
            "offence": "common_assault", "rosh": "low", "psr": "none", "om_grade": "pso",
            "office": "Bedford", "requirements": ["supervision", "unpaid_work"]},
    "C03": {"case_ref": "R-003", "case_type": "suspended_sentence_order", "gender": "male",
            "offence": "robbery", "rosh": "medium", "psr": "short", "om_grade": "po",
            "office": "Bedford"},
}


def build_store(path: Path) -> Store:
    """A small store with fixed authors (so screenshots do not depend on the OS user)."""
    store = Store.init(path)
    store.author = "alice"
    store.add_inspection(INSPECTION, "Testshire", "2013-05", label="Test inspection")
    for case_id, details in CASES.items():
        store.save_case(INSPECTION, case_id, dict(details))
    store.save_case(INSPECTION, "OM01", {"office": "Luton", "om_grade": "po"}, kind="interview")
    return store


@pytest.fixture
def tui_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    monkeypatch.setenv("CASEREAD_CONFIG_DIR", str(tmp_path / "config"))
    store = build_store(tmp_path / "store")
    yield store
    store.close()


def sync(test: Callable[..., Coroutine[Any, Any, None]]) -> Callable[..., None]:
    """Run an async Pilot test without an async pytest plugin (none is installed)."""

    @functools.wraps(test)
    def run(*args: Any, **kwargs: Any) -> None:
        asyncio.run(test(*args, **kwargs))

    return run


def make_app(store: Store, inspection: str | None = INSPECTION, **kw: Any) -> CasereadApp:
    kw.setdefault("remember", False)
    return CasereadApp(store, inspection, **kw)


async def settle(pilot: Pilot[Any], rounds: int = 3) -> None:
    """Let workers finish and their messages be handled."""
    for _ in range(rounds):
        # the answer saver lingers a second after its last save: wait for the others
        busy = [w for w in pilot.app.workers if w.group != "answer-save"]
        await pilot.app.workers.wait_for_complete(busy)
        await pilot.pause()


async def wait_for(pilot: Pilot[Any], check: Any, timeout: float = 5.0) -> None:
    """Poll `check()` until true (for the once-a-second store poll)."""
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while loop.time() < end:
        if check():
            return
        await pilot.pause(0.05)
    raise AssertionError("condition not met in time")


# -- config ----------------------------------------------------------------------------

def test_config_reads_store_and_keys(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text(
        'store = "~/stores/bed"\n[keys]\n"case_form.answer_yes" = "j"\n'
    )
    cfg = user_config.load_config(tmp_path)
    assert cfg.store == Path("~/stores/bed").expanduser()
    assert cfg.keys == {"case_form.answer_yes": "j"}


def test_config_errors_name_the_file(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text("[keys]\nx = 3\n")
    with pytest.raises(user_config.ConfigError, match="config.toml.*keys"):
        user_config.load_config(tmp_path)
    assert user_config.load_config(tmp_path / "missing") == user_config.Config()


def test_last_inspection_is_remembered_per_store(tmp_path: Path) -> None:
    user_config.remember_inspection(tmp_path / "a", "x1", tmp_path)
    user_config.remember_inspection(tmp_path / "b", "y2", tmp_path)
    assert user_config.last_inspection(tmp_path / "a", tmp_path) == "x1"
    assert user_config.last_inspection(tmp_path / "b", tmp_path) == "y2"
    assert user_config.last_inspection(tmp_path / "c", tmp_path) is None


# -- launch ----------------------------------------------------------------------------

@sync
async def test_launch_opens_the_only_inspection(tui_store: Store) -> None:
    app = make_app(tui_store, None)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.current_mode == "cases"
        assert app.inspection_id == INSPECTION


@sync
async def test_picker_when_several_and_none_remembered(tui_store: Store) -> None:
    tui_store.add_inspection("t2", "Otherham", "2013-09", label="Second")
    app = make_app(tui_store, None, remember=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        from tui.cases.inspection_picker import InspectionPicker

        assert isinstance(app.screen, InspectionPicker)
        await pilot.press("enter")  # the newest first: t2
        await settle(pilot)
        assert app.inspection_id == "t2"
        assert app.current_mode == "cases"
    assert user_config.last_inspection(tui_store.root) == "t2"
    app = make_app(tui_store, None, remember=True)
    async with app.run_test(size=(80, 24)) as pilot:  # the last used opens directly
        await settle(pilot)
        assert app.inspection_id == "t2" and app.current_mode == "cases"


@sync
async def test_function_keys_switch_modes(tui_store: Store) -> None:
    app = make_app(tui_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        from tui.scores.overview import ScoreOverviewScreen
        from tui.sql.console import SqlConsoleScreen

        await pilot.press("f3")
        await settle(pilot)
        assert app.current_mode == "scores" and isinstance(app.screen, ScoreOverviewScreen)
        await pilot.press("f4")
        await settle(pilot)
        assert app.current_mode == "sql" and isinstance(app.screen, SqlConsoleScreen)
        await pilot.press("f2")
        await settle(pilot)
        assert app.current_mode == "cases"


# -- keys: help, keymap, reference ------------------------------------------------------

@sync
async def test_f1_lists_every_key_of_the_screen(tui_store: Store) -> None:
    app = make_app(tui_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        form = app.screen
        described = {b.binding.description for b in form.active_bindings.values()
                     if b.binding.description}
        await pilot.press("f1")
        await pilot.pause()
        from tui.common.help_screen import HelpScreen

        assert isinstance(app.screen, HelpScreen)
        listed = {row[1] for row in app.screen.rows}
        assert described <= listed
        assert {"Yes", "No", "N/A", "Undo", "Note", "Next section", "Go to", "Details",
                "Complete", "Back", "Help", "Scores"} <= listed
        await pilot.press("escape")
        assert app.screen is form


@sync
async def test_keys_are_remappable(tui_store: Store) -> None:
    app = make_app(tui_store, keys={"case_form.answer_yes": "j"})
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        first = app.screen.current_question()
        await pilot.press("j")
        await settle(pilot)
        rows = tui_store.query("SELECT question_id, answer FROM answers_current").to_pylist()
        assert rows == [{"question_id": first, "answer": "yes"}]


def _all_bindings() -> list[Any]:
    from tui.agreement.screen import AgreementScreen
    from tui.app import CasereadApp
    from tui.cases.case_list import CaseListScreen
    from tui.cases.details_modal import CaseDetailsModal
    from tui.cases.inspection_picker import InspectionPicker
    from tui.cases.list_qa import CaseListQa
    from tui.common.help_screen import HelpScreen
    from tui.form.goto_modal import GotoModal
    from tui.form.note_modal import NoteModal
    from tui.form.screen import CaseFormScreen
    from tui.qa.assign_modal import AssignModal
    from tui.qa.form_qa import FormQa
    from tui.qa.screen import QaScreen

    classes = [CasereadApp, CaseListScreen, CaseFormScreen, CaseDetailsModal, NoteModal,
               GotoModal, HelpScreen, InspectionPicker, QaScreen, AssignModal, CaseListQa,
               FormQa, AgreementScreen]
    return [b for cls in classes for b in cls.BINDINGS]  # type: ignore[attr-defined]


def test_every_binding_has_an_id_and_is_documented() -> None:
    doc = (Path(__file__).parent.parent / "docs" / "keys.md").read_text()
    documented = set(re.findall(r"`([a-z_]+\.[a-z_0-9]+)`", doc))
    for binding in _all_bindings():
        assert binding.id, f"binding {binding.key} -> {binding.action} has no id"
        assert binding.id in documented, f"{binding.id} missing from docs/keys.md"


# -- the command -------------------------------------------------------------------------

def test_open_refuses_a_directory_that_is_not_a_store(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from caseread.cli import cli

    result = CliRunner().invoke(cli, ["--store", str(tmp_path), "open"])
    assert result.exit_code == 1
    assert "not a caseread store" in result.output


@sync
async def test_o_switches_inspection_from_the_case_list(tui_store: Store) -> None:
    tui_store.add_inspection("t2", "Otherham", "2013-09", label="Second")
    app = make_app(tui_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        from tui.cases.case_list import CaseListScreen
        from tui.cases.inspection_picker import InspectionPicker

        assert isinstance(app.screen, InspectionPicker)
        await pilot.press("enter")  # t2, newest first
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CaseListScreen) and screen.inspection_id == "t2"
        assert screen.query_one("DataTable").row_count == 0  # type: ignore[attr-defined]


@sync
async def test_quit_waits_for_unsaved_answers(tui_store: Store) -> None:
    from tui.form.saver import PendingAnswer

    app = make_app(tui_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        with app.saver._queue_lock:  # an answer still queued, as during a failing save
            app.saver._queue.append(PendingAnswer(INSPECTION, "C01", "2.1.01", "yes", None, 1))
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert app.is_running  # warned, not gone
        app.saver.kick()  # the answer lands: the quit asked for goes ahead by itself
        await wait_for(pilot, lambda: app.saver.pending() == 0 and not app.is_running)
        assert app.saver.pending() == 0
    assert not app.is_running
    rows = tui_store.query("SELECT answer FROM answers_current WHERE case_id = 'C01'")
    assert rows.to_pylist() == [{"answer": "yes"}]


def test_store_comes_from_option_config_or_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import click

    from caseread.commands.app_cmd import resolve_store

    monkeypatch.setenv("CASEREAD_CONFIG_DIR", str(tmp_path / "cfg"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("HOME", str(tmp_path))
    assert resolve_store("/x/y") == Path("/x/y")
    with pytest.raises(click.ClickException, match="no store"):
        resolve_store(None)
    (tmp_path / "cfg").mkdir()
    (tmp_path / "cfg" / "config.toml").write_text(f'store = "{tmp_path / "s"}"\n')
    assert resolve_store(None) == tmp_path / "s"


@sync
async def test_command_palette_runs_the_screens_keys(tui_store: Store) -> None:
    app = make_app(tui_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        form = app.screen
        first = form.current_question()  # type: ignore[attr-defined]
        titles = [c.title for c in app.get_system_commands(form)]
        assert {"Yes", "Undo", "Complete", "Help"} <= set(titles)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Yes")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(pilot)
        await wait_for(pilot, lambda: not form.model.unsaved())  # type: ignore[attr-defined]
        rows = tui_store.query("SELECT question_id, answer FROM answers_current").to_pylist()
        assert rows == [{"question_id": first, "answer": "yes"}]
