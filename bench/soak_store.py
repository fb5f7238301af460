"""Writers under fire: writer processes, a compactor and readers on one store, while writers
and the compactor are killed with SIGKILL at random moments.

Checks that every acknowledged answer (a writer prints its event ids only after
`save_answers` returned) is in the store exactly once, and that no reader ever failed or saw
the number of events go down (a partial or vanished file would do either).

    .venv/bin/python bench/soak_store.py [--seconds 120] [--writers 4] [--readers 2]

Prints one result line. `tests/test_store_fire.py` runs a short version of `fire_drill`.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_ACK = re.compile(r"^ACK ([0-9a-f]{32}(?:,[0-9a-f]{32})*)$")

WRITER = """
import random, sys
from store import AnswerInput, Store
store = Store.open(sys.argv[1]); store.auto_compact_at = None
qs = [q.id for q in store.framework.questions if q.kind == 'scoring'][:40]
rng = random.Random(int(sys.argv[2]))
print('READY', flush=True)
while True:
    batch = [AnswerInput(f'C{rng.randrange(30):02d}', rng.choice(qs), rng.choice('ynx'))
             for _ in range(rng.randint(1, 3))]
    receipt = store.save_answers('soak', batch)
    print('ACK ' + ','.join(receipt.event_ids), flush=True)
"""

COMPACTOR = """
import sys, time
from store import Store
store = Store.open(sys.argv[1])
while True:
    store.compact(min_fragments=2)
    time.sleep(0.05)
"""

READER = """
import sys, time
from store import Store
store = Store.open(sys.argv[1])
seen = 0
end = time.time() + float(sys.argv[2])
while time.time() < end:
    n = store.query('SELECT count(DISTINCT event_id) FROM answer_events').to_pylist()[0]
    n = list(n.values())[0]
    if n < seen:
        print(f'ERROR events went down {seen} -> {n}', flush=True); sys.exit(1)
    seen = n
    store.scores('soak')
# once the store is still (writers and compactor gone), the live scores this process kept
# up through every save and compaction must equal a fresh pass of the views' SQL
from store.scoring import agree
quiet, last = time.time(), None
while time.time() - quiet < 1.0 and time.time() < end + 30:
    now = store.fragment_signature('soak')
    quiet = quiet if now == last else time.time()
    last = now
    time.sleep(0.1)
for method in ('questions', 'criteria'):
    live, sql = store.scores('soak', method), store.scores_sql('soak', method)
    if not agree(live.to_json(), sql.to_json()):
        print(f'ERROR live scores differ from the views ({method})', flush=True); sys.exit(1)
print(f'OK {seen}', flush=True)
"""


class _Proc:
    """A child process whose stdout lines are collected by a thread as they come."""

    def __init__(self, code: str, *args: str) -> None:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        self.proc = subprocess.Popen(
            [sys.executable, "-c", code, *args], stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True, env=env,
        )
        self.lines: list[str] = []
        self._thread = threading.Thread(target=self._collect, daemon=True)
        self._thread.start()

    def _collect(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            if line.endswith("\n"):  # a line cut by the kill is not an acknowledgement
                self.lines.append(line.rstrip("\n"))

    @property
    def ready(self) -> bool:
        return bool(self.lines)

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()
        self._thread.join(timeout=10)

    def acks(self) -> list[str]:
        ids: list[str] = []
        for line in self.lines:
            m = _ACK.match(line)
            ids += m.group(1).split(",") if m else []
        return ids

    def finish(self, timeout: float) -> tuple[int, str]:
        err = self.proc.communicate(timeout=timeout)[1] if self.proc.stderr else ""
        self._thread.join(timeout=10)
        return self.proc.returncode, "\n".join(self.lines) + (err or "")


def _wait_ready(pool: list[_Proc], timeout: float) -> None:
    give_up = time.time() + timeout
    while not all(w.ready for w in pool) and time.time() < give_up:
        time.sleep(0.05)


def fire_drill(
    store_dir: Path, seconds: float, writers: int = 3, readers: int = 2, seed: int = 1
) -> dict:
    """Run the drill on an existing store (with inspection 'soak'); returns the findings.
    Only writers that are up (printed READY) are killed, so every writer does save."""
    rng = random.Random(seed)
    d = str(store_dir)
    acked: list[str] = []
    kills = 0
    pool = [_Proc(WRITER, d, str(rng.randrange(10**9))) for _ in range(writers)]
    compactor = _Proc(COMPACTOR, d)
    reader_procs = [_Proc(READER, d, str(seconds + 3)) for _ in range(readers)]
    _wait_ready(pool, timeout=60)  # the clock starts once writers are saving
    end = time.time() + seconds
    while time.time() < end:
        time.sleep(rng.uniform(0.1, 0.8))
        ready = [i for i, w in enumerate(pool) if w.ready]
        if rng.random() < 0.2:
            compactor.kill()
            compactor = _Proc(COMPACTOR, d)
        elif ready:
            victim = rng.choice(ready)
            pool[victim].kill()
            acked += pool[victim].acks()
            pool[victim] = _Proc(WRITER, d, str(rng.randrange(10**9)))
        else:
            continue
        kills += 1
    for proc in [*pool, compactor]:
        proc.kill()
    acked += [i for w in pool for i in w.acks()]
    reader_out = [r.finish(timeout=120) for r in reader_procs]
    return _verdict(store_dir, acked, kills, reader_out, seconds)


def _verdict(store_dir: Path, acked: list[str], kills: int,
             reader_out: list[tuple[int, str]], seconds: float) -> dict:
    from store import Store

    store = Store.open(store_dir)
    raw = store.query("SELECT event_id, count(*) AS n FROM answer_events GROUP BY 1")
    counts_before = dict(zip(raw["event_id"].to_pylist(), raw["n"].to_pylist(), strict=True))
    store.compact(min_fragments=2)
    raw = store.query("SELECT event_id, count(*) AS n FROM answer_events GROUP BY 1")
    counts = dict(zip(raw["event_id"].to_pylist(), raw["n"].to_pylist(), strict=True))
    reader_errors = [out[-500:] for code, out in reader_out if code != 0]
    return {
        "seconds": seconds, "kills": kills, "acknowledged": len(acked),
        "stored_events": len(counts), "missing": [i for i in acked if i not in counts],
        "duplicates_after_compaction": [i for i, n in counts.items() if n != 1],
        "missing_before_final_compaction": [i for i in acked if i not in counts_before],
        "reader_errors": reader_errors, "quarantined": [str(q) for q in store.problems],
        "acks_per_s": round(len(acked) / seconds, 1),
    }


def new_soak_store(parent: Path) -> Path:
    from store import Store

    store = Store.init(parent / "store")
    store.add_inspection("soak", "Soakshire", "2013-05", synthetic=True)
    return store.root


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=120)
    ap.add_argument("--writers", type=int, default=4)
    ap.add_argument("--readers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    with tempfile.TemporaryDirectory() as tmp:
        result = fire_drill(new_soak_store(Path(tmp)), args.seconds, args.writers,
                            args.readers, args.seed)
    ok = not (result["missing"] or result["duplicates_after_compaction"]
              or result["reader_errors"] or result["quarantined"])
    short = {k: (len(v) if isinstance(v, list) else v) for k, v in result.items()}
    print(("PASS " if ok else "FAIL ") + json.dumps(short))
    if not ok:
        print(json.dumps(result, indent=1)[:5000], file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
