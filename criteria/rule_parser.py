"""Parse a rule's text into `criteria.rule_nodes`: only the whitelisted `ast` shapes pass
(comparisons, `in`, `is None`, `not`/`and`/`or`, `answer()`, `has_any()`, `only()`);
anything else raises `RuleError` naming what is not allowed. Nothing is ever evaluated.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping

from criteria.rule_nodes import (
    _OPS,
    FUNCTIONS,
    Answer,
    BoolOp,
    Compare,
    Const,
    Field,
    ListTest,
    Node,
    Not,
    RuleError,
    Scalar,
    Truth,
    Values,
)


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
