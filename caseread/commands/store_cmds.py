"""Store commands: init, inspections, imports, single answers, scores, SQL, export, compact,
backup. Each is a thin layer over `store`; errors are one line (see common.py)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import click

from . import scores_format
from .case_cmds import case_group
from .common import (
    FORMATS,
    CliError,
    emit_table,
    one_line_errors,
    open_store,
    plural,
    resolve_inspection,
    say_unmarked,
    store_dir,
    store_option,
)
from .export_cmd import export_cmd
from .options import inspection_option
from .safe_paths import require_regular

_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")

@click.command("init")
@click.option("--group", help="Unix group that shares the store (sets group ownership, setgid).")
@click.option("--lead-group", help="Unix group of the leads: only it may write lead/ "
              "(team, assignments, samples, sign-offs; see docs/store.md).")
@store_option
@click.pass_context
@one_line_errors
def init_cmd(ctx: click.Context, group: str | None, lead_group: str | None) -> None:
    """Create an empty store in --store DIR (or CASEREAD_STORE)."""
    from store import Store
    from store.qa_events import protect_lead_dir

    given = (ctx.find_root().obj or {}).get("store_dir")
    if not given:
        raise CliError("say where: caseread --store DIR init (or set CASEREAD_STORE)")
    store = Store.init(Path(given).expanduser(), group=group)
    if lead_group:
        protect_lead_dir(store.layout, lead_group)
    click.echo(f"created store {store.root}" + (f" shared with group {group}" if group else "")
               + (f", leads' group {lead_group}" if lead_group else ""))


@click.group("inspection")
def inspection_group() -> None:
    """Add or list inspections."""


@inspection_group.command("add")
@click.argument("inspection_id", metavar="ID")
@click.option("--area", required=True, help="Probation area inspected, e.g. Bedfordshire.")
@click.option("--date", "date", required=True, metavar="YYYY-MM", help="Month of fieldwork.")
@click.option("--label", help="Display name (default: area and date).")
@store_option
@click.pass_context
@one_line_errors
def inspection_add(ctx: click.Context, inspection_id: str, area: str, date: str,
                   label: str | None) -> None:
    """Add an inspection to the store."""
    if not _MONTH.match(date):
        raise CliError(f"--date {date!r}: use YYYY-MM, e.g. 2013-03")
    store = open_store(ctx)
    store.add_inspection(inspection_id, area, date, label=label)
    click.echo(f"added inspection {inspection_id} ({area}, {date})")


@inspection_group.command("list")
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@store_option
@click.pass_context
@one_line_errors
def inspection_list(ctx: click.Context, fmt: str) -> None:
    """List the store's inspections."""
    store = open_store(ctx)
    emit_table(store.query(
        "SELECT inspection_id, area, date, label, synthetic, author, saved_at "
        "FROM inspections ORDER BY date, inspection_id"
    ), fmt)


@click.group("answers")
def answers_group() -> None:
    """Answers in bulk."""


reading_option = click.option(
    "--reading", type=click.IntRange(1, 99), default=1, show_default=True,
    help="1 = the primary reading (scored); 2 or more = a second reading (never scored).",
)


@answers_group.command("import")
@click.argument("csv_file", metavar="FILE.csv",
                type=click.Path(dir_okay=False, path_type=Path))
@reading_option
@inspection_option
@store_option
@click.pass_context
@one_line_errors
def answers_import(ctx: click.Context, csv_file: Path, reading: int,
                   inspection_id: str | None) -> None:
    """Import answers: columns case_id,question_id,answer[,note]. All rows or none.

    An answer is a choice's value, key or label (yes, y, Yes). The columns of `caseread
    export`'s answers_current.csv are accepted (inspection_id must match, the rest is
    ignored), so an export edited in a spreadsheet imports back. Rows whose every cell
    is empty are skipped and counted."""
    require_regular(csv_file)
    store = open_store(ctx)
    iid = resolve_inspection(store, store.root, inspection_id)
    if reading > 1:  # second readings: their own kind of events (caseread/commands/reading_cmd)
        from .reading_cmd import import_second_reading

        n = import_second_reading(store, iid, reading, csv_file, _known_cases(store, iid))
        click.echo(f"imported {plural(n, 'answer')} of reading {reading} into {iid}")
        return
    from store.imports import answer_events, publish_events, read_answers_csv
    from store.qa_lock import refuse_signed_off

    parsed = read_answers_csv(csv_file, store.framework, _known_cases(store, iid), iid)
    answers = parsed.table
    refuse_signed_off(store.layout, iid, answers.column("case_id").to_pylist())
    events = answer_events(answers, iid, store.framework.version, author=store.author)
    publish_events(store.root, "answers", iid, events)
    skipped = f" ({plural(parsed.skipped, 'empty row')} skipped)" if parsed.skipped else ""
    click.echo(f"imported {plural(answers.num_rows, 'answer')} into {iid}{skipped}")
    say_unmarked(store, iid, answers.column("case_id").to_pylist())


def _known_cases(store: Any, inspection_id: str) -> dict[str, str]:
    table = store.query(
        "SELECT case_id, kind FROM cases WHERE inspection_id = ?", [inspection_id]
    )
    kinds = table.column("kind").to_pylist()
    return {c: k or "case" for c, k in zip(table.column("case_id").to_pylist(), kinds,
                                           strict=True)}


