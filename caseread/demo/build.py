"""Generate the demo inspection in memory (write.py puts it in a store).

`generate` is pure (fixed seed, no store): the writer, the tests and the benchmarks use it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from caseread.demo import priors
from caseread.demo.answers import build_answers
from caseread.demo.check import check_scores
from caseread.demo.figures import Figures
from caseread.demo.interviews import build_interview_answers
from caseread.demo.load import load_figures
from caseread.demo.sample import build_cases, build_interviews
from caseread.demo.second_readings import build_second_readings
from caseread.demo.solver import Details
from criteria import load_framework
from criteria.models import Framework

SEED = 2013
INSPECTION_ID = "demo-bedfordshire-2013"
LABEL = "Bedfordshire 2013 (reconstructed) (synthetic)"


@dataclass
class DemoData:
    inspection_id: str
    label: str
    area: str
    date: str
    cases: dict[str, Details]  # cases and interview records, by case id
    kinds: dict[str, str]  # case id -> 'case' | 'interview'
    answers: dict[str, dict[str, str]]  # case id -> question id -> scale value
    complete: dict[str, bool] = field(default_factory=dict)
    inspectors: dict[str, str] = field(default_factory=dict)  # case id -> who assessed it
    # case id -> (second reader, question id -> answer): blind second readings, not scored
    second_readings: dict[str, tuple[str, dict[str, str]]] = field(default_factory=dict)

    def of_kind(self, kind: str) -> list[str]:
        return [c for c, k in self.kinds.items() if k == kind]


def generate(fw: Framework | None = None, figures: Figures | None = None,
             seed: int = SEED) -> DemoData:
    """The whole demo inspection, deterministic for a seed."""
    fw = fw or load_framework()
    figures = figures or load_figures(fw)
    rng = random.Random(seed)
    cases = build_cases(fw, figures, rng)
    answered = build_answers(fw, figures, cases, rng)
    check_scores(fw, answered.answers, figures.targets)
    interviews = build_interviews(fw, figures, rng)
    interview_answers = build_interview_answers(fw, figures, interviews, rng)
    kinds = {**dict.fromkeys(cases, "case"), **dict.fromkeys(interviews, "interview")}
    complete = {c: c not in answered.in_progress for c in kinds}
    team = priors.INSPECTORS
    inspectors = {c: team[i % len(team)] for i, c in enumerate(kinds)}
    return DemoData(
        inspection_id=INSPECTION_ID, label=LABEL, area=figures.area, date=figures.date,
        cases={**cases, **interviews}, kinds=kinds,
        answers={**answered.answers, **interview_answers}, complete=complete,
        inspectors=inspectors,
        second_readings=build_second_readings(
            fw, answered.answers, inspectors, {c: complete[c] for c in cases}, team),
    )


def encode_value(value: object) -> str | None:
    """A detail value as the store keeps it: lists joined with ';', bools 'true'/'false'."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return ";".join(str(v) for v in value)
    return str(value)
