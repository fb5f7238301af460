"""What the QA screen shows, read in a worker: progress per reader, the dip-sample work
list, open queries and failed checks not accepted (store views `reader_progress`,
`qa_samples` + `case_status`, `queries`; checks run by store.qa_checks)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tui.common.store_seam import Store


@dataclass(frozen=True)
class QaData:
    me: str
    role: str | None  # my role in the team (None: not in it)
    progress: list[dict[str, Any]]
    sample: list[dict[str, Any]]
    queries: list[dict[str, Any]]
    checks: list[dict[str, Any]]


def load(store: Store, inspection_id: str) -> QaData:
    from store.qa import team
    from store.qa_checks import run_checks

    def rows(sql: str) -> list[dict[str, Any]]:
        return list(store.query(sql, [inspection_id]).to_pylist())

    progress = rows(
        "SELECT reader, role, cases, assigned, started, complete, sampled, queried, signed_off "
        "FROM reader_progress WHERE inspection_id = ? ORDER BY reader")
    sample = rows(
        "SELECT q.sample_id, q.case_id, q.reader, s.state, s.open_queries "
        "FROM qa_samples q LEFT JOIN case_status s USING (inspection_id, case_id) "
        "WHERE q.inspection_id = ? ORDER BY s.state = 'signed off', q.sample_id, q.reader, "
        "q.case_id")
    queries = rows(
        "SELECT query_id, case_id, question_id, state, opened_by, last_by, text FROM queries "
        "WHERE inspection_id = ? AND state <> 'closed' ORDER BY opened_at, query_id")
    checks = [r.to_json() for r in run_checks(store, inspection_id, settled_only=True)
              if not r.accepted]
    return QaData(store.author, team(store, inspection_id).get(store.author), progress,
                  sample, queries, checks)
