"""SQL console: run, errors, refusal, cancel, row cap, CSV export, history, schema."""

from __future__ import annotations

import csv
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_tui_scores_sample import fill, host_app, sync, wait_for
from textual.widgets import Input, Static, TextArea

from store import Store
from tui.common.export_modal import ExportModal
from tui.sql.console import SqlConsoleScreen
from tui.sql.results import SqlResults
from tui.sql.schema import SqlSchema

INSPECTION = "bed13"
SLOW = "SELECT count(*) FROM range(100000000000) a, range(1000) b"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store.init(tmp_path / "store")
    s.add_inspection(INSPECTION, "Bedfordshire", "2013-04")
    fill(s, INSPECTION, cases=6)
    yield s
    s.close()


def console_app(store: Store, **kw: Any) -> Any:
    return host_app(store, INSPECTION, lambda: SqlConsoleScreen(store, **kw))


def status(screen: SqlConsoleScreen) -> str:
    return str(screen.query_one("#sql-status", Static).render())


async def run(pilot: Any, sql: str, key: str = "f5") -> SqlConsoleScreen:
    screen = pilot.app.screen
    assert isinstance(screen, SqlConsoleScreen)
    screen.query_one("#sql-editor", TextArea).load_text(sql)
    await pilot.press(key)
    await wait_for(pilot, lambda: not screen.busy and "Running" not in status(screen))
    return screen


async def ready(pilot: Any) -> SqlConsoleScreen:
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, SqlConsoleScreen)
                   and len(pilot.app.screen.query_one(SqlSchema).root.children) > 0)
    screen = pilot.app.screen
    assert isinstance(screen, SqlConsoleScreen)
    return screen


@sync
async def test_f5_runs_a_query_into_the_arrow_table(store: Store) -> None:
    sql = "SELECT case_id, rosh FROM cases ORDER BY case_id"
    expected = store.query(sql).to_pylist()
    async with console_app(store).run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        screen = await run(pilot, sql)
        grid = screen.query_one(SqlResults).grid
        assert grid is not None and grid.row_count == len(expected) == 6
        assert [grid.get_row_at(i) for i in range(grid.row_count)] == [
            [r["case_id"], r["rosh"]] for r in expected]
        assert status(screen).startswith("6 rows")
        await run(pilot, "SELECT 1 AS one", key="ctrl+r")  # the other run key
        assert status(screen).startswith("1 row ")


@sync
async def test_errors_and_refusals_show_inline(store: Store) -> None:
    async with console_app(store).run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        screen = await run(pilot, "SELECT * FROM cases")
        screen = await run(pilot, "SELECT nope FROM cases")
        assert "SQL error" in status(screen) and "nope" in status(screen)
        assert screen.query_one(SqlResults).grid is None  # no stale rows under an error
        screen = await run(pilot, "CREATE TABLE t AS SELECT 1")
        assert status(screen).startswith("SQL refused")
        screen = await run(pilot, "SELECT * FROM read_text('/etc/passwd')")
        assert "refused" in status(screen).lower() or "Permission" in status(screen)


@sync
async def test_escape_cancels_a_running_query(store: Store) -> None:
    async with console_app(store).run_test(size=(80, 24)) as pilot:
        screen = await ready(pilot)
        screen.query_one("#sql-editor", TextArea).load_text(SLOW)
        await pilot.press("f5")
        await wait_for(pilot, lambda: screen.busy)
        await pilot.press("escape")
        await wait_for(pilot, lambda: not screen.busy and "cancelled" in status(screen))
        assert screen.query_one("#sql-editor", TextArea).has_focus  # Esc did not move focus
        await pilot.press("escape")  # idle: the editor keeps the focus (issue 12, fault 11)
        assert screen.query_one("#sql-editor", TextArea).has_focus


@sync
async def test_results_are_capped_with_a_note(store: Store) -> None:
    async with console_app(store, row_cap=100).run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        screen = await run(pilot, "SELECT * FROM range(1000)")
        grid = screen.query_one(SqlResults).grid
        assert grid is not None and grid.row_count == 100
        assert status(screen).startswith("Showing the first 100 rows only")
        screen = await run(pilot, "SELECT * FROM range(100)")
        assert status(screen).startswith("100 rows")


