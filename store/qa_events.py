"""Quality-assurance events: the team, assignments, dip samples, queries, accepted checks,
sign-offs and unlocks, kept as immutable fragments like answers (see docs/store.md, "QA").

Two kinds, one schema:
- `qa/<inspection>/`: what any team member may write (opening and answering a query);
- `lead/<inspection>/`: what only a lead may write (team, assignment, sample, closing a
  query, accepting a failed check, sign-off, unlock). With `caseread init --lead-group L`
  the `lead/` directory belongs to group L (mode 2775 under the 2770 store root), so the
  file system itself refuses a lead event from anyone outside L.
"""

from __future__ import annotations

import os
import uuid
from typing import Any

import pyarrow as pa

from .fragments import publish, publish_file
from .layout import Layout, check_id, fragment_names, utc_now
from .permissions import FILE_MODE, make_dir

QA_KINDS = ("qa", "lead")
LEAD_DIR_MODE = 0o2775  # group L writes; the team (who alone can enter the 2770 root) reads
LEAD_FILE_MODE = 0o644  # written in .tmp/ (group T) and linked: the team must not write it
# event -> the kind (directory) it is written to
EVENTS = {
    "team": "lead", "assign": "lead", "sample": "lead", "query_close": "lead",
    "accept": "lead", "signoff": "lead", "unlock": "lead",
    "query_open": "qa", "query_respond": "qa",
}
ROLES = ("lead", "inspector", "assessor")

QA = pa.schema([
    ("inspection_id", pa.string()),
    ("case_id", pa.string()),    # NULL for team events
    ("event", pa.string()),      # one of EVENTS
    ("subject", pa.string()),    # user, question, check id or sample id
    ("value", pa.string()),      # role, query id, seed
    ("text", pa.string()),       # query text, response, reason, sample parameters (JSON)
    ("author", pa.string()),
    ("saved_at", pa.timestamp("us")),
    ("event_id", pa.string()),
])


def prepare(layout: Layout) -> None:
    """The zero-row files that keep the views' globs non-empty (best effort in `lead/`,
    which a non-lead cannot write once it is protected)."""
    for kind in QA_KINDS:
        target = layout.empty_file(kind)
        if target.exists():
            continue
        try:
            make_dir(layout.kind_dir(kind))
            publish_file(layout, QA.empty_table(), target)
        except Exception:
            if kind == "qa":
                raise


def protect_lead_dir(layout: Layout, lead_group: str) -> None:
    """`lead/` owned by group `lead_group`, setgid, 2775: only the group creates files."""
    import grp

    try:
        gid = grp.getgrnam(lead_group).gr_gid
    except KeyError:
        from .errors import StoreError

        raise StoreError(f"no such group {lead_group!r}") from None
    lead = layout.kind_dir("lead")
    make_dir(lead)
    os.chown(lead, -1, gid)
    os.chmod(lead, LEAD_DIR_MODE)
    empty_dir = lead / ".empty"
    make_dir(empty_dir)
    os.chmod(empty_dir, LEAD_DIR_MODE)
    publish_file(layout, QA.empty_table(), layout.empty_file("lead"))
    os.chmod(layout.empty_file("lead"), LEAD_FILE_MODE)


def lead_protected(layout: Layout) -> bool:
    """True when `lead/` has its own group (set up by `init --lead-group`)."""
    try:
        return os.stat(layout.kind_dir("lead")).st_gid != os.stat(layout.root).st_gid
    except OSError:
        return False


def lead_problems(layout: Layout) -> list[str]:
    """What looks wrong with `lead/`: not protected by a lead group, or holding files
    written by someone outside that group (possible only for root, or in a replaced
    directory). Empty when all is as `init --lead-group` left it."""
    import grp
    import pwd

    if not lead_protected(layout):
        return ["lead/ is not protected by a lead group: roles are enforced by caseread only "
                "(see docs/store.md)"]
    lead = layout.kind_dir("lead")
    gid = os.stat(lead).st_gid
    try:
        group = grp.getgrgid(gid)
    except KeyError:
        return [f"lead/ belongs to gid {gid}, which has no group entry"]
    out = []
    for part in sorted(p for p in lead.iterdir() if p.is_dir() and p.name[0] != "."):
        for name in fragment_names(part):
            uid = os.stat(part / name).st_uid
            try:
                user = pwd.getpwuid(uid)
            except KeyError:
                out.append(f"lead/{part.name}/{name} was written by uid {uid}")
                continue
            if user.pw_gid != gid and user.pw_name not in group.gr_mem:
                out.append(f"lead/{part.name}/{name} was written by {user.pw_name}, who is "
                           f"not in the lead group {group.gr_name}")
    return out


def write(layout: Layout, author: str, inspection_id: str, rows: list[dict[str, Any]]) -> str:
    """Publish `rows` (dicts with event, case_id, subject, value, text) as one fragment of
    the kind their event belongs to; returns the saved_at stamp as ISO text. All rows of
    one call must be of one kind."""
    check_id(inspection_id)
    kinds = {EVENTS[r["event"]] for r in rows}
    if len(kinds) != 1:
        raise ValueError(f"one kind per write, got {sorted(kinds)}")
    kind = kinds.pop()
    saved_at = utc_now()
    full = [{"inspection_id": inspection_id, "case_id": None, "subject": None, "value": None,
             "text": None, **r, "author": author, "saved_at": saved_at,
             "event_id": uuid.uuid4().hex} for r in rows]
    table = pa.Table.from_pylist(full, schema=QA)
    directory = layout.partition(kind, inspection_id)
    protected = kind == "lead" and lead_protected(layout)
    if protected and not directory.is_dir():
        make_dir(directory)
        os.chmod(directory, LEAD_DIR_MODE)
    path = publish(layout, table, directory, when=saved_at,
                   file_mode=LEAD_FILE_MODE if protected else FILE_MODE)
    del path
    return saved_at.isoformat()
