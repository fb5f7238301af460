"""`caseread scores` as text and CSV, from the same dict as the JSON (`Scores.to_json()`)."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from .common import text_table

METHOD_TEXT = {
    "questions": "questions (an outcome's score is the mean of the scores of every question "
                 "counting towards it)",
    "criteria": "criteria (an outcome's score is the mean of its criterion scores)",
}
CSV_COLUMNS = ["level", "group", "code", "title", "criterion", "score", "sufficient",
               "insufficient", "not_applicable", "applicable"]


def percent(row: dict[str, Any]) -> str:
    """'77%  (123 of 160)': the score, then sufficient of applicable answers."""
    score = row.get("score")
    counts = f"({row.get('sufficient', 0)} of {row.get('applicable', 0)})"
    if score is None:
        return f"  -   {counts}"
    return f"{round(score * 100 + 1e-9):>3}%  {counts}"


def group_labels(data: dict[str, Any], fw: Any) -> dict[str, Any]:
    """`group_label` beside each row's `group`: the case detail's label ("Very high" for
    very_high), as the app shows it; other values as they are."""
    try:
        labels = {c.value: c.label for c in fw.case_field(data.get("by") or "").choices}
    except KeyError:
        labels = {}
    for key in ("outcomes", "criteria", "questions", "themes"):
        for row in data.get(key, []):
            if "group" in row:
                row["group_label"] = labels.get(row["group"], row["group"])
    return data


def as_table(data: dict[str, Any]) -> str:
    by = data.get("by")
    lines = [f"Inspection {data.get('inspection_id', '')}: scores by the method of "
             f"{METHOD_TEXT.get(data['method'], data['method'])}"]
    lines.append("(n of m): sufficient answers of the m answers where the question applied.")
    if by:
        lines.append(f"Broken down by {by}.")
    for title, key, code_name in (("Outcomes", "outcomes", "Outcome"),
                                  ("Criteria", "criteria", "Criterion")):
        rows = data.get(key, [])
        header = [*(["Group"] if by else []), code_name, "Title", "Score"]
        body = [[*([_text(r.get("group_label", r.get("group")))] if by else []),
                 _code(key, r["code"]), r["title"],
                 percent(r)] for r in rows]
        lines += ["", f"{title}:", text_table(header, body, [False] * len(header))]
    lines += ["", f"{len(data.get('questions', []))} question scores: use --format json or csv."]
    return "\n".join(lines)


def as_csv(data: dict[str, Any]) -> str:
    """One row per outcome, criterion and question score; scores as fractions 0..1."""
    out = io.StringIO()
    columns = list(CSV_COLUMNS)
    if data.get("by"):  # the group's label beside its value
        columns.insert(columns.index("group") + 1, "group_label")
    writer = csv.DictWriter(out, columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for level, key in (("outcome", "outcomes"), ("criterion", "criteria"),
                       ("question", "questions"), ("theme", "themes")):
        for row in data.get(key, []):
            flat = dict(row, level=level, code=row.get("code", row.get("id")))
            if level == "question":
                flat["applicable"] = row["sufficient"] + row["insufficient"]
            writer.writerow(flat)
    return out.getvalue()


def programme(store: Any, method: str, fmt: str) -> str:
    """`--by inspection`: every inspection plus the two labelled programme aggregates."""
    build = getattr(store, "programme", None)
    if not callable(build):
        from store.programme import programme_scores

        def build(method: str) -> Any:
            return programme_scores(store, None, method=method)

    result = build(method=method)
    if fmt == "json":
        return json.dumps(result.to_json(), indent=1, ensure_ascii=False, default=str) + "\n"
    header, body = result.table()
    if fmt == "csv":
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows([header, *body])
        return out.getvalue()
    return (f"Scores by inspection, method of {METHOD_TEXT.get(method, method)}\n\n"
            f"{text_table(header, body, [False] + [True] * (len(header) - 1))}\n")


def _code(key: str, code: object) -> str:
    return f"O{code}" if key == "outcomes" else str(code)


def _text(value: object) -> str:
    return "(none)" if value is None else str(value)
