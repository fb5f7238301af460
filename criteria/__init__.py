"""criteria: the inspection framework and question bank, as validated YAML data.

    from criteria import load_framework, Framework, FrameworkError
"""

from criteria.loader import DATA_DIR, check_framework, load_framework
from criteria.models import (
    CaseField,
    Choice,
    Criterion,
    Framework,
    Outcome,
    Question,
    Scale,
    ScaleChoice,
    Section,
    Theme,
)
from criteria.rules import Rule, RuleError
from criteria.yamlsource import FrameworkError

__all__ = [
    "DATA_DIR",
    "CaseField",
    "Choice",
    "Criterion",
    "Framework",
    "FrameworkError",
    "Outcome",
    "Question",
    "Rule",
    "RuleError",
    "Scale",
    "ScaleChoice",
    "Section",
    "Theme",
    "check_framework",
    "load_framework",
]
