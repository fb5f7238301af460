"""Quality-assurance commands: team, case assign/status/signoff/unlock, qa sample/check/
accept/progress, query open/respond/close/list/show. Thin layers over `store.qa`; the
store enforces roles and the sign-off rules, so the app and these commands agree."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from store import Store

from .case_cmds import case_group
from .common import (
    FORMATS,
    emit_table,
    one_line_errors,
    open_store,
    resolve_inspection,
    store_option,
)
from .options import inspection_option


def _open(ctx: click.Context, inspection_id: str | None) -> tuple[Store, str]:
    """The store and the inspection the command works on."""
    store = open_store(ctx)
    return store, resolve_inspection(store, store.root, inspection_id)


# ------------------------------------------------------------------------------ team
@click.group("team")
def team_group() -> None:
    """The inspection's team: leads, inspectors and local assessors (OS users)."""


@team_group.command("add")
@click.argument("user", metavar="USER")
@click.option("--role", type=click.Choice(["lead", "inspector", "assessor"]), required=True)
@inspection_option
@store_option
@click.pass_context
@one_line_errors
def team_add(ctx: click.Context, user: str, role: str, inspection_id: str | None) -> None:
    """Add USER to the team (or change their role). Lead only, except the first lead."""
    from store import qa

    store, iid = _open(ctx, inspection_id)
    qa.team_add(store, iid, user, role)
    click.echo(f"{user} is {role} of {iid}")


@team_group.command("remove")
@click.argument("user", metavar="USER")
@inspection_option
@store_option
@click.pass_context
@one_line_errors
def team_remove(ctx: click.Context, user: str, inspection_id: str | None) -> None:
    """Take USER off the team (kept in the history). Lead only."""
    from store import qa

    store, iid = _open(ctx, inspection_id)
    qa.team_add(store, iid, user, "removed")
    click.echo(f"{user} removed from the team of {iid}")


@team_group.command("list")
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@inspection_option
@store_option
@click.pass_context
@one_line_errors
def team_list(ctx: click.Context, fmt: str, inspection_id: str | None) -> None:
    """The team, with who added each member and when."""
    from store import qa_events

    store, iid = _open(ctx, inspection_id)
    emit_table(store.query('SELECT "user", role, added_by, saved_at FROM team '
                           'WHERE inspection_id = ? ORDER BY role, "user"', [iid]), fmt)
    for problem in qa_events.lead_problems(store.layout):
        click.echo(f"caseread: warning: {problem}", err=True)


# ------------------------------------------------------------------------------ case
@case_group.command("assign")
@click.argument("case_ids", metavar="CASE...", nargs=-1, required=True)
@click.argument("user", metavar="USER")
@inspection_option
@store_option
@click.pass_context
@one_line_errors
def case_assign(ctx: click.Context, case_ids: tuple[str, ...], user: str,
                inspection_id: str | None) -> None:
    """Assign one or more cases to USER (a team member). Lead only."""
    from store import qa

    store, iid = _open(ctx, inspection_id)
    qa.assign(store, iid, list(case_ids), user)
    click.echo(f"assigned {len(case_ids)} case{'s' * (len(case_ids) != 1)} to {user}")


@case_group.command("status")
@click.option("--reader", metavar="USER", help="Only this reader's cases.")
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@inspection_option
@store_option
@click.pass_context
@one_line_errors
def case_status(ctx: click.Context, reader: str | None, fmt: str,
                inspection_id: str | None) -> None:
    """Each case's reader, state (not started .. signed off), since when, open queries."""
    store, iid = _open(ctx, inspection_id)
    sql = ("SELECT case_id, kind, reader, state, since, open_queries FROM case_status "
           "WHERE inspection_id = ?")
    params = [iid]
    if reader:
        sql += " AND reader = ?"
        params.append(reader)
    emit_table(store.query(sql + " ORDER BY case_id", params), fmt)


@case_group.command("signoff")
@click.argument("case_ids", metavar="CASE...", nargs=-1, required=True)
@click.option("--note", help="Kept with the sign-off.")
@inspection_option
@store_option
@click.pass_context
@one_line_errors
def case_signoff(ctx: click.Context, case_ids: tuple[str, ...], note: str | None,
                 inspection_id: str | None) -> None:
    """Sign cases off (lead). Refused while a case has open queries, failed checks not
    accepted, or applicable questions unanswered. A signed-off case refuses changes."""
    from store import qa

    store, iid = _open(ctx, inspection_id)
    for case_id in case_ids:
        qa.signoff(store, iid, case_id, note)
        click.echo(f"signed off {iid} {case_id}")


