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
import operator
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
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


# --- parsing ---------------------------------------------------------------------------

class _Parser:
    def __init__(self, fields: Mapping[str, str], questions: Iterable[str] | None) -> None:
        self.fields = fields
        self.questions = None if questions is None else set(questions)
        self.used_fields: list[str] = []
        self.used_questions: list[str] = []

    def condition(self, node: ast.expr) -> Node:
        if isinstance(node, ast.BoolOp):
            op = "and" if isinstance(node.op, ast.And) else "or"
            return BoolOp(op, tuple(self.condition(v) for v in node.values))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            return Not(self.condition(node.operand))
        if isinstance(node, ast.Compare):
            return self.compare(node)
        if isinstance(node, ast.Call) and _func_name(node) in ("has_any", "only"):
            return self.list_test(node)
        if isinstance(node, ast.Name):
            fld = self.field(node)
            if fld.type != "bool":
                raise RuleError(
                    f"'{fld.name}' is a {fld.type} field: compare it, e.g. {fld.name} == '...'",
                    fld.name,
                )
            return Truth(fld)
        raise RuleError(f"not a condition: {ast.unparse(node)!r}")

    def compare(self, node: ast.Compare) -> Compare:
        if len(node.ops) != 1:
            raise RuleError(f"chained comparison not allowed: {ast.unparse(node)!r}")
        op_node, right_node = node.ops[0], node.comparators[0]
        left = self.operand(node.left)
        if isinstance(op_node, ast.In | ast.NotIn):
            op = "in" if isinstance(op_node, ast.In) else "not in"
            return self._membership(op, left, right_node)
        if isinstance(op_node, ast.Is | ast.IsNot):
            right = self.operand(right_node)
            if not (isinstance(right, Const) and right.value is None):
                raise RuleError("'is' only tests for None: write 'x is None'")
            return Compare("is" if isinstance(op_node, ast.Is) else "is not", left, right)
        if type(op_node) not in _OPS:
            raise RuleError(f"operator not allowed: {ast.unparse(node)!r}")
        right = self.operand(right_node)
        for side in (left, right):
            if isinstance(side, Field) and side.type == "multi":
                raise RuleError(f"'{side.name}' holds several values: use 'x' in {side.name}")
        _check_types(left, right)
        return Compare(_OPS[type(op_node)], left, right)

    def _membership(
        self, op: str, left: Field | Answer | Const, right_node: ast.expr
    ) -> Compare:
        if isinstance(right_node, ast.Tuple | ast.List):
            values = tuple(self.value(e) for e in right_node.elts)
            for v in values:
                _check_types(left, Const(v))
            return Compare(op, left, Values(values))
        right = self.operand(right_node)
        if isinstance(right, Const) and isinstance(right.value, str):
            raise RuleError(  # ('x') is a string in Python, not a list
                f"'in' needs a list of values: write ({right.value!r},) or == {right.value!r}")
        if not (isinstance(right, Field) and right.type == "multi" and isinstance(left, Const)):
            raise RuleError("'in' needs a list of values, or 'value' in <multi field>")
        _check_types(right, left)
        return Compare(op, left, right)

    def list_test(self, node: ast.Call) -> ListTest:
        name = _func_name(node)
        if len(node.args) < 2 or node.keywords or not isinstance(node.args[0], ast.Name):
            raise RuleError(f"{name}() takes a multi field and one or more values")
        fld = self.field(node.args[0])
        if fld.type != "multi":
            raise RuleError(f"{name}() needs a multi field, '{fld.name}' is {fld.type}", fld.name)
        items = tuple(str(self.value(a)) for a in node.args[1:])
        return ListTest(name, fld, items)

    def operand(self, node: ast.expr) -> Field | Answer | Const:
        if isinstance(node, ast.Name):
            return self.field(node)
        if isinstance(node, ast.Call) and _func_name(node) == "answer":
            if len(node.args) != 1 or node.keywords:
                raise RuleError("answer() takes one question id, e.g. answer('3.1.02')")
            qid = self.constant(node.args[0])
            if not isinstance(qid, str):
                raise RuleError("answer() takes a question id string")
            if self.questions is not None and qid not in self.questions:
                raise RuleError(f"unknown question '{qid}' in answer()", qid)
            self.used_questions.append(qid)
            return Answer(qid)
        if isinstance(node, ast.Constant):
            return Const(self.constant(node))
        raise RuleError(f"not allowed in a rule: {ast.unparse(node)!r}")

    def constant(self, node: ast.expr) -> Scalar | None:
        if isinstance(node, ast.Constant) and (
            node.value is None or isinstance(node.value, str | int | bool)
        ):
            return node.value  # type: ignore[no-any-return]
        raise RuleError(f"expected a string, number, True/False or None: {ast.unparse(node)!r}")

    def value(self, node: ast.expr) -> Scalar:
        value = self.constant(node)
        if value is None:
            raise RuleError("None cannot be in a list of values: use 'x is None'")
        return value

    def field(self, node: ast.Name) -> Field:
        if node.id in ("True", "False", "None"):
            raise RuleError(f"unexpected constant {node.id}")
        if node.id not in self.fields:
            raise RuleError(f"unknown case detail field '{node.id}'", node.id)
        self.used_fields.append(node.id)
        return Field(node.id, self.fields[node.id])


_CONST_TYPES = {"choice": str, "multi": str, "text": str, "int": int, "bool": bool}


def _check_types(a: Field | Answer | Const, b: Field | Answer | Const) -> None:
    """A value compared with a field must have the field's type (DuckDB would refuse)."""
    for side, other in ((a, b), (b, a)):
        if not isinstance(other, Const) or other.value is None:
            continue
        if isinstance(side, Field):
            wanted, name = _CONST_TYPES[side.type], side.name
        elif isinstance(side, Answer):
            wanted, name = str, f"answer('{side.question}')"
        else:
            continue
        value = other.value
        if not isinstance(value, wanted) or (wanted is not bool and isinstance(value, bool)):
            raise RuleError(f"{name} is compared with {value!r}: expected {wanted.__name__}")


def _func_name(node: ast.Call) -> str:
    if isinstance(node.func, ast.Name) and node.func.id in FUNCTIONS:
        return node.func.id
    raise RuleError(f"unknown function: {ast.unparse(node.func)!r} (allowed: {FUNCTIONS})")


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
