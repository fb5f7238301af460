"""What the agreement screen shows, computed off the event loop (no Textual here)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from store.agreement_data import Row
    from tui.common.store_seam import Store


@dataclass(frozen=True)
class AgreementData:
    overall: Row | None
    questions: list[Row]
    criteria: list[Row]
    disagreements: list[dict[str, Any]]
    cases: int


def load(store: Store, inspection_id: str) -> AgreementData:
    """Per-question and per-criterion agreement rows and the moderation list."""
    from store.agreement_data import agreement_rows, disagreements, pairs

    found = pairs(store, inspection_id)  # type: ignore[arg-type]  # the Protocol's query
    by_question = agreement_rows(store.framework, found, "question")
    by_criterion = agreement_rows(store.framework, found, "criterion")
    return AgreementData(
        overall=by_question[0] if by_question else None,
        questions=by_question[1:], criteria=by_criterion[1:],
        disagreements=disagreements(store, inspection_id),  # type: ignore[arg-type]
        cases=len({p["case_id"] for p in found}),
    )


SORTS = {
    "order": None,
    "ac1": lambda r: (r.stats.ac1.value is None, r.stats.ac1.value or 0.0),
    "kappa": lambda r: (r.stats.kappa.value is None, r.stats.kappa.value or 0.0),
}


def sorted_rows(rows: list[Row], by: str) -> list[Row]:
    """Framework order, or lowest AC1 / kappa first (undefined last): the questions most in
    need of a look come first."""
    key = SORTS[by]
    return list(rows) if key is None else sorted(rows, key=key)
