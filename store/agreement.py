"""Agreement between two readings of the same items: pure statistics, no store, no UI.

Input is a q x q contingency table: `counts[i][j]` = items that reading A put in category
i and reading B in category j, over the categories of the question's scale (all of them,
observed or not: Gwet's q is the number of choices on the scale). Every statistic is
nominal (a disagreement is a disagreement), with a 95% confidence interval:

- observed agreement p_a = sum_k p_kk;
- Cohen's kappa (Cohen 1960), kappa = (p_a - p_e) / (1 - p_e), p_e = sum_k p_k. p_.k, with
  the large-sample standard error of Fleiss, Cohen & Everitt (1969) (the one statsmodels'
  `cohens_kappa` reports as `std_kappa`); interval kappa +- z * se, clipped to [-1, 1].
  Undefined (None) when p_e = 1 (both readings put every item in one category);
- Gwet's AC1 (Gwet 2008, BJMSP 61, 29-48), AC1 = (p_a - p_e) / (1 - p_e) with
  p_e = 1/(q-1) sum_k pi_k (1 - pi_k), pi_k = (p_k. + p_.k) / 2, and Gwet's variance
  (sampling fraction f = 0: the cases are a sample of a large caseload); interval
  AC1 +- z * se, clipped to [-1, 1]. Gwet uses a t quantile with n-1 degrees of freedom;
  z (1.96) is used here (no scipy), which makes the interval slightly narrower for small n;
- Krippendorff's alpha, nominal, by the `krippendorff` package; its interval is a
  percentile bootstrap over the paired items (resampling the table's cells, multinomial,
  `BOOTSTRAP` resamples, fixed seed `SEED`, so the same data always give the same interval);
- prevalence: the share of all ratings (both readings) in the "sufficient" categories.

Units: every value is a fraction (agreement, prevalence: 0..1; coefficients: -1..1).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from statistics import NormalDist
from typing import Any

Z95 = NormalDist().inv_cdf(0.975)
SEED = 2008  # the bootstrap's seed: intervals are reproducible
BOOTSTRAP = 1000

Interval = tuple[float, float]


@dataclass(frozen=True)
class Estimate:
    value: float | None
    ci: Interval | None
    se: float | None = None


@dataclass(frozen=True)
class Agreement:
    """One row of agreement statistics (over `pairs` paired items)."""

    pairs: int
    agreement: float | None
    kappa: Estimate
    ac1: Estimate
    alpha: Estimate
    prevalence: float | None

    def as_dict(self) -> dict[str, object]:
        """The JSON row fields (`caseread agreement --format json`), without level/id."""
        return {
            "pairs": self.pairs, "agreement": self.agreement,
            "kappa": self.kappa.value, "kappa_ci": _ci(self.kappa.ci),
            "ac1": self.ac1.value, "ac1_ci": _ci(self.ac1.ci),
            "alpha": self.alpha.value, "alpha_ci": _ci(self.alpha.ci),
            "prevalence": self.prevalence,
        }


def _ci(ci: Interval | None) -> list[float] | None:
    return None if ci is None else [ci[0], ci[1]]


def bound_text(value: float) -> str:
    """A coefficient or interval bound to 2 places; one that rounds to zero is `0.00`,
    never `-0.00`."""
    text = f"{value:.2f}"
    return "0.00" if text == "-0.00" else text


def interval_text(ci: Interval | None, empty: str = "-") -> str:
    """A 95% interval as `[-0.12, 0.40]`: bracketed, the bounds apart, so a negative
    bound is never read as a dash (the agreement screen showed `-0.00-0.00`)."""
    return empty if ci is None else f"[{bound_text(ci[0])}, {bound_text(ci[1])}]"


Table = Sequence[Sequence[int]]


def table_of(pairs: Iterable[tuple[str, str]], categories: Sequence[str]) -> list[list[int]]:
    """The q x q table of (reading A, reading B) answer pairs; unknown values raise KeyError."""
    index = {c: i for i, c in enumerate(categories)}
    out = [[0] * len(categories) for _ in categories]
    for a, b in pairs:
        out[index[a]][index[b]] += 1
    return out


def _shares(table: Table) -> tuple[int, list[list[float]], list[float], list[float]]:
    n = sum(map(sum, table))
    p = [[c / n for c in row] for row in table]
    rows = [sum(r) for r in p]
    cols = [sum(p[i][j] for i in range(len(p))) for j in range(len(p))]
    return n, p, rows, cols


def observed_agreement(table: Table) -> float | None:
    n = sum(map(sum, table))
    return sum(table[k][k] for k in range(len(table))) / n if n else None


def _clip(low: float, high: float) -> Interval:
    return max(-1.0, low), min(1.0, high)


def cohens_kappa(table: Table, z: float = Z95) -> Estimate:
    """Cohen's kappa and its Fleiss-Cohen-Everitt (1969) standard error and interval."""
    n = sum(map(sum, table))
    if not n:
        return Estimate(None, None)
    _, p, rows, cols = _shares(table)
    q = len(p)
    pa = sum(p[k][k] for k in range(q))
    pe = sum(rows[k] * cols[k] for k in range(q))
    if pe >= 1.0 - 1e-12:
        return Estimate(None, None)
    kappa = (pa - pe) / (1 - pe)
    term_a = sum(p[k][k] * (1 - (rows[k] + cols[k]) * (1 - kappa)) ** 2 for k in range(q))
    term_b = (1 - kappa) ** 2 * sum(
        p[i][j] * (cols[i] + rows[j]) ** 2 for i in range(q) for j in range(q) if i != j)
    term_c = (kappa - pe * (1 - kappa)) ** 2
    var = max(0.0, (term_a + term_b - term_c) / (1 - pe) ** 2 / n)
    se = var ** 0.5
    return Estimate(kappa, _clip(kappa - z * se, kappa + z * se), se)


