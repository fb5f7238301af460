"""The caseread app: modes for cases, scores and SQL; the store, config and answer saver."""

from __future__ import annotations

import contextlib
import sys
import threading
import time
from collections.abc import Iterable
from concurrent import futures
from concurrent.futures import Future
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from tui.cases import list_snapshot
from tui.common import config as user_config
from tui.common import heap
from tui.common.key_buffer import release_when_ready
from tui.common.key_clock import KeyClock
from tui.common.messages import InspectionsLoaded, LoadFailed
from tui.common.store_opening import OpeningStore
from tui.common.store_reads import case_rows, inspections, signature
from tui.form.saver import AnswerSaver

if TYPE_CHECKING:
    from criteria.models import Framework
    from tui.common.store_seam import Store

SWITCH_INTERVAL = 0.0005
# With the case list shown from a snapshot, the store (duckdb, pyarrow, pydantic: ~0.4 s of
# GIL-holding imports) opens this long after start-up, so the first frames and keys go first.
STORE_OPEN_DELAY = 0.2
AFTER_PREFETCH = 10.0  # seconds the inspections query waits at most for the first rows


def framework_of(store: Store) -> Framework:
    """The store's framework when it carries one, else the packaged framework."""
    found = getattr(store, "framework", None)
    if found is not None:
        return found
    from criteria import load_framework

    return load_framework()


