"""The one seam between the app and its data: what the screens use of `store.Store`.

Screens are typed against this Protocol, never `Any`. Both `store.Store` and the app's
`OpeningStore` (the store opened on first use) satisfy it. The store's own types are
imported only for type checking: at run time they would cost the first frame the import
of duckdb, pyarrow and pydantic (~0.4 s), which the launch defers to a worker.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import duckdb
    import pyarrow as pa

    from criteria.models import Framework
    from store.compaction import CompactionResult
    from store.layout import Layout
    from store.reads import AnswerEvent
    from store.scoring import Scores
    from store.store import Problem, Receipt
    from store.validation import AnswerInput


class Store(Protocol):
    """A caseread store as the app sees it (all calls may block: call them in workers)."""

    root: Path  # the store directory
    author: str  # the OS user every save is recorded under
    auto_compact_at: int | None  # fragments per directory that trigger a merge; None: never
    layout: Layout  # where its files are: the QA functions (store.qa) write events through it

    @property
    def framework(self) -> Framework:
        """The criteria framework the store was made with."""
        ...

    @property
    def problems(self) -> list[Problem]:
        """Files moved aside as damaged (`Quarantined`) and problems only reported (links,
        unreadable files: `fragment_check.Verdict`) since the store was opened, oldest first."""
        ...

    def now(self) -> datetime:
        """Now by the store's clock (naive UTC): saves are stamped with it, not the
        writer's clock, so polling for changes starts from it."""
        ...

    def query(self, sql: str, params: Sequence[object] | None = None) -> pa.Table:
        """Trusted SQL over the views (never user SQL): an Arrow table, one row per result
        row, columns as the SQL names them. Retried when compaction removes a file."""
        ...

    def connect(self) -> duckdb.DuckDBPyConnection:
        """A confined read-only connection holding the views, for user SQL."""
        ...

    def scores(self, inspection_id: str, method: str = "questions",
               by: str | None = None) -> Scores:
        """Appendix 5 scores of one inspection (fractions 0..1), live; `by` a case field."""
        ...

    def fragment_signature(self, inspection_id: str) -> tuple[tuple[str, ...], ...]:
        """File names of the inspection's data: poll it, re-read only when it changes."""
        ...

    def changes_since(self, inspection_id: str, case_id: str,
                      since: datetime) -> list[AnswerEvent]:
        """Answer events of one case saved after `since` (naive UTC), oldest first."""
        ...

    def save_case(self, inspection_id: str, case_id: str, details: dict[str, object],
                  kind: str = "case") -> Receipt:
        """Save case details (one fragment, durable on return). Raises ValidationError."""
        ...

    def save_answers(self, inspection_id: str, answers: list[AnswerInput]) -> Receipt:
        """Save answers (one fragment, durable on return). Raises ValidationError, SaveError."""
        ...

    def save_reading(self, inspection_id: str, reading: int,
                     answers: list[AnswerInput]) -> Receipt:
        """Save answers of a second reading (reading >= 2; 1 = save_answers) to the store's
        `readings/` (never scored): one fragment, durable on return. Raises ValidationError,
        SaveError."""
        ...

    def mark_reading_complete(self, inspection_id: str, case_id: str, reading: int,
                              complete: bool = True) -> Receipt:
        """Record that the reader marked reading `reading` (>= 2) of a case (not) complete."""
        ...

    def compact(self, min_fragments: int = 2, wait: bool = True) -> CompactionResult:
        """Merge small fragments; with wait=False return at once if another compactor runs."""
        ...
