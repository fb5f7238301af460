"""Synthetic stores at scale for the store benchmark.

Every inspection is a copy of the demo inspection (its 50 cases, 32 interviews and their
answers) under a new id, with each answer saved 1-4 times (earlier saves drawn from the
scale, the last one the demo's answer), so the views see realistic rows: many inspections,
history per key, case details that rules read. Files are written straight in the store's
layout and schemas, as compaction would leave them.
"""

from __future__ import annotations

import os
import random
import shutil
from datetime import datetime, timedelta
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from caseread.demo.build import DemoData, encode_value, generate
from criteria import load_framework
from store import Store, schemas
from store.layout import fragment_name, partition_name

TARGET = "bench-0000"  # the inspection whose scores are measured
AUTHOR = "bench"


def _answer_rows(demo: DemoData, rng: random.Random) -> list[tuple[str, str, str | None, int]]:
    """(case_id, question_id, answer, save index) for one inspection, last save = demo."""
    fw = load_framework()
    rows: list[tuple[str, str, str | None, int]] = []
    for case_id, answers in demo.answers.items():
        for qid, final in answers.items():
            values = fw.scale_for(qid).values()
            saves = rng.randint(1, 4)
            for k in range(saves - 1):
                rows.append((case_id, qid, rng.choice(values), k))
            rows.append((case_id, qid, final, saves - 1))
    return rows


def _case_rows(demo: DemoData) -> list[tuple[str, str, str | None]]:
    rows: list[tuple[str, str, str | None]] = []
    for case_id, details in demo.cases.items():
        rows.append((case_id, "_kind", demo.kinds[case_id]))
        rows.append((case_id, "_complete", "true" if demo.complete[case_id] else "false"))
        rows += [(case_id, f, encode_value(v)) for f, v in details.items() if v is not None]
    return rows


def _table(schema: pa.Schema, columns: dict[str, list]) -> pa.Table:
    return pa.table({n: pa.array(columns[n], type=schema.field(n).type) for n in schema.names})


def _answers_table(insp: str, idx: int, rows: list, version: str, t0: datetime) -> pa.Table:
    n = len(rows)
    return _table(schemas.ANSWERS, {
        "inspection_id": [insp] * n,
        "case_id": [r[0] for r in rows],
        "question_id": [r[1] for r in rows],
        "answer": [r[2] for r in rows],
        "note": [None] * n,
        "author": [AUTHOR] * n,
        "saved_at": [t0 + timedelta(hours=r[3], microseconds=i) for i, r in enumerate(rows)],
        "framework_version": [version] * n,
        "event_id": [f"{idx:08x}{i:024x}" for i in range(n)],
    })


def _cases_table(insp: str, idx: int, rows: list, version: str, t0: datetime) -> pa.Table:
    n = len(rows)
    return _table(schemas.CASES, {
        "inspection_id": [insp] * n,
        "case_id": [r[0] for r in rows],
        "field": [r[1] for r in rows],
        "value": [r[2] for r in rows],
        "author": [AUTHOR] * n,
        "saved_at": [t0] * n,
        "framework_version": [version] * n,
        "event_id": [f"c{idx:07x}{i:024x}" for i in range(n)],
    })


def _write(directory: Path, table: pa.Table, kind: str, prefix: str = "compacted") -> None:
    directory.mkdir(parents=True, exist_ok=True)
    keys = [(k, "ascending") for k in schemas.SORT_KEYS[kind]]
    pq.write_table(table.sort_by(keys), directory / f"{fragment_name(prefix)}.parquet")


def build(root: Path, events: int, seed: int = 7) -> dict:
    """A store under root/store with about `events` answer events, and root/all.parquet."""
    if root.exists():
        shutil.rmtree(root)
    store = Store.init(root / "store")
    fw = load_framework()
    demo = generate(fw)
    rng = random.Random(seed)
    answer_rows, case_rows = _answer_rows(demo, rng), _case_rows(demo)
    if events < len(answer_rows):  # smaller than one inspection: fewer of its cases
        keep = {r[0] for r in answer_rows[:events]}
        answer_rows = [r for r in answer_rows if r[0] in keep]
        case_rows = [r for r in case_rows if r[0] in keep]
    n_insp = max(1, round(events / len(answer_rows)))
    t0 = datetime(2013, 5, 1)
    all_answers, insp_rows = [], []
    for i in range(n_insp):
        insp = f"bench-{i:04d}"
        when = t0 + timedelta(days=i)
        answers = _answers_table(insp, i, answer_rows, fw.version, when)
        _write(store.root / "answers" / partition_name(insp), answers, "answers")
        cases = _cases_table(insp, i, case_rows, fw.version, when)
        _write(store.root / "cases" / partition_name(insp), cases, "cases")
        all_answers.append(answers)
        insp_rows.append(insp)
    n = len(insp_rows)
    _write(store.root / "inspections", _table(schemas.INSPECTIONS, {
        "inspection_id": insp_rows, "area": ["Benchshire"] * n, "date": ["2013-05"] * n,
        "label": [f"Bench {i}" for i in range(n)], "synthetic": [True] * n,
        "author": [AUTHOR] * n, "saved_at": [t0] * n,
        "event_id": [f"i{i:031x}" for i in range(n)],
    }), "inspections")
    everything = pa.concat_tables(all_answers)
    pq.write_table(everything, root / "all.parquet")
    return {"inspections": n, "events": everything.num_rows, "per_inspection": len(answer_rows)}


