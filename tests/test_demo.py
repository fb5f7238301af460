"""The demo inspection reproduces the report: these tests are where store, framework and
figures must agree. Failures name the paragraph, the quote, what was expected and got."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from caseread.cli import cli
from caseread.demo.build import INSPECTION_ID
from caseread.demo.figures import Figures
from caseread.demo.load import load_figures
from criteria import load_framework
from store import Store
from tests.conftest import copy_demo


@pytest.fixture(scope="module")
def figures() -> Figures:
    return load_figures()


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory, demo_template: Path) -> Path:
    # built once per session (conftest); `caseread demo` itself is run by the rebuild test
    return copy_demo(demo_template, tmp_path_factory.mktemp("demo") / "store")


@pytest.fixture(scope="module")
def store(demo_dir: Path) -> Store:
    return Store.open(demo_dir)


def rows(store: Store, sql: str, *params: object) -> list[dict]:
    return store.query(sql, [INSPECTION_ID, *params]).to_pylist()


def _measured(store: Store) -> tuple[dict[str, dict[str, int]], dict[str, dict[str, int]]]:
    """Counts by scoring class (question_scores) and by answer value (answers_scored)."""
    by_class = {r.pop("question_id"): r for r in rows(
        store, "SELECT question_id, sufficient, insufficient, not_applicable "
               "FROM question_scores WHERE inspection_id = ?")}
    by_value: dict[str, dict[str, int]] = {}
    for r in rows(store, "SELECT question_id, answer, count(*) AS n FROM answers_scored "
                         "WHERE inspection_id = ? AND applies GROUP BY ALL"):
        by_value.setdefault(r["question_id"], {})[r["answer"]] = r["n"]
    return by_class, by_value


def test_every_stated_figure_is_reproduced(store: Store, figures: Figures) -> None:
    assert figures.splits, "the figures file states no question figures"
    by_class, by_value = _measured(store)
    fw = load_framework()
    wrong = []
    for split in figures.splits:
        values = fw.scale_for(split.question).values()
        for key, expected in split.counts.items():
            found = (by_value if key in values else by_class).get(split.question, {})
            got = found.get(key, 0)
            if got != expected:
                wrong.append(f"{split.where}: question {split.question}: "
                             f"expected {key} = {expected}, got {got}")
    assert not wrong, "\n".join(wrong)


def test_every_sample_fact_holds_in_the_cases_view(store: Store, figures: Figures) -> None:
    fw = load_framework()
    assert figures.facts, "the figures file states no sample facts"
    wrong = []
    for fact in figures.facts:
        from criteria import Rule

        rule = Rule.parse(fact.rule, fw.field_types, [q.id for q in fw.questions])
        n = rows(store, "SELECT count(*) AS n FROM cases c WHERE inspection_id = ? "
                        f"AND kind = 'case' AND ({rule.to_sql(details_alias='c')})")[0]["n"]
        if n != fact.count:
            wrong.append(f"{fact.where}: [{fact.rule}] expected {fact.count} cases, got {n}")
    assert not wrong, "\n".join(wrong)


def test_sample_size(store: Store, figures: Figures) -> None:
    kinds = {r["kind"]: r["n"] for r in rows(
        store, "SELECT kind, count(*) AS n FROM cases WHERE inspection_id = ? GROUP BY kind")}
    assert kinds == {"case": figures.cases, "interview": figures.interviews}


def test_outcome_scores_match_the_summary_table(store: Store, figures: Figures) -> None:
    got = {r["outcome"]: r["score"] for r in rows(
        store, "SELECT outcome, score FROM outcome_scores "
               "WHERE inspection_id = ? AND method = 'questions'")}
    wrong = [f"outcome {o}: report {t:.2f}, demo {got.get(o)}" for o, t in figures.targets.items()
             if got.get(o) is None or abs(got[o] - t) > 0.01]
    assert not wrong, "\n".join(wrong)
    assert set(figures.targets) == {1, 2, 3, 4, 5}


def test_interview_figures(store: Store, figures: Figures) -> None:
    wrong = []
    for split in figures.interview_splits:
        got = {r["answer"]: r["n"] for r in rows(
            store, "SELECT answer, n FROM interview_counts "
                   "WHERE inspection_id = ? AND question_id = ?", split.question)}
        for value, expected in split.counts.items():
            if got.get(value, 0) != expected:
                wrong.append(f"{split.where}: interview question {split.question}: "
                             f"expected {value} = {expected}, got {got.get(value, 0)}")
    assert not wrong, "\n".join(wrong)


def test_labelled_synthetic(store: Store) -> None:
    (row,) = rows(store, "SELECT label, synthetic FROM inspections WHERE inspection_id = ?")
    assert "(synthetic)" in row["label"] and row["synthetic"] is True


def test_some_cases_in_progress(store: Store) -> None:
    r = rows(store, "SELECT count(*) FILTER (WHERE NOT coalesce(marked_complete, false)) AS open "
                    "FROM cases WHERE inspection_id = ? AND kind = 'case'")
    assert 1 <= r[0]["open"] <= 5


def test_second_run_changes_nothing(demo_dir: Path, store: Store) -> None:
    before = rows(store, "SELECT count(*) AS n FROM answer_history WHERE inspection_id = ?")
    result = CliRunner().invoke(cli, ["--store", str(demo_dir), "demo", "--no-open"])
    assert result.exit_code == 0, result.output
    assert "already there" in result.output
    after = rows(store, "SELECT count(*) AS n FROM answer_history WHERE inspection_id = ?")
    assert after == before
    assert rows(store, "SELECT count(*) AS n FROM inspections WHERE inspection_id = ?")[0]["n"] == 1


def test_rebuild_resets_without_deleting(tmp_path: Path, demo_data,  # type: ignore[no-untyped-def]
                                          demo_template: Path) -> None:
    """--rebuild re-saves the generated state; what someone added is cleared as events."""
    from store import AnswerInput

    path = copy_demo(demo_template, tmp_path / "store")  # `caseread demo` made it
    runner = CliRunner()
    store = Store.open(path)
    data = demo_data
    case = next(c for c, done in data.complete.items() if not done)
    extra = next(q.id for q in store.framework.questions
                 if q.id not in data.answers[case] and q.applies_when is None)
    value = store.framework.scale_for(extra).values()[0]
    store.save_answers(INSPECTION_ID, [AnswerInput(case, extra, value)])
    store.save_case(INSPECTION_ID, "BED-EXTRA", dict(data.cases[case]))
    result = runner.invoke(cli, ["--store", str(path), "demo", "--no-open", "--rebuild"])
    assert result.exit_code == 0, result.output
    store = Store.open(path)
    assert not rows(store, "SELECT * FROM answers_current WHERE inspection_id = ? "
                           "AND case_id = ? AND question_id = ?", case, extra)
    assert rows(store, "SELECT * FROM answer_history WHERE inspection_id = ? "
                       "AND case_id = ? AND question_id = ?", case, extra)
    ids = {r["case_id"] for r in rows(store, "SELECT case_id FROM cases WHERE inspection_id = ?")}
    assert ids == set(data.cases)
    current = rows(store, "SELECT count(*) AS n FROM answers_current WHERE inspection_id = ?")
    assert current[0]["n"] == sum(len(a) for a in data.answers.values())


def test_scores_table_beside_the_report(demo_dir: Path, figures: Figures) -> None:
    """What `caseread demo` prints when the app cannot be imported."""
    from caseread.commands.demo_cmd import scores_table

    lines = scores_table(demo_dir, INSPECTION_ID).splitlines()
    assert len(lines) == 1 + len(figures.targets)
    for line, (code, target) in zip(lines[1:], sorted(figures.targets.items()), strict=True):
        assert line.startswith(str(code)) and line.rstrip().endswith(f"{target * 100:.0f}%")


def test_live_scores_equal_the_views_sql(store: Store) -> None:
    from test_store_live import assert_same_scores

    fields = [None, "author", *(f.id for f in store.framework.case_fields)]
    assert_same_scores(store, INSPECTION_ID, fields)


def test_demo_has_a_small_qa_history(store: Store) -> None:
    """A sample, two queries (one closed after QA changed a judgement, one open), and the
    QA change visible in the history; the figures above still hold."""
    samples = rows(store, "SELECT sample_id, reader, seed FROM qa_samples WHERE inspection_id = ?")
    assert {r["sample_id"] for r in samples} == {"S1"} and len(samples) >= 8
    per_reader: dict[str, int] = {}
    for r in samples:
        per_reader[r["reader"]] = per_reader.get(r["reader"], 0) + 1
    assert per_reader["INSP-G"] == 2 and per_reader["INSP-A"] == 1  # assessors at twice
    queries = rows(store, "SELECT state, opened_by FROM queries WHERE inspection_id = ? "
                          "ORDER BY opened_at")
    assert [q["state"] for q in queries] == ["closed", "open"]
    changes = rows(store, "SELECT old_answer, new_answer, author, by_qa FROM qa_changes "
                          "WHERE inspection_id = ?")
    assert changes == [{"old_answer": "no", "new_answer": "yes", "author": "QA-LEAD",
                        "by_qa": True}]
    states = {r["state"] for r in rows(store, "SELECT state FROM case_status "
                                              "WHERE inspection_id = ?")}
    assert {"sampled", "queried", "resolved"} <= states


def test_demo_second_readings_show_real_disagreement(store: Store, demo_data) -> None:  # type: ignore[no-untyped-def]
    """About ten cases read again, blind, by another inspector: realistic disagreement,
    and (test_every_stated_figure_is_reproduced above) no published figure changed."""
    from caseread.demo.build import generate
    from caseread.demo.second_readings import DOUBLE_READ
    from store.agreement_data import agreement_rows, pairs

    assigned = rows(store, "SELECT case_id, reader, complete FROM reading_assignments "
                           "WHERE inspection_id = ? AND reading = 2")
    assert len(assigned) == DOUBLE_READ and all(r["complete"] for r in assigned)
    first = {r["case_id"]: r["author"] for r in rows(
        store, "SELECT DISTINCT case_id, author FROM answers_current WHERE inspection_id = ?")}
    assert all(first[r["case_id"]] != r["reader"] for r in assigned)
    found = pairs(store, INSPECTION_ID)
    top = agreement_rows(store.framework, found)[0].stats
    assert top.pairs > 500
    assert 0.75 < (top.agreement or 0) < 0.95  # neither perfect nor chaotic
    assert generate().second_readings == demo_data.second_readings  # deterministic
