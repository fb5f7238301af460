"""Checks that the values a rule compares against exist (a typo would silently never match)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from criteria.rules import Answer, BoolOp, Compare, Const, Field, ListTest, Node, Not, Rule, Values

if TYPE_CHECKING:
    from criteria.models import Framework


def check_rule_values(rule: Rule, fw: Framework) -> list[str]:
    """Problems such as "unknown choice 'hgh' for rosh (allowed: ...)"."""
    problems = []
    for target, value in _comparisons(rule.tree):
        allowed = _allowed(target, fw)
        if allowed is not None and isinstance(value, str) and value not in allowed:
            name = target.name if isinstance(target, Field) else f"answer('{target.question}')"
            problems.append(
                f"unknown choice {value!r} for {name} (allowed: {', '.join(allowed)})"
            )
    return problems


def _allowed(target: Field | Answer, fw: Framework) -> list[str] | None:
    if isinstance(target, Field):
        fld = fw.case_field(target.name)
        return fld.values() if fld.type in ("choice", "multi") else None
    scale = fw.scales.get(fw.question(target.question).scale)
    return None if scale is None else scale.values()  # an unknown scale is reported apart


def _comparisons(node: Node) -> Iterator[tuple[Field | Answer, object]]:
    if isinstance(node, BoolOp):
        for n in node.operands:
            yield from _comparisons(n)
    elif isinstance(node, Not):
        yield from _comparisons(node.operand)
    elif isinstance(node, ListTest):
        for item in node.items:
            yield node.field, item
    elif isinstance(node, Compare):
        left, right = node.left, node.right
        if isinstance(left, Field | Answer):
            if isinstance(right, Values):
                for value in right.items:
                    yield left, value
            elif isinstance(right, Const):
                yield left, right.value
        if isinstance(right, Field | Answer) and isinstance(left, Const):
            yield right, left.value
