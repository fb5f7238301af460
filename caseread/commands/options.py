"""Options shared by every command, importing only click (the app starts from here).

`--store` is accepted both before the command (`caseread --store DIR scores`) and after
it (`caseread scores --store DIR`), for every command.
"""

from __future__ import annotations

import click


def _set_store(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value is not None:  # the group's --store / CASEREAD_STORE was read before this
        ctx.find_root().ensure_object(dict)["store_dir"] = value


store_option = click.option(
    "--store", type=click.Path(file_okay=False, readable=False), expose_value=False,
    callback=_set_store,
    help="Store directory (or CASEREAD_STORE).",
)

# the inspection a command works on (caseread/commands/common.py resolve_inspection)
inspection_option = click.option(
    "--inspection", "inspection_id", metavar="ID",
    help="Inspection (default: the only one, or the last one used).",
)
