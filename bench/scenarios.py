"""The store benchmark's scenarios (each runs in a child process) and their table rows."""

from __future__ import annotations

import json
import os
import shutil
import time
from functools import partial
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from bench.common import OUT, emit, median, ms, percentile, timed

SAVE_P99_TARGET = 0.020
SCORES_TARGET = 0.100  # at up to 1M events and 300 fragments
SCORES_RATIO = 2.0
WARM_REPEAT = 9

# The bare baseline: latest answer per case and question, counted per question.
BASELINE_SQL = """
SELECT question_id,
       count(*) FILTER (WHERE a = 'yes') AS sufficient,
       count(*) FILTER (WHERE a = 'no') AS insufficient
FROM (SELECT case_id, question_id, arg_max(answer, saved_at) AS a
      FROM read_parquet(?) WHERE inspection_id = ? GROUP BY case_id, question_id)
GROUP BY question_id
"""


def run(argv: list[str]) -> None:
    name, *rest = argv
    runners: dict[str, Any] = {"save": _save, "build": _build, "scores": _scores,
                               "import": _import}
    runners[name](*rest)


# -- save latency -------------------------------------------------------------------------

def _save(n: str) -> None:
    from bench.synth import one_case
    from store import AnswerInput, Store

    count = int(n)
    work = OUT / "tmp-save"
    shutil.rmtree(work, ignore_errors=True)
    store = Store.init(work / "store")
    case_id, details, answered = one_case()
    store.add_inspection("bench-save", "Benchshire", "2013-05", label="bench", synthetic=True)
    store.save_case("bench-save", case_id, details)
    qids = list(answered)
    answers = [[AnswerInput(case_id, qids[i % len(qids)], answered[qids[i % len(qids)]])]
               for i in range(count)]
    samples = []
    for batch in answers:
        t0 = time.perf_counter()
        store.save_answers("bench-save", batch)
        samples.append(time.perf_counter() - t0)
    base = _bare_saves(work / "bare", count)
    shutil.rmtree(work, ignore_errors=True)
    emit({"n": count, "p50": percentile(samples, 50), "p99": percentile(samples, 99),
          "base_p50": percentile(base, 50), "base_p99": percentile(base, 99)})


def _bare_saves(directory: Path, count: int) -> list[float]:
    """pyarrow write of a one-row file, flushed and fsynced: the floor for a durable save."""
    directory.mkdir(parents=True)
    table = pa.table({"case_id": ["BED-0001"], "question_id": ["1.1.01"], "answer": ["yes"]})
    out = []
    for i in range(count):
        t0 = time.perf_counter()
        with open(directory / f"{i}.parquet", "wb") as fh:
            pq.write_table(table, fh)
            fh.flush()
            os.fsync(fh.fileno())
        out.append(time.perf_counter() - t0)
    return out


def save_rows(r: dict) -> list[list[object]]:
    if "error" in r:
        return [["answer save", r["error"], "-", "-", "p99 <= 20 ms", "no", "-"]]
    met = "yes" if r["p99"] <= SAVE_P99_TARGET else "no"
    return [
        [f"answer save p50 (n={r['n']})", ms(r["p50"]), ms(r["base_p50"]),
         _ratio(r["p50"], r["base_p50"]), "", "", r["peak_rss_mb"]],
        [f"answer save p99 (n={r['n']})", ms(r["p99"]), ms(r["base_p99"]),
         _ratio(r["p99"], r["base_p99"]), "<= 20 ms", met, r["peak_rss_mb"]],
    ]


# -- score overview at scale -------------------------------------------------------------

def data_dir(size: int, fragments: int = 0) -> Path:
    """The cached data set (0), or a scratch copy with `fragments` parts (-1: compacted)."""
    return OUT / "data" / (f"{size}" if not fragments else f"{size}-f{max(fragments, 0)}")


def recipe() -> str:
    """What a cached data set depends on: framework, figures, demo generator, bench code."""
    import hashlib

    from criteria import DATA_DIR

    digest = hashlib.sha256()
    here = Path(__file__).resolve().parent
    sources = [*DATA_DIR.rglob("*.yaml"), *(here.parent / "caseread" / "demo").glob("*.py"),
               here / "synth.py"]
    for path in sorted(sources):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _build(size: str) -> None:
    from bench.synth import build

    root = data_dir(int(size))
    meta = root / "meta.json"
    t0 = time.perf_counter()
    info = json.loads(meta.read_text()) if meta.exists() else {}
    if info.get("recipe") != recipe():  # built by other code or data: build again
        info = {**build(root, int(size)), "recipe": recipe()}
        meta.write_text(json.dumps(info))
    emit({**info, "seconds": time.perf_counter() - t0})


