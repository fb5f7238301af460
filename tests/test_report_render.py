"""The report renderers on plain data: every figure given appears, HTML is self-contained."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from report import html, markdown, svg
from report.fmt import band, pct
from report.model import (
    Breakdown,
    BreakdownRow,
    Check,
    Comparison,
    Count,
    CriteriaGrid,
    CriterionLine,
    Distribution,
    GridCell,
    InterviewFinding,
    OutcomeReport,
    QuestionBar,
    ReportData,
)


def sample_data(synthetic: bool = True) -> ReportData:
    crit = [
        CriterionLine("1.1", "Assessment and planning to inform sentencing", 0.75, 15, 20),
        CriterionLine("1.4", "Leadership & management <support>", None, 0, 0, "interviews"),
    ]
    bars = [
        QuestionBar("1.1.01", "Was the report based on sufficient information?", 17, 4),
        QuestionBar("1.1.02", "Was the report of sufficient quality?", 13, 8),
    ]
    finding = InterviewFinding(
        "2.4.05",
        "Were your individual needs reasonably addressed?",
        [Count("Yes", 12), Count("No", 4), Count("Not applicable", 16)],
        16,
        12,
        "yes",
    )
    brk = Breakdown(
        "Scores by RoSH at start",
        "Outcome 4, paragraph 4.3",
        ["Outcome 4"],
        [
            BreakdownRow("high", 9, {"Outcome 4": 0.7}),
            BreakdownRow("medium", 38, {"Outcome 4": 0.58}),
        ],
    )
    outcomes = [
        OutcomeReport(1, "Assisting sentencing", 0.7654, 30, 41, crit, bars, [finding], [brk]),
        OutcomeReport(2, "Delivering the sentence of the court", None, 0, 0),
    ]
    grid = CriteriaGrid(
        [(1, "Assessment and planning"), (4, "Leadership and management")],
        [(1, "Assisting sentencing"), (2, "Delivering the sentence of the court")],
        {
            (1, 1): GridCell("1.1", "Assessment and planning to inform sentencing", 0.75),
            (1, 4): GridCell("1.4", "Leadership", None, "interviews"),
        },
    )
    sample = [Distribution("Gender", [Count("Male", 45), Count("Female", 5)])]
    return ReportData(
        "bedfordshire-2013",
        "Bedfordshire",
        "2013-06",
        "reconstructed",
        synthetic,
        "2013.1",
        "questions",
        "Each outcome score is the mean over its questions.",
        "2026-11-26 12:00:00 UTC",
        "2026-11-26 12:30:00 UTC",
        50,
        32,
        outcomes,
        grid,
        sample,
        Comparison(
            "Bedfordshire 2013",
            [
                Check(
                    "O1 1.6",
                    "broadly followed the proposal in all but four cases",
                    "1.1.19",
                    "24 of 28",
                    "24 of 28",
                    False,
                ),
                Check(
                    "O4 1.4",
                    "the 20 cases where restrictive requirements were in place " * 3,
                    "cases where has_any(requirements, 'curfew', 'electronic_monitoring', "
                    "'restraining_order', 'exclusion', 'prohibited_activity')",
                    "≈ good 18, some 15, insufficient 17",
                    "good 18, some 15, insufficient 34",
                    True,
                ),
            ],
        ),
    )


def test_pct_rounds_half_up_and_marks_missing() -> None:
    assert pct(0.765) == "77%"
    assert pct(0.7649) == "76%"
    assert pct(None) == "–"
    assert pct(1.0) == "100%"


def test_bands_partition_scores() -> None:
    names = [band(s).name for s in (0.0, 0.59, 0.6, 0.74, 0.75, 1.0)]  # type: ignore[union-attr]
    assert names[0] == names[1] != names[2] == names[3] != names[4] == names[5]
    assert band(None) is None


def test_svg_charts_are_well_formed_and_print_figures() -> None:
    data = sample_data()
    charts = [
        svg.question_bars("q", data.outcomes[0].key_questions),
        svg.score_bars("s", [(o.title, o.score) for o in data.outcomes]),
        svg.count_bars("c", data.sample[0].counts),
    ]
    for chart in charts:
        ET.fromstring(chart)  # raises if not well-formed XML
    assert "17 of 21" in charts[0] and "13 of 21" in charts[0]
    assert "77%" in charts[1] and "–" in charts[1]
    assert "45 (90%)" in charts[2] and "5 (10%)" in charts[2]


def test_svg_bars_scale_with_counts() -> None:
    chart = svg.question_bars("q", [QuestionBar("a", "A", 10, 0), QuestionBar("b", "B", 5, 0)])
    widths = [float(w) for w in re.findall(r'width="([\d.]+)" height="16.0" fill="#1f3b63"', chart)]
    assert widths[0] == pytest.approx(2 * widths[1], abs=0.2)


def test_wrap_keeps_all_words_within_width() -> None:
    text = "Was the initial risk of harm screening completed sufficiently well and on time?"
    lines = svg.wrap(text, 20)
    assert " ".join(lines) == text
    assert all(len(line) <= 20 for line in lines)


def test_html_is_self_contained_and_escaped() -> None:
    out = html.render(sample_data())
    assert "<script" not in out.lower()
    assert not re.search(r"(src|href)\s*=\s*[\"']?(https?:)?//", out)
    assert "@import" not in out and "url(" not in out
    assert "@page" in out and "size: A4" in out
    assert "Leadership &amp; management &lt;support&gt;" in out
    assert out.count('class="outcome"') == 2
    assert "SYNTHETIC DATA" in out


def test_html_prints_every_figure() -> None:
    out = html.render(sample_data())
    for needle in [
        "77%",
        "75%",
        "15 of 20",
        "17 of 21",
        "Of the 16 who answered, 12 said yes",
        "58%",
        "70%",
        "2013.1",
        "2026-11-26 12:00:00 UTC",
        "n = 50",
        "questions",
    ]:
        assert needle in out, needle


def test_markdown_sections_and_figures() -> None:
    data = sample_data()
    sections = markdown.render_sections(data)
    titles = [s.title for s in sections]
    assert titles[0] == "Summary"
    assert "Outcome 1: Assisting sentencing" in titles
    assert titles[-2:] == [
        "Appendix 6: criteria",
        "Appendix: figures of Bedfordshire 2013 compared",
    ]
    full = markdown.render(data)
    for needle in [
        "| Outcome 1: Assisting sentencing | 77% |",
        "17 of 21",
        "Of the 16 who answered, 12",
        "| high | 9 | 70% |",
        "| Male | 45 | 90% |",
        "SYNTHETIC DATA",
        "2013.1",
    ]:
        assert needle in full, needle
    assert "Leadership & management <support>" in full


def test_markdown_tables_have_consistent_columns() -> None:
    full = markdown.render(sample_data())
    blocks = re.findall(r"((?:^\|.*\|\n)+)", full, flags=re.M)
    assert blocks
    for block in blocks:
        widths = {len(re.split(r"(?<!\\)\|", line)) for line in block.strip().split("\n")}
        assert len(widths) == 1, block


def test_published_figures_appendix() -> None:
    md = markdown.render(sample_data())
    assert "1 of 2 figures stated in the published report (Bedfordshire 2013)" in md
    assert "| 24 of 28 | 24 of 28 | yes |" in md and "| NO |" in md
    out = html.render(sample_data())
    assert 'class="figures"' in out and "1 of 2 figures" in out


def test_real_report_has_no_synthetic_banner() -> None:
    assert "SYNTHETIC" not in html.render(sample_data(synthetic=False))
    assert "SYNTHETIC" not in markdown.render(sample_data(synthetic=False))


def test_text_bar() -> None:
    assert markdown.text_bar(0.5, 10) == "█████░░░░░"
    assert markdown.text_bar(None, 4) == "····"
