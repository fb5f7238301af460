"""The 50 synthetic cases: plausible details that meet every count the report states.

Details are first drawn from plausible shapes (priors.py), then the solver changes them
until every sample fact holds exactly, every question with a stated figure applies to at
least as many cases as the figure counts, and a few coherence rules hold (a licence has no
unpaid work, and so on). The result is verified with the criteria's own rule evaluator.
"""

from __future__ import annotations

import ast
import random
from collections.abc import Callable
from functools import partial

from caseread.demo import priors
from caseread.demo.figures import DemoError, Figures
from caseread.demo.solver import Details, Mutator, Target, solve
from criteria.models import Framework
from criteria.rules import Rule, RuleError

# Never true of a real case; each must hold for 0 cases. Rules naming a field the framework
# lacks are skipped, so the demo survives changes to the case details.
COHERENCE = [
    "case_type == 'licence' and 'unpaid_work' in requirements",
    "case_type == 'licence' and psr in ('oral', 'short', 'full')",
    "case_type == 'licence' and not 'supervision' in requirements",
    "victim_contact and case_type != 'licence'",
    "'approved_premises' in requirements and case_type != 'licence'",
    "mappa_category in ('none') and mappa_level in ('1', '2', '3')",
    "mappa_level in ('2', '3') and rosh in ('low')",
    "programme == 'idap' and not domestic_abuse",
    "programme in ('idap', 'art', 'tsp', 'other') and not 'accredited_programme' in requirements",
    "'accredited_programme' in requirements and programme in ('none')",
    "'accredited_programme' in requirements and programme is None",
    "alcohol_offence and not alcohol_misuse",
    "case_type is None",
    "requirements is None",
]


ATTEMPTS = 3


def _hints(rule: Rule) -> tuple[str, ...]:
    """The string constants a rule names ('licence', 'approved_premises')."""
    tree = ast.parse(rule.text, mode="eval")
    return tuple(n.value for n in ast.walk(tree)
                 if isinstance(n, ast.Constant) and isinstance(n.value, str))


def _target(label: str, rule: Rule, count: int, at_least: bool = False) -> Target:
    return Target(label, _memo_test(rule), frozenset(rule.fields), count, at_least,
                  _hints(rule))


def _memo_test(rule: Rule) -> Callable[[Details], bool]:
    """The rule as a predicate, remembered per combination of the fields it reads: the
    solver asks the same few combinations a million times."""
    seen: dict[tuple[object, ...], bool] = {}

    def test(details: Details) -> bool:
        key = tuple(_hashable(details.get(f)) for f in rule.fields)
        found = seen.get(key)
        if found is None:
            found = seen[key] = rule.evaluate(details, {})
        return found

    return test


def _hashable(value: object) -> object:
    return tuple(value) if isinstance(value, list) else value


def _parse(fw: Framework, text: str, where: str) -> Rule:
    try:
        return Rule.parse(text, fw.field_types, [q.id for q in fw.questions])
    except RuleError as exc:
        raise DemoError(f"{where}: rule {text!r}: {exc}") from None


def targets(fw: Framework, figures: Figures) -> list[Target]:
    """Everything the sample must satisfy, labelled for failure messages."""
    out = []
    for fact in figures.facts:
        rule = _parse(fw, fact.rule, fact.where)
        out.append(_target(f"{fact.where} [{fact.rule}]", rule, fact.count))
    for split in figures.splits:
        applies = fw.rule_for(split.question)
        if applies is None or applies.questions:  # always applies, or depends on answers
            continue
        out.append(_target(f"{split.where} [{split.question} applies: {applies.text}]",
                           applies, split.total, at_least=True))
    for text in COHERENCE:
        try:
            coherent = Rule.parse(text, fw.field_types, [])
        except RuleError:
            continue
        out.append(_target(f"coherence [{text}]", coherent, 0))
    return out


def build_cases(fw: Framework, figures: Figures, rng: random.Random) -> dict[str, Details]:
    """case reference -> details (native values: lists, bools), verified against the facts."""
    refs = priors.case_references(figures.cases, rng)
    fields = [f for f in fw.case_fields if f.id != "case_ref"]
    cases: list[Details] = [
        {"case_ref": ref, **{f.id: priors.draw(f, rng, i) for f in fields}}
        for i, ref in enumerate(refs)
    ]
    mutators: dict[str, Mutator] = {
        f.id: partial(priors.mutate, f) for f in fields if f.type != "text"
    }
    wanted = targets(fw, figures)
    for _ in range(ATTEMPTS):  # a stuck search continues from where it stopped
        unmet = solve(cases, wanted, mutators, rng)
        if not unmet:
            break
    if unmet:
        raise DemoError("the case sample cannot meet: " + "; ".join(unmet))
    verify(cases, wanted)
    return {str(c["case_ref"]): c for c in cases}


def verify(cases: list[Details], wanted: list[Target]) -> None:
    """Recount every target from scratch; the solver's bookkeeping is not trusted."""
    problems = []
    for t in wanted:
        got = sum(t.test(c) for c in cases)
        if t.error(got):
            problems.append(f"{t.label}: expected {t.count}, got {got}")
    if problems:
        raise DemoError("the case sample is wrong: " + "; ".join(problems))


def build_interviews(fw: Framework, figures: Figures, rng: random.Random) -> dict[str, Details]:
    """The offender managers interviewed (records of kind 'interview'), with an office and grade."""
    out: dict[str, Details] = {}
    for i, om in enumerate(priors.offender_manager_ids(figures.interviews)):
        details: Details = {}
        for f in fw.case_fields:
            if f.id == "office" or f.id == "om_grade":
                details[f.id] = priors.draw(f, rng, i)
        out[om] = details
    return out
