"""`caseread report`: the published inspection report (or the programme aggregate) as a file.

Every figure is read from the store's views; see caseread/report and docs/report.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click


def _open_store(ctx: click.Context) -> Any:
    from caseread.commands.app_cmd import resolve_store
    from store import Store

    store_dir = resolve_store((ctx.obj or {}).get("store_dir"))
    try:
        return Store.open(store_dir)
    except (OSError, ValueError) as exc:
        raise click.ClickException(f"{store_dir}: {exc}") from None


def _only_inspection(store: Any) -> str:
    ids = [
        r["inspection_id"] for r in store.query("SELECT inspection_id FROM inspections").to_pylist()
    ]
    if len(ids) == 1:
        return str(ids[0])
    if not ids:
        raise click.ClickException("the store holds no inspection")
    raise click.ClickException(f"choose one with --inspection: {', '.join(sorted(ids))}")


def _format_for(fmt: str | None, out: Path) -> str:
    if fmt:
        return fmt
    return "md" if out.suffix.lower() in (".md", ".markdown") else "html"


@click.command("report")
@click.option("--inspection", "inspection_id", help="Inspection to report (default: the only one).")
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
@click.option("--only", multiple=True, help="With --programme: inspections to include.")
@click.argument("out", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path))
@click.pass_context
def report(
    ctx: click.Context,
    inspection_id: str | None,
    fmt: str | None,
    method: str,
    programme: bool,
    only: tuple[str, ...],
    out: Path,
) -> None:
    """Write the inspection report to OUT ('-' for standard output).

    HTML is one self-contained file that prints to A4; Markdown reads in any viewer.
    """
    from caseread.report import build_programme_report, build_report

    store = _open_store(ctx)
    kind = _format_for(fmt, out)
    try:
        if programme:
            text = build_programme_report(store, list(only) or None, kind, method)
        else:
            text = build_report(store, inspection_id or _only_inspection(store), kind, method)
    except LookupError as exc:
        raise click.ClickException(str(exc.args[0] if exc.args else exc)) from None
    if str(out) == "-":
        click.echo(text, nl=False)
        return
    out.write_text(text, encoding="utf-8")
    click.echo(f"wrote {out} ({kind}, {len(text.encode()) // 1024} KiB)", err=True)


COMMANDS = [report]
