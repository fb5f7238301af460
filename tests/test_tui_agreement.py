"""Agreement screen (F5): per-question table sortable by AC1/kappa, criterion chart,
disagreements opening the case at the question, settling a disagreement."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_tui_scores_sample import fill

from store import AnswerInput, Store
from store.second_reading import MODERATED_PREFIX, save_reading
from tests.test_tui_app import make_app, settle, sync

INSPECTION = "bed13"


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    monkeypatch.setenv("CASEREAD_CONFIG_DIR", str(tmp_path / "config"))
    s = Store.init(tmp_path / "store")
    s.add_inspection(INSPECTION, "Bedfordshire", "2013-04")
    ids = fill(s, INSPECTION, cases=6)
    first = s.query("SELECT a.case_id, a.question_id, a.answer FROM answers_current a "
                    "JOIN fw_questions q ON q.id = a.question_id AND q.kind = 'scoring' "
                    "ORDER BY ALL").to_pylist()
    other = {"yes": "no", "no": "yes", "na": "yes"}
    second = [AnswerInput(r["case_id"], r["question_id"],
                          other.get(r["answer"], r["answer"]) if i % 7 == 0 else r["answer"])
              for i, r in enumerate(first) if r["case_id"] in ids[:4]]
    save_reading(s, INSPECTION, 2, second)
    yield s
    s.close()


async def open_agreement(pilot: Any) -> Any:
    from tui.agreement.screen import AgreementScreen

    await settle(pilot)
    await pilot.press("f5")
    for _ in range(100):
        screen = pilot.app.screen
        if isinstance(screen, AgreementScreen) and screen.data is not None:
            break
        await pilot.pause(0.05)
    await pilot.pause()
    assert isinstance(pilot.app.screen, AgreementScreen)
    return pilot.app.screen


def _column(table: Any, index: int) -> list[str]:
    return [str(table.get_row_at(r)[index]) for r in range(table.row_count)]


@sync
async def test_f5_shows_per_question_agreement_sortable_by_ac1_and_kappa(store: Store) -> None:
    from store.agreement_data import agreement_rows, pairs

    want = agreement_rows(store.framework, pairs(store, INSPECTION), "question")
    async with make_app(store, INSPECTION).run_test(size=(100, 30)) as pilot:
        screen = await open_agreement(pilot)
        title = str(screen.query_one("#agreement-title").render())
        assert f"{want[0].stats.pairs} pairs" in title and "4 cases" in title
        table = screen.query_one("#agreement-questions")
        assert _column(table, 0) == [r.id for r in want[1:]]
        await pilot.press("a")
        ac1 = [float(x) for x in _column(table, 5) if x != "-"]
        assert ac1 == sorted(ac1) and len(set(ac1)) > 1
        await pilot.press("k")
        kappa = [float(x) for x in _column(table, 3) if x != "-"]
        assert kappa == sorted(kappa)
        await pilot.press("c")
        chart = str(screen.query_one("#agreement-chart-text").render())
        assert "n=" in chart and "█" in chart


@sync
async def test_f1_lists_the_agreement_keys(store: Store) -> None:
    from tui.common.help_screen import HelpScreen

    async with make_app(store, INSPECTION).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(pilot.app.screen, HelpScreen)
        assert "Agreement" in {row[1] for row in pilot.app.screen.rows}
        await pilot.press("escape")
        screen = await open_agreement(pilot)
        await pilot.press("f1")
        await pilot.pause()
        listed = {row[1] for row in pilot.app.screen.rows}
        assert {"Sort AC1", "Sort kappa", "Criteria", "Disagreements", "Back"} <= listed
        await pilot.press("escape")
        assert pilot.app.screen is screen


@sync
async def test_disagreement_opens_the_case_at_the_question_and_settles(store: Store) -> None:
    from tui.form.screen import CaseFormScreen

    async with make_app(store, INSPECTION).run_test(size=(100, 30)) as pilot:
        screen = await open_agreement(pilot)
        applies = {(r["case_id"], r["question_id"]) for r in store.query(
            "SELECT case_id, question_id FROM answers_scored WHERE applies").to_pylist()}
        index = next(i for i, d in enumerate(screen.data.disagreements)
                     if (d["case_id"], d["question_id"]) in applies)
        items = screen.data.disagreements[index:]
        await pilot.press("d")
        screen.query_one("#agreement-disagreements").move_cursor(row=index)
        await pilot.press("enter")
        for _ in range(100):
            if isinstance(pilot.app.screen, CaseFormScreen) and pilot.app.screen.model:
                break
            await pilot.pause(0.05)
        await pilot.pause()
        form = pilot.app.screen
        assert isinstance(form, CaseFormScreen)
        assert form.case_id == items[0]["case_id"]
        assert form.current_question() == items[0]["question_id"]
        key = "y" if items[0]["answer_1"] != "yes" else "n"
        await pilot.press(key)  # the lead's answer in the form is the moderated answer
        await settle(pilot)
        for _ in range(100):
            got = store.query(
                "SELECT answer, note FROM answers_current WHERE case_id = ? AND question_id = ?",
                [items[0]["case_id"], items[0]["question_id"]]).to_pylist()
            if got and got[0]["note"] == MODERATED_PREFIX:
                break
            await pilot.pause(0.05)
        assert got == [{"answer": {"y": "yes", "n": "no"}[key], "note": MODERATED_PREFIX}]
        await pilot.press("escape")
        await settle(pilot)
        assert pilot.app.screen is screen
        await pilot.press("d")
        screen.query_one("#agreement-disagreements").move_cursor(row=index)
        await pilot.press("2")  # take reading 2's answer as the moderated answer
        await settle(pilot)
        for _ in range(100):
            got = store.query(
                "SELECT answer, note FROM answers_current WHERE case_id = ? AND question_id = ?",
                [items[0]["case_id"], items[0]["question_id"]]).to_pylist()
            if got and got[0]["note"] == MODERATED_PREFIX:
                break
            await pilot.pause(0.05)
        assert got == [{"answer": items[0]["answer_2"], "note": MODERATED_PREFIX}]


def test_agreement_snapshot(store: Store, snap_compare: Any) -> None:
    from test_tui_scores_sample import host_app, wait_for

    from tui.agreement.screen import AgreementScreen

    async def before(pilot: Any) -> None:
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, AgreementScreen)
                       and pilot.app.screen.data is not None)
        table = pilot.app.screen.query_one("#agreement-questions")
        await wait_for(pilot, lambda: table.virtual_size.width > 40)
        await pilot.pause(0.2)

    app = host_app(store, INSPECTION, lambda: AgreementScreen(store, INSPECTION))
    assert snap_compare(app, terminal_size=(80, 24), run_before=before)


@sync
async def test_agreement_at_80x24_cuts_no_cell(store: Store) -> None:
    """The tester's 80 columns: the last column cut mid-number (`0.67` shown as `0.6`,
    its header `Suff` as `Suf`). A column too wide is left whole to scrolling, and
    scrolling sideways moves by whole columns."""
    from test_tui_scores_fit import cut_cells

    async with make_app(store, INSPECTION).run_test(size=(80, 24)) as pilot:
        screen = await open_agreement(pilot)
        await settle(pilot)
        assert cut_cells(pilot.app) == []
        table = screen.query_one("#agreement-questions")
        assert table.max_scroll_x > 0  # at 80 columns some are left to scrolling
        for key in ["right"] * 4 + ["left"] * 4:
            await pilot.press(key)
            await settle(pilot)
            assert cut_cells(pilot.app) == [], key
        await pilot.press("d")
        await settle(pilot)
        assert cut_cells(pilot.app) == []
