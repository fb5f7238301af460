"""Arrow schemas of the event kinds (see DESIGN.md)."""

from __future__ import annotations

import pyarrow as pa

_TS = pa.timestamp("us")  # naive UTC: DuckDB reads it as TIMESTAMP
_COMMON = [
    ("author", pa.string()),
    ("saved_at", _TS),
    ("event_id", pa.string()),
]

ANSWERS = pa.schema(
    [
        ("inspection_id", pa.string()),
        ("case_id", pa.string()),
        ("question_id", pa.string()),
        ("answer", pa.string()),
        ("note", pa.string()),
        ("author", pa.string()),
        ("saved_at", _TS),
        ("framework_version", pa.string()),
        ("event_id", pa.string()),
    ]
)
CASES = pa.schema(
    [
        ("inspection_id", pa.string()),
        ("case_id", pa.string()),
        ("field", pa.string()),
        ("value", pa.string()),
        ("author", pa.string()),
        ("saved_at", _TS),
        ("framework_version", pa.string()),
        ("event_id", pa.string()),
    ]
)
INSPECTIONS = pa.schema(
    [
        ("inspection_id", pa.string()),
        ("area", pa.string()),
        ("date", pa.string()),
        ("label", pa.string()),
        ("synthetic", pa.bool_()),
        *_COMMON,
    ]
)
# Readings >= 2 (second readings, calibration readings): the answer-event columns plus the
# reading number. Their own kind, so answers_current and every score view cannot see them.
READINGS = pa.schema([*ANSWERS, ("reading", pa.int32())])
BY_KIND = {"inspections": INSPECTIONS, "cases": CASES, "answers": ANSWERS, "readings": READINGS}
# How compacted files are sorted: readers filter on these, history reads them in order.
SORT_KEYS = {
    "inspections": ["inspection_id", "saved_at", "event_id"],
    "cases": ["case_id", "field", "saved_at", "event_id"],
    "answers": ["case_id", "question_id", "saved_at", "event_id"],
    "readings": ["case_id", "reading", "question_id", "saved_at", "event_id"],
}


def kind_of(path_parts: tuple[str, ...]) -> str | None:
    """The event kind a store-relative path belongs to (None for other files)."""
    return path_parts[0] if path_parts and path_parts[0] in BY_KIND else None
