"""Shared by the store commands: one-line errors, finding the store and inspection, output.

The remembered inspection lives in the same `state.json` as the app's (under
`platformdirs.user_config_dir("caseread")`, or `CASEREAD_CONFIG_DIR`), so the command
line and the app agree on "the last inspection used" in each store.
"""

from __future__ import annotations

import contextlib
import functools
import io
import json
import os
import sys
import tomllib
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TypeVar

import click
import platformdirs

# duckdb, pyarrow, pydantic (through criteria) and the store are imported by the commands
# that use them: `caseread --help` and `--version` must not pay ~0.3 s for them.
if TYPE_CHECKING:
    import pyarrow as pa

    from store import Store

from .options import store_option

__all__ = ["CliError", "one_line_errors", "open_store", "store_option"]

STATE_NAME = "state.json"
MARKER = "caseread-store.json"
F = TypeVar("F", bound=Callable[..., Any])


class CliError(click.ClickException):
    """Shown as one line `caseread: error: ...` on stderr; exit status 1."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(" ".join(str(message).split()))

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"caseread: error: {self.format_message()}", err=True)


# Errors whose message is already meant for the user: (module, class names).
_EXPECTED = (
    ("store.errors", ("StoreError",)),
    ("store.csvread", ("CsvProblem",)),
    ("store.confine", ("SqlRefused", "SqlError")),
    ("criteria.yamlsource", ("FrameworkError",)),
    ("duckdb", ("Error",)),
)


def _expected() -> tuple[type[BaseException], ...]:
    """The user-facing error classes of the modules loaded so far: a module the command
    never imported cannot have raised, so none is imported just to catch its errors."""
    found: list[type[BaseException]] = [OSError]
    for module_name, names in _EXPECTED:
        module = sys.modules.get(module_name)
        found += [getattr(module, name) for name in names if module is not None]
    return tuple(found)


def _is_duckdb_error(exc: BaseException) -> bool:
    duckdb = sys.modules.get("duckdb")
    return duckdb is not None and isinstance(exc, duckdb.Error)


def one_line_errors(command: F) -> F:
    """Turn the errors a command expects into a one-line message and exit status 1."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except Exception as exc:
            if isinstance(exc, click.ClickException) or not isinstance(exc, _expected()):
                raise
            raise CliError(_describe(exc)) from exc

    return wrapper  # type: ignore[return-value]


