"""Store benchmark: answer save latency, score overview at scale, CSV import, peak memory.

Each scenario runs in its own interpreter (so peak memory is its own) beside a bare
baseline measured in the same run:
- save: `Store.save_answers` of one answer vs pyarrow write of a one-row file + fsync;
- scores: `Store.scores()` (outcomes, criteria, questions) at N answer events, compacted
  and with 300 uncompacted fragments, vs one DuckDB GROUP BY over one Parquet file of the
  same events (latest answer per case and question, counted per question);
- import: a 1M-row answers CSV through the CLI's import function.

    .venv/bin/python bench/bench_store.py [--quick] [--sizes 10000,100000]

Prints a markdown table and writes it to bench/out/bench_store.md.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import scenarios  # noqa: E402
from bench.common import markdown_table, run_scenario, write_out  # noqa: E402

SIZES = [10_000, 100_000, 1_000_000, 5_000_000]
QUICK_SIZES = [10_000, 100_000]
FRAGMENTS = [0, 300]
HEADERS = ["scenario", "caseread", "bare baseline", "ratio", "target", "met", "peak MB"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small sizes and fewer saves")
    ap.add_argument("--sizes", help="comma-separated answer event counts")
    ap.add_argument("--saves", type=int, help="answers saved for the latency figure")
    ap.add_argument("--import-rows", type=int, help="rows of the import CSV")
    ap.add_argument("--scenario", nargs="+", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.scenario:
        scenarios.run(args.scenario)
        return
    sizes = [int(s) for s in args.sizes.split(",")] if args.sizes else (
        QUICK_SIZES if args.quick else SIZES)
    saves = args.saves or (100 if args.quick else 500)
    rows_csv = args.import_rows or (100_000 if args.quick else 1_000_000)
    rows: list[list[object]] = []
    script = Path(__file__)
    rows += scenarios.save_rows(run_scenario(script, ["save", str(saves)]))
    for size in sizes:
        built = run_scenario(script, ["build", str(size)])
        rows += scenarios.build_rows(size, built)
        for frags in FRAGMENTS:
            result = run_scenario(script, ["scores", str(size), str(frags)])
            rows += scenarios.score_rows(size, frags, result)
    rows += scenarios.import_rows(run_scenario(script, ["import", str(rows_csv)]))
    table = markdown_table(HEADERS, rows)
    print(table)
    print(f"\nwritten to {write_out('bench_store.md', table)}")


if __name__ == "__main__":
    main()
