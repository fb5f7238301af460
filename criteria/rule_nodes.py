"""The parsed form of an applicability rule: a small tree of frozen nodes.

Built only by `criteria.rule_parser` from a whitelisted `ast` subset; read by the Python
evaluator and the SQL compiler in `criteria.rules` and by `criteria.rulecheck`.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

FIELD_TYPES = ("choice", "multi", "text", "int", "bool")
FUNCTIONS = ("answer", "has_any", "only")
_OPS: dict[type, str] = {
    ast.Eq: "=", ast.NotEq: "<>", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=",
}

_PY_OPS: dict[str, Callable[[Any, Any], Any]] = {
    "=": operator.eq, "<>": operator.ne, "<": operator.lt,
    "<=": operator.le, ">": operator.gt, ">=": operator.ge,
}

Scalar = str | int | bool


class RuleError(ValueError):
    """A rule that does not parse or names something unknown; `.name` is the culprit."""

    def __init__(self, message: str, name: str | None = None) -> None:
        super().__init__(message)
        self.name = name


# --- the parsed tree -------------------------------------------------------------------

@dataclass(frozen=True)
class Field:
    name: str
    type: str


@dataclass(frozen=True)
class Answer:
    question: str


@dataclass(frozen=True)
class Const:
    value: Scalar | None


@dataclass(frozen=True)
class Values:
    items: tuple[Scalar, ...]


@dataclass(frozen=True)
class Compare:
    op: str  # one of _OPS values, 'in', 'not in', 'is', 'is not'
    left: Field | Answer | Const
    right: Field | Answer | Const | Values


@dataclass(frozen=True)
class Truth:
    """A bare bool field used as a condition."""

    field: Field


@dataclass(frozen=True)
class ListTest:
    func: str  # 'has_any' | 'only'
    field: Field
    items: tuple[str, ...]


@dataclass(frozen=True)
class Not:
    operand: Node


@dataclass(frozen=True)
class BoolOp:
    op: str  # 'and' | 'or'
    operands: tuple[Node, ...]


Node = Compare | Truth | ListTest | Not | BoolOp
Operand = Field | Answer | Const | Values
