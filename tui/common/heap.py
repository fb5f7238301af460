"""Garbage collection tuned for keystroke latency.

A full (generation 2) collection scans every tracked object: with the framework, the store
and Textual loaded that is ~80k objects and 50-130 ms, landing on a keystroke about every
20 keys (measured: the periodic outlier of answer key -> durable). Objects alive once a
case or list is loaded live as long as the app, so they are frozen (never scanned again),
and full collections run a tenth as often; the younger generations are untouched, so
short-lived garbage is still freed at once.
"""

from __future__ import annotations

import gc

FULL_EVERY = 100  # generation-1 collections per full collection (CPython's default: 10)


def tune() -> tuple[int, ...]:
    """Apply the thresholds; returns the old ones for `restore`."""
    old = gc.get_threshold()
    gc.set_threshold(old[0], old[1], max(old[2], FULL_EVERY))
    return old


def settle() -> None:
    """Freeze what exists now, after freeing the young garbage (a few ms): garbage frozen
    with it would stay until the app ends, so call it once per load, not per change."""
    gc.collect(1)
    gc.freeze()


def restore(old: tuple[int, ...]) -> None:
    gc.unfreeze()  # frozen objects become collectable again once the app is gone
    gc.set_threshold(*old)
