"""Programme benchmark: whole `caseread` processes on 1/10/50-inspection stores, each run
interleaved with its baselines, medians, peak RSS from `/usr/bin/time -v`.

    .venv/bin/python bench/programme_store.py                 # build the stores once
    .venv/bin/python bench/bench_programme.py [--runs 5] [--sizes 1,10,50]
        [--layouts compacted,frag64] [--duckdb PATH]   # PATH: duckdb-cli in its own venv
    .venv/bin/python bench/bench_programme.py --launch --sizes 1,50   # app launch table

Baselines, each a new process like the command it is set beside:
- bare: one DuckDB GROUP BY (latest answer per case and question, counted per question) in
  a new Python process, over `all.parquet` (every inspection) or one inspection's files;
- DuckDB CLI: `duckdb -c ".read views.sql" -c QUERY` run inside the store (same views).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PY = sys.executable
CASEREAD = str(Path(sys.executable).with_name("caseread"))
BARE = """
import sys, duckdb
files = sys.argv[1:]
duckdb.sql('''SELECT inspection_id, question_id,
       count(*) FILTER (WHERE a = 'yes') AS sufficient,
       count(*) FILTER (WHERE a = 'no') AS insufficient
FROM (SELECT inspection_id, case_id, question_id, arg_max(answer, saved_at) AS a
      FROM read_parquet($files) GROUP BY ALL) GROUP BY ALL''', params={'files': files}).fetchall()
