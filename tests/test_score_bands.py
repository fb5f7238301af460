"""The colour band of a score is the band of the number printed beside it."""

from __future__ import annotations

import pytest

from report import fmt
from tui.scores.model import band as tui_band


@pytest.mark.parametrize("score, printed, band", [
    (0.5982, "60%", "60% to 74%"),  # printed 60%: not coloured as below 60%
    (0.5949, "59%", "below 60%"),
    (0.60, "60%", "60% to 74%"),
    (0.7496, "75%", "75% and over"),
    (0.7449, "74%", "60% to 74%"),
    (1.0, "100%", "75% and over"),
    (0.0, "0%", "below 60%"),
])
def test_band_follows_the_printed_percentage(score: float, printed: str, band: str) -> None:
    assert fmt.pct(score) == printed
    found = fmt.band(score)
    assert found is not None and found.name == band
    names = {"75% and over": "good", "60% to 74%": "fair", "below 60%": "poor"}
    assert tui_band(score) == names[band]


def test_no_score_has_no_band() -> None:
    assert fmt.band(None) is None and tui_band(None) == "none"
