"""The case list: every case (or interview) of the inspection with its progress.

Rows are computed in a worker (store reads + applicability in Python) and the table is
rebuilt in place, keeping the cursor on the same case, whenever the store changes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable, Input, Static

from tui.cases import list_snapshot
from tui.cases.list_qa import CaseListQa
from tui.common import heap, qa_status
from tui.common.clip import clip_words
from tui.common.footer import KeysFooter
from tui.common.key_buffer import LOAD_SECONDS, hold_keys, release_keys, release_when_ready
from tui.common.messages import LoadFailed, StoreChanged
from tui.common.plain_table import PlainTable
from tui.common.presence import RENEW_SECONDS, PresenceRead, open_by
from tui.common.store_opening import opened
from tui.common.store_reads import CaseRow, case_exists, case_rows, is_synthetic

if TYPE_CHECKING:  # the modal's widgets load on `n`, not at launch
    from criteria.models import Framework
    from tui.cases.details_modal import DetailsResult
    from tui.common.store_seam import Store

COLUMNS = [  # (key, header); progress and status before the long ones, to show at 80 columns
    ("reference", "Reference"),
    ("case_type", "Type"),
    ("rosh", "RoSH"),
    ("om_grade", "Grade"),
    ("progress", "Progress"),
    ("status", "Status"),
    ("inspector", "Inspector"),
    ("office", "Office"),
]


class RowsLoaded(Message):
    def __init__(self, rows: list[CaseRow]) -> None:
        super().__init__()
        self.rows = rows


class CaseListScreen(CaseListQa):
    """Cases of one inspection: `/` filter, `s` sort, `n` new, Enter open, `i` interviews;
    the QA keys (`a` assign, `m` mine, `b` by reader, `q` QA screen) are in list_qa.py."""

    CSS_PATH = "case_list.tcss"
    HELP_TITLE = "case list"
    BINDINGS = [
        Binding("enter", "open_case", "Open", id="case_list.open", priority=True),
        Binding("slash", "filter", "Filter", id="case_list.filter"),
        Binding("s", "sort", "Sort", id="case_list.sort"),
        Binding("r", "reverse", "Reverse sort", show=False, id="case_list.reverse"),
        Binding("n", "new_case", "New", id="case_list.new"),
        Binding("i", "toggle_kind", "Interviews", id="case_list.toggle_kind"),
        Binding("o", "pick_inspection", "Inspection", show=False, id="case_list.inspection"),
        Binding("escape", "clear_filter", "Clear filter", show=False, id="case_list.clear"),
    ]

    def __init__(self, store: Store, inspection_id: str) -> None:
        super().__init__()
        self.store = store
        self.inspection_id = inspection_id
        self.kind = "case"
        self.all_rows: list[CaseRow] = []
        self.sort_column = 0
        self.sort_reverse = False
        self.loaded = False
        self._away = False
        self._snapshot_saved: Any = None  # the baseline last written as a snapshot
        self.open_by: dict[str, str] = {}  # case id -> "open by bob since 10:02"

    @property
    def framework(self) -> Framework:
        return self.app.framework  # type: ignore[attr-defined]

    def compose(self) -> ComposeResult:
        yield Static("", id="list-title")
        yield Input(placeholder="filter: type to narrow, Enter opens, Esc clears",
                    id="list-filter", compact=True)
        table = PlainTable(cursor_type="row", zebra_stripes=True, id="cases")
        yield table
        yield KeysFooter()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for key, header in COLUMNS:
            table.add_column(header, key=key)
        self.query_one("#list-filter").display = False
        table.focus()
        self.refresh_title()
        if not self._show_snapshot():
            self.reload()
        self.start_polling()
        self.set_interval(RENEW_SECONDS, self._read_presence)

    def _show_snapshot(self) -> bool:
        """Rows from the launch snapshot (current as of its signature, no store needed);
        the real read follows once they are on screen, so it never delays them."""
        take = getattr(self.app, "take_snapshot", None)
        snapshot = take(self.inspection_id) if callable(take) else None
        if snapshot is None:
            return False
        self._signature = (self.inspection_id, snapshot.signature)
        self.on_rows_loaded(RowsLoaded(snapshot.rows))
        self.set_timer(getattr(self.app, "store_open_delay", 0.0), self.reload)
        return True

    def on_screen_suspend(self) -> None:
        self._away = True

    def on_screen_resume(self) -> None:
        # back from a form (not the first showing: the launch read is already under way)
        if self.loaded and self._away:
            self.reload()
        if self._away:  # list keys (`/`, `n`, `q`) work the list, not the old filter
            self.set_focus(self.query_one(DataTable))
            release_when_ready(self)  # keys typed after Esc/F2 go to the list
        self._away = False

    def set_inspection(self, inspection_id: str) -> None:
        self.inspection_id = inspection_id
        self.all_rows = []
        self.reload()

    # -- loading --
    def reload(self) -> None:
        if self.inspection_id:
            self._load_rows(self.inspection_id)

    @work(thread=True, exclusive=True, exit_on_error=False, group="rows")
    def _load_rows(self, inspection_id: str) -> None:
        early = self.app.prefetched.pop(inspection_id, None)  # type: ignore[attr-defined]
        try:
            if early is not None:
                baseline, found = early.result()
                self._signature = baseline
            else:
                baseline = self.take_baseline()
                found = case_rows(self.store, self.framework, inspection_id)
        except Exception as exc:
            self.post_message(LoadFailed("cases", str(exc)))
            return
        self.post_message(RowsLoaded(found))
        self._save_snapshot(inspection_id, baseline, found)

    def _save_snapshot(self, inspection_id: str, baseline: Any, found: list[CaseRow]) -> None:
        """Keep the rows for the next launch, under the signature taken *before* reading
        (a save in between changes the signature, so the snapshot is then never used)."""
        cache = getattr(self.app, "snapshots", None)
        if cache is None or baseline is None or baseline == self._snapshot_saved:
            return
        try:
            synthetic = is_synthetic(self.store, inspection_id)
        except Exception:  # no snapshot then: the next launch reads the store
            return
        list_snapshot.write(cache, self.store.root, inspection_id, baseline[1], found, synthetic)
        self._snapshot_saved = baseline

    def on_rows_loaded(self, message: RowsLoaded) -> None:
        first = not self.loaded
        self.all_rows = message.rows
        self.loaded = True
        self.show_rows()
        self._read_presence()
        if first:
            release_when_ready(self)  # keys typed at launch: the list is up now
            heap.settle()  # see tui/common/heap.py: full collections then skip what start-up made

    @on(StoreChanged)
    def _store_changed(self) -> None:
        self.reload()

    @work(thread=True, exclusive=True, exit_on_error=False, group="presence")
    def _read_presence(self) -> None:
        if not getattr(self.store, "is_open", True) or not self.inspection_id:
            return  # launched from a snapshot: the first look comes with the store
        try:
            self.post_message(PresenceRead(open_by(self.store, self.inspection_id)))
        except Exception:  # presence is information only
            return

    def on_presence_read(self, message: PresenceRead) -> None:
        if message.open_by != self.open_by:
            self.open_by = message.open_by
            self.show_rows()

    # -- showing: filter, sort, keep the cursor on the same case --
    def visible_rows(self) -> list[CaseRow]:
        typed = self.query_one("#list-filter", Input).value.strip().lower()
        found = [r for r in self.all_rows if r.kind == self.kind and self.reader_matches(r)]
        if typed:
            found = [r for r in found if typed in _searched(r)]
        key = COLUMNS[self.sort_column][0]
        return sorted(found, key=lambda r: _sort_key(r, key),
                      reverse=self.sort_reverse)

    def show_rows(self) -> None:
        table = self.query_one(PlainTable)
        current = self.current_case()
        scroll = table.scroll_y
        table.clear()
        rows = self.visible_rows()
        for row in rows:
            table.add_row(*_cells(row, self.open_by.get(row.case_id)), key=row.case_id)
        table.fit_columns()
        keys = [r.case_id for r in rows]
        if current in keys:
            table.move_cursor(row=keys.index(current), scroll=False)
            table.scroll_to(y=scroll, animate=False, immediate=True)
        self.refresh_title(len(rows))

    def refresh_title(self, shown: int | None = None) -> None:
        what = "cases" if self.kind == "case" else "interviews"
        total = sum(1 for r in self.all_rows if r.kind == self.kind)
        header = COLUMNS[self.sort_column][1]
        arrow = "v" if self.sort_reverse else "^"
        if shown is None:
            shown = len(self.visible_rows())
        count = "loading" if not self.loaded else f"{shown} of {total} {what}"
        title = self.query_one("#list-title", Static)
        tail = f": {count}{self.reader_caption()}, sorted by {header} {arrow}"
        room = (title.content_region.width or self.app.size.width - 2) - len(tail)
        title.update(self._head(room) + tail)
        self.sub_title = f"{self.inspection_id} {what}"

    def on_resize(self) -> None:
        self.refresh_title()

    def _head(self, room: int) -> str:
        """"Inspection <id> (SYNTHETIC)" in `room` cells: short of room, the word
        "Inspection" goes, then the id is cut with `…`; the count and sort after it stay
        whole (at 80 columns the header ended "sorted by"), and so does the SYNTHETIC mark."""
        caption = self._caption()
        if len(caption) + len("Inspection ") <= room:
            return f"Inspection {caption}"
        mark = caption[len(self.inspection_id):] if caption.startswith(self.inspection_id) else ""
        return clip_words(caption[:len(caption) - len(mark)], max(room - len(mark), 8)) + mark

    def _caption(self) -> str:
        caption = getattr(self.app, "inspection_caption", None)
        return caption(self.inspection_id) if callable(caption) else self.inspection_id

    def current_case(self) -> str | None:
        table = self.query_one(DataTable)
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        return str(key.value) if key.value is not None else None

    # -- actions --
    def action_open_case(self) -> None:
        hold_keys(self.app, LOAD_SECONDS)  # what is typed next is for the form, once loaded
        if self.query_one("#list-filter", Input).display:
            self.show_rows()  # "/R-002 Enter" in one burst: the filter's change not yet shown
        case_id = self.current_case()
        if case_id is None:
            release_keys(self.app)
            return
        from tui.form.screen import CaseFormScreen

        self.app.push_screen(CaseFormScreen(self.store, self.inspection_id, case_id))

    def action_filter(self) -> None:
        hold_keys(self.app)  # what is typed next belongs in the box, not the table
        box = self.query_one("#list-filter", Input)
        box.display = True
        self.set_focus(box)  # now: the keys replayed next are typed into it
        box.select_all()  # a new filter: typing replaces the old one, an arrow key keeps it
        release_when_ready(self)

    def action_clear_filter(self) -> None:
        box = self.query_one("#list-filter", Input)
        box.value = ""
        box.display = False
        self.query_one(DataTable).focus()
        self.show_rows()

    @on(Input.Changed, "#list-filter")
    def _filter_changed(self) -> None:
        self.show_rows()

    def action_sort(self) -> None:
        self.sort_column = (self.sort_column + 1) % len(COLUMNS)
        self.show_rows()

    def action_reverse(self) -> None:
        self.sort_reverse = not self.sort_reverse
        self.show_rows()

    def action_toggle_kind(self) -> None:
        self.kind = "interview" if self.kind == "case" else "case"
        self.show_rows()

    def action_pick_inspection(self) -> None:
        self.app.pick_inspection()  # type: ignore[attr-defined]

    def action_new_case(self) -> None:
        from tui.cases.details_modal import CaseDetailsModal

        hold_keys(self.app)  # typed before the form is up: kept for it
        if not getattr(self.store, "is_open", True):  # launched from a snapshot: not yet
            self.notify("Opening the store...", timeout=2)
            self._open_store_then_new_case()
            return
        prefix = "C" if self.kind == "case" else "OM"
        taken = {r.case_id for r in self.all_rows}
        n = 1
        while f"{prefix}{n:02d}" in taken:
            n += 1
        modal = CaseDetailsModal(self.framework, self.kind, suggested_id=f"{prefix}{n:02d}",
                                 save=self._save_new, taken=taken)
        self.app.push_screen(modal, self._details_done)

    @work(thread=True, exclusive=True, exit_on_error=False, group="open-store")
    def _open_store_then_new_case(self) -> None:
        """The new-case form needs the framework, which comes with the store: open it
        here, not on the event loop, then ask again."""
        try:
            opened(self.store)
        except Exception:
            return  # the app reports a store that cannot be opened
        self.post_message(self.StoreOpened())

    class StoreOpened(Message):
        pass

    def on_case_list_screen_store_opened(self) -> None:
        self.action_new_case()

    def _save_new(self, result: DetailsResult) -> None:
        """Run by the modal in its worker: the modal closes only once this returns."""
        if case_exists(self.store, self.inspection_id, result.case_id):
            raise ValueError(f"case id {result.case_id} already exists (perhaps deleted)")
        self.store.save_case(self.inspection_id, result.case_id, result.values,
                             kind=result.kind)

    def _details_done(self, result: DetailsResult | None) -> None:
        if result is not None:  # saved by the modal
            self.notify(f"Saved {result.case_id}.")
            self.reload()


def _cells(row: CaseRow, open_by: str | None) -> list[str]:
    """The row's texts; the status says who else has the case open, if anyone."""
    status = f"{row.status}, {open_by}" if open_by else row.status
    own = {"progress": f"{row.answered}/{row.applicable}", "status": status}
    return [own[k] if k in own else row.cells.get(k, "") for k, _ in COLUMNS]


def _searched(row: CaseRow) -> str:
    """What the filter matches, lower case: the case id (the form's title and every CLI
    command name it, even where the reference differs) and the row's shown cells."""
    return " ".join([row.case_id, *_cells(row, None)]).lower()


def _sort_key(row: CaseRow, key: str) -> tuple[Any, ...]:
    if key == "progress":
        return (row.answered / row.applicable if row.applicable else 0.0, row.case_id)
    if key == "status":
        return (qa_status.ORDER.get(qa_status.state_of(row.status), 0), row.case_id)
    return (row.rank.get(key, -1), row.cells.get(key, "").lower(), row.case_id)
