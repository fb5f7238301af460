"""Data quality rules: checks on a case's details and answers, kept as YAML data
(`criteria/data/checks.yaml`) in the applicability rule language (criteria/rules.py).

A check *fails* for a case when its `fails_when` rule holds (so a rule that cannot be
decided, e.g. on a missing detail, does not fail). `question` is the question the check
points at (the form and the QA screen open the case there).

    checks:
      - id: rosh_high_no_rmp
        text: "RoSH high or very high, but 'Was a risk management plan completed?' is unanswered"
        question: "4.1.14"
        fails_when: "rosh in ('high', 'very_high') and answer('4.1.14') is None"

`load_checks(framework, path=None) -> list[Check]`; errors raise `FrameworkError`
naming file, line and field, like the framework's own.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from criteria.loader import DATA_DIR
from criteria.models import Framework
from criteria.rules import Rule, RuleError
from criteria.yamlsource import FrameworkError, Source

CHECKS_FILE = "checks.yaml"


class CheckSpec(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    id: str = Field(pattern=r"^[a-z][a-z0-9_]{0,63}$")
    text: str = Field(min_length=1)
    question: str
    fails_when: str = Field(min_length=1)


class Check:
    """A parsed check: `fails(details, answers) -> bool`."""

    def __init__(self, spec: CheckSpec, rule: Rule) -> None:
        self.id = spec.id
        self.text = spec.text
        self.question = spec.question
        self.rule = rule

    def fails(self, details: Mapping[str, Any], answers: Mapping[str, str | None]) -> bool:
        return self.rule.evaluate(details, answers)


_cache: dict[tuple[int, str], list[Check]] = {}


def load_checks(framework: Framework, path: Path | str | None = None) -> list[Check]:
    """The checks of `path` (default criteria/data/checks.yaml; a missing file = none)."""
    target = Path(path) if path is not None else DATA_DIR / CHECKS_FILE
    key = (id(framework), str(target))
    if key not in _cache:
        _cache[key] = _load(framework, target)
    return _cache[key]


def _load(fw: Framework, path: Path) -> list[Check]:
    if not path.exists():
        return []
    src = Source(path)
    raw = src.data.get("checks") if isinstance(src.data, dict) else None
    if not isinstance(raw, list):
        raise src.error(("checks",), "expected a list of checks")
    questions = [q.id for q in fw.questions]
    errors: list[FrameworkError] = []
    out: list[Check] = []
    seen: set[str] = set()
    for i, item in enumerate(raw):
        try:
            spec = CheckSpec.model_validate(item)
        except ValidationError as exc:
            errors += [src.error(("checks", i, *e["loc"]), e["msg"]) for e in exc.errors()]
            continue
        if spec.id in seen:
            errors.append(src.error(("checks", i, "id"), f"duplicate check id {spec.id!r}"))
        seen.add(spec.id)
        if spec.question not in questions:
            errors.append(src.error(("checks", i, "question"),
                                    f"unknown question {spec.question!r}"))
            continue
        try:
            rule = Rule.parse(spec.fails_when, fw.field_types, questions)
        except RuleError as exc:
            errors.append(src.error(("checks", i, "fails_when"), str(exc)))
            continue
        out.append(Check(spec, rule))
    if errors:
        errors[0].errors = errors
        raise errors[0]
    return out