def gwet_ac1(table: Table, z: float = Z95, sampling_fraction: float = 0.0) -> Estimate:
    """Gwet's AC1 for two readings, with Gwet's (2008) variance (eq. for two raters:
    v = (1-f)/(n (1-pe)^2) [sum_kl p_kl (w_kl - 2(1-AC1) (1-(pi_k+pi_l)/2)/(q-1))^2
    - (pa - 2(1-AC1) pe)^2], w = identity), as in Gwet's handbook and irrCAC.
    q = number of categories of the table (the scale's choices)."""
    q = len(table)
    n = sum(map(sum, table))
    if not n or q < 2:
        return Estimate(None, None)
    _, p, rows, cols = _shares(table)
    pi = [(rows[k] + cols[k]) / 2 for k in range(q)]
    pa = sum(p[k][k] for k in range(q))
    pe = sum(x * (1 - x) for x in pi) / (q - 1)
    ac1 = (pa - pe) / (1 - pe)  # pe <= (q-1)/q / (q-1) < 1: always defined
    total = 0.0
    for k in range(q):
        for m in range(q):
            weight = 1.0 if k == m else 0.0
            term = weight - 2 * (1 - ac1) * (1 - (pi[k] + pi[m]) / 2) / (q - 1)
            total += p[k][m] * term ** 2
    var = (1 - sampling_fraction) / (n * (1 - pe) ** 2) * (total - (pa - 2 * (1 - ac1) * pe) ** 2)
    se = max(0.0, var) ** 0.5
    return Estimate(ac1, _clip(ac1 - z * se, ac1 + z * se), se)


def _alpha_from_tables(tables: object) -> object:
    """Nominal alpha of two readings without missing values, for a stack of q x q tables
    (numpy array B x q x q): coincidences o = T + T', N = 2n,
    alpha = 1 - (N - 1) (N - sum_c o_cc) / (N^2 - sum_c n_c^2). NaN where undefined."""
    import numpy as np

    t = np.asarray(tables, dtype=float)
    o = t + np.swapaxes(t, -1, -2)
    big_n = o.sum(axis=(-1, -2))
    n_c = o.sum(axis=-1)
    diag = np.trace(o, axis1=-2, axis2=-1)
    expected = big_n ** 2 - (n_c ** 2).sum(axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(expected > 0, 1 - (big_n - 1) * (big_n - diag) / expected, np.nan)


def krippendorff_alpha(table: Table, resamples: int = BOOTSTRAP, seed: int = SEED) -> Estimate:
    """Krippendorff's alpha (nominal) by the `krippendorff` package, with a percentile
    bootstrap interval over the paired items (fixed seed). None where undefined (every
    rating in one category) or with fewer than 2 pairs."""
    import krippendorff
    import numpy as np

    n = int(sum(map(sum, table)))
    if n < 2 or len([c for c in _marginals(table) if c]) < 2:
        return Estimate(None, None)
    q = len(table)
    cells = np.asarray(table, dtype=float)
    eye = np.eye(q)
    units = (eye[:, None, :] + eye[None, :, :]).reshape(q * q, q)  # unit of cell (i, j)
    value_counts = np.repeat(units, cells.ravel().astype(int), axis=0)
    value = float(krippendorff.alpha(value_counts=value_counts,
                                     level_of_measurement="nominal"))
    rng = np.random.default_rng(seed)
    draws = rng.multinomial(n, cells.ravel() / n, size=resamples).reshape(resamples, q, q)
    boot = np.asarray(_alpha_from_tables(draws))
    boot = np.sort(boot[~np.isnan(boot)])
    if not len(boot):
        return Estimate(value, None)
    low, high = _percentile(boot, 2.5), _percentile(boot, 97.5)
    return Estimate(value, (float(low), float(high)))


def _percentile(ordered: Any, p: float) -> float:
    """Linear-interpolation percentile of a sorted array (numpy's default method, without
    its per-call overhead: this runs for every row)."""
    pos = (len(ordered) - 1) * p / 100
    lo = int(pos)
    hi = min(lo + 1, len(ordered) - 1)
    return float(ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo))


def _marginals(table: Table) -> list[int]:
    q = len(table)
    return [sum(table[k]) + sum(table[i][k] for i in range(q)) for k in range(q)]


def prevalence(table: Table, sufficient: Sequence[int]) -> float | None:
    """Share of all 2n ratings that fall in the categories numbered `sufficient`."""
    n = sum(map(sum, table))
    if not n:
        return None
    marg = _marginals(table)
    return sum(marg[k] for k in sufficient) / (2 * n)


def agreement(table: Table, sufficient: Sequence[int] = ()) -> Agreement:
    """Every statistic of one table (see the module docstring)."""
    return Agreement(
        pairs=int(sum(map(sum, table))), agreement=observed_agreement(table),
        kappa=cohens_kappa(table), ac1=gwet_ac1(table), alpha=krippendorff_alpha(table),
        prevalence=prevalence(table, sufficient),
    )
