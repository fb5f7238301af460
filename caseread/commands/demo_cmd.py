"""`caseread demo`: create the synthetic demo inspection once, then open the app on it."""

from __future__ import annotations

from pathlib import Path

import click
import platformdirs

from caseread.commands.common import CliError, has_terminal, one_line_errors
from caseread.commands.options import store_option


def demo_store_dir(ctx: click.Context) -> Path:
    """--store / CASEREAD_STORE, else the per-user demo store."""
    given = (ctx.find_root().obj or {}).get("store_dir")
    if given:
        return Path(given).expanduser()
    return Path(platformdirs.user_data_dir("caseread")) / "demo"


@click.command("demo")
@click.option("--rebuild", is_flag=True,
              help="Save the generated demo again, even if it is already in the store.")
@click.option("--no-open", "no_open", is_flag=True,
              help="Only create the demo inspection and say where it is.")
@store_option
@click.pass_context
@one_line_errors
def demo(ctx: click.Context, rebuild: bool, no_open: bool) -> None:
    """Create the demo inspection "Bedfordshire 2013 (reconstructed)" (synthetic) and open it.

    Fifty synthetic cases whose answers reproduce the figures stated in the 2013
    Bedfordshire inspection report (see docs/demo.md). Nothing in it is a real case.
    """
    from caseread.demo.figures import DemoError
    from caseread.demo.write import ensure_demo

    path = demo_store_dir(ctx)
    try:
        result = ensure_demo(path, rebuild=rebuild)
    except DemoError as exc:
        raise CliError(f"demo: {exc}") from exc
    verb = "created" if result.created else "already there (use --rebuild to recreate it)"
    click.echo(f"Demo inspection {result.inspection_id} (synthetic) {verb} in {path}")
    if no_open:
        return
    if not has_terminal():  # piped or scripted: the scores, not an app nobody can see
        click.echo(scores_table(path, result.inspection_id))
        click.echo("Open it in a terminal with `caseread demo`.")
        return
    try:
        from tui.app import run_app
    except (ImportError, AttributeError):
        click.echo(scores_table(path, result.inspection_id))
        return
    run_app(path, result.inspection_id)


def scores_table(path: Path, inspection_id: str) -> str:
    """The demo's outcome scores beside the report's (when the app is not available)."""
    from caseread.demo.load import load_figures
    from store import Store

    rows = Store.open(path).query(
        "SELECT outcome, title, score FROM outcome_scores "
        "WHERE inspection_id = ? AND method = 'questions' ORDER BY outcome",
        [inspection_id],
    ).to_pylist()
    targets = load_figures().targets
    lines = [f"{'Outcome':<66} {'demo':>5} {'report':>6}"]
    for r in rows:
        score = "-" if r["score"] is None else f"{r['score'] * 100:.0f}%"
        target = targets.get(r["outcome"])
        report = "-" if target is None else f"{target * 100:.0f}%"
        lines.append(f"{r['outcome']} {r['title']:<64} {score:>5} {report:>6}")
    return "\n".join(lines)
