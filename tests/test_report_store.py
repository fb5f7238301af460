"""The report's figures, read from a hand-built store, against hand-computed scores."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import test_report_data as rs

from report import build_report, gather, sections


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("report") / "store"
    rs.build(path)
    return path


@pytest.fixture(scope="module")
def store(store_dir: Path) -> Any:
    from store import Store

    return Store.open(store_dir)


def test_outcome_scores_match_hand_computation(store: Any) -> None:
    data = gather(store, rs.ALPHA)
    by_code = {o.code: o for o in data.outcomes}
    assert by_code[2].score == pytest.approx(rs.ALPHA_O2)
    assert by_code[4].score == pytest.approx(rs.ALPHA_O4)
    assert by_code[5].score == pytest.approx(1.0)
    assert by_code[1].score is None  # no pre-sentence report answers at all
    assert (by_code[2].sufficient, by_code[2].applicable) == (4, 7)


def test_report_agrees_with_the_views(store: Any) -> None:
    data = gather(store, rs.ALPHA)
    view = {
        r["outcome"]: r["score"]
        for r in store.query(
            "SELECT outcome, score FROM outcome_scores "
            "WHERE inspection_id = ? AND method = 'questions'",
            [rs.ALPHA],
        ).to_pylist()
    }
    assert {o.code: o.score for o in data.outcomes} == pytest.approx(view)


# Hand counts (sufficient, insufficient) in alpha; "na" answers are not counted.
ALPHA_COUNTS = {"2.1.01": (3, 1), "2.1.03": (1, 2), "4.1.03": (2, 2), "5.1.01": (4, 0)}


def test_data_summary_counts(store: Any) -> None:
    from criteria import load_framework

    fw = load_framework()
    outcomes = {o.code: o for o in gather(store, rs.ALPHA).outcomes}
    for code in (2, 4, 5):
        bars = {b.question_id: (b.sufficient, b.insufficient) for b in outcomes[code].key_questions}
        ours = {q.id for q in fw.questions_for_outcome(code) if q.key_question} & set(ALPHA_COUNTS)
        assert ours, f"none of the test's questions is a key question of outcome {code}"
        assert {q: bars[q] for q in ours} == {q: ALPHA_COUNTS[q] for q in ours}
    # 5.1.01 belongs to outcome 5 and is lent to outcome 4: it is charted in both.
    assert "5.1.01" in {b.question_id for b in outcomes[4].key_questions}


def test_criterion_scores(store: Any) -> None:
    o2 = next(o for o in gather(store, rs.ALPHA).outcomes if o.code == 2)
    c21 = next(c for c in o2.criteria if c.criterion_id == "2.1")
    assert c21.score == pytest.approx(rs.ALPHA_O2)
    assert (c21.sufficient, c21.applicable) == (4, 7)
    grid = gather(store, rs.ALPHA).grid
    assert grid.cells[(2, 1)].score == pytest.approx(rs.ALPHA_O2)


def test_rosh_breakdown(store: Any) -> None:
    o4 = next(o for o in gather(store, rs.ALPHA).outcomes if o.code == 4)
    rosh = next(b for b in o4.breakdowns if "4.3" in b.reference)
    got = {r.group: r.scores["Outcome 4"] for r in rosh.rows}
    assert got == pytest.approx(rs.RISK_O4)
    assert {r.group: r.cases for r in rosh.rows} == {"High": 2, "Medium": 2}


def test_sample_and_provenance(store: Any) -> None:
    data = gather(store, rs.ALPHA)
    assert data.cases == 4
    gender = next(d for d in data.sample if d.title == "Gender")
    assert {c.label: c.n for c in gender.counts} == {"Male": 3, "Female": 1}
    assert data.synthetic and data.framework_version
    assert data.data_as_of[:4].isdigit() and data.data_as_of.endswith("UTC")


def test_rendered_reports_carry_the_figures(store: Any) -> None:
    md = build_report(store, rs.ALPHA, "md")
    html_text = build_report(store, rs.ALPHA, "html")
    for text in (md, html_text):
        assert "54%" in text  # 13/24 = 54.2%
        assert "75%" in text  # outcome 4
        assert "3 of 4" in text and "2 of 4" in text
        assert "SYNTHETIC DATA" in text
    assert "SYNTHETIC" not in build_report(store, rs.BETA, "md")


def test_sections_for_preview(store: Any) -> None:
    parts = sections(store, rs.ALPHA)
    assert parts[0].title == "Summary"
    assert sum(p.title.startswith("Outcome ") for p in parts) == 5
    assert all(p.markdown.strip() for p in parts)


def test_interview_findings_are_counted(store: Any) -> None:
    data = gather(store, rs.ALPHA)
    assert data.interviews == 3 and data.cases == 4
    o2 = next(o for o in data.outcomes if o.code == 2)
    needs = next(f for f in o2.interviews if f.question_id == "I2.4.13")
    assert (needs.answered, needs.positive) == (2, 1)
    assert needs.asked.startswith("who answered yes to I2.4.12")
    asked = next(f for f in o2.interviews if f.question_id == "I2.4.12")
    assert (asked.answered, asked.positive) == (3, 2)
    assert "Of the 2 who answered yes to I2.4.12" in build_report(store, rs.ALPHA, "md")


def test_unknown_inspection(store: Any) -> None:
    with pytest.raises(LookupError):
        gather(store, "nowhere")


def test_cli_writes_report(store_dir: Path, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from caseread.cli import cli

    out = tmp_path / "r.md"
    result = CliRunner().invoke(
        cli, ["--store", str(store_dir), "report", "--inspection", rs.ALPHA, str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "| Outcome 2: Delivering the sentence of the court | 54% |" in out.read_text()


def test_cli_programme_to_stdout(store_dir: Path) -> None:
    from click.testing import CliRunner

    from caseread.cli import cli

    args = ["--store", str(store_dir), "report", "--programme", "--format", "md", "-"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "Programme (pooled answers)" in result.output and "55%" in result.output


def test_cli_unknown_inspection_is_one_line_error(store_dir: Path, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from caseread.cli import cli

    args = ["--store", str(store_dir), "report", "--inspection", "nowhere", str(tmp_path / "x")]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1
    assert "nowhere" in result.output and not (tmp_path / "x").exists()


def test_published_figures_set_beside_measured(store: Any) -> None:
    data = gather(store, rs.ALPHA, compare="bedfordshire_2013")
    assert data.comparison is not None
    checks = {c.measure: c for c in data.comparison.checks}
    assert (checks["2.1.01"].stated, checks["2.1.01"].measured) == ("45 of 50", "3 of 4")
    assert checks["4.1.03"].measured == "2 of 4" and checks["4.1.03"].approx
    assert checks["cases where rosh in ('medium', 'high', 'very_high')"].measured == "4"
    assert (checks["Outcome 1"].stated, checks["Outcome 1"].measured) == ("77%", "–")
    assert checks["I2.4.13"].measured == "yes 1, no 1"
    assert not checks["2.1.01"].matches
    md = build_report(store, rs.ALPHA, "md", compare="bedfordshire_2013")
    assert "| O2 1.1 |" in md and "| 45 of 50 | 3 of 4 | NO |" in md


def test_breakdown_titles_keep_acronyms(store: Any) -> None:
    titles = {b.title for o in gather(store, rs.ALPHA).outcomes for b in o.breakdowns}
    assert "Scores by RoSH classification at start" in titles
    assert "Scores by offender manager grade" in titles
