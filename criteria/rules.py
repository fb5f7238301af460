"""Applicability rules: a small, safe expression language over case details and answers.

A rule is a Python-like boolean expression, parsed with `ast` into a whitelisted node set
(never evaluated with `eval`), then either evaluated in Python (the form) or compiled to a
DuckDB boolean expression (the store's views). Examples::

    rosh in ('medium', 'high', 'very_high') and psr in ('short', 'full')
    'unpaid_work' in requirements          # multi field contains a value
    has_any(requirements, 'curfew', 'electronic_monitoring')
    only(requirements, 'unpaid_work')      # non-empty and nothing else
    not child_protection                   # bool field
    answer('3.1.02') == 'yes'              # an earlier answer of the same case
    psr is None                            # explicit test for a missing value

Missing values (None in Python, NULL in SQL): every comparison or bool field on a missing
value is False, and the SQL wraps each such atom in COALESCE(..., FALSE). `not`, `and` and
`or` are then ordinary two-valued logic, so Python and SQL always agree and a question whose
rule cannot be decided does not apply. Use `x is None` to test for a missing value.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from criteria.rule_nodes import (
    _PY_OPS,
    FIELD_TYPES,
    FUNCTIONS,
    Answer,
    BoolOp,
    Compare,
    Const,
    Field,
    ListTest,
    Node,
    Not,
    Operand,
    RuleError,
    Scalar,
    Truth,
    Values,
)
from criteria.rule_parser import _Parser

__all__ = [
    "FIELD_TYPES", "FUNCTIONS", "Answer", "BoolOp", "Compare", "Const", "Field", "ListTest",
    "Node", "Not", "Operand", "Rule", "RuleError", "Scalar", "Truth", "Values", "sql_literal",
]


# --- the Rule --------------------------------------------------------------------------

@dataclass(frozen=True)
class Rule:
    text: str
    tree: Node
    fields: tuple[str, ...] = field(default=())
    questions: tuple[str, ...] = field(default=())

    @classmethod
    def parse(
        cls,
        text: str,
        known_fields: Mapping[str, str],
        known_questions: Iterable[str] | None = None,
    ) -> Rule:
        """Parse `text`; `known_fields` maps field id -> type; None questions = any id."""
        try:
            expr = ast.parse(text.strip(), mode="eval").body
        except SyntaxError as exc:
            raise RuleError(f"syntax error in rule {text!r}: {exc.msg}") from None
        parser = _Parser(known_fields, known_questions)
        tree = parser.condition(expr)
        return cls(
            text=text.strip(),
            tree=tree,
            fields=tuple(dict.fromkeys(parser.used_fields)),
            questions=tuple(dict.fromkeys(parser.used_questions)),
        )

    def evaluate(self, details: Mapping[str, Any], answers: Mapping[str, str | None]) -> bool:
        """True if the rule holds for a case; values may be native or the store's strings."""
        return _eval(self.tree, details, answers)

    def evaluate_once(
        self, details: Mapping[str, Any], answers: Mapping[str, str | None],
        decided: dict[str, bool],
    ) -> bool:
        """`evaluate`, remembered in `decided` by rule text: many questions share a rule,
        so a case needs each distinct rule only once (until its details or answers change)."""
        if self.text not in decided:
            decided[self.text] = self.evaluate(details, answers)
        return decided[self.text]

    def to_sql(
        self,
        field_sql: Callable[[str], str] | None = None,
        answer_sql: Callable[[str], str] | None = None,
        *,
        details_alias: str = "c",
    ) -> str:
        """A DuckDB boolean expression (never NULL).

        field_sql(field_id) gives the SQL of a case detail column (multi = VARCHAR[], bool =
        BOOLEAN, int = INTEGER); by default `<details_alias>."<field_id>"`. answer_sql(qid)
        gives the VARCHAR SQL of the case's current answer to that question.
        """
        def default_field(name: str) -> str:
            return f'{details_alias}."{name}"'

        def no_answers(qid: str) -> str:
            raise ValueError(f"rule {self.text!r} reads answer('{qid}'): pass answer_sql")

        return _sql(self.tree, field_sql or default_field, answer_sql or no_answers)


# --- Python evaluation -----------------------------------------------------------------

def _value(op: Operand, details: Mapping[str, Any], answers: Mapping[str, str | None]) -> Any:
    if isinstance(op, Field):
        return _coerce(details.get(op.name), op.type)
    if isinstance(op, Answer):
        value = answers.get(op.question)
        return None if value in (None, "") else value
    if isinstance(op, Values):
        return op.items
    return op.value