class CasereadApp(KeyClock):
    """Cases (F2), scores (F3) and SQL (F4) of one store; F1 lists every key."""

    CSS_PATH = "app.tcss"
    TITLE = "caseread"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS = [
        Binding("f1", "help", "Help", id="app.help"),
        Binding("f2", "mode('cases')", "Cases", id="app.cases"),
        Binding("f3", "mode('scores')", "Scores", id="app.scores"),
        Binding("f4", "mode('sql')", "SQL", id="app.sql"),
        Binding("f5", "agreement", "Agreement", id="app.agreement"),
        Binding("ctrl+q", "quit", "Quit", show=False, id="app.quit", priority=True),
    ]

    def __init__(
        self,
        store: Store,
        inspection_id: str | None = None,
        *,
        keys: dict[str, str] | None = None,
        remember: bool = True,
        snapshots: Path | None = None,
    ) -> None:
        super().__init__()
        self.store = store
        self.store_dir = Path(store.root)
        self.remember = remember
        self.store_open_delay = STORE_OPEN_DELAY
        self.snapshots = snapshots if _bundled_framework(store) else None
        self.synthetic_ids: set[str] = set()
        self.snapshot: list_snapshot.Snapshot | None = None
        self.remembered = False  # inspection_id is the last used (not given): may be gone
        self.inspection_id = inspection_id or self._last_remembered()
        self.saver = AnswerSaver(self, store)
        self._quit_asked = 0.0
        self.started = time.perf_counter()
        self.prefetched: dict[str, Future[tuple[object, list[Any]]]] = {}
        if self.inspection_id:  # the case list from a snapshot, else read while Textual starts
            self._prepare_list(self.inspection_id)
        if keys:
            self.set_keymap(keys)
        self.factories = {
            "cases": self._cases_screen, "scores": self._scores_screen, "sql": self._sql_screen,
        }
        for mode, factory in self.factories.items():
            self.add_mode(mode, factory)

    @property
    def framework(self) -> Framework:
        return framework_of(self.store)  # waits for an OpeningStore to open

    # -- the first case list: a current snapshot (no store needed), else a prefetch --
    def _prepare_list(self, inspection_id: str) -> None:
        # a small file read before the event loop runs, like starting the prefetch
        if self.snapshots is not None:
            self.snapshot = list_snapshot.read(self.snapshots, self.store_dir, inspection_id)
        if self.snapshot is None:
            self._open_now()
            self.prefetched[inspection_id] = _prefetch_rows(self.store, inspection_id)
        elif self.snapshot.synthetic:
            self.synthetic_ids.add(inspection_id)

    def _open_now(self) -> None:
        """With nothing to show yet, open the store before Textual starts (as `Store.open`
        before the app did): importing duckdb in a thread alongside Textual's start-up
        only makes both wait for the GIL. Errors surface in the workers (and run_app)."""
        if isinstance(self.store, OpeningStore):
            with contextlib.suppress(Exception):
                self.store.get()

    def _last_remembered(self) -> str | None:
        """The last inspection, so its list shows from a snapshot or is read while Textual
        starts (not after the inspections query); that query still checks it exists."""
        if not self.remember:
            return None
        last = user_config.last_inspection(self.store_dir)
        self.remembered = bool(last)
        return last

    def take_snapshot(self, inspection_id: str) -> list_snapshot.Snapshot | None:
        """The launch snapshot for this inspection, once (later loads query the store)."""
        found, self.snapshot = self.snapshot, None
        return found if found is not None and inspection_id == self.inspection_id else None

    # -- modes --
    def _cases_screen(self) -> Screen[Any]:
        from tui.cases.case_list import CaseListScreen

        return CaseListScreen(self.store, self.inspection_id or "")

    def _scores_screen(self) -> Screen[Any]:
        from tui.scores.overview import ScoreOverviewScreen

        return ScoreOverviewScreen(self.store, self.inspection_id or "")

    def _sql_screen(self) -> Screen[Any]:
        from tui.sql.console import SqlConsoleScreen

        return SqlConsoleScreen(self.store)

    def action_mode(self, mode: str) -> None:
        if mode != "sql" and not self.inspection_id:
            self.notify("Choose an inspection first.", severity="warning")
            self.release_keys()
            return
        self.switch_mode(mode)
        if mode == "cases":  # F2 is the case list, not a form left open under it
            while len(self.screen_stack) > 1:
                self.pop_screen()  # the answer saver belongs to the App: nothing is lost
        release_when_ready(self.screen)  # keys typed after F2 go to the list

    # -- start-up: the given inspection, the last used, the only one, or a picker --
    def on_mount(self) -> None:
        # The saver thread does ~20 short GIL-releasing steps per save (write, fsync, link);
        # with the default 5 ms switch interval each can wait a whole repaint to resume.
        # 0.5 ms measured: answer key -> durable p95 from ~60-120 ms to ~40-50 ms.
        self._switch_interval = sys.getswitchinterval()
        sys.setswitchinterval(SWITCH_INTERVAL)
        self._gc_thresholds = heap.tune()
        self.hold_launch_keys()  # keys typed at launch wait for the case list
        if self.inspection_id:
            self.open_inspection(self.inspection_id)
        if self.snapshot is not None:  # opening the store now would delay the first frames
            self.set_timer(STORE_OPEN_DELAY, self._load_inspections)
        else:  # after the list's rows: a query alongside them only slows both (the GIL)
            self._load_inspections(after=list(self.prefetched.values()))
        self._problems_shown = 0
        self._notices_shown = 0
        self.set_interval(1.0, self._show_store_problems)

    def _show_store_problems(self) -> None:
        """Damaged files the store moved aside (a list in memory: no I/O here)."""
        for notice in getattr(self.store, "notices", [])[self._notices_shown:]:
            self.notify(notice, severity="warning", timeout=15)
            self._notices_shown += 1
        problems = list(getattr(self.store, "problems", []))
        for problem in problems[self._problems_shown:]:
            self.notify(f"Damaged file moved aside: {problem}", severity="warning", timeout=15)
        self._problems_shown = len(problems)

    @work(thread=True, exclusive=True, exit_on_error=False, group="inspections")
    def _load_inspections(self, pick: bool = False,
                          after: list[Future[tuple[object, list[Any]]]] | None = None) -> None:
        futures.wait(after or [], timeout=AFTER_PREFETCH)  # its outcome is the list's business
        try:
            found = inspections(self.store)
        except Exception as exc:
            self.post_message(LoadFailed("inspections", str(exc)))
            return
        self.post_message(InspectionsLoaded(found, pick))

    def on_inspections_loaded(self, message: InspectionsLoaded) -> None:
        self.synthetic_ids = {r["inspection_id"] for r in message.found if r.get("synthetic")}
        for screen in self.screen_stack:
            refresh = getattr(screen, "refresh_title", None)
            if callable(refresh):
                refresh()
        ids = [r["inspection_id"] for r in message.found]
        if self.remembered and self.inspection_id not in ids and not message.pick:
            self._forget_unknown(self.inspection_id or "")  # gone: choose as if none
            self.inspection_id = None
        self.remembered = False
        if self.inspection_id and self.inspection_id not in ids and not message.pick:
            self.notify(f"No inspection {self.inspection_id!r} in this store.",
                        severity="error", timeout=10)
            self._forget_unknown(self.inspection_id)
            message = InspectionsLoaded(message.found, pick=bool(ids))
        if self.inspection_id and not message.pick:
            return
        if message.pick:
            self.pick_inspection(message.found)
            return
        last = user_config.last_inspection(self.store_dir) if self.remember else None
        if last is not None and last in ids:
            self.open_inspection(last)
        elif len(ids) == 1:
            self.open_inspection(ids[0])
        elif not ids:
            self.notify("This store has no inspection yet: add one with the command line.",
                        severity="warning", timeout=10)
            self.switch_mode("sql")
            release_when_ready(self.screen)
        else:
            self.pick_inspection(message.found)

    def _forget_unknown(self, inspection_id: str) -> None:
        """Do not keep an inspection that does not exist as the last used."""
        if self.remember and user_config.last_inspection(self.store_dir) == inspection_id:
            user_config.forget_inspection(self.store_dir)

    def inspection_caption(self, inspection_id: str) -> str:
        """The inspection's id, marked wherever it is shown when its data is synthetic."""
        synthetic = inspection_id in getattr(self, "synthetic_ids", set())
        return f"{inspection_id} (SYNTHETIC)" if synthetic else inspection_id

    def pick_inspection(self, found: list[dict[str, Any]] | None = None) -> None:
        """Choose an inspection (reading the list first when not given)."""
        from tui.cases.inspection_picker import InspectionPicker

        if found is None:
            self._load_inspections(pick=True)
            return

        def chosen(inspection_id: str | None) -> None:
            if inspection_id:
                self.open_inspection(inspection_id)

        self.push_screen(InspectionPicker(found), chosen)

    def open_inspection(self, inspection_id: str) -> None:
        """Show the cases of an inspection (rebuilding the modes of a previous one)."""
        if self.remember:
            user_config.remember_inspection(self.store_dir, inspection_id)
        if self.inspection_id == inspection_id and self.current_mode == "cases":
            return
        self.inspection_id = inspection_id
        if self.current_mode == "cases":
            from tui.cases.case_list import CaseListScreen

            base = self.screen_stack[0]
            if isinstance(base, CaseListScreen):
                base.set_inspection(inspection_id)
        self._drop_mode("scores")
        self.switch_mode("cases")

    def _drop_mode(self, mode: str) -> None:
        if mode in self._screen_stacks and self.current_mode != mode:
            self.remove_mode(mode)
            self.add_mode(mode, self.factories[mode])

    @on(LoadFailed)
    def _load_failed(self, message: LoadFailed) -> None:
        self.release_keys()
        if isinstance(self.store, OpeningStore) and self.store.error is not None:
            self.exit(return_code=1)  # not a usable store: run_app says why
            return
        self.notify(f"Could not read {message.what}: {message.error}", severity="error")

    def on_unmount(self) -> None:
        sys.setswitchinterval(self._switch_interval)
        heap.restore(self._gc_thresholds)
        self.saver.compactor.release()

    # -- command palette: every key of the screen is also a command --
    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        seen: set[str] = set()
        for key, active in screen.active_bindings.items():
            binding = active.binding
            if not (binding.id and binding.description) or binding.id in seen:
                continue
            seen.add(binding.id)
            display = self.get_key_display(Binding(key, binding.action))

            def run(action: str = binding.action, node: Any = active.node) -> None:
                self.call_later(self.run_action, action, node)

            yield SystemCommand(binding.description, f"key {display}", run)

    # -- help and quit --
    def action_agreement(self) -> None:
        """F5: agreement of second readings (tui/agreement/), over the current screen."""
        if not self.inspection_id:
            self.notify("Choose an inspection first", severity="warning")
            return
        from tui.agreement.screen import AgreementScreen

        if not isinstance(self.screen, AgreementScreen):
            self.push_screen(AgreementScreen(self.store, self.inspection_id))

    def action_help(self) -> None:
        from tui.common.help_screen import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.pop_screen()
            return
        self.push_screen(HelpScreen(self.screen))

    async def action_quit(self) -> None:
        """Quit, but not while answers are still being saved (unless asked twice)."""
        pending = self.saver.pending()
        now = time.monotonic()
        if pending and now - self._quit_asked > 3:
            self._quit_asked = now
            self.notify(f"{pending} answer(s) still being saved: caseread quits once they "
                        "are. Ctrl+Q again quits now (they would be lost).",
                        severity="warning", timeout=8)
            self.set_interval(0.1, self._quit_when_saved)
            return
        self.exit()

    def _quit_when_saved(self) -> None:
        """Quit asked while answers were being saved: done as soon as they are (the
        message said so; staying open would make it false)."""
        if not self.saver.pending():
            self.exit()


