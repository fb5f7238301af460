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
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_tui import demo_store, launch_seconds  # noqa: E402
from bench.common import OUT, ROOT, markdown_table, median, write_out  # noqa: E402


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
                    launch_seconds("caseread", store_dir, iid, cache, tree))
        samples.setdefault("minimal app", []).append(
            launch_seconds("minimal", store_dir, iid, OUT / "compare-cache-min"))
    base = median(samples["minimal app"])
    rows = [[name, f"{median(s):.3f}", f"{median(s) / base:.2f}x"] for name, s in samples.items()]
    table = markdown_table([f"launch to ready case list (median of {args.runs})", "s",
                            "vs minimal app"], rows)
    print(table)
    print(f"\nwritten to {write_out('compare_launch.md', table)}")


if __name__ == "__main__":
    main()
