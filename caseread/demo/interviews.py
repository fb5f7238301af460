"""Answers of the offender manager interviews (x.4 criteria): counted, never scored."""

from __future__ import annotations

import random

from caseread.demo.answers import applies
from caseread.demo.figures import DemoError, Figures
from caseread.demo.solver import Details
from criteria.models import Framework


def build_interview_answers(fw: Framework, figures: Figures, interviews: dict[str, Details],
                            rng: random.Random) -> dict[str, dict[str, str]]:
    """Stated interview figures exactly (shuffled over the managers); other questions drawn."""
    answers: dict[str, dict[str, str]] = {om: {} for om in interviews}
    stated = {s.question: s for s in figures.interview_splits}
    for q in fw.interview_questions:
        who = [om for om, d in interviews.items() if applies(fw, q.id, d, answers[om])]
        values = fw.scale_for(q).values()
        split = stated.get(q.id)
        if split is None:
            for om in who:
                answers[om][q.id] = rng.choice(values)
            continue
        if split.total > len(who):
            raise DemoError(f"{split.where}: {q.id} asked of {len(who)} offender managers, "
                            f"the figure counts {split.total}")
        rng.shuffle(who)
        for value, n in split.counts.items():
            for om in who[:n]:
                answers[om][q.id] = value
            who = who[n:]
        unnamed = [v for v in values if v not in split.counts] or values
        for om in who:
            answers[om][q.id] = rng.choice(unnamed)
    return answers
