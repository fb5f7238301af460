"""store: the Parquet answer store, its views and Appendix 5 scoring.

    from store import Store, AnswerInput
"""

import logging

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