"""


def timed(argv: list[str], cwd: Path | None = None, env: dict | None = None) -> tuple[float, int]:
    """Wall seconds and peak RSS (MB) of one whole process."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as tf:
        t0 = time.perf_counter()
        run = subprocess.run(["/usr/bin/time", "-v", "-o", tf.name, *argv], cwd=cwd, env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        seconds = time.perf_counter() - t0
        if run.returncode != 0:
            raise SystemExit(f"failed: {' '.join(argv)}\n{run.stderr[-2000:]}")
        rss = next(int(line.split(":")[1]) for line in tf.read().splitlines()
                   if "Maximum resident set size" in line)
    return seconds, rss // 1024


def scenarios(root: Path, duckdb_cli: str | None) -> list[tuple[str, list, list]]:
    """(name, caseread argv, [(baseline name, argv, cwd)])."""
    store = root / "store"
    one = sorted(str(p) for p in (store / "answers" / "inspection_id=insp-000").glob("*.parquet"))
    bare_all = ("bare DuckDB pass, all inspections", [PY, "-c", BARE, str(root / "all.parquet")],
                None)
    bare_one = ("bare DuckDB pass, one inspection", [PY, "-c", BARE, *one], None)
    cr = [CASEREAD, "--store", str(store)]

    def cli(query: str) -> list:
        if not duckdb_cli:
            return []
        return [(f"DuckDB CLI, views.sql: {query}",
                 [duckdb_cli, "-c", ".read views.sql", "-c", query], store)]

    out = str(root / "programme.html")
    return [
        ("caseread scores (one inspection)", cr + ["scores", "--inspection", "insp-000"],
         [bare_one]),
        ("caseread scores --by inspection", cr + ["scores", "--by", "inspection"], [bare_all]),
        ("caseread report --programme", cr + ["report", "--programme", out], [bare_all]),
        ('caseread sql "FROM outcome_scores"', cr + ["sql", "FROM outcome_scores"],
         [bare_all, *cli("FROM outcome_scores")]),
        ('caseread sql "SELECT count(*) FROM question_scores"',
         cr + ["sql", "SELECT count(*) FROM question_scores"],
         [bare_all, *cli("SELECT count(*) FROM question_scores")]),
    ]


def measure(root: Path, runs: int, duckdb_cli: str | None) -> list[dict]:
    env = dict(os.environ, CASEREAD_CONFIG_DIR=tempfile.mkdtemp(prefix="caseread-bench-cfg-"))
    subprocess.run([CASEREAD, "--store", str(root / "store"), "inspection", "list"], env=env,
                   check=True, stdout=subprocess.DEVNULL)  # opens (upgrades, checks) once
    found: dict[str, list[tuple[float, int]]] = {}
    plan = scenarios(root, duckdb_cli)
    for _ in range(runs):  # interleaved: load drift hits command and baselines alike
        for name, argv, bases in plan:
            found.setdefault(name, []).append(timed(argv, env=env))
            for bname, bargv, cwd in bases:
                found.setdefault(bname + "|" + name, []).append(timed(bargv, cwd, env))
    rows = []
    for name, _, bases in plan:
        s, m = _median(found[name])
        row = {"what": name, "seconds": s, "rss": m, "bases": []}
        for bname, _, _ in bases:
            bs, bm = _median(found[bname + "|" + name])
            row["bases"].append((bname, bs, bm))
        rows.append(row)
    return rows


def _median(samples: list[tuple[float, int]]) -> tuple[float, int]:
    return (statistics.median(s for s, _ in samples), int(statistics.median(m for _, m in samples)))


def table(label: str, rows: list[dict]) -> str:
    lines = [f"\n### {label}\n", "| command | median s | peak RSS MB | baseline | median s | "
             "peak RSS MB | time ratio | RSS ratio |", "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        for i, (bname, bs, bm) in enumerate(r["bases"]):
            head = (f"| {r['what']} | {r['seconds']:.2f} | {r['rss']} " if i == 0
                    else "| | | ")
            lines.append(f"{head}| {bname} | {bs:.2f} | {bm} | {r['seconds'] / bs:.1f}x "
                         f"| {r['rss'] / max(bm, 1):.1f}x |")
    return "\n".join(lines) + "\n"


def launch_table(data: Path, sizes: list[str], layouts: list[str], runs: int) -> str:
    """The app to a ready case list of one inspection, each launch a fresh interpreter
    (bench_tui.py's launcher: the app built in that process, not the `caseread` command),
    interleaved with a minimal Textual app showing a 50-row DataTable."""
    sys.path.insert(0, str(HERE))
    import bench_tui

    lines = ["\n### App launch to a ready case list (fresh process; bench_tui launcher)\n",
             "| store | first launch s | repeat launch s (snapshot) | minimal app s | "
             "ratio first | ratio repeat |", "|---|---|---|---|---|---|"]
    for n in sizes:
        for layout in layouts:
            store = data / f"{n}x90-{layout}" / "store"
            first, repeat, minimal = bench_tui.launches(store, "insp-000", runs)
            f, r, m = (statistics.median(x) for x in (first, repeat, minimal))
            lines.append(f"| {n}x90 {layout} | {f:.2f} | {r:.2f} | {m:.2f} | {f / m:.2f}x "
                         f"| {r / m:.2f}x |")
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=Path("/tmp/caseread-bench"))
    ap.add_argument("--sizes", default="1,10,50")
    ap.add_argument("--layouts", default="compacted,frag64")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--duckdb", default=None, help="DuckDB CLI binary (duckdb-cli from PyPI)")
    ap.add_argument("--launch", action="store_true", help="only the app launch table")
    args = ap.parse_args()
    if args.launch:
        text = launch_table(args.data, args.sizes.split(","), args.layouts.split(","), args.runs)
        print(text)
        (HERE / "out").mkdir(exist_ok=True)
        (HERE / "out" / "programme_launch.md").write_text(text)
        return
    out_dir = HERE / "out"
    out_dir.mkdir(exist_ok=True)
    text = (f"# Programme benchmark ({args.runs} runs each, medians; whole processes, "
            "interleaved with baselines)\n")
    for n in args.sizes.split(","):
        for layout in args.layouts.split(","):
            root = args.data / f"{n}x90-{layout}"
            if not (root / "built.json").exists():
                raise SystemExit(f"{root}: build it first with bench/programme_store.py")
            part = table(f"{n} inspections x 90 cases, {layout} "
                         f"({(root / 'built.json').read_text().strip()})",
                         measure(root, args.runs, args.duckdb))
            print(part, flush=True)
            text += part
    (out_dir / "programme.md").write_text(text)


if __name__ == "__main__":
    main()
