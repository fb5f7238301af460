"""The quality-assurance workflow on the store: team and roles, assignment, dip samples,
queries, accepted checks, sign-off and unlock. Every step is an event (store/qa_events.py)
with its author (the OS user) and time; the views (store/qa_views.py) derive the rest.

Roles: only a lead (the inspection's `team` says so) may change the team, assign, sample,
close queries, accept failed checks, sign off and unlock; `QaRefused` says why not. While
an inspection has no lead yet, the first `team_add` is open to anyone who can write
`lead/` (with `init --lead-group` only that group), so a lead can bootstrap the team.
"""

from __future__ import annotations

import json
import math
import pwd
import random
import secrets
import uuid
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from . import qa_checks, qa_events, qa_lock
from .errors import StoreError
from .qa_checks import QaStore as Store

ASSESSOR_FACTOR = 2.0  # local assessors are dip-sampled at twice the rate by default
DEFAULT_FRACTION = 0.1


class QaRefused(StoreError):
    """A QA step the user may not take, or that the case's state does not allow."""


@dataclass(frozen=True)
class Sample:
    sample_id: str
    seed: int
    cases: list[tuple[str, str]]  # (reader, case_id), by reader then case


def _write(store: Store, iid: str, rows: list[dict[str, Any]]) -> str:
    try:
        return qa_events.write(store.layout, store.author, iid, rows)
    except (StoreError, PermissionError) as exc:
        denied = isinstance(exc, PermissionError) or "permission denied" in str(exc)
        if denied and qa_events.EVENTS[rows[0]["event"]] == "lead":
            raise QaRefused(f"{store.author} cannot write lead events here: the store's "
                            "lead/ directory is for the lead group only") from exc
        raise


# ----------------------------------------------------------------------------- team
def team(store: Store, iid: str) -> dict[str, str]:
    """user -> role of the inspection's team."""
    rows = store.query('SELECT "user", role FROM team WHERE inspection_id = ?', [iid])
    return dict(zip(rows.column("user").to_pylist(), rows.column("role").to_pylist(),
                    strict=True))


def role_of(store: Store, iid: str, user: str | None = None) -> str | None:
    return team(store, iid).get(user or store.author)


def require_lead(store: Store, iid: str, what: str) -> None:
    role = role_of(store, iid)
    if role != "lead":
        who = f"{'an' if role in ('inspector', 'assessor') else 'a'} {role}" if role \
            else f"not in the team of {iid}"
        raise QaRefused(f"only a lead may {what}: {store.author} is {who}")


def os_user_exists(name: str) -> bool:
    """Whether `name` is an account of this server (team members are OS users)."""
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def team_add(store: Store, iid: str, user: str, role: str, check_user: bool = True) -> None:
    """Add `user` (an OS account) with `role`, or change their role."""
    if role not in (*qa_events.ROLES, "removed"):
        raise QaRefused(f"role {role!r} is not one of: {', '.join(qa_events.ROLES)}")
    if check_user and role != "removed" and not os_user_exists(user):
        raise QaRefused(f"no OS user {user!r}: team members are the server's users")
    members = team(store, iid)
    if "lead" in members.values():
        require_lead(store, iid, "change the team")
    elif role != "lead":
        raise QaRefused(f"{iid} has no lead yet: add one first "
                        f"(caseread team add USER --role lead)")
    if role == "removed" and user not in members:
        raise QaRefused(f"{user} is not in the team of {iid}")
    _write(store, iid, [{"event": "team", "subject": user, "value": role}])


# ------------------------------------------------------------------------ assignment
def _case_ids(store: Store, iid: str) -> set[str]:
    rows = store.query("SELECT case_id FROM cases WHERE inspection_id = ?", [iid])
    return set(rows.column("case_id").to_pylist())


def _require_case(store: Store, iid: str, case_id: str) -> None:
    if case_id not in _case_ids(store, iid):
        raise QaRefused(f"unknown case {case_id!r} in {iid}")


