"""`caseread report`: the published inspection report (or the programme aggregate) as a file.

Every figure is read from the store's views; see report and docs/report.md.
"""

from __future__ import annotations

from pathlib import Path

import click

from caseread.commands.common import (
    CliError,
    one_line_errors,
    open_store,
    resolve_inspection,
    store_dir,
)
from caseread.commands.options import store_option


def _format_for(fmt: str | None, out: Path) -> str:
    if fmt:
        return fmt
    return "md" if out.suffix.lower() in (".md", ".markdown") else "html"


@click.command("report")
@click.option("--inspection", "inspection_id", help="Inspection to report (default: as `scores`).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["html", "md"]),
    help="Output format (default: from OUT's suffix, .md for Markdown, else html).",
)
@click.option(
    "--method",
    type=click.Choice(["questions", "criteria"]),
    default="questions",
    show_default=True,
    help="Outcome score: mean over questions, or mean of criterion scores.",
)
@click.option(
    "--programme",
    is_flag=True,
    help="Compare inspections (all, or those given with --only), with the pooled and the "
    "mean programme aggregates.",
)
@click.option(
    "--compare",
    metavar="NAME",
    help="Add an appendix setting the figures stated in a published report "
    "(criteria/data/reports/NAME.yaml, e.g. bedfordshire_2013) beside the measured ones.",
)
@click.option("--only", multiple=True, help="With --programme: an inspection to include.")
@click.argument("out", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path))
@store_option
@click.pass_context
@one_line_errors
def report(
    ctx: click.Context,
    inspection_id: str | None,
    fmt: str | None,
    method: str,
    programme: bool,
    compare: str | None,
    only: tuple[str, ...],
    out: Path,
) -> None:
    """Write the inspection report to OUT ('-' for standard output).

    HTML is one self-contained file that prints to A4; Markdown reads in any viewer.
    """
    from report import build_programme_report, build_report

    store = open_store(ctx)
    kind = _format_for(fmt, out)
    try:
        if programme:
            text = build_programme_report(store, list(only) or None, kind, method)
        else:
            iid = resolve_inspection(store, store_dir(ctx), inspection_id)
            text = build_report(store, iid, kind, method, compare)
    except LookupError as exc:
        raise CliError(str(exc.args[0] if exc.args else exc)) from None
    if str(out) == "-":
        click.echo(text, nl=False)
        return
    from store.exportfiles import store_access, write_protected

    access = store_access(store.root)
    write_protected(out, text.encode("utf-8"), access)
    click.echo(f"wrote {out} ({kind}, {len(text.encode()) // 1024} KiB, {access.describe()})",
               err=True)


COMMANDS = [report]