@case_group.command("unlock")
@click.argument("case_id", metavar="CASE")
@click.option("--reason", required=True, help="Why the case must change again (kept).")
@inspection_option
@store_option
@click.pass_context
@one_line_errors
def case_unlock(ctx: click.Context, case_id: str, reason: str, inspection_id: str | None) -> None:
    """Undo a sign-off so the case can change (lead; the reason is kept)."""
    from store import qa

    store, iid = _open(ctx, inspection_id)
    qa.unlock(store, iid, case_id, reason)
    click.echo(f"unlocked {iid} {case_id}")


# -------------------------------------------------------------------------------- qa
@click.group("qa")
def qa_group() -> None:
    """Quality assurance: dip samples, data quality checks, progress per reader."""


@qa_group.command("sample")
@click.option("--per-reader", type=int, metavar="N", help="N cases of each reader.")
@click.option("--fraction", type=float, metavar="F", help="This share of each reader's cases.")
@click.option("--assessor-factor", type=float, default=2.0, show_default=True,
              help="Local assessors are sampled at this multiple of the rate.")
@click.option("--seed", type=int, metavar="S", help="Seed (default: random, printed and kept).")
@inspection_option
@store_option
@click.pass_context
@one_line_errors
def qa_sample(ctx: click.Context, per_reader: int | None, fraction: float | None,
              assessor_factor: float, seed: int | None, inspection_id: str | None) -> None:
    """Draw a reproducible dip sample of complete cases, stratified by reader (lead)."""
    from store import qa

    store, iid = _open(ctx, inspection_id)
    sample = qa.draw_sample(store, iid, per_reader, fraction, seed, assessor_factor)
    click.echo(f"sample {sample.sample_id} (seed {sample.seed}): {len(sample.cases)} cases")
    for reader, case_id in sample.cases:
        click.echo(f"  {reader}  {case_id}")


@qa_group.command("samples")
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@inspection_option
@store_option
@click.pass_context
@one_line_errors
def qa_samples(ctx: click.Context, fmt: str, inspection_id: str | None) -> None:
    """The dip samples drawn: the lead's work list, with each case's state now."""
    store, iid = _open(ctx, inspection_id)
    emit_table(store.query(
        "SELECT q.sample_id, q.case_id, q.reader, s.state, s.open_queries, q.seed, q.drawn_by, "
        "q.drawn_at FROM qa_samples q LEFT JOIN case_status s USING (inspection_id, case_id) "
        "WHERE q.inspection_id = ? ORDER BY q.sample_id, q.reader, q.case_id", [iid]), fmt)


