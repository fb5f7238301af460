"""A small deterministic inspection for the score, SQL, report and programme TUI tests.

Answers are spread by a hash of (case, question), so every question has a mix of
sufficient, insufficient and not-applicable answers and every breakdown group has data.
The expected figures in the tests are always read back from the store's views.
"""

from __future__ import annotations

import hashlib
from typing import Any

from store import AnswerInput, Store

ROSH = ("low", "medium", "high")
TYPES = ("community_order", "suspended_sentence_order", "licence")
OFFICES = ("Luton", "Bedford")


def case_details(i: int) -> dict[str, object]:
    return {
        "case_ref": f"REF{i:03d}",
        "case_type": TYPES[i % 3],
        "gender": "male" if i % 4 else "female",
        "offence": "common_assault",
        "rosh": ROSH[i % 3],
        "om_grade": "po" if i % 2 else "pso",
        "office": OFFICES[i % 2],
        "psr": "full",
        "victim_contact": i % 2 == 0,
    }


def answer_for(fw: Any, case_id: str, question_id: str, salt: str = "") -> str:
    scale = fw.scale_for(fw.question(question_id))
    values = [c.value for c in scale.choices]
    digest = hashlib.sha256(f"{salt}{case_id}/{question_id}".encode()).digest()
    weights = {"yes": 6, "no": 3, "na": 1}
    pool = [v for v in values for _ in range(weights.get(v, 2))]
    return pool[digest[0] % len(pool)]


def fill(store: Store, inspection_id: str, cases: int = 12, salt: str = "") -> list[str]:
    """Save `cases` cases with an answer to every case-scored question; returns case ids."""
    fw = store.framework
    ids = [f"C{i:02d}" for i in range(1, cases + 1)]
    for i, case_id in enumerate(ids, start=1):
        store.save_case(inspection_id, case_id, case_details(i))
    answers = [
        AnswerInput(case_id, q.id, answer_for(fw, case_id, q.id, salt))
        for case_id in ids
        for q in fw.questions
        if q.kind in ("scoring", "fact")
    ]
    store.save_answers(inspection_id, answers)
    return ids


def host_app(store: Store, inspection_id: str, make_screen: Any) -> Any:
    """A bare app hosting one screen, with the attributes the real app exposes."""
    from textual.app import App

    class Host(App[None]):
        def __init__(self) -> None:
            super().__init__()
            self.store = store
            self.inspection_id = inspection_id
            self.framework = store.framework

        def on_mount(self) -> None:
            self.push_screen(make_screen())

    return Host()


async def wait_for(pilot: Any, condition: Any, timeout: float = 10.0) -> None:
    """Let workers run until `condition()` holds (fails the test after `timeout`), then let
    the screen lay out what the handler changed (tables size their columns when idle)."""
    import time

    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            raise AssertionError("timed out waiting for the screen")
        await pilot.pause(0.05)
    await pilot.pause()
    await pilot.pause()


def sync(test: Any) -> Any:
    """Run an async Pilot test without an async pytest plugin (none is installed)."""
    import asyncio
    import functools

    @functools.wraps(test)
    def run(*args: Any, **kwargs: Any) -> None:
        asyncio.run(test(*args, **kwargs))

    return run
