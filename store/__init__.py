"""store: the Parquet answer store, its views and Appendix 5 scoring.

    from store import Store, AnswerInput

The names below load on first use (PEP 562), so importing one light submodule (say
`store.private_files`, which the app uses to remember the last inspection before its
first frame) does not import duckdb, pyarrow and pydantic with the whole store.
"""

from __future__ import annotations

import importlib
import logging
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .compaction import CompactionResult
    from .conflicts import UNCHECKED, AnswerConflict, Conflict
    from .errors import SaveError, StoreError
    from .quarantine import Quarantined
    from .reads import AnswerEvent
    from .scoring import Scores
    from .store import Receipt, Store
    from .validation import AnswerInput, ValidationError

# A library's logger stays silent unless the application configures logging: the CLI and
# the app report what the store quarantines themselves, as one line each.
logging.getLogger("store").addHandler(logging.NullHandler())

_WHERE = {
    "CompactionResult": "compaction", "UNCHECKED": "conflicts", "AnswerConflict": "conflicts",
    "Conflict": "conflicts", "SaveError": "errors", "StoreError": "errors",
    "Quarantined": "quarantine", "AnswerEvent": "reads", "Scores": "scoring",
    "Receipt": "store", "Store": "store", "AnswerInput": "validation",
    "ValidationError": "validation",
}


def __getattr__(name: str) -> Any:
    where = _WHERE.get(name)
    if where is None:
        raise AttributeError(f"module 'store' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{where}", __name__), name)
    globals()[name] = value  # once
    return value


__all__ = [
    "UNCHECKED",
    "AnswerConflict",
    "Conflict",
    "AnswerEvent",
    "AnswerInput",
    "CompactionResult",
    "Quarantined",
    "Receipt",
    "SaveError",
    "Scores",
    "Store",
    "StoreError",
    "ValidationError",
]