def _describe(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror and exc.filename:
        return f"{exc.filename}: {exc.strerror}"
    if _is_duckdb_error(exc):
        return f"query failed: {str(exc).splitlines()[0]}"
    return str(exc)


def has_terminal() -> bool:
    """Whether the app can run here: stdin and stdout are a terminal (not cron,
    `ssh host caseread`, a pipe or a redirect, where a headless app would spin unseen)."""
    return sys.stdin.isatty() and sys.stdout.isatty()


NO_TERMINAL = ("the app needs a terminal (stdin and stdout are not one); use a command "
               "instead, see `caseread --help`")


# ---------------------------------------------------------------- store and inspection


def config_dir() -> Path:
    override = os.environ.get("CASEREAD_CONFIG_DIR")
    return Path(override) if override else Path(platformdirs.user_config_dir("caseread"))


def store_dir(ctx: click.Context, must_exist: bool = True) -> Path:
    """--store, CASEREAD_STORE, config.toml's `store`, else the demo store if it exists."""
    given = (ctx.find_root().obj or {}).get("store_dir")
    path = Path(given).expanduser() if given else _configured_store()
    if path is None:
        demo = Path(platformdirs.user_data_dir("caseread")) / "demo"
        if not must_exist or (demo / MARKER).exists():
            path = demo
    if path is None:
        raise CliError("no store: use --store DIR or set CASEREAD_STORE "
                       "(or run `caseread demo` for the demo inspection)")
    try:
        found = (path / MARKER).exists()
    except PermissionError:
        raise CliError(f"{path}: permission denied (a store is shared with one Unix group: "
                       "ask to be added to it)") from None
    if must_exist and not found:
        raise CliError(f"{path}: not a caseread store (create one with `caseread init`)")
    return path


def _configured_store() -> Path | None:
    path = config_dir() / "config.toml"
    try:
        with path.open("rb") as f:
            value = tomllib.load(f).get("store")
    except FileNotFoundError:
        return None
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise CliError(f"{path}: {exc}") from None
    return Path(value).expanduser() if isinstance(value, str) and value else None


def open_store(ctx: click.Context) -> Store:
    """Store.open, its warnings (e.g. world-readable) shown as one line each."""
    from store import Store

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        store = Store.open(store_dir(ctx))
    for warning in caught:
        click.echo(f"caseread: warning: {warning.message}", err=True)
    return store


def inspection_ids(store: Store) -> list[str]:
    table = store.query("SELECT inspection_id FROM inspections ORDER BY inspection_id")
    return [str(v) for v in table.column("inspection_id").to_pylist()]


def resolve_inspection(store: Store, path: Path, wanted: str | None) -> str:
    """--inspection, else the only one, else the last one used here, else an error."""
    ids = inspection_ids(store)
    if wanted is not None:
        if wanted not in ids:
            have = ", ".join(ids) or "none yet"
            raise CliError(f"no inspection {wanted!r} in {path} (inspections: {have})")
        remember_inspection(path, wanted)
        return wanted
    if not ids:
        raise CliError(f"{path} has no inspections yet: add one with "
                       "`caseread inspection add ID --area NAME --date YYYY-MM`")
    if len(ids) == 1:
        return ids[0]
    last = last_inspection(path)
    if last in ids:
        return str(last)
    raise CliError(f"several inspections ({', '.join(ids)}): choose one with --inspection ID")


def _read_state() -> dict[str, Any]:
    try:
        data = json.loads((config_dir() / STATE_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def last_inspection(path: Path) -> str | None:
    entry = _read_state().get("last_inspection", {})
    value = entry.get(str(path.resolve())) if isinstance(entry, dict) else None
    return value if isinstance(value, str) else None


def remember_inspection(path: Path, inspection_id: str) -> None:
    """Best effort: a read-only home directory must not fail the command."""
    state = _read_state()
    entry = state.get("last_inspection")
    if not isinstance(entry, dict):
        entry = state["last_inspection"] = {}
    entry[str(path.resolve())] = inspection_id
    from store.private_files import write_private

    with contextlib.suppress(OSError):  # 0600: it names the user's stores (issue 14)
        write_private(config_dir() / STATE_NAME, json.dumps(state, indent=2))


# ---------------------------------------------------------------- output

FORMATS = click.Choice(["table", "csv", "json"])
TABLE_ROWS = 10_000  # a text table is for reading; more rows belong in csv/json


def emit_table(table: pa.Table, fmt: str) -> None:
    """Print an Arrow table as an aligned text table, CSV or JSON records."""
    if fmt == "json":
        click.echo(json.dumps(table.to_pylist(), default=str, ensure_ascii=False, indent=1))
    elif fmt == "csv":
        click.echo(to_csv(table), nl=False)
    else:
        shown = table.slice(0, TABLE_ROWS)
        click.echo(text_table(table.column_names, [
            [_cell(v) for v in row.values()] for row in shown.to_pylist()
        ]))
        if table.num_rows > TABLE_ROWS:
            click.echo(f"... and {table.num_rows - TABLE_ROWS} more rows "
                       "(--format csv or json gives them all)")


def to_csv(table: pa.Table) -> str:
    """CSV text; list columns (multi-choice case details) joined with ';' as on import."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv

    columns = []
    for name, column in zip(table.column_names, table.columns, strict=True):
        if pa.types.is_list(column.type) or pa.types.is_large_list(column.type):
            column = pc.binary_join(column, ";")
        columns.append((name, column))
    flat = pa.table(dict(columns)) if columns else table
    out = io.BytesIO()
    pacsv.write_csv(flat, out)
    return out.getvalue().decode("utf-8")


def plural(n: int, noun: str, nouns: str | None = None) -> str:
    """'1 case', '2 cases' (`nouns` for an irregular plural)."""
    return f"{n} {noun if n == 1 else nouns or noun + 's'}"


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ";".join(_cell(v) for v in value)
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def text_table(header: list[str], rows: list[list[str]], right: list[bool] | None = None) -> str:
    """Columns padded to their widest cell; `right` columns (default: numbers) right-aligned."""
    widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(header)]
    numeric = right or [
        bool(rows) and all(_is_number(r[i]) for r in rows) for i in range(len(header))
    ]

    def line(cells: list[str]) -> str:
        return "  ".join(
            c.rjust(w) if num else c.ljust(w)
            for c, w, num in zip(cells, widths, numeric, strict=True)
        ).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(header), rule, *(line(r) for r in rows)])


def _is_number(text: str) -> bool:
    try:
        float(text.rstrip("%"))
    except ValueError:
        return text == ""
    return True


def say_unmarked(store: Store, iid: str, case_ids: list[str]) -> None:
    """Complete means every applicable question answered, now: a change that leaves one
    unanswered clears the mark (as the form does) and says so."""
    from store.qa_checks import describe_unmarked, unmark_incomplete

    for case_id, missing in unmark_incomplete(store, iid, case_ids):
        click.echo(describe_unmarked(case_id, missing))
