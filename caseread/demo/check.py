"""Score the generated demo in Python, to check it before it is written to a store.

The store's views are the real judge (tests/test_demo*.py compare against them); this is
the same arithmetic (outcome = mean of question scores, own and lent questions), so a
generator bug fails here, naming the outcome, before anything is written.
"""

from __future__ import annotations

from caseread.demo.answers import is_scored, question_counts
from caseread.demo.figures import DemoError
from criteria.models import Framework

TOLERANCE = 0.01  # one point, as the report rounds to whole percentages


def outcome_scores(fw: Framework, answers: dict[str, dict[str, str]]) -> dict[int, float | None]:
    out: dict[int, float | None] = {}
    for o in fw.outcomes:
        scores = []
        for q in fw.questions_for_outcome(o.code):
            if not is_scored(fw, q):
                continue
            s, n = question_counts(fw, q, answers)
            if n:
                scores.append(s / n)
        out[o.code] = sum(scores) / len(scores) if scores else None
    return out


def check_scores(fw: Framework, answers: dict[str, dict[str, str]],
                 targets: dict[int, float]) -> dict[int, float | None]:
    got = outcome_scores(fw, answers)
    wrong = [f"outcome {o}: expected {t:.2f}, got {got.get(o)}" for o, t in targets.items()
             if got.get(o) is None or abs(got[o] - t) > TOLERANCE]  # type: ignore[operator]
    if wrong:
        raise DemoError("the demo's scores miss the report's: " + "; ".join(wrong))
    return got