def _coerce(value: Any, type_: str) -> Any:
    """Accept the store's string encoding as well as native values."""
    if value is None or value == "":
        return None
    if type_ == "multi":
        if isinstance(value, str):
            return [v for v in value.split(";") if v]
        return list(value)
    if type_ == "bool" and isinstance(value, str):
        return {"true": True, "false": False}.get(value.lower())
    if type_ == "int" and isinstance(value, str):
        try:
            return int(value)
        except ValueError:
            return None
    return value


def _eval(node: Node, details: Mapping[str, Any], answers: Mapping[str, str | None]) -> bool:
    if isinstance(node, BoolOp):
        results = (_eval(n, details, answers) for n in node.operands)
        return all(results) if node.op == "and" else any(results)
    if isinstance(node, Not):
        return not _eval(node.operand, details, answers)
    if isinstance(node, Truth):
        return _coerce(details.get(node.field.name), "bool") is True
    if isinstance(node, ListTest):
        values = _coerce(details.get(node.field.name), "multi")
        if values is None:
            return False
        if node.func == "has_any":
            return any(v in node.items for v in values)
        return bool(values) and all(v in node.items for v in values)
    left = _value(node.left, details, answers)
    right = _value(node.right, details, answers)
    if node.op in ("is", "is not"):
        return (left is None) == (node.op == "is")
    if left is None or right is None:
        return False
    if node.op in ("in", "not in"):
        if isinstance(node.right, Field):  # 'value' in multi field
            found = left in right
        elif isinstance(left, list):  # multi field in (...): any overlap
            found = any(v in right for v in left)
        else:
            found = left in right
        return found == (node.op == "in")
    return _compare(node.op, left, right)


def _compare(op: str, left: Any, right: Any) -> bool:
    try:
        return bool(_PY_OPS[op](left, right))
    except TypeError:  # e.g. an int field compared with a string: never true
        return False


# --- SQL compilation -------------------------------------------------------------------

def sql_literal(value: Scalar) -> str:
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"


def _list_literal(items: Iterable[Scalar]) -> str:
    return "[" + ", ".join(sql_literal(i) for i in items) + "]"


def _sql(node: Node, field_sql: Callable[[str], str], answer_sql: Callable[[str], str]) -> str:
    if isinstance(node, BoolOp):
        joiner = " AND " if node.op == "and" else " OR "
        return "(" + joiner.join(_sql(n, field_sql, answer_sql) for n in node.operands) + ")"
    if isinstance(node, Not):
        return f"(NOT {_sql(node.operand, field_sql, answer_sql)})"
    if isinstance(node, Truth):
        return f"COALESCE({field_sql(node.field.name)}, FALSE)"
    if isinstance(node, ListTest):
        col = field_sql(node.field.name)
        items = _list_literal(node.items)
        if node.func == "has_any":
            return f"COALESCE(list_has_any({col}, {items}), FALSE)"
        return f"COALESCE(len({col}) > 0 AND list_has_all({items}, {col}), FALSE)"
    left = _operand_sql(node.left, field_sql, answer_sql)
    if node.op in ("is", "is not"):
        return f"({left} IS {'NOT ' if node.op == 'is not' else ''}NULL)"
    if node.op in ("in", "not in"):
        return f"COALESCE({_membership_sql(node, left, field_sql, answer_sql)}, FALSE)"
    right = _operand_sql(node.right, field_sql, answer_sql)
    return f"COALESCE({left} {node.op} {right}, FALSE)"


def _membership_sql(
    node: Compare, left: str, field_sql: Callable[[str], str], answer_sql: Callable[[str], str]
) -> str:
    negate = "NOT " if node.op == "not in" else ""
    if isinstance(node.right, Field):  # 'x' in multi field
        return f"{negate}list_contains({field_sql(node.right.name)}, {left})"
    assert isinstance(node.right, Values)
    if isinstance(node.left, Field) and node.left.type == "multi":
        return f"{negate}list_has_any({left}, {_list_literal(node.right.items)})"
    if not node.right.items:
        return "FALSE" if not negate else f"({left} IS NOT NULL)"
    items = ", ".join(sql_literal(i) for i in node.right.items)
    return f"{left} {negate}IN ({items})"


def _operand_sql(
    op: Operand, field_sql: Callable[[str], str], answer_sql: Callable[[str], str]
) -> str:
    if isinstance(op, Field):
        return field_sql(op.name)
    if isinstance(op, Answer):
        return f"NULLIF({answer_sql(op.question)}, '')"
    if isinstance(op, Const):
        return "NULL" if op.value is None else sql_literal(op.value)
    return _list_literal(op.items)
