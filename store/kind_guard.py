"""A record with answers keeps its kind: a case re-saved or re-imported as an interview
record (or back) would silently take its answers out of the scores (or put them in).
To change it, clear its answers first."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .reading import retrying
from .validation import ValidationError

if TYPE_CHECKING:
    from .store import Store


def refuse_kind_changes(store: Store, inspection_id: str, kinds: dict[str, str]) -> None:
    """Raise ValidationError if any case in `kinds` (case id -> new kind) has answers and
    another kind now. Reads the inspection's live answers (store/live.py), not the views."""
    live = store._live_answers(inspection_id)
    db = store._scan_database()
    with live.lock:
        retrying(lambda: live.refresh(db.cursor), store._on_damage)
        for case_id, kind in kinds.items():
            old = (live.cases.get(case_id) or {}).get("kind") or "case"
            if case_id not in live.cases or old == kind:
                continue
            answers = live._latest.get(case_id, {})  # noqa: SLF001 - cleared ones are None
            if any(save[2] is not None for save in answers.values()):
                raise ValidationError(
                    f"case {case_id} has answers, so it cannot change from {old} to {kind} "
                    f"(its answers would silently leave or join the scores); clear its "
                    f"answers first")