@click.command("answer")
@click.argument("case_id", metavar="CASE")
@click.argument("question_id", metavar="QUESTION")
@click.argument("value", metavar="[VALUE]", required=False)
@click.option("--note", help="A note kept with the answer.")
@click.option("--clear", is_flag=True, help="Clear the answer instead (kept in the history).")
@reading_option
@click.option("--expect", metavar="VALUE",
              help="Save only if the current answer is VALUE ('-' for unanswered); "
                   "otherwise refuse, naming who changed it (exit 1).")
@inspection_option
@store_option
@click.pass_context
@one_line_errors
def answer_cmd(ctx: click.Context, case_id: str, question_id: str, value: str | None,
               note: str | None, clear: bool, reading: int, expect: str | None,
               inspection_id: str | None) -> None:
    """Save one answer; VALUE is a choice of the question's scale (yes/no/na or y/n/x).
    Exits 0 only once the answer is saved to disk. With --expect, the save is checked
    against the stored answer at save time and refused if another has replaced it."""
    if (value is None) != clear:
        raise click.UsageError("give either VALUE or --clear")
    store = open_store(ctx)
    iid = resolve_inspection(store, store.root, inspection_id)
    answer = _parse_answer(store.framework, question_id, value)
    if case_id not in _known_cases(store, iid):
        raise CliError(f"unknown case {case_id!r} in {iid} (import its case details first)")
    if reading > 1:  # a second reading: its own kind of events, never scored
        from .reading_cmd import save_second_reading

        save_second_reading(store, iid, reading, case_id, question_id, answer, note)
        click.echo(f"saved reading {reading} {iid} {case_id} {question_id} = "
                   f"{answer or '(cleared)'}")
        return
    from store import UNCHECKED, AnswerInput

    base = UNCHECKED if expect is None else (
        None if expect in ("-", "") else _parse_answer(store.framework, question_id, expect))
    store.save_answers(iid, [AnswerInput(case_id, question_id, answer, note, base)])
    click.echo(f"saved {iid} {case_id} {question_id} = {answer or '(cleared)'}")
    say_unmarked(store, iid, [case_id])


def _parse_answer(fw: Any, question_id: str, value: str | None) -> str | None:
    """The choice value for VALUE (None: only check the question exists)."""
    try:
        fw.question(question_id)
        return None if value is None else str(fw.parse_answer(question_id, value))
    except (KeyError, ValueError) as exc:
        raise CliError(f"question {question_id}: {exc.args[0]}") from None


@click.command("scores")
@click.option("--by", "by", metavar="FIELD",
              help="Break down by a case detail, 'author', or 'inspection' (all inspections).")
@click.option("--method", type=click.Choice(["questions", "criteria"]), default="questions",
              show_default=True, help="How outcome scores are formed.")
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@inspection_option
@store_option
@click.pass_context
@one_line_errors
def scores_cmd(ctx: click.Context, by: str | None, method: str, fmt: str,
               inspection_id: str | None) -> None:
    """Outcome, criterion and question scores of an inspection."""
    store = open_store(ctx)
    if by == "inspection":
        click.echo(scores_format.programme(store, method, fmt), nl=False)
        return
    iid = resolve_inspection(store, store.root, inspection_id)
    try:
        data = scores_format.group_labels(store.scores(iid, method=method, by=by).to_json(),
                                          store.framework)
    except ValueError as exc:
        raise CliError(str(exc)) from None
    if fmt == "json":
        click.echo(json.dumps(data, indent=1, ensure_ascii=False))
    elif fmt == "csv":
        click.echo(scores_format.as_csv(data), nl=False)
    else:
        click.echo(scores_format.as_table(data))




@click.command("compact")
@store_option
@click.pass_context
@one_line_errors
def compact_cmd(ctx: click.Context) -> None:
    """Merge small answer files into one per inspection (safe while others work)."""
    store = open_store(ctx)
    result = store.compact()
    moved = len(result.quarantined)
    click.echo(f"compacted: {len(result.merged)} merged files from {result.removed} fragments"
               + (f"; {moved} damaged files moved to quarantine/" if moved else ""))


@click.command("backup")
@click.argument("directory", metavar="DIR", type=click.Path(path_type=Path))
@store_option
@click.pass_context
@one_line_errors
def backup_cmd(ctx: click.Context, directory: Path) -> None:
    """Copy the store to DIR (new), holding the compaction lock so no file vanishes."""
    from store.compaction import compact_lock
    from store.layout import Layout

    root = store_dir(ctx)
    if directory.exists():
        raise CliError(f"{directory}: already exists (back up into a new directory)")
    with compact_lock(Layout(root), wait=True):
        shutil.copytree(root, directory, symlinks=True,
                        ignore=shutil.ignore_patterns(".tmp", ".locks"))
    files = sum(1 for p in directory.rglob("*.parquet"))
    click.echo(f"backed up {root} to {directory} ({files} parquet files)")


COMMANDS = [init_cmd, inspection_group, case_group, answers_group, answer_cmd, scores_cmd,
            export_cmd, compact_cmd, backup_cmd]  # `sql`: sql_cmd.py
