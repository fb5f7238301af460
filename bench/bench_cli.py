"""Start-up cost of the command line, as a user sees it: whole `caseread` processes.

    .venv/bin/python bench/bench_cli.py [--runs 10]

Each round runs every command once, interleaved with its baselines, so a load change on
the shared machine hits all of them alike; the table gives medians of wall time and the
ratio to `python -c "import click"` (what any click program pays before its own code).
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import markdown_table, median, write_out  # noqa: E402

BIN = Path(sys.executable).parent
CASES = {
    "python -c 'import click' (baseline)": [sys.executable, "-c", "import click"],
    "python -c 'import duckdb'": [sys.executable, "-c", "import duckdb"],
    "caseread --version": [str(BIN / "caseread"), "--version"],
    "caseread --help": [str(BIN / "caseread"), "--help"],
    "caseread sql --help": [str(BIN / "caseread"), "sql", "--help"],
    "caseread answers import --help": [str(BIN / "caseread"), "answers", "import", "--help"],
}


def run_once(cmd: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds user+system) of one whole process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    samples: dict[str, list[float]] = {name: [] for name in CASES}
    cpu: dict[str, list[float]] = {name: [] for name in CASES}
    for cmd in CASES.values():  # warm the page cache once
        run_once(cmd)
    for _ in range(args.runs):
        for name, cmd in CASES.items():
            wall, used = run_once(cmd)
            samples[name].append(wall)
            cpu[name].append(used)
    baseline = "python -c 'import click' (baseline)"
    base, base_cpu = median(samples[baseline]), median(cpu[baseline])
    rows = [[name, f"{median(s) * 1000:.0f}", f"{median(s) / base:.2f}x",
             f"{median(cpu[name]) * 1000:.0f}", f"{median(cpu[name]) / base_cpu:.2f}x"]
            for name, s in samples.items()]
    table = markdown_table([f"command (median of {args.runs})", "wall ms", "vs import click",
                            "CPU ms", "CPU vs import click"], rows)
    print(table)
    print(f"\nwritten to {write_out('bench_cli.md', table)}")


if __name__ == "__main__":
    main()
