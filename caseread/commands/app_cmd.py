"""`caseread open` (also plain `caseread`): the interactive app for entering cases.

Textual is imported inside the command only, so `caseread.cli` stays importable (and fast)
for scripting without it.
"""

from __future__ import annotations

from pathlib import Path

import click

from .common import NO_TERMINAL, CliError, has_terminal
from .help_cmd import help_group
from .options import store_option


def resolve_store(option: str | None) -> Path:
    """--store / CASEREAD_STORE, else the config file's `store`, else the demo store."""
    if option:
        return Path(option).expanduser()
    from tui.common.config import ConfigError, load_config  # no textual in tui.common.config

    try:
        configured = load_config().store
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None
    if configured is not None:
        return configured
    import platformdirs

    demo = Path(platformdirs.user_data_dir("caseread")) / "demo"
    if (demo / "caseread-store.json").exists():
        return demo
    raise click.ClickException(
        "no store: use --store DIR, set CASEREAD_STORE, put store = \"DIR\" in the config "
        "file, or run `caseread demo` for the demo inspection"
    )


@click.command("open")
@click.option("--inspection", "inspection_id", help="Inspection to open (default: last used).")
@store_option
@click.pass_context
def open_cmd(ctx: click.Context, inspection_id: str | None) -> None:
    """Open the case entry app on the store (the default command)."""
    store_dir = resolve_store((ctx.obj or {}).get("store_dir"))
    if not (store_dir / "caseread-store.json").exists():
        raise click.ClickException(f"{store_dir}: not a caseread store")
    if not has_terminal():
        if inspection_id is not None:  # a mistyped id is the first thing to hear about
            _check_inspection(store_dir, inspection_id)
        raise CliError(NO_TERMINAL)
    # In a terminal the app checks the id while it starts (a notice, the inspection
    # picker, never remembered): checking here first cost a store open (~1 s) per launch.
    from tui.app import run_app

    run_app(store_dir, inspection_id)


def _check_inspection(store_dir: Path, inspection_id: str) -> None:
    """A mistyped --inspection is an error, and is never remembered as the last used.
    (Opens the store here: a second or so, only when --inspection is given.)"""
    from caseread.commands.common import CliError, inspection_ids
    from store import Store, StoreError

    try:
        store = Store.open(store_dir)
        try:
            ids = inspection_ids(store)
        finally:
            store.close()
    except StoreError as exc:
        raise CliError(str(exc)) from None
    if inspection_id not in ids:
        have = ", ".join(ids) or "none yet"
        raise CliError(
            f"no inspection {inspection_id!r} in {store_dir} (inspections: {have})")


COMMANDS = [open_cmd, help_group]
