"""Views created when a query first names them, not all at once.

Creating a view binds it, and binding a view binds every view under it over every file:
all of them cost ~130 ms on the demo and ~300 ms at 1M events, most of it the score
views, which the app's own queries rarely need (its scores are live, see live.py).
"""

from __future__ import annotations

import re

import duckdb

from .views import render


def _mentions(sql: str, name: str) -> bool:
    return re.search(rf"(?<![\w.]){re.escape(name)}(?!\w)", sql, re.IGNORECASE) is not None


class LazyViews:
    """The ordered view definitions, and which of them a connection has created."""

    def __init__(self, defs: list[tuple[str, str]]) -> None:
        self.order = [name for name, _ in defs]
        self.sql = dict(defs)
        self.created: set[str] = set()
        self.uses = {  # a view -> the earlier views its definition names
            name: [m for m in self.order[:i] if _mentions(sql, m)]
            for i, (name, sql) in enumerate(defs)
        }

    def create_for(self, con: duckdb.DuckDBPyConnection, sql: str) -> None:
        """Create (in definition order) every view `sql` needs, directly or underneath.
        Call under a lock: creation changes the connection's catalog."""
        wanted = {name for name in self.order if name not in self.created and _mentions(sql, name)}
        todo = list(wanted)
        while todo:
            for under in self.uses[todo.pop()]:
                if under not in wanted and under not in self.created:
                    wanted.add(under)
                    todo.append(under)
        missing = [(n, self.sql[n]) for n in self.order if n in wanted]
        if missing:
            con.execute(render(missing))
            self.created.update(n for n, _ in missing)