@sync
async def test_f8_exports_every_row_to_csv(store: Store, tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    async with console_app(store, row_cap=10).run_test(size=(80, 24)) as pilot:
        screen = await ready(pilot)
        screen.query_one("#sql-editor", TextArea).load_text(
            "SELECT case_id, question_id, answer FROM answers_current ORDER BY ALL")
        await pilot.press("f8")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ExportModal))
        pilot.app.screen.query_one(Input).value = str(target)
        await pilot.press("enter")
        await wait_for(pilot, lambda: "Exported" in status(screen))
        assert str(target) in status(screen)
    rows = list(csv.DictReader(target.open()))
    expected = store.query("SELECT count(*) AS n FROM answers_current").column("n")[0].as_py()
    assert len(rows) == expected > 10  # the export is not capped
    # personal data: the file is as private as the store (0660 and its group), not 0644
    assert stat.S_IMODE(target.stat().st_mode) == stat.S_IMODE(store.root.stat().st_mode) & 0o666
    assert target.stat().st_mode & 0o007 == 0


@sync
async def test_f6_f7_step_through_history(store: Store) -> None:
    async with console_app(store).run_test(size=(80, 24)) as pilot:
        screen = await ready(pilot)
        editor = screen.query_one("#sql-editor", TextArea)
        await run(pilot, "SELECT 1")
        await run(pilot, "SELECT 2")
        editor.load_text("SELECT 3 -- draft")
        await pilot.press("f6")
        assert editor.text == "SELECT 2"
        await pilot.press("f6")
        assert editor.text == "SELECT 1"
        await pilot.press("f7")
        assert editor.text == "SELECT 2"
        await pilot.press("f7")
        assert editor.text == "SELECT 3 -- draft"


@sync
async def test_schema_lists_views_and_inserts_names(store: Store) -> None:
    async with console_app(store).run_test(size=(80, 24)) as pilot:
        screen = await ready(pilot)
        schema = screen.query_one(SqlSchema)
        views = [str(node.label) for node in schema.root.children]
        assert views[:3] == ["cases", "answers_current", "answers_scored"]
        assert "outcome_scores" in views
        scores = next(n for n in schema.root.children if str(n.label) == "outcome_scores")
        columns = [n.data for n in scores.children]
        assert {"inspection_id", "outcome", "method", "score"} <= set(columns)
        editor = screen.query_one("#sql-editor", TextArea)
        editor.load_text("SELECT  FROM outcome_scores")
        editor.move_cursor((0, 7))
        schema.focus()
        scores.expand()
        await pilot.pause()
        schema.move_cursor(scores.children[0])
        await pilot.pause()
        await pilot.press("enter")
        assert editor.text == f"SELECT {columns[0]} FROM outcome_scores"
        assert editor.has_focus
        await pilot.press("f9")
        assert not schema.display


def test_sql_console_snapshot(
    store: Store, snap_compare: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("tui.sql.console.clock", lambda: 0.0)

    async def before(pilot: Any) -> None:
        await ready(pilot)
        screen = await run(pilot, "SELECT outcome, method, round(100 * score) AS pct, "
                                  "sufficient, applicable\nFROM outcome_scores\n"
                                  "ORDER BY method, outcome")
        grid = screen.query_one(SqlResults).grid
        assert grid is not None
        grid.focus()  # not the editor: its blinking cursor would make the picture vary
        await pilot.pause(0.2)

    assert snap_compare(console_app(store), terminal_size=(80, 24), run_before=before)


@sync
async def test_control_characters_in_results_are_shown_not_run(store: Store) -> None:
    """A note holding ESC ] 0;...BEL retitled the terminal of whoever queried it."""
    sql = ("SELECT 'seen' || chr(27) || ']0;PWNED' || chr(7) AS note, "
           "['a' || chr(27) || '[31m'] AS tags")
    async with console_app(store).run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        screen = await run(pilot, sql)
        grid = screen.query_one(SqlResults).grid
        assert grid is not None and grid.row_count == 1
        drawn = "".join(seg.text for y in range(grid.size.height)
                        for seg in grid.render_line(y))
        assert "PWNED" in drawn and "\x1b" not in drawn and "\x07" not in drawn
        results = screen.query_one(SqlResults).table
        assert results is not None and "\x1b" in results.column("note")[0].as_py()  # exported as is