def _bundled_framework(store: Store) -> bool:
    """Snapshots are keyed by the bundled framework's files: other frameworks get none."""
    if isinstance(store, OpeningStore):
        return True  # it opens with the bundled framework
    from criteria import load_framework

    return getattr(store, "framework", None) is load_framework()


def _prefetch_rows(store: Store, inspection_id: str) -> Future[tuple[object, list[Any]]]:
    """(poll baseline, case list rows), read in a plain thread before the event loop exists."""
    future: Future[tuple[object, list[Any]]] = Future()

    def run() -> None:
        try:
            baseline = (inspection_id, signature(store, inspection_id))
            future.set_result((baseline, case_rows(store, framework_of(store), inspection_id)))
        except Exception as exc:  # the list's worker reads again and reports it
            future.set_exception(exc)

    threading.Thread(target=run, name="caseread-prefetch", daemon=True).start()
    return future


def run_app(store_dir: Path, inspection_id: str | None = None) -> None:
    """Open the store and run the app (the `caseread` and `caseread demo` entry point)."""
    try:
        cfg = user_config.load_config()
    except user_config.ConfigError as exc:
        print(f"caseread: warning: {exc}", file=sys.stderr)
        cfg = user_config.Config()
    # opened by the first worker that needs it: the case list can show before duckdb loads
    store = OpeningStore(Path(store_dir))
    app = CasereadApp(store, inspection_id, keys=cfg.keys, snapshots=user_config.cache_dir())
    app.run()
    if store.is_open and app.inspection_id and app.snapshots is not None:
        list_snapshot.bring_up_to_date(app.snapshots, store.get(), app.inspection_id)
    for notice in store.notices:
        print(f"caseread: warning: {notice}", file=sys.stderr)
    if store.error is not None:
        print(f"caseread: error: {store.error}", file=sys.stderr)
        raise SystemExit(1)
