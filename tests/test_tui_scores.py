"""Score overview: figures from the store, method toggle, breakdowns, drill-down, refresh."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_tui_scores_sample import fill, host_app, sync, wait_for
from textual.coordinate import Coordinate
from textual.widgets import OptionList

from store import AnswerInput, Store
from tui.scores.criteria_grid import CriteriaGrid
from tui.scores.drilldown import ScoreDrilldownScreen
from tui.scores.model import Cell, pct
from tui.scores.overview import ScoreOverviewScreen
from tui.scores.question_bars import QuestionBars, bar
from tui.scores.summary import SummaryTable

INSPECTION = "bed13"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store.init(tmp_path / "store")
    s.author = "alice"
    s.add_inspection(INSPECTION, "Bedfordshire", "2013-04", label="Bedfordshire 2013")
    fill(s, INSPECTION)
    yield s
    s.close()


def overview_app(store: Store) -> Any:
    return host_app(store, INSPECTION, lambda: ScoreOverviewScreen(store, INSPECTION))


async def loaded(pilot: Any) -> ScoreOverviewScreen:
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, ScoreOverviewScreen)
                   and pilot.app.screen.scores is not None)
    screen = pilot.app.screen
    assert isinstance(screen, ScoreOverviewScreen)
    return screen


def plain(table: Any, row: int, column: int) -> str:
    return str(getattr(table.get_cell_at(Coordinate(row, column)), "plain",
                       table.get_cell_at(Coordinate(row, column))))


@sync
async def test_summary_and_grid_show_the_store_scores(store: Store) -> None:
    expected = store.scores(INSPECTION)
    async with overview_app(store).run_test(size=(80, 24)) as pilot:
        screen = await loaded(pilot)
        summary = screen.query_one(SummaryTable)
        assert summary.row_count == 5
        for row, outcome in enumerate(expected.outcomes):
            assert plain(summary, row, 1).strip() == pct(outcome["score"])
            assert plain(summary, row, 2) == f"{outcome['sufficient']} of {outcome['applicable']}"
            assert plain(summary, row, 3) == "mean over questions"
        grid = screen.query_one(CriteriaGrid)
        shown = {grid.criterion_at(Coordinate(r, c)): plain(grid, r, c)
                 for r in range(grid.row_count) for c in range(1, 6)}
        for criterion in expected.criteria:
            assert shown[criterion["code"]].split() == [criterion["code"], pct(criterion["score"])]
        assert shown["1.4"].split() == ["1.4", "intvw"]  # interviews: counted, not scored


@sync
async def test_m_switches_the_outcome_method(store: Store) -> None:
    by_criteria = store.scores(INSPECTION, method="criteria")
    async with overview_app(store).run_test(size=(80, 24)) as pilot:
        screen = await loaded(pilot)
        await pilot.press("m")
        await wait_for(pilot, lambda: screen.scores is not None
                       and screen.scores.method == "criteria")
        summary = screen.query_one(SummaryTable)
        for row, outcome in enumerate(by_criteria.outcomes):
            assert plain(summary, row, 1).strip() == pct(outcome["score"])
            assert plain(summary, row, 3) == "mean of criteria"
        await pilot.press("m")
        await wait_for(pilot, lambda: screen.scores is not None
                       and screen.scores.method == "questions")


@sync
async def test_b_breaks_the_scores_down_side_by_side(store: Store) -> None:
    split = store.scores(INSPECTION, by="rosh")
    async with overview_app(store).run_test(size=(80, 24)) as pilot:
        screen = await loaded(pilot)
        await pilot.press("b")
        await pilot.pause()
        chooser = pilot.app.screen.query_one(OptionList)
        chooser.highlighted = chooser.get_option_index("rosh")
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.scores is not None and screen.scores.by == "rosh")
        assert screen.scores is not None
        assert screen.scores.groups == ("All", "Low", "Medium", "High")
        summary = screen.query_one(SummaryTable)
        labels = [str(c.label) for c in summary.ordered_columns]
        assert labels == ["Outcome", "All", "Low", "Medium", "High"]
        for value, column in (("low", 2), ("medium", 3), ("high", 4)):
            outcome = split.outcome(1, value)
            cell = Cell(outcome["score"], outcome["sufficient"], outcome["applicable"])
            assert plain(summary, 0, column).split() == [
                pct(cell.score), f"{cell.sufficient}/{cell.applicable}"]
        # the question bars get the same columns
        bars = screen.query_one(QuestionBars)
        assert [str(c.label) for c in bars.ordered_columns][-3:] == ["Low", "Medium", "High"]
        # and back to the whole sample
        await pilot.press("b")
        await pilot.pause()
        await pilot.press("home", "enter")
        await wait_for(pilot, lambda: screen.scores is not None and screen.scores.by is None)
        assert len(summary.ordered_columns) == 4


@sync
async def test_drill_down_from_outcome_to_a_case(store: Store) -> None:
    from tui.form.screen import CaseFormScreen

    async with overview_app(store).run_test(size=(80, 24)) as pilot:
        screen = await loaded(pilot)
        await pilot.press("down", "enter")  # outcome 2 -> its first criterion
        grid = screen.query_one(CriteriaGrid)
        assert grid.has_focus and grid.current_criterion == "2.1"
        await pilot.press("enter")  # criterion -> its questions
        bars = screen.query_one(QuestionBars)
        assert bars.has_focus
        fw = store.framework
        assert bars.question_ids == [q.id for q in fw.questions
                                     if q.criterion == "2.1" and q.kind == "scoring"]
        question = bars.current_question
        assert question is not None
        await pilot.press("enter")  # question -> the cases behind its counts
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ScoreDrilldownScreen)
                       and bool(pilot.app.screen.lines))
        drill = pilot.app.screen
        counts = store.query(
            "SELECT sufficient, insufficient, not_applicable FROM question_scores "
            "WHERE inspection_id = ? AND question_id = ?", [INSPECTION, question]).to_pylist()[0]
        for key in ("sufficient", "insufficient", "not_applicable"):
            assert drill.query_one(f"#list-{key}", OptionList).option_count == counts[key]
        shown = [line for line in drill.lines if line.list == "insufficient"]
        await pilot.press("right")  # the insufficient list
        assert drill.query_one("#list-insufficient", OptionList).has_focus
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, CaseFormScreen))
        form = pilot.app.screen
        assert isinstance(form, CaseFormScreen)
        assert (form.inspection_id, form.case_id) == (INSPECTION, shown[0].case_id)


@sync
async def test_escape_climbs_back_up(store: Store) -> None:
    async with overview_app(store).run_test(size=(80, 24)) as pilot:
        screen = await loaded(pilot)
        await pilot.press("enter", "enter")
        assert screen.query_one(QuestionBars).has_focus
        await pilot.press("escape")
        assert screen.query_one(CriteriaGrid).has_focus
        await pilot.press("escape")
        assert screen.query_one(SummaryTable).has_focus


@sync
async def test_scores_follow_a_save(store: Store) -> None:
    fw = store.framework
    question = next(q for q in fw.questions if q.kind == "scoring" and not q.applies_when)
    outcome = fw.criterion(question.criterion).outcome
    async with overview_app(store).run_test(size=(80, 24)) as pilot:
        screen = await loaded(pilot)
        before = screen.scores
        assert before is not None
        cases = [f"C{i:02d}" for i in range(1, 13)]
        store.save_answers(INSPECTION, [AnswerInput(c, question.id, "yes") for c in cases])
        await wait_for(pilot, lambda: screen.scores is not before, timeout=5)
        after = store.scores(INSPECTION)
        summary = screen.query_one(SummaryTable)
        row = after.outcome(outcome)
        assert plain(summary, outcome - 1, 2) == f"{row['sufficient']} of {row['applicable']}"
        assert row["sufficient"] > before.outcomes[outcome - 1].cells["All"].sufficient
        assert screen.last_refresh_seconds is not None and screen.last_refresh_seconds < 2


@sync
async def test_a_covered_overview_waits_and_refreshes_when_shown_again(store: Store) -> None:
    question = next(q for q in store.framework.questions
                    if q.kind == "scoring" and not q.applies_when)
    async with overview_app(store).run_test(size=(80, 24)) as pilot:
        screen = await loaded(pilot)
        await pilot.press("enter", "enter", "enter")  # outcome -> criterion -> question
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ScoreDrilldownScreen))
        loads = screen.generation
        store.save_answers(INSPECTION, [AnswerInput("C01", question.id, "no")])
        await pilot.pause(0.5)  # five polls' worth: none may run under the drill-down
        assert screen.generation == loads
        await pilot.press("escape")
        await wait_for(pilot, lambda: screen.generation > loads, timeout=5)


def test_bars_are_readable_without_colour() -> None:
    assert bar(Cell(0.5, 5, 10)) == "█████░░░░░"
    assert bar(Cell(None, 0, 0)) == "··········"
    assert bar(Cell(1.0, 3, 3)) == "██████████"


def test_overview_snapshot(store: Store, snap_compare: Any) -> None:
    async def ready(pilot: Any) -> None:
        screen = await loaded(pilot)
        await pilot.press("enter", "down", "right")
        assert screen.query_one(CriteriaGrid).current_criterion == "2.2"
        bars = screen.query_one(QuestionBars)
        # tables size their columns when next idle; a busy machine can be slow to idle
        await wait_for(pilot, lambda: bars.virtual_size.width > 60
                       and screen.query_one(SummaryTable).virtual_size.width > 60)
        await pilot.pause(0.2)

    assert snap_compare(overview_app(store), terminal_size=(80, 24), run_before=ready)


@sync
async def test_interview_criteria_show_counts_not_scores(store: Store) -> None:
    fw = store.framework
    asked = [q for q in fw.interview_questions if q.criterion == "2.4"][:2]
    store.save_case(INSPECTION, "OM01", {"office": "Luton"}, kind="interview")
    store.save_case(INSPECTION, "OM02", {"office": "Bedford"}, kind="interview")
    first = fw.scale_for(asked[0]).choices[0]
    store.save_answers(INSPECTION, [AnswerInput(om, asked[0].id, first.value)
                                    for om in ("OM01", "OM02")])
    async with overview_app(store).run_test(size=(80, 24)) as pilot:
        screen = await loaded(pilot)
        grid = screen.query_one(CriteriaGrid)
        grid.focus()
        grid.cursor_coordinate = Coordinate(1, 4)  # outcome 2, leadership and management
        await pilot.pause()
        assert grid.current_criterion == "2.4"
        bars = screen.query_one(QuestionBars)
        assert bars.question_ids == [q.id for q in fw.interview_questions if q.criterion == "2.4"]
        assert plain(bars, 0, 2) == f"{first.label} 2"
        assert plain(bars, 1, 2) == "no answers yet"
        assert str(bars.ordered_columns[2].label) == "Answers (counted, not scored)"


@sync
async def test_cases_lists_follow_an_answer_changed_in_the_case_form(store: Store) -> None:
    from tui.form.screen import CaseFormScreen

    async with overview_app(store).run_test(size=(80, 24)) as pilot:
        screen = await loaded(pilot)
        await pilot.press("down", "enter", "enter", "enter")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ScoreDrilldownScreen)
                       and bool(pilot.app.screen.lines))
        drill = pilot.app.screen
        assert isinstance(drill, ScoreDrilldownScreen)
        moved = next(line for line in drill.lines if line.list == "insufficient")
        drill.query_one("#list-insufficient", OptionList).focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, CaseFormScreen))
        store.save_answers(INSPECTION, [AnswerInput(moved.case_id, drill.question_id, "yes")])
        pilot.app.pop_screen()
        await wait_for(pilot, lambda: any(line.case_id == moved.case_id
                                          and line.list == "sufficient" for line in drill.lines))
        assert screen.scores is not None


@pytest.mark.parametrize("by", ["rosh", "case_type", "om_grade", "office", "author"])
def test_every_breakdown_matches_the_store(store: Store, by: str) -> None:
    from tui.scores.breakdown_select import breakdown_options
    from tui.scores.data import load_scores

    assert by in [fid for fid, _ in breakdown_options(store.framework)]
    split = store.scores(INSPECTION, by=by)
    shown = load_scores(store, INSPECTION, "questions", by)
    values = split.groups()
    assert len(shown.groups) == 1 + len(values)
    for group, value in zip(shown.groups[1:], sorted(values, key=shown_order(store, by)),
                            strict=True):
        for o in shown.outcomes:
            row = split.outcome(o.code, value)
            assert o.cells[group].n_of_m == f"{row['sufficient']} of {row['applicable']}"


def shown_order(store: Store, by: str) -> Any:
    """The column order: the framework's choice order, then other values alphabetically."""
    try:
        order = store.framework.case_field(by).values()
    except KeyError:
        order = []
    return lambda v: (v is None, order.index(v) if v in order else len(order), v or "")


@sync
async def test_keys_can_be_remapped_by_binding_id(store: Store) -> None:
    app = overview_app(store)
    app.set_keymap({"score_overview.toggle_method": "t"})
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await loaded(pilot)
        await pilot.press("t")
        await wait_for(pilot, lambda: screen.scores is not None
                       and screen.scores.method == "criteria")


@sync
async def test_in_the_app_f3_scores_and_f4_sql(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tui.app import CasereadApp
    from tui.form.screen import CaseFormScreen
    from tui.sql.console import SqlConsoleScreen

    monkeypatch.setenv("CASEREAD_CONFIG_DIR", str(tmp_path / "config"))
    app = CasereadApp(store, INSPECTION, remember=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.3)
        await pilot.press("f3")
        screen = await loaded(pilot)
        await pilot.press("enter", "enter", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ScoreDrilldownScreen)
                       and bool(app.screen.lines))
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, CaseFormScreen))
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ScoreDrilldownScreen))
        await pilot.press("escape")
        assert app.screen is screen
        await pilot.press("f4")
        await wait_for(pilot, lambda: isinstance(app.screen, SqlConsoleScreen))
        await pilot.press("f3")
        assert app.screen is screen  # the mode keeps its place
