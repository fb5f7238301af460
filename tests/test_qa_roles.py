"""Roles enforced by the file system: two real OS users in a team group, one of them also
in a lead group, on a store made by `caseread init --group T --lead-group L`.

Runs only as root where useradd/groupadd and setpriv exist (users and groups are created
with random names and removed afterwards); elsewhere it is skipped and the simulated role
tests (tests/test_qa_cli.py, which change the user the store sees) cover the app's checks.
The users run the real command line with the system Python 3.11 (the venv's interpreter
lives under root's home), importing this tree and the venv's packages.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SYSTEM_PY = Path(f"/usr/bin/python{sys.version_info.major}.{sys.version_info.minor}")
SITE = next(iter((ROOT / ".venv" / "lib").glob("python*/site-packages")), None)


def _usable() -> str | None:
    if os.geteuid() != 0:
        return "needs root to create users and groups"
    if not all(shutil.which(t) for t in ("useradd", "groupadd", "userdel", "groupdel",
                                         "setpriv")):
        return "useradd/groupadd/setpriv not available"
    if not SYSTEM_PY.exists() or SITE is None:
        return f"no {SYSTEM_PY} or venv site-packages for the other users"
    return None


pytestmark = pytest.mark.skipif(_usable() is not None, reason=str(_usable()))


class Team:
    def __init__(self, base: Path, team: str, lead_group: str, lead: str, inspector: str):
        self.base, self.team, self.lead_group = base, team, lead_group
        self.lead, self.inspector = lead, inspector
        self.store = base / "store"

    def env(self, user: str) -> dict[str, str]:
        return {"PATH": "/usr/bin:/bin", "HOME": str(self.base), "LANG": "C.UTF-8",
                "PYTHONPATH": f"{SITE}:{ROOT}", "CASEREAD_STORE": str(self.store),
                "CASEREAD_CONFIG_DIR": str(self.base / f"cfg-{user}")}

    def python(self, user: str, code: str, *args: str) -> subprocess.CompletedProcess[str]:
        cmd = [SYSTEM_PY.as_posix(), "-c", code, *args]
        if user != "root":
            cmd = ["setpriv", f"--reuid={user}", f"--regid={self.team}", "--init-groups", *cmd]
        return subprocess.run(cmd, env=self.env(user), capture_output=True, text=True,
                              timeout=120, cwd=self.base)

    def caseread(self, user: str, *args: str) -> subprocess.CompletedProcess[str]:
        return self.python(user, "import sys; from caseread.cli import main; "
                           "sys.argv[0] = 'caseread'; main()", *args)

    def ok(self, user: str, *args: str) -> str:
        done = self.caseread(user, *args)
        assert done.returncode == 0, (user, args, done.stdout, done.stderr)
        return done.stdout

    def fails(self, user: str, *args: str) -> str:
        done = self.caseread(user, *args)
        assert done.returncode == 1, (user, args, done.stdout, done.stderr)
        return done.stderr


@pytest.fixture(scope="module")
def team() -> Iterator[Team]:
    tag = uuid.uuid4().hex[:6]
    names = {"team": f"crt{tag}", "lead_group": f"crl{tag}",
             "lead": f"crlead{tag}", "inspector": f"crinsp{tag}"}
    base = Path(tempfile.mkdtemp(prefix="caseread-roles-"))
    os.chmod(base, 0o755)
    made: list[list[str]] = []
    try:
        for group in (names["team"], names["lead_group"]):
            subprocess.run(["groupadd", group], check=True)
            made.append(["groupdel", group])
        for user, extra in ((names["lead"], ["-G", names["lead_group"]]),
                            (names["inspector"], [])):
            subprocess.run(["useradd", "-M", "-N", "-s", "/usr/sbin/nologin", "-g",
                            names["team"], *extra, user], check=True)
            made.append(["userdel", user])
            cfg = base / f"cfg-{user}"
            cfg.mkdir()
            shutil.chown(cfg, user)
        yield Team(base, **names)
    finally:
        for cmd in reversed(made):
            subprocess.run(cmd, check=False, capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


def test_lead_directory_is_for_the_lead_group_only(team: Team) -> None:
    t = team
    t.ok("root", "init", "--group", t.team, "--lead-group", t.lead_group)
    lead_dir = t.store / "lead"
    st = lead_dir.stat()
    assert st.st_gid == __import__("grp").getgrnam(t.lead_group).gr_gid
    assert oct(st.st_mode & 0o7777) == oct(0o2775)
    cases = t.base / "cases.csv"
    shutil.copy(ROOT / "tests" / "data" / "cases.csv", cases)
    os.chmod(cases, 0o644)
    t.ok(t.lead, "inspection", "add", "bed13", "--area", "Bedfordshire", "--date", "2013-03")
    t.ok(t.lead, "case", "import", str(cases))
    # the inspector cannot make themselves the first lead: the file system refuses
    err = t.fails(t.inspector, "team", "add", t.inspector, "--role", "lead")
    assert "lead/ directory is for the lead group only" in err
    t.ok(t.lead, "team", "add", t.lead, "--role", "lead")
    t.ok(t.lead, "team", "add", t.inspector, "--role", "inspector")
    t.ok(t.lead, "case", "assign", "C001", t.inspector)
    # the app and CLI refuse a non-lead ...
    assert "only a lead may assign cases" in t.fails(t.inspector, "case", "assign", "C002",
                                                     t.inspector)
    # ... and going round them, straight to the store's writer, the file system does
    bypass = t.python(t.inspector, (
        "import sys; from store import Store, qa_events; s = Store.open(sys.argv[1]); "
        "qa_events.write(s.layout, s.author, 'bed13', "
        "[{'event': 'signoff', 'case_id': 'C001'}])"), str(t.store))
    assert bypass.returncode != 0 and "permission denied" in bypass.stderr
    # what any team member may do still works, and everyone reads the lead's events
    out = t.ok(t.inspector, "query", "open", "C001", "1.1.02", "is this right?")
    assert out.startswith("opened query ")
    rows = json.loads(t.ok(t.inspector, "case", "status", "--format", "json"))
    c001 = next(r for r in rows if r["case_id"] == "C001")
    assert c001["reader"] == t.inspector and c001["state"] == "queried"
    # a lead fragment is the lead's alone: the team (its group) reads, never rewrites it
    lead_uid = __import__("pwd").getpwnam(t.lead).pw_uid
    written = list((lead_dir / "inspection_id=bed13").glob("*.parquet"))
    assert written and all(f.stat().st_uid == lead_uid and f.stat().st_mode & 0o777 == 0o644
                           for f in written)
    assert "warning" not in t.caseread(t.inspector, "team", "list").stderr
    # root can write anywhere, under any author name: the file's owner still says who
    forged = t.python("root", (
        "import sys; from store import Store, qa_events; s = Store.open(sys.argv[1]); "
        "qa_events.write(s.layout, 'someone', 'bed13', "
        "[{'event': 'signoff', 'case_id': 'C002'}])"), str(t.store))
    assert forged.returncode == 0, forged.stderr
    warned = t.caseread(t.inspector, "team", "list").stderr
    assert f"was written by root, who is not in the lead group {t.lead_group}" in warned

