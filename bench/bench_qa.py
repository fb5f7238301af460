"""QA benchmark: what the sign-off check costs a save, and `caseread case status` /
`caseread qa check` on the demo through the command line.

- save: `Store.save_answers` of one answer with the signed-off check vs the same save with
  the check replaced by a no-op, interleaved in one process (medians, ratio), on an
  inspection whose `lead/` holds 0 and 200 lead fragments (sign-offs of other cases);
- cli: `caseread case status` and `caseread qa check` on the demo store vs
  `caseread inspection list` (the same start-up and store opening), medians of 5 runs.

    .venv/bin/python bench/bench_qa.py [--saves 300]
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

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from store import AnswerInput, Store, qa_events, qa_lock  # noqa: E402
from store import store as store_module  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CASEREAD = ROOT / ".venv" / "bin" / "caseread"


def _saves(saves: int, lead_fragments: int) -> tuple[float, float]:
    tmp = Path(tempfile.mkdtemp())
    store = Store.init(tmp / "s")
    store.auto_compact_at = None
    store.add_inspection("b1", "A", "2013-04")
    store.save_case("b1", "C1", {"case_ref": "C1", "case_type": "licence", "gender": "male"})
    for i in range(lead_fragments):
        qa_events.write(store.layout, "lead", "b1", [{"event": "signoff", "case_id": f"X{i}"}])
    real = qa_lock.refuse_signed_off
    timed: dict[bool, list[float]] = {True: [], False: []}
    for i in range(saves):
        for check in (True, False):
            store_module.refuse_signed_off = real if check else (lambda *a: None)
            t = time.perf_counter()
            store.save_answers("b1", [AnswerInput("C1", "1.1.02", "yes" if i % 2 else "no")])
            timed[check].append(time.perf_counter() - t)
    store_module.refuse_signed_off = real
    return statistics.median(timed[True]) * 1e3, statistics.median(timed[False]) * 1e3


def _cli(store_dir: Path, *args: str) -> float:
    runs = []
    env = dict(os.environ, CASEREAD_STORE=str(store_dir))
    for _ in range(5):
        t = time.perf_counter()
        subprocess.run([str(CASEREAD), *args], env=env, check=True, capture_output=True)
        runs.append(time.perf_counter() - t)
    return statistics.median(runs) * 1e3


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--saves", type=int, default=300)
    args = ap.parse_args()
    print("| scenario | with QA | baseline | ratio |\n|---|---|---|---|")
    for n in (0, 200):
        with_check, without = _saves(args.saves, n)
        print(f"| save, {n} lead fragments (ms, median) | {with_check:.2f} | {without:.2f} "
              f"| {with_check / without:.2f} |")
    demo = Path(tempfile.mkdtemp()) / "demo"
    subprocess.run([str(CASEREAD), "--store", str(demo), "demo", "--no-open"], check=True,
                   capture_output=True)
    base = _cli(demo, "inspection", "list")
    for cmd in (["case", "status"], ["qa", "check"], ["qa", "progress"]):
        took = _cli(demo, *cmd)
        print(f"| caseread {' '.join(cmd)} on the demo (ms) | {took:.0f} | {base:.0f} "
              f"(inspection list) | {took / base:.2f} |")


if __name__ == "__main__":
    main()