def assign(store: Store, iid: str, case_ids: list[str], reader: str) -> None:
    """Assign cases to a reader of the team (lead only)."""
    require_lead(store, iid, "assign cases")
    if reader not in team(store, iid):
        raise QaRefused(f"{reader} is not in the team of {iid}: "
                        f"caseread team add {reader} --role inspector")
    for case_id in case_ids:
        _require_case(store, iid, case_id)
    _write(store, iid, [{"event": "assign", "case_id": c, "subject": reader} for c in case_ids])


# ------------------------------------------------------------------------ dip samples
def draw_sample(
    store: Store, iid: str, per_reader: int | None = None, fraction: float | None = None,
    seed: int | None = None, assessor_factor: float = ASSESSOR_FACTOR,
) -> Sample:
    """A reproducible random sample of complete, not yet sampled or signed-off case
    records, stratified by reader: `per_reader` cases each, or `fraction` of each reader's
    (default 10%, at least one); local assessors at `assessor_factor` times the rate.
    Same store state and seed -> same sample (`random.Random(seed)`, readers and cases
    in sorted order)."""
    require_lead(store, iid, "draw a dip sample")
    if per_reader is not None and fraction is not None:
        raise QaRefused("give --per-reader or --fraction, not both")
    if per_reader is not None and per_reader < 1:
        raise QaRefused("--per-reader must be at least 1")
    if fraction is not None and not 0 < fraction <= 1:
        raise QaRefused("--fraction must be in (0, 1]")
    seed = secrets.randbelow(2**31) if seed is None else seed
    roles = team(store, iid)
    pool: dict[str, list[str]] = defaultdict(list)
    for row in store.query("""
        SELECT s.reader, s.case_id FROM case_status s JOIN cases c USING (inspection_id, case_id)
        WHERE s.inspection_id = ? AND s.kind = 'case' AND c.marked_complete
          AND NOT s.sampled AND NOT s.signed_off AND s.reader IS NOT NULL""", [iid]).to_pylist():
        pool[row["reader"]].append(row["case_id"])
    rng = random.Random(seed)
    chosen: list[tuple[str, str]] = []
    for reader in sorted(pool):
        cases = sorted(pool[reader])
        factor = assessor_factor if roles.get(reader) == "assessor" else 1.0
        if per_reader is not None:
            n = math.ceil(per_reader * factor)
        else:
            n = math.ceil(min(1.0, (fraction or DEFAULT_FRACTION) * factor) * len(cases))
        chosen += [(reader, c) for c in sorted(rng.sample(cases, min(n, len(cases))))]
    if not chosen:
        raise QaRefused(f"no complete case of {iid} is left to sample")
    taken = store.query("SELECT count(DISTINCT sample_id) AS n FROM qa_samples "
                        "WHERE inspection_id = ?", [iid]).column("n")[0].as_py()
    sample_id = f"S{taken + 1}"
    params = {"per_reader": per_reader, "fraction": fraction, "assessor_factor": assessor_factor}
    _write(store, iid, [
        {"event": "sample", "case_id": c, "subject": sample_id, "value": str(seed),
         "text": json.dumps(params | {"reader": r, "role": roles.get(r)})}
        for r, c in chosen])
    return Sample(sample_id, seed, chosen)


# --------------------------------------------------------------------------- queries
def open_query(store: Store, iid: str, case_id: str, question_id: str, text: str) -> str:
    """Open a query on an answer (anyone); returns the query id (8 hex digits)."""
    _require_case(store, iid, case_id)
    try:
        store.framework.question(question_id)
    except KeyError:
        raise QaRefused(f"unknown question {question_id!r}") from None
    qa_lock.refuse_signed_off(store.layout, iid, [case_id])
    if not text.strip():
        raise QaRefused("a query needs its text")
    query_id = uuid.uuid4().hex[:8]
    _write(store, iid, [{"event": "query_open", "case_id": case_id, "subject": question_id,
                         "value": query_id, "text": text.strip()}])
    return query_id


