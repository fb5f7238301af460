"""A fixed-size text widget that repaints without a relayout (unlike Static.update).

The form's title and guidance change on every key; with fixed heights in CSS there is no
reason to lay out the whole screen again, which is what costs time per keystroke.
"""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget


class FormText(Widget):
    DEFAULT_CSS = "FormText { height: 1; }"

    def __init__(self, content: Text | str = "", *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.content = Text(content) if isinstance(content, str) else content

    def update(self, content: Text | str) -> None:
        new = Text(content) if isinstance(content, str) else content
        if new == self.content:
            return
        self.content = new
        self.refresh()

    def render(self) -> Text:
        return self.content
