"""Read the report's figures file (criteria/data/reports/bedfordshire_2013.yaml)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from caseread.demo.figures import DemoError, Fact, Figures, Split
from criteria import DATA_DIR
from criteria.models import Framework

REPORT = DATA_DIR / "reports" / "bedfordshire_2013.yaml"


def _where(item: dict[str, Any]) -> str:
    source = item.get("source") or item.get("paragraph") or "?"
    quote = item.get("quote")
    return f"{source}" + (f' "{quote}"' if quote else "")


def _split(item: dict[str, Any]) -> Split:
    if "answers" in item:
        counts = {str(k): int(v) for k, v in item["answers"].items()}
    else:
        s, n = int(item["sufficient"]), int(item["applicable"])
        counts = {"sufficient": s, "insufficient": n - s}
    return Split(str(item["question"]), counts, _where(item))


def load_figures(fw: Framework | None = None, path: Path | None = None) -> Figures:
    path = path or REPORT
    if not path.exists():
        raise DemoError(f"{path}: the report's figures file is missing")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    scores = {int(k): float(v) / 100 for k, v in data["outcome_scores"].items()}
    return Figures(
        cases=int(data["cases"]),
        interviews=int(data["interview_count"]),
        facts=[Fact(str(i["rule"]), int(i["count"]), _where(i)) for i in data.get("sample", [])],
        splits=[_split(i) for i in data.get("figures", [])],
        interview_splits=[_split(i) for i in data.get("interviews", [])],
        targets=scores,
    )
