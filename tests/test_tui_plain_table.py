"""Tables of data typed by people show it as typed: brackets are not Rich markup."""

from __future__ import annotations

from test_tui_app import sync
from textual.app import App, ComposeResult

from tui.common.plain_table import PlainTable


class _Host(App[None]):
    def compose(self) -> ComposeResult:
        yield PlainTable()

    def on_mount(self) -> None:
        table = self.query_one(PlainTable)
        table.add_column("Luton [/x]", key="office")  # a breakdown column named by a value
        table.add_row("[bold]North", key="r1")


@sync
async def test_brackets_in_labels_and_cells_are_shown_as_typed() -> None:
    app = _Host()
    async with app.run_test(size=(40, 6)) as pilot:
        await pilot.pause()
        table = app.query_one(PlainTable)
        assert str(table.get_cell("r1", "office")) == "[bold]North"
        assert str(table.columns[next(iter(table.columns))].label) == "Luton [/x]"
        assert "[bold]North" in "".join(s.text for s in table.render_line(1))
