"""`caseread help TOPIC`: help that an installed user has (no docs/ folder needed)."""

from __future__ import annotations

import click


@click.group("help")
def help_group() -> None:
    """Help on the app: `caseread help keys` lists every key of every screen."""


@help_group.command("keys")
def help_keys() -> None:
    """Every key of the app, by screen, with the id to remap it in config.toml."""
    from tui.common.keys_reference import keys_text

    click.echo(keys_text())