def split_target(src: Path, dst: Path, fragments: int) -> None:
    """A copy of src (hard links) whose target inspection is spread over `fragments` parts
    (0: left as it is, compacted)."""
    if dst.exists():
        shutil.rmtree(dst)
    shutil.copytree(src, dst, copy_function=os.link)
    if not fragments:
        return
    target = dst / "store" / "answers" / partition_name(TARGET)
    table = pa.concat_tables(pq.read_table(p) for p in sorted(target.glob("*.parquet")))
    table = table.sort_by([("saved_at", "ascending")])
    for p in target.glob("*.parquet"):
        p.unlink()
    # Half stays compacted, the newest half is spread over the uncompacted parts.
    half = table.num_rows // 2
    _write(target, table.slice(0, half), "answers")
    step = max(1, (table.num_rows - half) // fragments)
    for k in range(fragments):
        start = half + k * step
        stop = table.num_rows if k == fragments - 1 else start + step
        piece = table.slice(start, stop - start)
        # a part- name carries its events' save time (store.fragment_check checks it)
        newest = pc.max(piece["saved_at"]).as_py()
        pq.write_table(piece, target / f"{fragment_name('part', newest)}.parquet")


def one_case() -> tuple[str, dict, dict[str, str]]:
    """A demo case (id, details) and its answers, for the save benchmark."""
    demo = generate()
    case_id = demo.of_kind("case")[0]
    return case_id, demo.cases[case_id], demo.answers[case_id]


def import_csv(work: Path, rows: int) -> dict:
    """Time `caseread answers import` of a `rows`-line CSV vs pyarrow CSV -> Parquet + fsync."""
    import time

    import pyarrow.csv as pacsv

    from caseread.cli import cli

    if work.exists():
        shutil.rmtree(work)
    store = Store.init(work / "store")
    os.environ["CASEREAD_CONFIG_DIR"] = str(work / "config")  # the CLI remembers inspections
    fw = load_framework()
    demo = generate(fw)
    qids = [q.id for q in fw.questions]
    n_cases = -(-rows // len(qids))
    store.add_inspection("bench-import", "Benchshire", "2013-05", synthetic=True)
    template = demo.cases[demo.of_kind("case")[0]]
    details = {k: encode_value(v) for k, v in template.items() if v is not None}
    case_ids = [f"C{i:06d}" for i in range(n_cases)]
    case_table = _table(schemas.CASES, {
        "inspection_id": ["bench-import"] * n_cases * (len(details) + 1),
        "case_id": [c for c in case_ids for _ in range(len(details) + 1)],
        "field": ["_kind", *details] * n_cases,
        "value": ["case", *details.values()] * n_cases,
        "author": [AUTHOR] * n_cases * (len(details) + 1),
        "saved_at": [datetime(2013, 5, 1)] * n_cases * (len(details) + 1),
        "framework_version": [fw.version] * n_cases * (len(details) + 1),
        "event_id": [f"{i:032x}" for i in range(n_cases * (len(details) + 1))],
    })
    _write(store.root / "cases" / partition_name("bench-import"), case_table, "cases")
    csv = work / "answers.csv"
    rng = random.Random(3)
    with csv.open("w", encoding="utf-8") as fh:
        fh.write("case_id,question_id,answer\n")
        for i in range(rows):
            qid = qids[i % len(qids)]
            answer = rng.choice(fw.scale_for(qid).values())
            fh.write(f"{case_ids[i // len(qids)]},{qid},{answer}\n")
    t0 = time.perf_counter()
    cli.main(["--store", str(store.root), "answers", "import", str(csv),
              "--inspection", "bench-import"], standalone_mode=False)
    seconds = time.perf_counter() - t0
    t0 = time.perf_counter()
    table = pacsv.read_csv(csv)
    with open(work / "bare.parquet", "wb") as fh:
        pq.write_table(table, fh)
        fh.flush()
        os.fsync(fh.fileno())
    base = time.perf_counter() - t0
    shutil.rmtree(work)
    return {"rows": rows, "seconds": seconds, "base_seconds": base}
