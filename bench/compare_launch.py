"""Launch of this checkout against another one (say, the commit before a refactor),
interleaved in one run so that the shared machine's load hits both alike.

    .venv/bin/python bench/compare_launch.py --against /path/to/other/checkout [--runs 9]

The other checkout needs its own `.venv` (`pip install -e .` there). Each launch is a fresh
process of that checkout's `bench/bench_tui.py --child` (to a ready case list, as
bench_tui measures it), on one demo store built here; first launch with an empty
snapshot cache, repeat launch with the cache the first one left.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_tui import demo_store  # noqa: E402
from bench.common import OUT, ROOT, markdown_table, median, write_out  # noqa: E402


def launch(tree: Path, kind: str, store_dir: Path, iid: str, cache: Path) -> float:
    python = tree / ".venv" / "bin" / "python"
    t0 = time.perf_counter()
    proc = subprocess.Popen([str(python), str(tree / "bench" / "bench_tui.py"), "--child", kind,
                             str(store_dir), iid, str(cache)],
                            stdout=subprocess.PIPE, text=True, cwd=tree)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    elapsed = time.perf_counter() - t0
    proc.wait(timeout=60)
    if line.strip() != "ready":
        raise RuntimeError(f"{tree}: {kind} app did not get ready")
    return elapsed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--against", type=Path, required=True)
    ap.add_argument("--runs", type=int, default=9)
    args = ap.parse_args()
    other = args.against.resolve()
    store_dir, iid = demo_store()
    trees = {"this checkout": ROOT, f"{other.name}": other}
    samples: dict[str, list[float]] = {}
    for _ in range(args.runs):
        for name, tree in trees.items():
            cache = OUT / f"compare-cache-{tree.name}"
            shutil.rmtree(cache, ignore_errors=True)
            for what in ("first", "repeat"):
                samples.setdefault(f"{name}: {what} launch", []).append(
                    launch(tree, "caseread", store_dir, iid, cache))
        samples.setdefault("minimal app", []).append(
            launch(ROOT, "minimal", store_dir, iid, OUT / "compare-cache-min"))
    base = median(samples["minimal app"])
    rows = [[name, f"{median(s):.3f}", f"{median(s) / base:.2f}x"] for name, s in samples.items()]
    table = markdown_table([f"launch to ready case list (median of {args.runs})", "s",
                            "vs minimal app"], rows)
    print(table)
    print(f"\nwritten to {write_out('compare_launch.md', table)}")


if __name__ == "__main__":
    main()
