"""YAML reading that remembers the line of every value, so errors can name file and line."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

Loc = tuple[str | int, ...]
# libyaml when present (ten times faster); both keep the marks that give line numbers
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class FrameworkError(Exception):
    """A problem in a framework file: `"{file}:{line}: {field}: {problem}"`.

    When loading finds several problems, the first is raised and `.errors` holds them all.
    """

    def __init__(self, file: str | Path, line: int, field: str, problem: str) -> None:
        self.file = str(file)
        self.line = line
        self.field = field
        self.problem = problem
        self.errors: list[FrameworkError] = [self]
        super().__init__(f"{self.file}:{line}: {field}: {problem}")


class Source:
    """One YAML file: its data, and the 1-based line of every value by path."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.lines: dict[Loc, int] = {}
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise FrameworkError(path, 0, "(file)", f"cannot read: {exc.strerror}") from None
        try:
            node = yaml.compose(text, Loader=_LOADER)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 1 if mark is not None else 0
            problem = getattr(exc, "problem", None) or str(exc)
            raise FrameworkError(path, line, "(yaml)", problem) from None
        self._constructor = yaml.SafeLoader("")
        self.data: Any = None if node is None else self._build(node, ())

    def _build(self, node: yaml.Node, loc: Loc) -> Any:
        self.lines[loc] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            out: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                key = self._constructor.construct_object(key_node, deep=True)
                if key in out:
                    raise FrameworkError(
                        self.path, key_node.start_mark.line + 1, _dotted((*loc, key)),
                        f"duplicate key {key!r}",
                    )
                out[key] = self._build(value_node, (*loc, key))
                self.lines[(*loc, key)] = key_node.start_mark.line + 1
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self._build(item, (*loc, i)) for i, item in enumerate(node.value)]
        return self._constructor.construct_object(node, deep=True)

    def line(self, loc: Sequence[str | int]) -> int:
        """Line of the deepest known prefix of `loc`."""
        loc = tuple(loc)
        while loc and loc not in self.lines:
            loc = loc[:-1]
        return self.lines.get(loc, 1)

    def error(self, loc: Sequence[str | int], problem: str) -> FrameworkError:
        return FrameworkError(self.path, self.line(loc), _dotted(loc) or "(file)", problem)


def _dotted(loc: Sequence[Any]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out
