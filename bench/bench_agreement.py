"""Agreement of double readings at full scale, through the `caseread` command.

    .venv/bin/python bench/bench_agreement.py [--runs 7] [--cases 90]

A store with one inspection of CASES cases, every case question (scoring and fact: 209 in
the bundled framework) answered in reading 1 and again in a blind reading 2 (about 10% of
answers differ), so every question has CASES pairs. Timed, interleaved each round, as whole
processes (what a user waits for):

- `caseread agreement --format json` (by question: 209 rows + the inspection row; each row
  kappa, AC1 with their variances, alpha with a 1000-resample bootstrap)
- `caseread agreement --by criterion --format json`
- baseline: `caseread scores --format json` on the same store (the command a user already
  waits for), and `caseread --version` (start-up alone)

Also, in process: the statistics alone (`agreement_rows` over pairs already read).
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import markdown_table, median, write_out  # noqa: E402

BIN = Path(sys.executable).parent / "caseread"
IID = "bench"


def build(root: Path, cases: int) -> int:
    """The store; returns the number of pairs."""
    from store import AnswerInput, Store
    from store.second_reading import save_reading

    store = Store.init(root)
    store.add_inspection(IID, "Benchshire", "2013-04")
    fw = store.framework
    questions = [q for q in fw.questions if q.kind in ("scoring", "fact")]
    rng = random.Random(16)
    first, second = [], []
    for i in range(1, cases + 1):
        case_id = f"C{i:03d}"
        store.save_case(IID, case_id, {})
        for q in questions:
            values = [c.value for c in fw.scale_for(q).choices]
            a = values[0] if rng.random() < 0.7 else rng.choice(values)
            b = a if rng.random() < 0.9 else rng.choice(values)
            first.append(AnswerInput(case_id, q.id, a))
            second.append(AnswerInput(case_id, q.id, b))
    store.save_answers(IID, first)
    save_reading(store, IID, 2, second)
    store.close()
    return len(second)


def run(cmd: list[str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t0


def in_process(root: Path, runs: int) -> tuple[float, float]:
    """(median seconds reading the pairs, median seconds of the statistics)."""
    from store import Store
    from store.agreement_data import agreement_rows, pairs

    store = Store.open(root)
    read, stats = [], []
    for _ in range(runs):
        t0 = time.perf_counter()
        found = pairs(store, IID)
        t1 = time.perf_counter()
        agreement_rows(store.framework, found, "question")
        stats.append(time.perf_counter() - t1)
        read.append(t1 - t0)
    return median(read), median(stats)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--cases", type=int, default=90)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "store"
        n = build(root, args.cases)
        base = [str(BIN), "--store", str(root)]
        cmds = {
            "caseread --version (start-up)": [str(BIN), "--version"],
            "caseread scores --format json (baseline)": [*base, "scores", "--format", "json"],
            "caseread agreement --format json": [*base, "agreement", "--format", "json"],
            "caseread agreement --by criterion --format json": [
                *base, "agreement", "--by", "criterion", "--format", "json"],
        }
        for cmd in cmds.values():
            run(cmd)  # warm caches once
        samples: dict[str, list[float]] = {k: [] for k in cmds}
        for _ in range(args.runs):
            for name, cmd in cmds.items():
                samples[name].append(run(cmd))
        read, stats = in_process(root, args.runs)
    baseline = median(samples["caseread scores --format json (baseline)"])
    rows = [[name, f"{median(s) * 1000:.0f}", f"{median(s) / baseline:.2f}x"]
            for name, s in samples.items()]
    rows.append(["in process: read the pairs (view query)", f"{read * 1000:.0f}", ""])
    rows.append(["in process: statistics, one row per question + 1", f"{stats * 1000:.0f}", ""])
    table = markdown_table([f"{args.cases} cases x {n // args.cases} questions x 2 readings "
                            f"= {n} pairs "
                            f"(median of {args.runs})", "ms", "vs scores"], rows)
    print(table)
    print(f"\nwritten to {write_out('bench_agreement.md', table)}")


if __name__ == "__main__":
    main()