@qa_group.command("check")
@click.option("--case", "case_id", metavar="CASE", help="Only this case.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True)
@inspection_option
@store_option
@click.pass_context
@one_line_errors
def qa_check(ctx: click.Context, case_id: str | None, fmt: str, inspection_id: str | None) -> None:
    """Run the data quality rules (criteria/data/checks.yaml) over the inspection.
    Exits 0 even when checks fail: it is a report."""
    from store.qa_checks import run_checks

    from .common import text_table

    store, iid = _open(ctx, inspection_id)
    results = run_checks(store, iid, case_id)
    if fmt == "json":
        click.echo(json.dumps([r.to_json() for r in results], indent=1, ensure_ascii=False))
        return
    rows = [[r.case_id, r.check_id, r.question_id,
             f"accepted by {r.accepted_by}: {r.reason}" if r.accepted else "FAILED", r.text]
            for r in results]
    click.echo(text_table(["case", "check", "question", "status", "check text"], rows))
    failing = sum(not r.accepted for r in results)
    click.echo(f"{failing} failed, {len(results) - failing} accepted")


@qa_group.command("accept")
@click.argument("case_id", metavar="CASE")
@click.argument("check_id", metavar="CHECK")
@click.option("--reason", required=True, help="Why the failure is acceptable (kept).")
@inspection_option
@store_option
@click.pass_context
@one_line_errors
def qa_accept(ctx: click.Context, case_id: str, check_id: str, reason: str,
              inspection_id: str | None) -> None:
    """Accept a failed check of a case, with a reason (lead)."""
    from store import qa

    store, iid = _open(ctx, inspection_id)
    qa.accept_check(store, iid, case_id, check_id, reason)
    click.echo(f"accepted {check_id} for {case_id}")


@qa_group.command("progress")
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@inspection_option
@store_option
@click.pass_context
@one_line_errors
def qa_progress(ctx: click.Context, fmt: str, inspection_id: str | None) -> None:
    """Per reader: cases assigned, started, complete, sampled, queried, signed off."""
    store, iid = _open(ctx, inspection_id)
    emit_table(store.query(
        "SELECT reader, role, cases, assigned, started, complete, sampled, queried, signed_off "
        "FROM reader_progress WHERE inspection_id = ? ORDER BY reader", [iid]), fmt)


# ----------------------------------------------------------------------------- query
@click.group("query")
def query_group() -> None:
    """Queries on answers: open, respond, close (the data resolution workflow)."""


@query_group.command("open")
@click.argument("case_id", metavar="CASE")
@click.argument("question_id", metavar="QUESTION")
@click.argument("text", metavar='"TEXT"')
@inspection_option
@store_option
@click.pass_context
@one_line_errors
def query_open(ctx: click.Context, case_id: str, question_id: str, text: str,
               inspection_id: str | None) -> None:
    """Open a query on CASE's answer to QUESTION; prints the query id."""
    from store import qa

    store, iid = _open(ctx, inspection_id)
    query_id = qa.open_query(store, iid, case_id, question_id, text)
    click.echo(f"opened query {query_id} on {case_id} {question_id}")


@query_group.command("respond")
@click.argument("query_id", metavar="ID")
@click.argument("text", metavar='"TEXT"')
@inspection_option
@store_option
@click.pass_context
@one_line_errors
def query_respond(ctx: click.Context, query_id: str, text: str,
                  inspection_id: str | None) -> None:
    """Answer query ID (change the answer itself with `caseread answer`)."""
    from store import qa

    store, iid = _open(ctx, inspection_id)
    qa.respond(store, iid, query_id, text)
    click.echo(f"responded to query {query_id}")


@query_group.command("close")
@click.argument("query_id", metavar="ID")
@click.option("--note", help="Kept with the closing.")
@inspection_option
@store_option
@click.pass_context
@one_line_errors
def query_close(ctx: click.Context, query_id: str, note: str | None,
                inspection_id: str | None) -> None:
    """Close query ID (lead)."""
    from store import qa

    store, iid = _open(ctx, inspection_id)
    qa.close(store, iid, query_id, note)
    click.echo(f"closed query {query_id}")


@query_group.command("list")
@click.option("--state", type=click.Choice(["open", "responded", "closed", "all"]),
              default="all", show_default=True, help="'open' = not closed.")
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@inspection_option
@store_option
@click.pass_context
@one_line_errors
def query_list(ctx: click.Context, state: str, fmt: str, inspection_id: str | None) -> None:
    """The queries of the inspection, newest activity last."""
    store, iid = _open(ctx, inspection_id)
    sql = ("SELECT query_id, case_id, question_id, state, opened_by, opened_at, last_by, "
           "text FROM queries WHERE inspection_id = ?")
    if state == "open":
        sql += " AND state <> 'closed'"
    elif state != "all":
        sql += f" AND state = '{state}'"  # one of the click choices
    emit_table(store.query(sql + " ORDER BY last_at, query_id", [iid]), fmt)


@query_group.command("show")
@click.argument("query_id", metavar="ID")
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@inspection_option
@store_option
@click.pass_context
@one_line_errors
def query_show(ctx: click.Context, query_id: str, fmt: str, inspection_id: str | None) -> None:
    """The thread of query ID, one row per step (open, respond, close)."""
    from store import qa

    store, iid = _open(ctx, inspection_id)
    qa.query(store, iid, query_id)
    emit_table(store.query(
        "SELECT step, author, saved_at, text FROM query_thread WHERE inspection_id = ? "
        "AND query_id = ? ORDER BY saved_at, event_id", [iid, query_id]), fmt)


COMMANDS = [team_group, qa_group, query_group]
