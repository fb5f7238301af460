"""`caseread upgrade`: move a store made by an older caseread to the current layout.

`Store.open` does the same on every open; this command does it explicitly and says what
moved (a data manager may want to upgrade before telling the team to update).
"""

from __future__ import annotations

import click

from .common import CliError, one_line_errors, open_store, store_dir, store_option


@click.command("upgrade")
@store_option
@click.pass_context
@one_line_errors
def upgrade_cmd(ctx: click.Context) -> None:
    """Upgrade the store's layout (partitioned by inspection), keeping every event."""
    from store.layout import FORMAT, Layout
    from store.migrate import needs_upgrade, upgrade

    layout = Layout(store_dir(ctx))
    if not needs_upgrade(layout):
        click.echo(f"{layout.root}: already format {FORMAT}; nothing to do")
        return
    try:
        moved = upgrade(layout)
    except OSError as exc:
        raise CliError(f"{layout.root}: cannot upgrade ({exc.strerror or exc})") from None
    open_store(ctx).close()  # views.sql and the empty partitions, as every open leaves them
    click.echo(f"upgraded {layout.root} to format {FORMAT}: "
               f"{len(moved)} directories moved into inspection_id=... partitions")


COMMANDS = [upgrade_cmd]
