"""The user's config file (store, key remapping) and the remembered last inspection.

`config.toml` lives in `platformdirs.user_config_dir("caseread")` and is only ever read:
users edit it by hand, so we never rewrite it. What we remember ourselves (the last
inspection opened in each store) goes to a small `state.json` beside it.
"""

from __future__ import annotations

import contextlib
import json
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CONFIG_NAME = "config.toml"
STATE_NAME = "state.json"


class ConfigError(ValueError):
    """The config file exists but cannot be used; the message names file and problem."""


def config_dir() -> Path:
    """Where config.toml lives; `CASEREAD_CONFIG_DIR` overrides (tests, shared accounts)."""
    override = os.environ.get("CASEREAD_CONFIG_DIR")
    if override:
        return Path(override)
    import platformdirs  # here, not at the top: not needed to start the app (launch time)

    return Path(platformdirs.user_config_dir("caseread"))


def cache_dir() -> Path:
    """Where caches live (the case list snapshots); `CASEREAD_CACHE_DIR` overrides."""
    override = os.environ.get("CASEREAD_CACHE_DIR")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_cache_dir("caseread"))


@dataclass(frozen=True)
class Config:
    store: Path | None = None
    keys: dict[str, str] = field(default_factory=dict)  # binding id -> key(s), e.g. "y,j"


def load_config(directory: Path | None = None) -> Config:
    """Read config.toml; a missing file is an empty config, a broken one a ConfigError."""
    path = (directory or config_dir()) / CONFIG_NAME
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        return Config()
    except (tomllib.TOMLDecodeError, OSError) as exc:
        raise ConfigError(f"{path}: {exc}") from None
    store = data.get("store")
    if store is not None and not isinstance(store, str):
        raise ConfigError(f"{path}: store: must be a string path")
    keys = data.get("keys", {})
    if not isinstance(keys, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in keys.items()
    ):
        raise ConfigError(f"{path}: keys: must be a table of binding id = \"key\" strings")
    return Config(store=Path(store).expanduser() if store else None, keys=dict(keys))


def _read_state(directory: Path) -> dict[str, dict[str, str]]:
    try:
        data = json.loads((directory / STATE_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def last_inspection(store_dir: Path, directory: Path | None = None) -> str | None:
    """The inspection last opened in this store by this user, if any."""
    entry = _read_state(directory or config_dir()).get("last_inspection", {})
    value = entry.get(str(Path(store_dir).resolve())) if isinstance(entry, dict) else None
    return value if isinstance(value, str) else None


def remember_inspection(store_dir: Path, inspection_id: str, directory: Path | None = None) -> None:
    """Remember the inspection; best effort (a read-only home must not stop the app)."""
    directory = directory or config_dir()
    state = _read_state(directory)
    entry = state.setdefault("last_inspection", {})
    entry[str(Path(store_dir).resolve())] = inspection_id
    _write_state(directory, state)


def forget_inspection(store_dir: Path, directory: Path | None = None) -> None:
    """Forget the last inspection of this store (it does not exist); best effort."""
    directory = directory or config_dir()
    state = _read_state(directory)
    entry = state.get("last_inspection", {})
    if isinstance(entry, dict) and entry.pop(str(Path(store_dir).resolve()), None) is not None:
        _write_state(directory, state)


def _write_state(directory: Path, state: dict[str, Any]) -> None:
    # the store package is imported late: config is read before the first frame
    from store.private_files import write_private

    with contextlib.suppress(OSError):  # 0600: it names the user's stores (issue 14)
        write_private(directory / STATE_NAME, json.dumps(state, indent=1))
