"""An applicability rule said in words, from the case detail labels (for inspectors).

`rule_in_words(rule, framework)` turns `psr in ('oral', 'short', 'full') and
rosh == 'high'` into "Pre-sentence report is Oral, Short or Full, and RoSH is High".
Pure: no I/O, no Textual; the form shows it where a question does not apply.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .rule_nodes import Answer, BoolOp, Compare, Const, Field, ListTest, Node, Not, Truth, Values

if TYPE_CHECKING:
    from .models import Framework
    from .rules import Rule

_COMPARE = {"=": "is", "<>": "is not", "<": "is under", "<=": "is at most",
            ">": "is over", ">=": "is at least"}


def rule_in_words(rule: Rule, framework: Framework) -> str:
    """The rule as a sentence fragment ("RoSH is High or Very high")."""
    return _words(rule.tree, framework, top=True)


def _words(node: Node, fw: Framework, top: bool = False) -> str:
    if isinstance(node, BoolOp):
        parts = [_words(n, fw) for n in node.operands]
        if any(" or " in p or " and " in p or ", " in p for p in parts):
            joined = f"; {node.op} ".join(parts)  # lists inside: keep the parts apart
        else:
            joined = _join(parts, node.op)
        return joined if top else f"({joined})"
    if isinstance(node, Not):
        inner = node.operand
        if isinstance(inner, Truth):
            return f"{_label(fw, inner.field)} is no"
        if isinstance(inner, Compare) and inner.op == "in":
            return _compare(Compare("not in", inner.left, inner.right), fw)
        if isinstance(inner, ListTest):
            items = [_value(fw, inner.field, v) for v in inner.items]
            if inner.func == "only":
                return f"{_label(fw, inner.field)} are not only {_join(items, 'and')}"
            return f"{_label(fw, inner.field)} include none of {_join(items, 'or')}"
        return f"not {_words(inner, fw)}"
    if isinstance(node, Truth):
        return f"{_label(fw, node.field)} is yes"
    if isinstance(node, ListTest):
        values = [_value(fw, node.field, v) for v in node.items]
        if node.func == "only":
            return f"{_label(fw, node.field)} are only {_join(values, 'and')}"
        return f"{_label(fw, node.field)} include {_join(values, 'or')}"
    return _compare(node, fw)


def _compare(node: Compare, fw: Framework) -> str:
    left, right, op = node.left, node.right, node.op
    if op in ("in", "not in") and isinstance(right, Field) and right.type == "multi":
        value = _value(fw, right, left.value if isinstance(left, Const) else left)
        verb = "include" if op == "in" else "do not include"
        return f"{_label(fw, right)} {verb} {value}"
    subject = _operand(fw, left)
    if op in ("is", "is not") and isinstance(right, Const) and right.value is None:
        return f"{subject} is {'not ' if op == 'is' else ''}recorded"
    if isinstance(right, Values):
        values = [_value(fw, left, v) for v in right.items]
        verb = "is" if op == "in" else "is not"
        return f"{subject} {verb} {_join(values, 'or' if op == 'in' else 'nor')}"
    value = _value(fw, left, right.value) if isinstance(right, Const) else _operand(fw, right)
    return f"{subject} {_COMPARE.get(op, op)} {value}"


def _operand(fw: Framework, operand: object) -> str:
    if isinstance(operand, Field):
        return _label(fw, operand)
    if isinstance(operand, Answer):
        return f"the answer to {operand.question}"
    if isinstance(operand, Const):
        return str(operand.value)
    return str(operand)


def _label(fw: Framework, field: Field) -> str:
    try:
        return fw.case_field(field.name).label
    except KeyError:
        return field.name


def _value(fw: Framework, about: object, value: object) -> str:
    """A value as its choice label (a case detail's or a question scale's)."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = str(value)
    try:
        if isinstance(about, Field):
            labels = {c.value: c.label for c in fw.case_field(about.name).choices}
            return labels.get(text, text)
        if isinstance(about, Answer):
            return fw.scale_for(about.question).choice(text).label
    except KeyError:
        pass
    return text


def _join(parts: list[str], word: str) -> str:
    """"A, B or C"."""
    if len(parts) <= 1:
        return "".join(parts)
    return f"{', '.join(parts[:-1])} {word} {parts[-1]}"
