"""The `caseread` command line: a thin layer over `criteria` and `store`.

Each command group lives in its own module under `caseread/commands/`; this file only
assembles them, so the commands stay importable and testable without Textual.
"""

from __future__ import annotations

import importlib
import sys

import click

from caseread import __version__

# (module, attribute) of every command; a module that is missing is skipped so that
# partially built trees still give a working `caseread --help`.
COMMANDS = [
    ("caseread.commands.criteria_cmd", "criteria"),
    ("caseread.commands.store_cmds", "COMMANDS"),
    ("caseread.commands.qa_cmds", "COMMANDS"),
    ("caseread.commands.demo_cmd", "demo"),
    ("caseread.commands.report_cmd", "COMMANDS"),
    ("caseread.commands.app_cmd", "COMMANDS"),
    ("caseread.commands.upgrade_cmd", "COMMANDS"),
    ("caseread.commands.reading_cmd", "COMMANDS"),
    ("caseread.commands.moderation_cmd", "COMMANDS"),
    ("caseread.commands.check_cmd", "COMMANDS"),
    ("caseread.commands.sql_cmd", "COMMANDS"),
]


# Commands a launch needs before its first frame: found without importing every module.
DIRECT = {"open": ("caseread.commands.app_cmd", "open_cmd")}


class LazyGroup(click.Group):
    """A group that imports its command modules on first use, so `caseread --version`
    (an eager option, handled while parsing) imports none of them."""

    _loaded = False

    def _load(self) -> None:
        if self._loaded:
            return
        self._loaded = True
        for module_name, attr in COMMANDS:
            try:
                module = importlib.import_module(module_name)
            except ModuleNotFoundError as exc:
                if exc.name == module_name:
                    continue
                raise
            found = getattr(module, attr)
            for command in found if isinstance(found, list | tuple) else [found]:
                _accept_store(command)
                self.add_command(command)

    def list_commands(self, ctx: click.Context) -> list[str]:
        self._load()
        return super().list_commands(ctx)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if not self._loaded and cmd_name in DIRECT and cmd_name not in self.commands:
            module_name, attr = DIRECT[cmd_name]
            command: click.Command = getattr(importlib.import_module(module_name), attr)
            _accept_store(command)
            self.add_command(command)
        if cmd_name in DIRECT and cmd_name in self.commands:
            return self.commands[cmd_name]
        self._load()
        return super().get_command(ctx, cmd_name)


@click.group(cls=LazyGroup, invoke_without_command=True)
@click.option(
    "--store",
    "store_dir",
    envvar="CASEREAD_STORE",
    type=click.Path(file_okay=False, readable=False),  # unreadable: our one-line error
    help="Store directory (or CASEREAD_STORE).",
)
@click.version_option(version=__version__, prog_name="caseread")
@click.pass_context
def cli(ctx: click.Context, store_dir: str | None) -> None:
    """caseread: case assessment for probation inspections."""
    ctx.ensure_object(dict)
    ctx.obj["store_dir"] = store_dir
    if ctx.invoked_subcommand is None:
        opener = cli.get_command(ctx, "open")
        if opener is None:
            click.echo(ctx.get_help())
            return
        ctx.invoke(opener)


def _accept_store(command: click.Command) -> None:
    """`--store DIR` after any subcommand too (`caseread demo --store X`), not only before."""
    from caseread.commands.options import store_option

    if isinstance(command, click.Group):
        for sub in command.commands.values():
            _accept_store(sub)
        return
    if not any("--store" in p.opts for p in command.params):
        store_option(command)


def main() -> None:
    """Console entry point: one-line errors, exit 1 on failure (2 on a usage error)."""
    from caseread.streams import configure_output

    configure_output()  # a non-UTF-8 locale must not crash the output
    bad = not_text(sys.argv[1:])
    if bad is not None:
        click.echo(f"caseread: error: {bad}", err=True)
        sys.exit(2)
    try:
        code = cli.main(prog_name="caseread", standalone_mode=False)
    except click.UsageError as exc:  # click would print three lines: usage, hint, error
        click.echo(usage_line(exc), err=True)
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("Aborted!", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
    if isinstance(code, int) and code:  # ctx.exit(code) returns it without standalone mode
        sys.exit(code)


def usage_line(exc: click.UsageError) -> str:
    """`caseread answers import: error: ...; see `caseread answers import --help``: one line
    naming the command and what was wrong with the input, as every other error is."""
    path = exc.ctx.command_path if exc.ctx is not None else "caseread"
    message = " ".join(exc.format_message().split())
    return f"{path}: error: {message.rstrip('.')}; see `{path} --help`"


def not_text(args: list[str]) -> str | None:
    """Why an argument cannot be used, or None. Bytes that are not UTF-8 (a Latin-1
    terminal, `$(printf 'caf\\xe9')`) reach Python as lone surrogates, which no note, query
    or SQL can store: refused here, in one line, rather than as a traceback from deep
    inside. A path that exists is kept as it is (a file name may be any bytes)."""
    import os

    for arg in args:
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            if os.path.lexists(arg):
                continue
            shown = arg.encode("utf-8", "surrogateescape").decode("ascii", "backslashreplace")
            return (f"argument '{shown}' is not UTF-8 text; type it in a UTF-8 terminal "
                    "(or put it in a UTF-8 file and import that)")
    return None