def query(store: Store, iid: str, query_id: str) -> dict[str, Any]:
    rows = store.query("SELECT * FROM queries WHERE inspection_id = ? AND query_id = ?",
                       [iid, query_id]).to_pylist()
    if not rows:
        raise QaRefused(f"no query {query_id!r} in {iid}")
    return rows[0]


def respond(store: Store, iid: str, query_id: str, text: str) -> None:
    """Answer a query (the case's reader, or anyone in the team)."""
    q = query(store, iid, query_id)
    if q["state"] == "closed":
        raise QaRefused(f"query {query_id} is closed")
    if not text.strip():
        raise QaRefused("a response needs its text")
    _write(store, iid, [{"event": "query_respond", "case_id": q["case_id"],
                         "subject": q["question_id"], "value": query_id, "text": text.strip()}])


def close(store: Store, iid: str, query_id: str, text: str | None = None) -> None:
    require_lead(store, iid, "close a query")
    q = query(store, iid, query_id)
    if q["state"] == "closed":
        raise QaRefused(f"query {query_id} is already closed")
    _write(store, iid, [{"event": "query_close", "case_id": q["case_id"],
                         "subject": q["question_id"], "value": query_id, "text": text}])


# ------------------------------------------------------------------ checks and sign-off
def accept_check(store: Store, iid: str, case_id: str, check_id: str, reason: str) -> None:
    """A lead accepts a failed data quality check of a case, with a reason."""
    require_lead(store, iid, "accept a failed check")
    if not reason.strip():
        raise QaRefused("accepting a failed check needs --reason")
    failed = {r.check_id for r in qa_checks.run_checks(store, iid, case_id)}
    if check_id not in failed:
        raise QaRefused(f"check {check_id} does not fail for case {case_id}")
    _write(store, iid, [{"event": "accept", "case_id": case_id, "subject": check_id,
                         "text": reason.strip()}])


def signoff_blockers(store: Store, iid: str, case_id: str) -> list[str]:
    """Why `case_id` cannot be signed off yet (empty: it can)."""
    out = []
    open_q = store.query("SELECT query_id FROM queries WHERE inspection_id = ? AND case_id = ? "
                         "AND state <> 'closed' ORDER BY opened_at", [iid, case_id])
    if open_q.num_rows:
        ids = ", ".join(open_q.column("query_id").to_pylist())
        out.append(f"{open_q.num_rows} open quer{'y' if open_q.num_rows == 1 else 'ies'} ({ids})")
    failed = [r.check_id for r in qa_checks.run_checks(store, iid, case_id) if not r.accepted]
    if failed:
        out.append(f"failed checks not accepted ({', '.join(failed)})")
    missing = qa_checks.case_unanswered(store, iid, case_id)
    if missing:
        shown = ", ".join(missing[:5]) + (", ..." if len(missing) > 5 else "")
        out.append(f"{len(missing)} applicable questions unanswered ({shown})")
    return out


def signoff(store: Store, iid: str, case_id: str, note: str | None = None) -> None:
    require_lead(store, iid, "sign off a case")
    _require_case(store, iid, case_id)
    if case_id in qa_lock.signed_off(store.layout, iid):
        raise QaRefused(f"case {case_id} is already signed off")
    blockers = signoff_blockers(store, iid, case_id)
    if blockers:
        raise QaRefused(f"case {case_id} cannot be signed off: {'; '.join(blockers)}")
    _write(store, iid, [{"event": "signoff", "case_id": case_id, "text": note}])


def unlock(store: Store, iid: str, case_id: str, reason: str) -> None:
    require_lead(store, iid, "unlock a case")
    if case_id not in qa_lock.signed_off(store.layout, iid):
        raise QaRefused(f"case {case_id} is not signed off")
    if not reason.strip():
        raise QaRefused("unlocking needs --reason")
    _write(store, iid, [{"event": "unlock", "case_id": case_id, "text": reason.strip()}])
