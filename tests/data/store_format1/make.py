"""Run with PYTHONPATH=<old code>: writes a format-1 store and what it holds."""
import json
import sys
from pathlib import Path

from caseread.demo.build import generate
from criteria import load_framework
from store import Store
from store.validation import AnswerInput

out = Path(sys.argv[1])
fw = load_framework()
demo = generate(fw)
s = Store.init(out)
cases = demo.of_kind("case")[:6]
for n, iid in enumerate(("old13", "old14")):
    s.add_inspection(iid, "Oldshire", f"2013-0{n + 4}", label=f"Old {n}")
    for cid in cases[n * 3:(n + 1) * 3]:
        s.save_case(iid, cid, {k: v for k, v in demo.cases[cid].items() if v is not None})
        items = list(demo.answers[cid].items())
        for k in range(0, len(items), 40):  # several fragments per case
            s.save_answers(iid, [AnswerInput(cid, q, a) for q, a in items[k:k + 40]])
    if n == 0:
        s.compact()  # one compacted file, then more fragments after it
    first = cases[n * 3]
    q0 = next(iter(demo.answers[first]))
    s.save_answers(iid, [AnswerInput(first, q0, None)])  # a cleared answer
rec = {iid: s.scores(iid).to_json() for iid in ("old13", "old14")}
events = {k: sorted(r["event_id"] for r in s.query(
    f"SELECT DISTINCT event_id FROM {k}_events").to_pylist())
    for k in ("inspection", "case", "answer")}
(out.parent / "expected.json").write_text(
    json.dumps({"scores": rec, "events": events}, sort_keys=True))
s.close()
