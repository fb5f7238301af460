"""Report preview: the inspection report's sections as Markdown; `e` exports HTML or MD.

Sections come from `report.sections` and the export from `build_report`, so
the preview shows exactly what the exported report says.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Markdown, OptionList, Static
from textual.widgets.option_list import Option

from tui.common.export_modal import ExportModal
from tui.common.footer import KeysFooter

if TYPE_CHECKING:
    from tui.common.store_seam import Store

FORMAT_OF_SUFFIX = {".html": "html", ".htm": "html", ".md": "md", ".markdown": "md"}


def report_format(path: Path) -> str | None:
    return FORMAT_OF_SUFFIX.get(path.suffix.lower())


class ReportPreviewScreen(Screen[None]):
    """Section list on the left, the chosen section on the right."""

    CSS_PATH = "report_preview.tcss"
    HELP_TITLE = "report preview"
    BINDINGS = [
        Binding("e", "export", "Export", id="report_preview.export"),
        Binding("escape", "back", "Back", id="report_preview.back"),
    ]

    class Loaded(Message):
        def __init__(self, sections: list[Any]) -> None:
            super().__init__()
            self.sections = sections

    class Written(Message):
        def __init__(self, path: Path, fmt: str, size: int) -> None:
            super().__init__()
            self.path = path
            self.fmt = fmt
            self.size = size

    class Failed(Message):
        def __init__(self, what: str, error: str) -> None:
            super().__init__()
            self.what = what
            self.error = error

    def __init__(self, store: Store, inspection_id: str, method: str = "questions") -> None:
        super().__init__()
        self.store = store
        self.inspection_id = inspection_id
        self.method = method
        self.sections: list[Any] = []

    def compose(self) -> ComposeResult:
        yield Static(f"Report {self.inspection_id}: loading…", id="report-title")
        with Horizontal(id="report-body"):
            yield OptionList(id="report-sections")
            with VerticalScroll(id="report-scroll"):
                yield Markdown("", id="report-markdown")
        yield Static("e exports the report as HTML (print) or Markdown", id="report-status")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#report-sections", OptionList).focus()
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="report")
    def load(self) -> None:
        from report import sections

        try:
            found = sections(self.store, self.inspection_id, self.method)
        except Exception as exc:  # shown on the screen
            self.post_message(self.Failed("load", str(exc).splitlines()[0]))
            return
        self.post_message(self.Loaded(found))

    @work(thread=True, exclusive=True, exit_on_error=False, group="report-export")
    def export(self, path: Path, fmt: str) -> None:
        # the store package, only when exporting
        from report import build_report
        from store.exportfiles import store_access, write_protected

        try:
            text = build_report(self.store, self.inspection_id, fmt, self.method)
            write_protected(path, text.encode("utf-8"), store_access(self.store.root))
        except Exception as exc:  # shown on the screen
            self.post_message(self.Failed("export", str(exc).splitlines()[0]))
            return
        self.post_message(self.Written(path, fmt, path.stat().st_size))

    def on_report_preview_screen_loaded(self, message: Loaded) -> None:
        self.sections = message.sections
        chooser = self.query_one("#report-sections", OptionList)
        chooser.clear_options()
        chooser.add_options(Option(s.title, id=str(i)) for i, s in enumerate(self.sections))
        self.query_one("#report-title", Static).update(
            f"Report {self.inspection_id} · {len(self.sections)} sections · "
            "Enter reads one, Esc goes back"
        )
        if self.sections:
            chooser.highlighted = 0

    def on_report_preview_screen_written(self, message: Written) -> None:
        kind = "HTML" if message.fmt == "html" else "Markdown"
        self._status(f"{kind} report written to {message.path} ({message.size:,} bytes)")

    def on_report_preview_screen_failed(self, message: Failed) -> None:
        self._status(f"Could not {message.what} the report: {message.error}", error=True)

    def _status(self, text: str, error: bool = False) -> None:
        status = self.query_one("#report-status", Static)
        status.set_class(error, "error")
        status.update(text)

    @on(OptionList.OptionHighlighted, "#report-sections")
    def show_section(self, event: OptionList.OptionHighlighted) -> None:
        index = int(event.option.id or 0)
        if 0 <= index < len(self.sections):
            self.query_one("#report-markdown", Markdown).update(self.sections[index].markdown)
            self.query_one("#report-scroll", VerticalScroll).scroll_home(animate=False)

    @on(OptionList.OptionSelected, "#report-sections")
    def read_section(self) -> None:
        """Enter reads the section at full width (tables need it at 80 columns)."""
        self.add_class("reading")
        self.query_one("#report-scroll", VerticalScroll).focus()

    def action_export(self) -> None:
        default = Path.cwd() / f"{self.inspection_id}-report.html"

        def chosen(path: Path | None) -> None:
            if path is None:
                return
            fmt = report_format(path)
            if fmt is None:
                self._status(f"{path.name}: end the name with .html or .md", error=True)
                return
            self._status(f"Writing {path}…")
            self.export(path, fmt)

        modal = ExportModal(default, "report", "HTML (.html) or Markdown (.md)")
        self.app.push_screen(modal, chosen)

    def action_back(self) -> None:
        """Esc from reading goes back to the section list; from the list, back to scores."""
        if self.has_class("reading"):
            self.remove_class("reading")
            self.query_one("#report-sections", OptionList).focus()
        else:
            self.dismiss()
