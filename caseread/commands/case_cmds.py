"""`caseread case import|delete|restore`: case details in bulk, and deleting or restoring a
case (kept in the history: a deletion is a `_deleted` detail event, never a removed file)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from .common import (
    CliError,
    one_line_errors,
    open_store,
    plural,
    resolve_inspection,
    say_unmarked,
    store_option,
)
from .options import inspection_option
from .safe_paths import require_regular


@click.group("case")
def case_group() -> None:
    """Case details: import, delete, restore."""


@case_group.command("import")
@click.argument("csv_file", metavar="FILE.csv",
                type=click.Path(dir_okay=False, path_type=Path))
@inspection_option
@store_option
@click.pass_context
@one_line_errors
def case_import(ctx: click.Context, csv_file: Path, inspection_id: str | None) -> None:
    """Import case details: a case_id column, one column per case detail (value, label or
    the short form the case list shows; lists with ';'), optionally kind (case or
    interview). All rows or none.

    An empty cell leaves a saved detail as it is; (clear) clears it; (none) saves an empty
    list. A deleted case in the file is restored. Prints what happened to each case:
    added, changed (which details), unchanged or restored. Columns of `caseread export`'s
    cases.csv are accepted (inspection_id must match, marked_complete is ignored).
    """
    from store.imports import change_events, plan_case_import, publish_events, read_cases_csv
    from store.qa_lock import refuse_signed_off

    require_regular(csv_file)
    store = open_store(ctx)
    iid = resolve_inspection(store, store.root, inspection_id)
    parsed = read_cases_csv(csv_file, store.framework, iid)
    refuse_signed_off(store.layout, iid, (c.case_id for c in parsed.cases))
    answered = store.query("SELECT DISTINCT case_id FROM answers_current "
                           "WHERE inspection_id = ?", [iid]).column("case_id").to_pylist()
    plan = plan_case_import(parsed.cases, _current_details(store, iid), set(answered),
                            csv_file.name)
    events = change_events(plan, iid, store.framework.version, author=store.author)
    if events.num_rows:
        publish_events(store.root, "cases", iid, events)
    for change in plan:
        click.echo(change.describe())
    counts = {a: sum(1 for c in plan if c.action == a)
              for a in ("added", "changed", "unchanged", "restored")}
    summary = ", ".join(f"{n} {a}" for a, n in counts.items() if n)
    skipped = f"; {plural(parsed.skipped, 'empty row')} skipped" if parsed.skipped else ""
    click.echo(f"imported {plural(len(plan), 'case')} into {iid}: {summary} "
               f"({plural(events.num_rows, 'detail')} saved){skipped}")
    say_unmarked(store, iid, [c.case_id for c in plan if c.action in ("changed", "restored")])


def _current_details(store: Any, inspection_id: str) -> dict[str, dict[str, str | None]]:
    """case id -> field -> stored text, reserved fields (_kind, _deleted) included."""
    table = store.query("SELECT case_id, field, value FROM case_values WHERE inspection_id = ?",
                        [inspection_id])
    out: dict[str, dict[str, str | None]] = {}
    for case_id, field, value in zip(*(table.column(n).to_pylist()
                                       for n in ("case_id", "field", "value")), strict=True):
        out.setdefault(case_id, {})[field] = value
    return out


def _set_deleted(ctx: click.Context, case_id: str, inspection_id: str | None,
                 deleted: bool) -> None:
    store = open_store(ctx)
    iid = resolve_inspection(store, store.root, inspection_id)
    current = _current_details(store, iid).get(case_id)
    if current is None:
        raise CliError(f"no case {case_id!r} in {iid}")
    if (current.get("_deleted") == "true") == deleted:
        click.echo(f"{case_id} in {iid} is already {'deleted' if deleted else 'not deleted'}")
        return
    store.save_case(iid, case_id, {"_deleted": deleted}, kind=current.get("_kind") or "case")
    click.echo(f"{'deleted' if deleted else 'restored'} {case_id} in {iid}"
               + (" (its answers are kept; `caseread case restore` brings it back)"
                  if deleted else ""))


@case_group.command("delete")
@click.argument("case_id", metavar="CASE")
@inspection_option
@store_option
@click.pass_context
@one_line_errors
def case_delete(ctx: click.Context, case_id: str, inspection_id: str | None) -> None:
    """Delete a case (or interview record): it leaves the case list and the scores. Its
    details and answers are kept, and the deletion is in the case history."""
    _set_deleted(ctx, case_id, inspection_id, True)


@case_group.command("restore")
@click.argument("case_id", metavar="CASE")
@inspection_option
@store_option
@click.pass_context
@one_line_errors
def case_restore(ctx: click.Context, case_id: str, inspection_id: str | None) -> None:
    """Restore a deleted case with its details and answers (kept in the case history)."""
    _set_deleted(ctx, case_id, inspection_id, False)
