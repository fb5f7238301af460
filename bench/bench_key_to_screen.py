"""Key to screen, measured from outside: the real `caseread` in tmux against a minimal
Textual app in the same run (target: caseread's p95 <= 2x the minimal app's).

Both apps run side by side in their own tmux sessions at the same size. A sample is: send
one key with `tmux send-keys`, then poll `tmux capture-pane` until the screen shows its
effect (caseread: the case title's "N/125 answered" counts the answer, drawn in the same
frame as the cursor moving to the next question; minimal: a label reads "count N").
Rounds alternate between the two apps, so both see the same machine load. Polling costs
a tmux process per look (~2-4 ms), the same for both.

    .venv/bin/python bench/bench_key_to_screen.py [--keys 60] [--size 80x24]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import markdown_table, median, ms, percentile  # noqa: E402

CASEREAD = Path(sys.executable).with_name("caseread")
MINIMAL = '''
from textual.app import App, ComposeResult
from textual.widgets import Footer, Label

class Minimal(App[None]):
    count = 0
    def compose(self) -> ComposeResult:
        yield Label("count 0", id="n")
        yield Footer()
    def on_key(self, event) -> None:
        self.count += 1
        self.query_one("#n", Label).update(f"count {self.count}")

Minimal().run()
'''


class Tmux:
    def __init__(self, socket: str, session: str) -> None:
        self.base = ["tmux", "-L", socket]
        self.session = session

    def run(self, *args: str) -> str:
        return subprocess.run([*self.base, *args], capture_output=True, text=True,
                              timeout=10).stdout

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", self.session)

    def key(self, key: str) -> None:
        self.run("send-keys", "-t", self.session, key)

    def wait(self, seen: re.Pattern[str], timeout: float = 20.0) -> float:
        """Seconds until `seen` is on screen."""
        start = time.perf_counter()
        while time.perf_counter() - start < timeout:
            if seen.search(self.screen()):
                return time.perf_counter() - start
        raise TimeoutError(f"{seen.pattern!r} not on screen:\n{self.screen()}")


def first_key(screen: str) -> str:
    """The first answer key the form offers for the focused question ("Keys: y Yes ...")."""
    found = re.search(r"Keys: (\S+) ", screen)
    return found.group(1) if found else "y"


def build_store(root: Path) -> Path:
    from store import Store

    store = Store.init(root / "store")
    store.add_inspection("b1", "Benchshire", "2013-05")
    for n in range(1, 6):
        store.save_case("b1", f"C{n:02d}", {
            "case_ref": f"R-{n:03d}", "case_type": "licence", "gender": "male",
            "offence": "abh", "rosh": "high", "psr": "full", "om_grade": "po",
            "office": "Luton"})
    store.close()
    return root / "store"


def start(socket: str, name: str, command: str, size: tuple[int, int], env: dict[str, str]
          ) -> Tmux:
    term = Tmux(socket, name)
    full = " ".join(["env", *(f"{k}={v}" for k, v in env.items()), command])
    term.run("new-session", "-d", "-s", name, "-x", str(size[0]), "-y", str(size[1]), full)
    return term


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--keys", type=int, default=60, help="keys per app")
    parser.add_argument("--size", default="80x24")
    parser.add_argument("--block", type=int, default=10, help="keys per alternating round")
    args = parser.parse_args()
    if shutil.which("tmux") is None:
        sys.exit("tmux is not installed")
    width, height = (int(v) for v in args.size.split("x"))
    tmp = Path(tempfile.mkdtemp(prefix="caseread-k2s-"))
    socket = f"k2s-{os.getpid()}"
    env = {"TERM": "xterm-256color", "CASEREAD_CONFIG_DIR": str(tmp / "config"),
           "CASEREAD_CACHE_DIR": str(tmp / "cache")}
    store = build_store(tmp)
    (tmp / "minimal.py").write_text(MINIMAL)
    app = start(socket, "caseread", f"{CASEREAD} --store {store}", (width, height), env)
    base = start(socket, "minimal", f"{sys.executable} {tmp / 'minimal.py'}",
                 (width, height), env)
    samples: dict[str, list[float]] = {"caseread": [], "minimal": []}
    try:
        app.wait(re.compile("R-005"))
        app.key("Enter")
        app.wait(re.compile(r"0/\d+ answered"))
        base.wait(re.compile("count 0"))
        time.sleep(1.0)  # let start-up work (store open, first reads) finish
        answered = counted = 0
        while len(samples["caseread"]) < args.keys:
            for _ in range(args.block):
                answered += 1
                app.key(first_key(app.screen()))  # the focused question's first choice
                samples["caseread"].append(app.wait(re.compile(rf"\b{answered}/\d+ answered")))
            for _ in range(args.block):
                counted += 1
                base.key("z")
                samples["minimal"].append(base.wait(re.compile(rf"count {counted}\b")))
    finally:
        Tmux(socket, "").run("kill-server")
        shutil.rmtree(tmp, ignore_errors=True)
    rows = []
    for name, found in samples.items():
        rows.append([name, len(found), ms(median(found)), ms(percentile(found, 95))])
    ratio = percentile(samples["caseread"], 95) / percentile(samples["minimal"], 95)
    print(markdown_table(["app", "keys", "median", "p95"], rows))
    print(f"\np95 ratio caseread/minimal: {ratio:.2f} (target <= 2.0: "
          f"{'met' if ratio <= 2.0 else 'missed'}) at {width}x{height}")


if __name__ == "__main__":
    main()
