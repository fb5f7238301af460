"""Build the programme stores the programme benchmark reads: N inspections x 90 cases.

    .venv/bin/python bench/programme_store.py [--out /tmp/caseread-bench] [--sizes 1,10,50]

For each size two stores: `<N>x90-compacted/` (compacted as `caseread compact` leaves it:
per inspection one current-state and one history file of answers, one file of cases) and
`<N>x90-frag64/` (each inspection spread over 64 fragments, as 64 saves leave it before
auto-compaction). Every case answers every
question of the framework (the demo's answer where the demo case has one, else a value
drawn from the question's scale), about 1 key in 6 saved twice: 50 x 90 cases make about
1.1M answer events. Each directory also holds `all.parquet` (every answer event, for the
bare DuckDB baseline). Files are written straight in the store's layout and schemas.
Rebuilt only when missing (delete the directory to rebuild).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from caseread.demo.build import encode_value, generate  # noqa: E402
from criteria import load_framework  # noqa: E402
from store import Store, schemas  # noqa: E402
from store.layout import Layout, fragment_name  # noqa: E402

CASES = 90
FRAGMENTS = 64
AUTHOR = "bench"


def _one_inspection(seed: int = 11) -> tuple[list[tuple], list[tuple]]:
    """(case_id, question_id, answer, save no) and (case_id, field, value) rows."""
    fw = load_framework()
    demo = generate(fw)
    rng = random.Random(seed)
    demo_cases = demo.of_kind("case")
    answers: list[tuple] = []
    details: list[tuple] = []
    for i in range(CASES):
        src = demo_cases[i % len(demo_cases)]
        cid = f"C{i + 1:03d}"
        details.append((cid, "_kind", "case"))
        details.append((cid, "_complete", "true"))
        details += [(cid, f, encode_value(v)) for f, v in demo.cases[src].items() if v is not None]
        for q in fw.questions:
            values = fw.scale_for(q.id).values()
            final = demo.answers[src].get(q.id) or rng.choice(values)
            if rng.random() < 1 / 6:
                answers.append((cid, q.id, rng.choice(values), 0))
                answers.append((cid, q.id, final, 1))
            else:
                answers.append((cid, q.id, final, 0))
    return answers, details


def _table(schema: pa.Schema, columns: dict[str, list]) -> pa.Table:
    return pa.table({n: pa.array(columns[n], type=schema.field(n).type) for n in schema.names})


def _answers(insp: str, idx: int, rows: list[tuple], version: str, t0: datetime) -> pa.Table:
    n = len(rows)
    return _table(schemas.ANSWERS, {
        "inspection_id": [insp] * n, "case_id": [r[0] for r in rows],
        "question_id": [r[1] for r in rows], "answer": [r[2] for r in rows],
        "note": [None] * n, "author": [AUTHOR] * n,
        "saved_at": [t0 + timedelta(hours=r[3], microseconds=i) for i, r in enumerate(rows)],
        "framework_version": [version] * n,
        "event_id": [f"{idx:08x}{i:024x}" for i in range(n)],
    })


def _cases(insp: str, idx: int, rows: list[tuple], version: str, t0: datetime) -> pa.Table:
    n = len(rows)
    return _table(schemas.CASES, {
        "inspection_id": [insp] * n, "case_id": [r[0] for r in rows],
        "field": [r[1] for r in rows], "value": [r[2] for r in rows],
        "author": [AUTHOR] * n, "saved_at": [t0] * n, "framework_version": [version] * n,
        "event_id": [f"c{idx:07x}{i:024x}" for i in range(n)],
    })


def _write(directory: Path, table: pa.Table, kind: str, parts: int) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    if parts <= 1:
        keys = [(k, "ascending") for k in schemas.SORT_KEYS[kind]]
        pq.write_table(table.sort_by(keys), directory / f"{fragment_name('compacted')}.parquet",
                       row_group_size=122_880)
        return
    table = table.sort_by([("saved_at", "ascending")])
    step = -(-table.num_rows // parts)
    for k in range(parts):
        part = table.slice(k * step, step)
        # named at its last event's time, as a save names it: the store's fragment check
        # moves a `part-` file aside when the name and the events disagree
        last = pc.max(part.column("saved_at")).as_py()
        pq.write_table(part, directory / f"{fragment_name('part', when=last)}.parquet")


def build(root: Path, inspections: int, parts: int) -> dict:
    """One store at root/store plus root/all.parquet; returns its size."""
    marker = root / "built.json"
    if marker.exists():
        info = dict(json.loads(marker.read_text()))
        if parts <= 1 and not info.get("current_state"):  # cached before current-state files
            _compact(root / "store", info)
            marker.write_text(json.dumps(info))
        return info
    store = Store.init(root / "store")
    fw = store.framework
    lay = Layout(store.root)
    answer_rows, case_rows = _one_inspection()
    t0 = datetime(2013, 5, 1)
    writer = None
    ids = [f"insp-{i:03d}" for i in range(inspections)]
    for i, insp in enumerate(ids):
        when = t0 + timedelta(days=i)
        table = _answers(insp, i, answer_rows, fw.version, when)
        _write(lay.kind_dir("answers") / f"inspection_id={insp}", table, "answers", parts)
        _write(lay.kind_dir("cases") / f"inspection_id={insp}",
               _cases(insp, i, case_rows, fw.version, when), "cases", 1)
        writer = writer or pq.ParquetWriter(root / "all.parquet", table.schema)
        writer.write_table(table)
    if writer:
        writer.close()
    n = len(ids)
    _write(lay.kind_dir("inspections"), _table(schemas.INSPECTIONS, {
        "inspection_id": ids, "area": [f"Area {i}" for i in range(n)],
        "date": [f"2013-{1 + i % 12:02d}" for i in range(n)],
        "label": [f"Bench {i}" for i in range(n)], "synthetic": [True] * n,
        "author": [AUTHOR] * n, "saved_at": [t0] * n,
        "event_id": [f"i{i:031x}" for i in range(n)],
    }), "inspections", 1)
    store.close()
    info = {"inspections": n, "cases": CASES, "events": len(answer_rows) * n,
            "fragments_per_inspection": max(parts, 1)}
    if parts <= 1:
        _compact(root / "store", info)
    marker.write_text(json.dumps(info))
    return info


def _compact(path: Path, info: dict) -> None:
    """As `caseread compact` leaves a store: each answer partition split into its current
    state and history (store/current_state.py)."""
    store = Store.open(path)
    store.compact(min_fragments=1)
    store.close()
    info["current_state"] = True


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=Path("/tmp/caseread-bench"))
    ap.add_argument("--sizes", default="1,10,50")
    args = ap.parse_args()
    for n in (int(s) for s in args.sizes.split(",")):
        for label, parts in (("compacted", 1), (f"frag{FRAGMENTS}", FRAGMENTS)):
            info = build(args.out / f"{n}x{CASES}-{label}", n, parts)
            print(f"{n}x{CASES}-{label}: {info}")


if __name__ == "__main__":
    main()
