"""store: the Parquet answer store, its views and Appendix 5 scoring.

    from store import Store, AnswerInput
"""

from .compaction import CompactionResult
from .errors import SaveError, StoreError
from .quarantine import Quarantined
from .reads import AnswerEvent
from .scoring import Scores
from .store import Receipt, Store
from .validation import AnswerInput, ValidationError

__all__ = [
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
