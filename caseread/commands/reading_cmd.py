"""Double reading: `caseread reading ...` (assign, complete, calibration, list),
`caseread agreement` and `caseread moderation ...` (list, settle). Second-reading answers
are saved by `caseread answer ... --reading N` and `caseread answers import ... --reading N`
(store_cmds.py), through `save_second_reading` / `import_second_reading` below.

The core (store, duckdb, numpy) is imported inside the commands: `--help` stays light.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from .common import (
    FORMATS,
    CliError,
    one_line_errors,
    open_store,
    resolve_inspection,
    store_option,
    text_table,
    to_csv,
)
from .options import inspection_option

if TYPE_CHECKING:
    from store import Store


def _known_case(store: Store, iid: str, case_id: str) -> None:
    found = store.query("SELECT 1 FROM cases WHERE inspection_id = ? AND case_id = ?",
                        [iid, case_id])
    if not found.num_rows:
        raise CliError(f"unknown case {case_id!r} in {iid}")


def check_reader(store: Store, iid: str, case_id: str, reading: int) -> None:
    """A reading assigned to someone else is theirs: refuse to answer it for them."""
    from store.second_reading import assignments

    reader = assignments(store, iid, case_id).get(reading, (None, False))[0]
    if reader is not None and reader != store.author:
        raise CliError(f"reading {reading} of {case_id} is assigned to {reader}, "
                       f"not to {store.author}")


def save_second_reading(store: Store, iid: str, reading: int, case_id: str, question_id: str,
                        answer: str | None, note: str | None) -> None:
    from store import AnswerInput
    from store.second_reading import save_reading

    check_reader(store, iid, case_id, reading)
    save_reading(store, iid, reading, [AnswerInput(case_id, question_id, answer, note)])


def import_second_reading(store: Store, iid: str, reading: int, csv_file: Path,
                          known: dict[str, str]) -> int:
    """All rows or none, as one fragment of `readings/`; returns the number of answers."""
    import pyarrow as pa

    from store.imports import answer_events, parse_answers_csv, publish_events
    from store.schemas import READINGS
    from store.second_reading import check_reading

    check_reading(reading)
    answers = parse_answers_csv(csv_file, store.framework, known)
    events = answer_events(answers, iid, store.framework.version, author=store.author)
    events = events.append_column("reading", pa.repeat(pa.scalar(reading, pa.int32()),
                                                       events.num_rows))
    publish_events(store.root, "readings", iid, events.cast(READINGS))
    return int(answers.num_rows)


@click.group("reading")
def reading_group() -> None:
    """Second readings and calibration cases (never counted in scores)."""


@reading_group.command("assign")
@click.argument("case_id", metavar="CASE")
@click.argument("reader", metavar="USER")
@click.option("--reading", type=int, help="Reading number (default: the next free, from 2).")
@inspection_option
@store_option
@click.pass_context
@one_line_errors
def assign_cmd(ctx: click.Context, case_id: str, reader: str, reading: int | None,
               inspection_id: str | None) -> None:
    """Assign a blind second reading of CASE to USER (an OS user name)."""
    from store.second_reading import assign_reading

    store = open_store(ctx)
    iid = resolve_inspection(store, store.root, inspection_id)
    _known_case(store, iid, case_id)
    number = assign_reading(store, iid, case_id, reader, reading)
    click.echo(f"assigned reading {number} of {iid} {case_id} to {reader}")


@reading_group.command("complete")
@click.argument("case_id", metavar="CASE")
@click.option("--reading", type=int, help="Reading number (default: the one assigned to you).")
@click.option("--undo", is_flag=True, help="Mark the reading not complete again.")
@inspection_option
@store_option
@click.pass_context
@one_line_errors
def complete_cmd(ctx: click.Context, case_id: str, reading: int | None, undo: bool,
                 inspection_id: str | None) -> None:
    """Mark your second reading of CASE complete (reading 1 then shows beside it)."""
    from store.second_reading import assignments, mark_reading_complete

    store = open_store(ctx)
    iid = resolve_inspection(store, store.root, inspection_id)
    mine = [n for n, (who, _) in assignments(store, iid, case_id).items() if who == store.author]
    if reading is None:
        if not mine:
            raise CliError(f"no reading of {case_id} is assigned to {store.author}")
        reading = mine[0]
    check_reader(store, iid, case_id, reading)
    mark_reading_complete(store, iid, case_id, reading, not undo)
    click.echo(f"reading {reading} of {iid} {case_id} marked "
               + ("not complete" if undo else "complete"))


@reading_group.command("calibration")
@click.argument("case_id", metavar="CASE")
@click.option("--off", is_flag=True, help="Make it an ordinary case again.")
@inspection_option
@store_option
@click.pass_context
@one_line_errors
def calibration_cmd(ctx: click.Context, case_id: str, off: bool,
                    inspection_id: str | None) -> None:
    """Mark CASE as a calibration case: read by every reader, never counted in scores."""
    from store.second_reading import mark_calibration

    store = open_store(ctx)
    iid = resolve_inspection(store, store.root, inspection_id)
    _known_case(store, iid, case_id)
    mark_calibration(store, iid, case_id, not off)
    click.echo(f"{iid} {case_id} is " + ("an ordinary case again" if off
                                          else "a calibration case (not scored)"))


@reading_group.command("list")
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@inspection_option
@store_option
@click.pass_context
@one_line_errors
def list_cmd(ctx: click.Context, fmt: str, inspection_id: str | None) -> None:
    """Assigned readings: case, reading, reader, complete, answers so far."""
    from .common import emit_table

    store = open_store(ctx)
    iid = resolve_inspection(store, store.root, inspection_id)
    emit_table(store.query(
        "SELECT a.case_id, a.reading, a.reader, a.complete, count(r.question_id) AS answers "
        "FROM reading_assignments a LEFT JOIN readings r ON r.inspection_id = a.inspection_id "
        "AND r.case_id = a.case_id AND r.reading = a.reading WHERE a.inspection_id = ? "
        "GROUP BY ALL ORDER BY a.case_id, a.reading", [iid]), fmt)


def _pct(value: Any) -> str:
    return "" if value is None else f"{value:.2f}"


def _ci(value: Any) -> str:
    from store.agreement import interval_text

    return interval_text(None if value is None else (value[0], value[1]), empty="")


JSON_KEYS = ["level", "id", "pairs", "agreement", "kappa", "kappa_ci", "ac1", "ac1_ci", "alpha",
             "alpha_ci", "prevalence"]
AGREEMENT_HEADER = ["level", "id", "pairs", "agreement", "kappa", "kappa 95% CI", "AC1",
                    "AC1 95% CI", "alpha", "alpha 95% CI", "prevalence"]


def agreement_table(rows: list[dict[str, Any]]) -> str:
    body = [[r["level"], r["id"], str(r["pairs"]), _pct(r["agreement"]), _pct(r["kappa"]),
             _ci(r["kappa_ci"]), _pct(r["ac1"]), _ci(r["ac1_ci"]), _pct(r["alpha"]),
             _ci(r["alpha_ci"]), _pct(r["prevalence"])] for r in rows]
    return text_table(AGREEMENT_HEADER, body, [False, False] + [True] * 9)


@click.command("agreement")
@click.option("--by", "by", type=click.Choice(["question", "criterion", "reader"]),
              default="question", show_default=True, help="Rows after the inspection's row.")
@click.option("--calibration", is_flag=True,
              help="Calibration cases only (each reader against reading 1).")
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@inspection_option
@store_option
@click.pass_context
@one_line_errors
def agreement_cmd(ctx: click.Context, by: str, calibration: bool, fmt: str,
                  inspection_id: str | None) -> None:
    """Agreement of second readings with reading 1: pairs, observed agreement, Cohen's
    kappa, Gwet's AC1, Krippendorff's alpha (95% intervals) and the prevalence of
    'sufficient'. See docs/agreement.md for when to read which."""
    from store.agreement_data import agreement_rows, pairs

    store = open_store(ctx)
    iid = resolve_inspection(store, store.root, inspection_id)
    rows = [r.as_dict() for r in agreement_rows(store.framework,
                                                 pairs(store, iid, calibration), by)]
    if fmt == "json":
        click.echo(json.dumps({"inspection_id": iid, "calibration": calibration, "by": by,
                               "rows": rows}, indent=1))
    elif fmt == "csv":
        import pyarrow as pa

        flat = [{**r, **{k: json.dumps(r[k]) if r[k] is not None else None
                         for k in ("kappa_ci", "ac1_ci", "alpha_ci")}} for r in rows]
        table = pa.Table.from_pylist(flat) if flat else pa.table(
            {k: pa.array([], pa.string()) for k in JSON_KEYS})
        click.echo(to_csv(table), nl=False)
    elif not rows:
        click.echo(f"no paired readings in {iid} yet "
                   "(assign one with `caseread reading assign CASE USER`)")
    else:
        click.echo(agreement_table(rows))


COMMANDS = [reading_group, agreement_cmd]
