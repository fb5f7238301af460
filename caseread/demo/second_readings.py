"""Second readings for the demo: about ten of its cases read again, blind, by another
inspector, with a realistic amount of disagreement (deterministic, own random stream, so
the primary answers and every published figure stay exactly as they were).

Disagreement: each scoring answer of a double-read case is judged differently with a
probability of 4% to 24%, fixed per question (some questions are harder to judge
consistently than others, as moderation in practice finds); a different judgement is the
other choice a reader most plausibly makes (yes <-> no, not applicable -> yes or no).
"""

from __future__ import annotations

import random
import zlib

from criteria.models import Framework

DOUBLE_READ = 10  # cases read twice
SEED = 2016
_OTHER = {"yes": ["no"], "no": ["yes"], "na": ["yes", "no"]}


def _difficulty(question_id: str) -> float:
    """0.04 .. 0.24, stable for a question (crc32, not hash(): same in every process)."""
    return 0.04 + 0.20 * (zlib.crc32(question_id.encode()) % 1000) / 999


def build_second_readings(
    fw: Framework, answers: dict[str, dict[str, str]], inspectors: dict[str, str],
    complete: dict[str, bool], team: list[str], seed: int = SEED,
) -> dict[str, tuple[str, dict[str, str]]]:
    """case id -> (second reader, question id -> answer) for DOUBLE_READ complete cases."""
    rng = random.Random(seed)
    scoring = {q.id for q in fw.questions if q.kind == "scoring"}
    candidates = sorted(c for c, done in complete.items()
                        if done and c in answers and scoring & set(answers[c]))
    out: dict[str, tuple[str, dict[str, str]]] = {}
    for case_id in rng.sample(candidates, min(DOUBLE_READ, len(candidates))):
        others = [t for t in team if t != inspectors.get(case_id)]
        reader = others[rng.randrange(len(others))]
        second: dict[str, str] = {}
        for qid, answer in sorted(answers[case_id].items()):
            if qid not in scoring:
                continue
            flip = rng.random() < _difficulty(qid) and answer in _OTHER
            second[qid] = rng.choice(_OTHER[answer]) if flip else answer
        out[case_id] = (reader, second)
    return out
