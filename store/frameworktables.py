"""The framework as flat Arrow tables, so SQL (and the bare DuckDB CLI) can join to it."""

from __future__ import annotations

import pyarrow as pa

from criteria import Framework

from .fragments import publish_file
from .layout import Layout

TABLES = (
    "outcomes", "themes", "criteria", "questions", "question_outcomes", "scale_choices",
    "case_fields",
)


def _questions(fw: Framework) -> pa.Table:
    crit = {c.id: c for c in fw.criteria}
    rows = [
        {
            "id": q.id, "criterion": q.criterion, "outcome": crit[q.criterion].outcome,
            "theme": crit[q.criterion].theme, "section": q.section, "text": q.text,
            "short": q.short, "scale": q.scale, "applies_when": q.applies_when,
            "key_question": q.key_question, "source": q.source, "kind": q.kind,
            "position": i,
        }
        for i, q in enumerate((*fw.questions, *fw.interview_questions))
    ]
    return pa.Table.from_pylist(rows, schema=_QUESTION_SCHEMA)


_QUESTION_SCHEMA = pa.schema(
    [("id", pa.string()), ("criterion", pa.string()), ("outcome", pa.int32()),
     ("theme", pa.int32()), ("section", pa.string()), ("text", pa.string()),
     ("short", pa.string()), ("scale", pa.string()), ("applies_when", pa.string()),
     ("key_question", pa.bool_()), ("source", pa.string()), ("kind", pa.string()),
     ("position", pa.int32())]
)


def _question_outcomes(fw: Framework) -> pa.Table:
    """Which outcomes each scoring question counts towards: its own and lent ones."""
    crit = {c.id: c for c in fw.criteria}
    rows = []
    for q in fw.questions:
        own = crit[q.criterion].outcome
        rows.append({"question_id": q.id, "outcome": own, "own": True})
        rows += [
            {"question_id": q.id, "outcome": o, "own": False}
            for o in q.also_counts_towards if o != own
        ]
    schema = pa.schema(
        [("question_id", pa.string()), ("outcome", pa.int32()), ("own", pa.bool_())]
    )
    return pa.Table.from_pylist(rows, schema=schema)


def framework_tables(fw: Framework) -> dict[str, pa.Table]:
    def dump(items: list, **schema: pa.DataType) -> pa.Table:
        rows = [{k: getattr(i, k) for k in schema} for i in items]
        return pa.Table.from_pylist(rows, schema=pa.schema(list(schema.items())))

    s, i32, b = pa.string(), pa.int32(), pa.bool_()
    scale_rows = [
        {"scale": sid, "value": c.value, "label": c.label, "key": c.key, "scoring": c.scoring}
        for sid, sc in fw.scales.items() for c in sc.choices
    ]
    return {
        "outcomes": dump(fw.outcomes, code=i32, title=s, short=s),
        "themes": dump(fw.themes, code=i32, title=s),
        "criteria": dump(fw.criteria, id=s, outcome=i32, theme=i32, title=s, scored_from=s),
        "questions": _questions(fw),
        "question_outcomes": _question_outcomes(fw),
        "scale_choices": pa.Table.from_pylist(
            scale_rows,
            schema=pa.schema([(k, s) for k in ("scale", "value", "label", "key", "scoring")]),
        ),
        "case_fields": dump(fw.case_fields, id=s, label=s, type=s, required=b),
    }


def write_framework(layout: Layout, fw: Framework) -> None:
    """Write framework/<version>/*.parquet once (files are replaced atomically if missing)."""
    target = layout.framework_dir(fw.version)
    for name, table in framework_tables(fw).items():
        if not (target / f"{name}.parquet").exists():
            publish_file(layout, table, target / f"{name}.parquet")
