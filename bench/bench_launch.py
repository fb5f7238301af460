"""Launch through the `caseread` command, timed on screen in tmux, against a minimal Textual app.

    .venv/bin/python bench/bench_launch.py [--runs 5] [--cases demo,1x90-compacted,...]
        [--src /tmp/caseread-bench] [--explicit] [--trees before=DIR,after=DIR]

Each launch is the console script as a user types it (`caseread` on the demo, `caseread
--store S` on a programme store, the inspection remembered from a previous launch; with
`--explicit`, `caseread --store S open --inspection insp-000`), started by `tmux
new-session -d -x 80 -y 24` under `/usr/bin/time -v` (peak RSS). Times are from spawn to
the screen showing case list rows (`tmux capture-pane`, polled), then F3 is sent at once and
the score overview's first outcome score is awaited (key -> scores and spawn -> scores),
then Ctrl+Q. Every case gets its own HOME (XDG dirs inside it): the per-user snapshot is
`$XDG_CACHE_HOME/caseread/case-lists/`; "not cached" deletes it before the launch, "cached"
runs with the one the previous launch left. The baseline, a minimal Textual app (same
python: a 50-row DataTable and a Footer), is launched the same way right after every
measured launch; ratios are medians over medians of the runs. Stores are copies (in a
temp dir) of bench/programme_store.py's stores and of `caseread demo --no-open`'s.
`--trees before=DIR1,after=DIR2` launches those checkouts' code instead (this python,
DIR first on sys.path, `python launcher.py` in place of the console script), interleaved
launch by launch, for before/after tables (e.g. `git archive COMMIT | tar -x -C DIR`).
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

from bench.common import markdown_table, median, write_out  # noqa: E402

PYTHON = Path(sys.executable)
CASEREAD = PYTHON.with_name("caseread")
ROWS = re.compile(r"^ (BED|C)-?\d{3,4}\s+\S+", re.M)  # a drawn row of the case list
SCORES = re.compile(r"1 Assisting sentencing\s+\d+%")  # the overview with scores
MINIMAL_ROWS = re.compile(r"R-000\s+row")
MINIMAL = '''
from textual.app import App
from textual.widgets import DataTable, Footer

class Minimal(App[None]):
    def compose(self):
        yield DataTable()
        yield Footer()
    def on_mount(self):
        table = self.query_one(DataTable)
        table.add_columns("Reference", "Name", "Progress")
        table.add_rows([(f"R-{n:03d}", f"row {n}", f"{n}/164") for n in range(50)])

Minimal().run()
'''
LAUNCHER = '''import sys
sys.path.insert(0, {tree!r})
from caseread.cli import main
sys.exit(main())
'''


class Tmux:
    """One tmux server for the whole run (kept up by an idle session)."""

    def __init__(self) -> None:
        self.base = ["tmux", "-L", f"bench-launch-{os.getpid()}"]
        self.run("new-session", "-d", "-s", "keep", "sleep 100000")

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*self.base, *args], capture_output=True, text=True, timeout=20)

    def screen(self, name: str) -> str:
        return self.run("capture-pane", "-p", "-t", name).stdout

    def wait(self, name: str, seen: re.Pattern[str], timeout: float = 60) -> float:
        """perf_counter() when `seen` is first on screen."""
        end = time.perf_counter() + timeout
        while time.perf_counter() < end:
            if seen.search(self.screen(name)):
                return time.perf_counter()
        raise TimeoutError(f"{seen.pattern!r} not on screen:\n{self.screen(name)}")

    def gone(self, name: str, timeout: float = 30) -> None:
        end = time.perf_counter() + timeout
        while time.perf_counter() < end and self.run("has-session", "-t", name).returncode == 0:
            time.sleep(0.02)

    def close(self) -> None:
        self.run("kill-server")


def launch(tmux: Tmux, argv: list[str], env: dict[str, str], rows: re.Pattern[str],
           f3: bool, rss_file: Path) -> dict[str, float]:
    """Spawn `argv` in a new 80x24 session; seconds to the list (and to F3's scores)."""
    # -u: as a user runs it, with bytecode caches (a developer's PYTHONDONTWRITEBYTECODE
    # would recompile every project module at each launch, and not the minimal app's)
    command = " ".join(["/usr/bin/time", "-v", "-o", str(rss_file), "env",
                        "-u", "PYTHONDONTWRITEBYTECODE",
                        *(f"{k}={v}" for k, v in env.items()), *argv])
    rss_file.unlink(missing_ok=True)
    start = time.perf_counter()
    tmux.run("new-session", "-d", "-s", "m", "-x", "80", "-y", "24", command)
    got = {"list": tmux.wait("m", rows) - start}
    if f3:
        key = time.perf_counter()
        tmux.run("send-keys", "-t", "m", "F3")
        seen = tmux.wait("m", SCORES)
        got |= {"scores": seen - start, "key_scores": seen - key}
    tmux.run("send-keys", "-t", "m", "C-q")
    tmux.gone("m")
    found = re.search(r"Maximum resident set size \(kbytes\): (\d+)", rss_file.read_text())
    got["rss_mb"] = int(found.group(1)) / 1024 if found else float("nan")
    return got


class Case:
    """A store, its own HOME, and the command a user types to open it."""

    def __init__(self, name: str, where: Path, src: Path, explicit: bool, tree: Path | None):
        self.name, self.home = name, where / "home"
        self.env = {"HOME": str(self.home), "XDG_CACHE_HOME": str(self.home / ".cache"),
                    "XDG_CONFIG_HOME": str(self.home / ".config"),
                    "XDG_DATA_HOME": str(self.home / ".local/share"),
                    "TERM": "xterm-256color", "COLORTERM": "truecolor"}
        self.home.mkdir(parents=True)
        prog = [str(CASEREAD)]
        if tree is not None:
            launcher = where / "launcher.py"
            launcher.write_text(LAUNCHER.format(tree=str(tree)))
            prog = [str(PYTHON), str(launcher)]
        if name == "demo":
            subprocess.run([str(CASEREAD), "demo", "--no-open"], env={**os.environ, **self.env},
                           check=True, capture_output=True)
            self.argv = prog
            self.prime = prog
        else:
            store = where / "store"
            shutil.copytree(src / name / "store", store, symlinks=True)
            self.argv = [*prog, "--store", str(store)]
            self.prime = [*self.argv, "open", "--inspection", "insp-000"]
            if explicit:
                self.argv = self.prime

    @property
    def snapshots(self) -> Path:
        return self.home / ".cache" / "caseread" / "case-lists"


def measure(args: argparse.Namespace) -> tuple[dict[str, dict[str, list[float]]], list[str]]:
    work = Path(tempfile.mkdtemp(prefix="caseread-launch-"))
    trees: dict[str, Path | None] = {"": None}
    if args.trees:  # label=DIR,...: each checkout's code on this python, interleaved
        trees = {f"{t.split('=')[0]}: ": Path(t.split("=", 1)[1]).resolve()
                 for t in args.trees.split(",")}
    tmux = Tmux()
    (work / "minimal.py").write_text(MINIMAL)
    minimal = [str(PYTHON), str(work / "minimal.py")]
    cases = [(label, Case(name, work / f"{name}-{n}", args.src, args.explicit, tree), name)
             for name in args.cases.split(",") for n, (label, tree) in enumerate(trees.items())]
    samples: dict[str, dict[str, list[float]]] = {}
    notes = []
    try:
        for _, case, _ in cases:  # remembers the inspection, leaves a snapshot, warms caches
            launch(tmux, case.prime, case.env, ROWS, False, work / "rss")
        for _ in range(args.runs):
            for label, case, name in cases:
                for cached in (False, True):
                    if not cached:
                        shutil.rmtree(case.snapshots, ignore_errors=True)
                    elif not any(case.snapshots.glob("*.json")):
                        notes.append(f"{label}{name}: no snapshot left for a cached launch")
                    key = f"{label}{name} | {'cached' if cached else 'not cached'}"
                    got = launch(tmux, case.argv, case.env, ROWS, True, work / "rss")
                    base = launch(tmux, minimal, case.env, MINIMAL_ROWS, False, work / "rss")
                    row = samples.setdefault(key, {})
                    for k, v in got.items():
                        row.setdefault(k, []).append(v)
                    row.setdefault("minimal", []).append(base["list"])
                    row.setdefault("minimal_rss", []).append(base["rss_mb"])
    finally:
        tmux.close()
        shutil.rmtree(work, ignore_errors=True)
    return samples, notes


def table(samples: dict[str, dict[str, list[float]]], runs: int) -> str:
    rows = []
    for key, s in samples.items():
        lst, base = median(s["list"]), median(s["minimal"])
        rows.append([key, f"{lst * 1000:.0f}", f"{base * 1000:.0f}", f"{lst / base:.2f}x",
                     f"{median(s['scores']) * 1000:.0f}", f"{median(s['key_scores']) * 1000:.0f}",
                     f"{median(s['rss_mb']):.0f}", f"{median(s['minimal_rss']):.0f}"])
    head = ["store | snapshot", "spawn -> list ms", "minimal app ms", "list vs minimal",
            "spawn -> F3 scores ms", "F3 key -> scores ms", "peak RSS MB", "minimal RSS MB"]
    return (markdown_table(head, rows) + f"\n\nmedians of {runs} runs, each launch followed by"
            " a minimal-app launch; target: list <= 1.5x minimal")


def flatness(samples: dict[str, dict[str, list[float]]]) -> list[str]:
    """50-inspection over 1-inspection launch to the list, per layout and snapshot state."""
    out = []
    for key, s in samples.items():
        if "50x90" in key:
            small = samples.get(key.replace("50x90", "1x90"))
            if small:
                r = median(s["list"]) / median(small["list"])
                out.append(f"- flat? {key} / 1x90: {r:.2f} (target <= 1.2)")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    # frag64 stores: programme_store.py names their `part-` fragments with the build time,
    # not their events' time, so the store's fragment check (issue 14) moves them aside
    ap.add_argument("--cases", default="demo,1x90-compacted,50x90-compacted")
    ap.add_argument("--src", type=Path, default=Path("/tmp/caseread-bench"))
    ap.add_argument("--explicit", action="store_true", help="open --inspection insp-000")
    ap.add_argument("--trees", help="label=DIR,label=DIR: checkouts to compare, interleaved")
    ap.add_argument("--out", default="bench_launch.md")
    args = ap.parse_args()
    if shutil.which("tmux") is None or not Path("/usr/bin/time").exists():
        sys.exit("needs tmux and /usr/bin/time")
    before = os.getloadavg()
    samples, notes = measure(args)
    after = os.getloadavg()
    text = "\n".join([table(samples, args.runs), "", *flatness(samples), *notes, "",
                      f"load average before {before[0]:.2f} {before[1]:.2f} {before[2]:.2f}, "
                      f"after {after[0]:.2f} {after[1]:.2f} {after[2]:.2f}; "
                      f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}"])
    print(text)
    print(f"\nwritten to {write_out(args.out, text)}")


if __name__ == "__main__":
    main()