def build_rows(size: int, r: dict) -> list[list[object]]:
    if "error" in r:
        return [[f"build {size:,} events", r["error"], "-", "-", "", "", "-"]]
    return [[f"(data: {r['events']:,} events, {r['inspections']} inspections, "
             f"built in {r['seconds']:.1f} s)", "", "", "", "", "", r["peak_rss_mb"]]]


def _scores(size: str, fragments: str) -> None:
    from bench.synth import TARGET, one_case, split_target
    from store import Store
    from store.scoring import agree

    root = data_dir(int(size), int(fragments) or -1)  # a hard-linked copy we may write to
    split_target(data_dir(int(size)), root, int(fragments))
    t0 = time.perf_counter()
    store = Store.open(root / "store")
    store.auto_compact_at = None  # keep the 300 fragments while we save more
    store.scores(TARGET)
    cold = time.perf_counter() - t0
    unchanged = timed(partial(store.scores, TARGET), WARM_REPEAT)
    case = one_case()
    after_save = [_score_after_save(store, TARGET, case, i) for i in range(WARM_REPEAT)]
    sql = timed(partial(store.scores_sql, TARGET), 3)
    same = agree(store.scores(TARGET).to_json(), store.scores_sql(TARGET).to_json())
    con = duckdb.connect()
    args = [str(data_dir(int(size)) / "all.parquet"), TARGET]
    t0 = time.perf_counter()
    con.execute(BASELINE_SQL, args).fetchall()
    base_cold = time.perf_counter() - t0
    base_all = timed(lambda: con.execute(BASELINE_SQL, args).fetchall(), WARM_REPEAT)
    shutil.rmtree(root)
    emit({"cold": cold, "warm": median(after_save), "warm_max": max(after_save),
          "unchanged": median(unchanged), "sql": median(sql), "same": same,
          "base_cold": base_cold, "base": median(base_all), "base_min": min(base_all),
          "events": json.loads((data_dir(int(size)) / "meta.json").read_text())["events"]})


def _score_after_save(store: Any, inspection_id: str, case: tuple, i: int) -> float:
    """Save one changed answer (a new fragment), then time the full overview."""
    from store import AnswerInput

    case_id, _, answered = case
    qid = sorted(answered)[i % len(answered)]
    values = store.framework.scale_for(qid).values()
    changed = values[(values.index(answered[qid]) + 1) % len(values)]
    store.save_answers(inspection_id, [AnswerInput(case_id, qid, changed)])
    t0 = time.perf_counter()
    store.scores(inspection_id)
    return time.perf_counter() - t0


def score_rows(size: int, fragments: int, r: dict) -> list[list[object]]:
    label = f"scores, {size:,} events, {fragments} fragments"
    if "error" in r:
        return [[label, r["error"], "-", "-", "-", "no", "-"]]
    within = r["warm"] <= SCORES_RATIO * r["base"]
    target = f"<= {SCORES_RATIO:g}x bare"
    if size <= 1_000_000:
        within = within and r["warm"] <= SCORES_TARGET
        target = f"<= 100 ms and {target}"
    same = "" if r["same"] else " (DIFFERS from the SQL!)"
    return [
        [f"{label}: after a new answer, median of {WARM_REPEAT}",
         f"{ms(r['warm'])} (max {ms(r['warm_max'])}){same}",
         f"{ms(r['base'])} (min {ms(r['base_min'])})", _ratio(r["warm"], r["base"]), target,
         "yes" if within and r["same"] else "no", r["peak_rss_mb"]],
        [f"{label}: nothing new", ms(r["unchanged"]), "", "", "", "", ""],
        [f"{label}: first call, incl. opening the store", ms(r["cold"]), ms(r["base_cold"]),
         _ratio(r["cold"], r["base_cold"]), "", "", ""],
        [f"{label}: the views' SQL, one full pass (reference)", ms(r["sql"]), "", "", "", "",
         ""],
    ]


# -- CSV import ---------------------------------------------------------------------------

def _import(rows: str) -> None:
    from bench.synth import import_csv

    emit(import_csv(OUT / "tmp-import", int(rows)))


def import_rows(r: dict) -> list[list[object]]:
    if "error" in r:
        return [["answers CSV import", r["error"], "-", "-", "", "", "-"]]
    rate = f"{r['rows'] / r['seconds']:,.0f} rows/s"
    base = f"{r['rows'] / r['base_seconds']:,.0f} rows/s"
    return [[f"answers CSV import ({r['rows']:,} rows)", f"{r['seconds']:.1f} s ({rate})",
             f"{r['base_seconds']:.1f} s ({base})", _ratio(r["seconds"], r["base_seconds"]),
             "", "", r["peak_rss_mb"]]]


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}x" if b else "-"
