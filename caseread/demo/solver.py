"""A small local-search solver: change case details until every counted fact holds.

The report states counts ("28 cases had a court report"); each becomes a `Target` (a
predicate over one case's details and the wanted number of cases). Random restarts are not
needed at this size: 50 cases and a few dozen targets settle in well under a second.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

Details = dict[str, object]
# (current value, rng, values the target's rule names) -> a new value to try
Mutator = Callable[[object, random.Random, Sequence[str]], object]


@dataclass(frozen=True)
class Target:
    """`count` cases (exactly, or at least when `at_least`) satisfy `test`."""

    label: str  # what a failure message shows: paragraph, quote, rule
    test: Callable[[Details], bool]
    fields: frozenset[str]
    count: int
    at_least: bool = False
    hints: tuple[str, ...] = ()  # values the rule names: tried first when mutating

    def error(self, got: int) -> int:
        if self.at_least:
            return max(0, self.count - got)
        return abs(self.count - got)


@dataclass
class _State:
    cases: list[Details]
    targets: Sequence[Target]
    truth: list[list[bool]] = field(default_factory=list)
    counts: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.truth = [[t.test(c) for c in self.cases] for t in self.targets]
        self.counts = [sum(row) for row in self.truth]

    def total_error(self) -> int:
        return sum(t.error(n) for t, n in zip(self.targets, self.counts, strict=True))


def solve(
    cases: list[Details],
    targets: Sequence[Target],
    mutators: dict[str, Mutator],
    rng: random.Random,
    max_steps: int = 60_000,
) -> list[str]:
    """Mutate `cases` in place; return the labels of targets still unmet (empty = solved)."""
    state = _State(cases, targets)
    by_field: dict[str, list[int]] = {}
    for ti, t in enumerate(targets):
        for name in t.fields:
            by_field.setdefault(name, []).append(ti)
    for _ in range(max_steps):
        unmet = [i for i, t in enumerate(targets) if t.error(state.counts[i])]
        if not unmet:
            return []
        _step(state, rng.choice(unmet), mutators, by_field, rng)
    return [
        f"{t.label}: expected {'at least ' if t.at_least else ''}{t.count}, got {n}"
        for t, n in zip(targets, state.counts, strict=True)
        if t.error(n)
    ]


def _step(
    state: _State,
    ti: int,
    mutators: dict[str, Mutator],
    by_field: dict[str, list[int]],
    rng: random.Random,
) -> None:
    """Try re-draws of the target's fields on a case that should flip, and swaps of those
    fields with another case (a swap keeps every single-field count); keep the best."""
    target = state.targets[ti]
    want = state.counts[ti] < target.count
    movable = sorted(f for f in target.fields if f in mutators)
    candidates = [i for i, row in enumerate(state.truth[ti]) if row != want]
    if not movable or not candidates:
        return
    best: tuple[int, Changes] | None = None
    for ci in rng.sample(candidates, min(3, len(candidates))):
        case = state.cases[ci]
        for _ in range(4):
            names = rng.sample(movable, rng.randint(1, len(movable)))
            options: list[Changes] = [
                {ci: {n: mutators[n](case.get(n), rng, target.hints) for n in names}}
            ]
            cj = rng.randrange(len(state.cases))
            if cj != ci:
                other = state.cases[cj]
                options.append({ci: {n: other.get(n) for n in names},
                                cj: {n: case.get(n) for n in names}})
            for changes in options:
                delta = _delta(state, changes, by_field)
                if delta < 0:  # first improvement: take it
                    _apply(state, changes, by_field)
                    return
                if best is None or delta < best[0]:
                    best = (delta, changes)
    assert best is not None
    delta, changes = best
    # Accept sideways and, rarely, uphill moves so conjunctions can be assembled.
    if delta <= 0 or rng.random() < 0.02:
        _apply(state, changes, by_field)


Changes = dict[int, Details]  # case index -> new values of some fields


def _affected(changes: Changes, by_field: dict[str, list[int]]) -> set[int]:
    return {ti for change in changes.values() for name in change
            for ti in by_field.get(name, [])}


def _delta(state: _State, changes: Changes, by_field: dict[str, list[int]]) -> int:
    delta = 0
    trials = {ci: {**state.cases[ci], **change} for ci, change in changes.items()}
    for ti in _affected(changes, by_field):
        t = state.targets[ti]
        shift = 0
        for ci, trial in trials.items():
            shift += int(t.test(trial)) - int(state.truth[ti][ci])
        if shift:
            n = state.counts[ti]
            delta += t.error(n + shift) - t.error(n)
    return delta


def _apply(state: _State, changes: Changes, by_field: dict[str, list[int]]) -> None:
    for ci, change in changes.items():
        state.cases[ci].update(change)
    for ti in _affected(changes, by_field):
        for ci in changes:
            new = state.targets[ti].test(state.cases[ci])
            if new != state.truth[ti][ci]:
                state.truth[ti][ci] = new
                state.counts[ti] += 1 if new else -1
