"""Choose how many cases answer each figure-less question well, so outcomes hit their scores.

An outcome's score is the mean of its questions' scores (its own and those lent to it by
`also_counts_towards`). Questions with a stated figure have fixed scores; the free ones
start at varied plausible rates, are shifted together to close each outcome's gap (a few
sweeps settle the questions shared between outcomes), then rounded to whole cases and
nudged one case at a time until no nudge brings the outcomes closer.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from caseread.demo.figures import DemoError
from criteria.models import Framework

PLAUSIBLE = (0.3, 0.95)
SPREAD = 0.12  # how far free rates are scattered around the outcome's score
TOLERANCE = 0.004  # well inside the one point the demo promises


@dataclass(frozen=True)
class FreeQuestion:
    id: str
    n: int  # cases where it applies and is answered sufficient or insufficient


def solve_rates(fw: Framework, targets: dict[int, float], fixed: dict[str, float],
                free: list[FreeQuestion], rng: random.Random) -> dict[str, int]:
    """question id -> number of sufficient answers, for every free question."""
    members = {o: {q.id for q in fw.questions_for_outcome(o)} for o in targets}
    usable = [f for f in free if f.n > 0]
    for bounds in (PLAUSIBLE, (0.0, 1.0)):
        ks = _attempt(members, targets, fixed, usable, bounds, rng)
        if _worst(members, targets, fixed, usable, ks) <= TOLERANCE:
            return {f.id: ks.get(f.id, 0) for f in free}
    worst = {o: round(_mean(members[o], fixed, usable, ks) or 0, 4) for o in targets}
    raise DemoError(f"cannot reach the outcome scores {targets} with the free questions: "
                    f"best {worst}")


def _attempt(members: dict[int, set[str]], targets: dict[int, float], fixed: dict[str, float],
             free: list[FreeQuestion], bounds: tuple[float, float],
             rng: random.Random) -> dict[str, int]:
    lo, hi = bounds
    home = {f.id: next((o for o in targets if f.id in members[o]), None) for f in free}
    rates = {f.id: _clip(targets.get(home[f.id] or 0, 0.7) + rng.gauss(0, SPREAD), lo, hi)
             for f in free}
    for _ in range(50):
        for o, target in targets.items():
            mine = [f.id for f in free if f.id in members[o]]
            scored = [q for q in members[o] if q in fixed] + mine
            if not mine or not scored:
                continue
            gap = target * len(scored) - sum(fixed.get(q, rates.get(q, 0)) for q in scored)
            for q in mine:
                rates[q] = _clip(rates[q] + gap / len(mine), lo, hi)
    ks = {f.id: round(rates[f.id] * f.n) for f in free}
    return _nudge(members, targets, fixed, free, ks, bounds)


def _nudge(members: dict[int, set[str]], targets: dict[int, float], fixed: dict[str, float],
           free: list[FreeQuestion], ks: dict[str, int],
           bounds: tuple[float, float]) -> dict[str, int]:
    lo, hi = bounds
    best = _error(members, targets, fixed, free, ks)
    while best > 0:
        move = None
        for f in free:
            for step in (-1, 1):
                k = ks[f.id] + step
                if not (0 <= k <= f.n and lo * f.n - 1 <= k <= hi * f.n + 1):
                    continue
                ks[f.id] = k
                err = _error(members, targets, fixed, free, ks)
                ks[f.id] = k - step
                if err < best - 1e-12:
                    best, move = err, (f.id, k)
        if move is None:
            break
        ks[move[0]] = move[1]
    return ks


def _mean(ids: set[str], fixed: dict[str, float], free: list[FreeQuestion],
          ks: dict[str, int]) -> float | None:
    scores = [fixed[q] for q in ids if q in fixed]
    scores += [ks[f.id] / f.n for f in free if f.id in ids]
    return sum(scores) / len(scores) if scores else None


def _error(members: dict[int, set[str]], targets: dict[int, float], fixed: dict[str, float],
           free: list[FreeQuestion], ks: dict[str, int]) -> float:
    total = 0.0
    for o, target in targets.items():
        m = _mean(members[o], fixed, free, ks)
        if m is not None:
            total += (m - target) ** 2
    return total


def _worst(members: dict[int, set[str]], targets: dict[int, float], fixed: dict[str, float],
           free: list[FreeQuestion], ks: dict[str, int]) -> float:
    gaps = [abs(m - t) for o, t in targets.items()
            if (m := _mean(members[o], fixed, free, ks)) is not None]
    return max(gaps, default=1.0)


def _clip(x: float, lo: float, hi: float) -> float:
    return min(hi, max(lo, x))
