"""The schema panel: the store's views and their columns; Enter inserts a name."""

from __future__ import annotations

from textual.message import Message
from textual.widgets import Tree

# Views users are meant to query first (DESIGN.md "Views"); the rest follow by name.
FIRST = (
    "cases", "answers_current", "answers_scored", "question_scores", "criterion_scores",
    "outcome_scores", "theme_scores", "inspections", "answer_history", "case_history",
    "interview_counts",
)

SCHEMA_SQL = """
SELECT table_name, column_name, data_type FROM information_schema.columns
WHERE table_schema = 'main' ORDER BY table_name, ordinal_position"""


def ordered_views(columns: list[dict[str, str]]) -> dict[str, list[tuple[str, str]]]:
    views: dict[str, list[tuple[str, str]]] = {}
    for row in columns:
        views.setdefault(row["table_name"], []).append((row["column_name"], row["data_type"]))
    first = [v for v in FIRST if v in views]
    rest = sorted(v for v in views if v not in FIRST)
    return {v: views[v] for v in (*first, *rest)}


class SqlSchema(Tree[str]):
    """Views as branches, columns (with their type) as leaves."""

    class Insert(Message):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def __init__(self, **kwargs: object) -> None:
        super().__init__("Views", **kwargs)  # type: ignore[arg-type]
        self.show_root = False
        self.guide_depth = 2

    def show(self, columns: list[dict[str, str]]) -> None:
        """The documented views first; the building blocks under a collapsed branch."""
        self.clear()
        others = None
        for view, cols in ordered_views(columns).items():
            parent = self.root
            if view not in FIRST:
                if others is None:
                    others = self.root.add("more views…", data=None)
                parent = others
            branch = parent.add(view, data=view)
            for name, kind in cols:
                branch.add_leaf(f"{name} [dim]{kind.lower()}[/]", data=name)
        self.root.expand()

    def on_tree_node_selected(self, event: Tree.NodeSelected[str]) -> None:
        """Enter on a column inserts its name (on a view it opens or closes the view)."""
        event.stop()
        if event.node.data and not event.node.allow_expand:
            self.post_message(self.Insert(event.node.data))
