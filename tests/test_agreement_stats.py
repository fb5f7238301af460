"""The agreement statistics against published worked examples and hand-computed tables."""

from __future__ import annotations

import krippendorff
import numpy as np
import pytest

from store.agreement import (
    agreement,
    cohens_kappa,
    gwet_ac1,
    krippendorff_alpha,
    observed_agreement,
    prevalence,
    table_of,
)

# Gwet (2008), section on the paradoxes of kappa: 125 subjects, two raters, +/-:
# 118 both +, 5 A+ B-, 2 A- B+, 0 both -. Published: kappa -0.02, AC1 0.94.
PARADOX = [[118, 5], [2, 0]]
# Gwet's three-category abstractors example (Handbook of Inter-Rater Reliability; the irrCAC
# package's `table_cont3x3abstractors`): AC1 0.84933, 95% CI (0.76358, 0.93508) with the
# t quantile for 99 degrees of freedom.
ABSTRACTORS = [[13, 0, 0], [0, 20, 7], [0, 4, 56]]
T99 = 1.984217  # t(0.975, 99), from tables


def test_gwet_2008_paradox_table() -> None:
    assert round(gwet_ac1(PARADOX).value or 0, 2) == 0.94
    assert round(cohens_kappa(PARADOX).value or 0, 2) == -0.02
    assert observed_agreement(PARADOX) == pytest.approx(118 / 125)


def test_gwet_ac1_and_its_variance_on_the_abstractors_example() -> None:
    est = gwet_ac1(ABSTRACTORS)
    assert est.value == pytest.approx(0.84933, abs=5e-6)
    assert est.se is not None
    assert est.value - T99 * est.se == pytest.approx(0.76358, abs=5e-6)
    assert est.value + T99 * est.se == pytest.approx(0.93508, abs=5e-6)


def test_gwet_variance_equals_the_expanded_formula_of_the_paper() -> None:
    """Gwet (2008) two-rater variance written out term by term (eq. with the three sums)."""
    t = [[40, 5, 1], [3, 2, 0], [1, 0, 3]]
    n = sum(map(sum, t))
    q = 3
    p = [[c / n for c in r] for r in t]
    pi = [(sum(p[k]) + sum(p[i][k] for i in range(q))) / 2 for k in range(q)]
    pa = sum(p[k][k] for k in range(q))
    pe = sum(x * (1 - x) for x in pi) / (q - 1)
    g = (pa - pe) / (1 - pe)
    s1 = sum(p[k][k] * (1 - pi[k]) for k in range(q)) / (q - 1)
    s2 = sum(p[k][m] * (1 - (pi[k] + pi[m]) / 2) ** 2 for k in range(q) for m in range(q))
    s2 /= (q - 1) ** 2
    var = (pa * (1 - pa) - 4 * (1 - g) * (s1 - pa * pe) + 4 * (1 - g) ** 2 * (s2 - pe ** 2))
    var /= n * (1 - pe) ** 2
    est = gwet_ac1(t)
    assert est.value == pytest.approx(g)
    assert est.se == pytest.approx(var ** 0.5)


@pytest.mark.parametrize(("table", "kappa", "se"), [
    # statsmodels 0.15.0 stats.inter_rater.cohens_kappa(table): kappa, std_kappa
    (PARADOX, -0.02339181286549608, 0.012286756672845256),
    (ABSTRACTORS, 0.7964094021839719, 0.05891071832608148),
    ([[40, 5], [3, 2]], 0.24528301886792425, 0.18915286781058424),
])
def test_kappa_and_its_standard_error_match_statsmodels(table, kappa, se) -> None:
    est = cohens_kappa(table)
    assert est.value == pytest.approx(kappa, rel=1e-12)
    assert est.se == pytest.approx(se, rel=1e-9)
    assert est.ci == pytest.approx((max(-1, kappa - 1.959964 * se), kappa + 1.959964 * se),
                                   abs=1e-6)


def test_all_agree_kappa_undefined_ac1_one() -> None:
    everyone_yes = [[10, 0, 0], [0, 0, 0], [0, 0, 0]]
    result = agreement(everyone_yes, sufficient=[0])
    assert result.agreement == 1.0 and result.prevalence == 1.0
    assert result.kappa.value is None and result.kappa.ci is None
    assert result.alpha.value is None
    assert result.ac1.value == 1.0 and result.ac1.ci == (1.0, 1.0)
    mixed = agreement([[6, 0, 0], [0, 3, 0], [0, 0, 1]])
    assert (mixed.kappa.value, mixed.ac1.value, mixed.alpha.value) == pytest.approx((1, 1, 1))


def test_high_prevalence_kappa_low_ac1_high_by_hand() -> None:
    # 20 cases, yes/no/na: 18 both yes, one each way yes/no. p_a = 0.9.
    # kappa: p_e = .95^2 + .05^2 = .905 -> (0.9 - .905) / .095 = -1/19.
    # AC1: pi = (.95, .05, 0), p_e = (2 * .95 * .05) / 2 = .0475 -> .8525 / .9525.
    t = [[18, 1, 0], [1, 0, 0], [0, 0, 0]]
    result = agreement(t, sufficient=[0])
    assert result.kappa.value == pytest.approx(-1 / 19)
    assert result.ac1.value == pytest.approx(0.8525 / 0.9525)
    assert result.prevalence == pytest.approx(0.95)
    low, high = result.ac1.ci or (0, 0)
    assert low < result.ac1.value < high <= 1.0


def test_alpha_by_hand_and_by_the_library() -> None:
    # o = [[6,2],[2,6]], N = 16: alpha = 1 - 15 * 4 / (256 - 128) = 0.53125
    assert krippendorff_alpha([[3, 1], [1, 3]]).value == pytest.approx(0.53125)
    rng = np.random.default_rng(1)
    for _ in range(20):
        a, b = rng.integers(0, 3, 30), rng.integers(0, 3, 30)
        b = np.where(rng.random(30) < 0.6, a, b)
        t = table_of(zip(map(str, a), map(str, b), strict=True), ["0", "1", "2"])
        data = np.vstack([a, b]).astype(float)
        want = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
        assert krippendorff_alpha(t).value == pytest.approx(want)


def test_alpha_interval_is_a_seeded_bootstrap() -> None:
    t = [[30, 4, 1], [3, 8, 0], [1, 1, 2]]
    first, again = krippendorff_alpha(t), krippendorff_alpha(t)
    assert first.ci == again.ci  # fixed seed: the same data give the same interval
    assert first.ci is not None and first.ci[0] < (first.value or 0) < first.ci[1]
    assert krippendorff_alpha(t, seed=7).ci != first.ci


def test_prevalence_and_empty_tables() -> None:
    assert prevalence([[2, 1], [1, 0]], [0]) == pytest.approx(6 / 8)
    empty = agreement([[0, 0], [0, 0]])
    assert empty.pairs == 0 and empty.agreement is None and empty.kappa.value is None
    assert empty.ac1.value is None and empty.alpha.value is None
    with pytest.raises(KeyError):
        table_of([("yes", "maybe")], ["yes", "no"])


def test_bootstrap_percentile_is_numpys() -> None:
    from store.agreement import _percentile

    data = np.sort(np.random.default_rng(3).normal(size=997))
    for p in (2.5, 50, 97.5):
        assert _percentile(data, p) == pytest.approx(float(np.percentile(data, p)))
