"""`caseread moderation list` (every paired item whose readings differ) and
`caseread moderation settle CASE QUESTION VALUE` (the lead records the moderated answer,
which becomes the reading-1 answer; its note says it was moderated)."""

from __future__ import annotations

import click

from .common import (
    FORMATS,
    CliError,
    emit_table,
    one_line_errors,
    open_store,
    resolve_inspection,
    store_option,
)
from .options import inspection_option

LIST_COLUMNS = ["case_id", "kind", "question_id", "reading", "reader_1", "answer_1", "note_1",
                "reader_2", "answer_2", "note_2", "current_answer", "moderated"]


@click.group("moderation")
def moderation_group() -> None:
    """Disagreements between readings, and their moderated answers."""


@moderation_group.command("list")
@click.option("--open", "only_open", is_flag=True, help="Only items not moderated yet.")
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@inspection_option
@store_option
@click.pass_context
@one_line_errors
def list_cmd(ctx: click.Context, only_open: bool, fmt: str, inspection_id: str | None) -> None:
    """Every paired item where reading 1 and a second reading differ: case, question,
    each reader's answer and note, the current answer, and whether it was moderated."""
    import pyarrow as pa

    from store.agreement_data import disagreements

    store = open_store(ctx)
    iid = resolve_inspection(store, store.root, inspection_id)
    rows = [r for r in disagreements(store, iid) if not (only_open and r["moderated"])]
    table = pa.Table.from_pylist([{c: r[c] for c in LIST_COLUMNS} for r in rows],
                                 schema=_schema())
    emit_table(table, fmt)


def _schema() -> object:
    import pyarrow as pa

    types = {"reading": pa.int32(), "moderated": pa.bool_()}
    return pa.schema([(c, types.get(c, pa.string())) for c in LIST_COLUMNS])


@moderation_group.command("settle")
@click.argument("case_id", metavar="CASE")
@click.argument("question_id", metavar="QUESTION")
@click.argument("value", metavar="VALUE")
@click.option("--note", help="Why (kept with the answer, after '[moderated]').")
@inspection_option
@store_option
@click.pass_context
@one_line_errors
def settle_cmd(ctx: click.Context, case_id: str, question_id: str, value: str,
               note: str | None, inspection_id: str | None) -> None:
    """Record the moderated answer: it becomes the reading-1 answer (scored), and the
    answer history shows it was moderated and by whom."""
    from store.second_reading import moderate

    store = open_store(ctx)
    iid = resolve_inspection(store, store.root, inspection_id)
    try:
        answer = str(store.framework.parse_answer(question_id, value))
    except (KeyError, ValueError) as exc:
        raise CliError(f"question {question_id}: {exc.args[0]}") from None
    found = store.query("SELECT 1 FROM cases WHERE inspection_id = ? AND case_id = ?",
                        [iid, case_id])
    if not found.num_rows:
        raise CliError(f"unknown case {case_id!r} in {iid}")
    moderate(store, iid, case_id, question_id, answer, note)
    click.echo(f"moderated {iid} {case_id} {question_id} = {answer}")


COMMANDS = [moderation_group]
