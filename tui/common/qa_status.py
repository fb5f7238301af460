"""Each case's QA state (the store's `case_status` view) for the case list and the form:
reader, state (not started -> in progress -> complete -> sampled -> queried -> resolved ->
signed off) and open queries."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui.common.store_reads import CaseRow
    from tui.common.store_seam import Store

STATES = ("not started", "in progress", "complete", "sampled", "queried", "resolved",
          "signed off")
ORDER = {state: i for i, state in enumerate(STATES)}


def label(state: str, open_queries: int) -> str:
    """The list's status cell: the state, and open queries when there are any."""
    return f"{state} ({open_queries}q)" if open_queries else state


def state_of(status: str) -> str:
    """The state of a status cell (`label`'s inverse, for sorting)."""
    return status.split(" (", 1)[0]


def statuses(store: Store, inspection_id: str) -> dict[str, tuple[str | None, str, int]]:
    """case_id -> (reader, state, open queries)."""
    table = store.query("SELECT case_id, reader, state, open_queries FROM case_status "
                        "WHERE inspection_id = ?", [inspection_id])
    return {r["case_id"]: (r["reader"], r["state"], int(r["open_queries"]))
            for r in table.to_pylist()}


def with_qa_status(store: Store, inspection_id: str, found: list[CaseRow]) -> list[CaseRow]:
    """The rows with the QA state as status and the reader as inspector (unchanged if the
    QA views cannot be read, e.g. an old store opened read-only without `qa/`)."""
    try:
        qa = statuses(store, inspection_id)
    except Exception:
        return found
    out = []
    for row in found:
        reader, state, open_queries = qa.get(row.case_id, (None, row.status, 0))
        if state in ("not started", "in progress", "complete"):
            state = row.status  # the list's own progress rule decides these
        cells = dict(row.cells)
        if reader:
            cells["inspector"] = reader
        out.append(dataclasses.replace(row, status=label(state, open_queries), cells=cells))
    return out
