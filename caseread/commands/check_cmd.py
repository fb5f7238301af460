"""`caseread check` reports what is wrong in a store; `caseread repair` fixes what it can.

check moves nothing: it reads every fragment through `store.fragment_check` (every page),
lists links anywhere in the store and generated files that are damaged, and (tamper
evidence) events that disappeared or changed since the last check (store/audit.py).
repair quarantines what check calls damaged, moves links out of the data directories,
removes links where the store keeps its own files (.locks, .tmp, quarantine), and
rebuilds damaged generated files. Neither follows a link.
"""

from __future__ import annotations

import os
from pathlib import Path

import click

from .common import CliError, one_line_errors, open_store, store_dir, store_option

# Where a link can only be a plant: the store keeps its own files there (removing a link
# never touches its target).
_OWN_PLACES = (".locks", ".tmp", "quarantine")


@click.command("check")
@click.option("--accept", is_flag=True,
              help="Record the store as it is now as the new baseline, even if events "
                   "disappeared or changed since the last check (after a person looked).")
@store_option
@click.pass_context
@one_line_errors
def check_cmd(ctx: click.Context, accept: bool) -> None:
    """Report damaged, odd or unbelievable files, links, and events that disappeared or
    changed since the last check. Moves nothing; records the new state in .audit/ when
    all is well; exit 1 if anything is wrong."""
    from store import audit as audit_record
    from store import nofollow, provenance, quarantine
    from store.layout import MERGED, Layout, fragments_in

    root = store_dir(ctx)
    layout = Layout(root)
    found = quarantine.scan(layout, deep=True, fix=False)
    lines = [f"{v.path}: {v.problem}" for v in found.reported]
    reported = {Path(v.path) for v in found.reported}
    lines += [f"{p}: a symbolic link (never followed)" for p in nofollow.links_in(root)
              if p not in reported]
    for directory in layout.partitions():
        for path in fragments_in(directory):
            if path.name.startswith(MERGED) and path not in reported:
                lines += provenance.mismatches(layout, path)
    audit = audit_record.audit(layout, record=not lines)
    if accept and audit.problems and not lines:
        audit = audit_record.audit(layout, record=True, accept=True)
    else:
        lines += audit.problems
    for line in lines:
        click.echo(line)
    if audit.head:
        click.echo(f"audit chain head: {audit.head} (keep it where members cannot write "
                   "to prove the record untouched)")
    if lines:
        raise CliError(f"{len(lines)} problem(s) found; `caseread repair` moves damaged files "
                       "to quarantine/ and rebuilds what the store generates")
    files = sum(len(os.listdir(d)) for d in layout.partitions())
    click.echo(f"store is sound: {files} files, {audit.events} events checked")


@click.command("repair")
@store_option
@click.pass_context
@one_line_errors
def repair_cmd(ctx: click.Context) -> None:
    """Move damaged files to quarantine/, remove planted links, rebuild generated files."""
    from store import nofollow

    root = store_dir(ctx)
    removed = _remove_planted_links(root)
    store = open_store(ctx)
    store.check(deep=True)  # moves links out of the data directories, into quarantine/
    removed += _remove_planted_links(root)
    for path in removed:
        click.echo(f"{path}: link removed")
    for problem in store.problems:
        click.echo(str(problem))
    left = nofollow.links_in(root)
    for path in left:
        click.echo(f"{path}: a symbolic link, left alone (remove it by hand)")
    if left or any(getattr(p, "unreadable", False) for p in store.problems):
        raise CliError("some problems need a person: see above")
    click.echo("store repaired" if removed or store.problems else "nothing to repair")


def _remove_planted_links(root: Path) -> list[Path]:
    from store import nofollow

    removed = []
    for path in nofollow.links_in(root):
        if path.relative_to(root).parts[0] in _OWN_PLACES or path.name == "views.sql":
            os.unlink(path)  # the link itself; its target is never touched
            removed.append(path)
    return removed


COMMANDS = [check_cmd, repair_cmd]
