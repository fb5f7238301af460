"""An inspection's current answers kept in memory, refreshed from new fragments only.

Fragments are immutable and uniquely named, so a fragment read once never needs reading
again: each refresh lists the inspection's answer partition and reads just the new files.
Compaction rewrites old events under a new name (reading them again changes nothing,
since the newer save of a key wins); any file vanishing makes the next refresh start over,
so a moved-aside or deleted file can never leave its answers behind in memory.
Case details change rarely and are re-read whole when their file list changes.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb

from criteria import Framework

from .layout import Layout, fragments_in
from .reading import file_list_sql
from .scoring_sql import ALIASES, AUTHOR
from .tally import ScoredAnswer, count_as
from .views import Source, as_ctes, definitions, lit

# The latest save of each key among some files; a cleared answer (NULL) is kept, since
# it must hide older saves read from other files.
_LATEST = """
SELECT case_id, question_id, saved_at, r.event_id, r.answer, r.author
FROM (SELECT case_id, question_id, max(saved_at) AS saved_at,
        arg_max({{'answer': answer, 'author': author, 'event_id': event_id}}, saved_at) AS r
      FROM {files} GROUP BY case_id, question_id)"""

Cursor = Callable[[], duckdb.DuckDBPyConnection]
Latest = tuple[datetime, str, str | None, str | None]  # saved_at, event_id, answer, author


class LiveAnswers:
    """Current answers and case details of one inspection, each case's answers scored."""

    def __init__(self, layout: Layout, fw: Framework, inspection_id: str,
                 framework_source: Source) -> None:
        self.layout, self.fw, self.inspection_id = layout, fw, inspection_id
        self._framework = framework_source
        self.lock = threading.Lock()  # held by the caller around refresh() and reads
        self._files: set[str] = set()
        self._case_files: tuple[str, ...] | None = None
        self._latest: dict[str, dict[str, Latest]] = {}  # case id -> question id -> save
        self.cases: dict[str, dict[str, Any]] = {}  # case_rows view rows by case id
        self.scored: dict[str, list[ScoredAnswer]] = {}  # case id -> its scored answers
        self._dirty: set[str] = set()
        # question -> (scoring of each answer value, applicability rule if it is scored)
        self._questions = {
            q.id: ({c.value: c.scoring for c in fw.scale_for(q).choices},
                   fw.rule_for(q.id) if q.kind == "scoring" else None)
            for q in fw.questions if q.kind in ("scoring", "fact")
        }
        self.interview_questions = {q.id for q in fw.interview_questions}

    def refresh(self, cursor: Cursor) -> None:
        """Read what changed since the last refresh (the caller retries on a lost file)."""
        self._refresh_cases(cursor)
        files = fragments_in(self.layout.partition("answers", self.inspection_id))
        names = {p.name for p in files}
        if not self._files <= names:  # a file vanished: start over from what is there
            self._files, self._latest = set(), {}
            self._dirty |= set(self.scored)
        new = [p for p in files if p.name not in self._files]
        if new:
            self._merge(cursor, new)
            self._files |= {p.name for p in new}
        for case_id in self._dirty:
            self._score_case(case_id)
        self._dirty = set()

    def _merge(self, cursor: Cursor, files: list[Path]) -> None:
        with cursor() as cur:
            rows = cur.execute(_LATEST.format(files=file_list_sql(files))).fetchall()
        for case_id, question_id, *save in rows:
            latest = self._latest.setdefault(case_id, {})
            had = latest.get(question_id)
            if had is None or save[:2] > list(had[:2]):
                latest[question_id] = tuple(save)  # type: ignore[assignment]
                self._dirty.add(case_id)

    def _refresh_cases(self, cursor: Cursor) -> None:
        files = fragments_in(self.layout.partition("cases", self.inspection_id))
        names = tuple(p.name for p in files)
        if names == self._case_files:
            return
        sources = [self.layout.empty_file("cases"), *files]
        defs = dict(definitions(self.fw, lambda _: file_list_sql(sources), self._framework))
        sql = f"{as_ctes([(n, defs[n]) for n in ('case_events', 'case_values')])}\n" \
              f"SELECT * FROM ({defs['case_rows']}) WHERE inspection_id = " \
              f"{lit(self.inspection_id)}"
        with cursor() as cur:
            rows = cur.sql(sql).to_arrow_table().to_pylist()
        self.cases = {r["case_id"]: r for r in rows}
        self._case_files = names
        self._dirty |= set(self.scored) | set(self.cases)

    def _score_case(self, case_id: str) -> None:
        """The case's rows of `answers_scored`: its current answers, if it is a live case."""
        case = self.cases.get(case_id) or {}
        latest = self._latest.get(case_id, {})
        if not latest or (case.get("kind") or "case") != "case" or case.get("deleted"):
            self.scored.pop(case_id, None)
            return
        answers = {q: v[2] for q, v in latest.items()}
        decided: dict[str, bool] = {}  # rule text -> result: many questions share a rule
        rows = []
        for qid, (_, _, answer, author) in latest.items():
            question = self._questions.get(qid)  # None: an interview or unknown question
            if answer is None or question is None:
                continue
            choices, rule = question
            applies = True
            if rule is not None:
                applies = decided.get(rule.text)  # type: ignore[assignment]
                if applies is None:
                    applies = decided[rule.text] = rule.evaluate(case, answers)
            rows.append(ScoredAnswer(qid, count_as(choices.get(answer, "fact"), applies), author))
        self.scored[case_id] = rows


def counts(live: LiveAnswers) -> tuple[int, list[dict[str, Any]]]:
    """As the views count them: case records (`cases` where kind = 'case') and interview
    answers (`interview_counts`: current answers, deleted records left out)."""
    cases = sum(r["kind"] == "case" and not r["deleted"] for r in live.cases.values())
    found: Counter[tuple[str, str]] = Counter()
    for case_id, latest in live._latest.items():
        if (live.cases.get(case_id) or {}).get("deleted"):
            continue
        for qid, save in latest.items():
            if save[2] is not None and qid in live.interview_questions:
                found[(qid, save[2])] += 1
    rows = [{"question_id": q, "answer": a, "n": n} for (q, a), n in sorted(found.items())]
    return cases, rows


def grouped(live: LiveAnswers, by: str | None) -> dict[str | None, list[ScoredAnswer]]:
    """Scored answers by breakdown value, as `scoring_sql.grouped_scored` groups them: a
    case detail cast to text (a list detail: each of its values, or NULL when empty), or
    the answer's author."""
    everything = [(case_id, a) for case_id, rows in live.scored.items() for a in rows]
    if by is None:
        return {None: [a for _, a in everything]}
    out: dict[str | None, list[ScoredAnswer]] = {}
    if ALIASES.get(by, by) == AUTHOR:
        for _, a in everything:
            out.setdefault(a.author, []).append(a)
        return out
    field = live.fw.case_field(by)
    values = {case_id: _as_text(field.type, (live.cases.get(case_id) or {}).get(field.id))
              for case_id in live.scored}
    for case_id, a in everything:
        for value in values[case_id]:
            out.setdefault(value, []).append(a)
    return out


def _as_text(type_: str, value: Any) -> list[str | None]:
    """The breakdown values of one case detail, as DuckDB's CAST(... AS VARCHAR) spells them."""
    if type_ == "multi":
        return list(value) if value else [None]
    if value is None:
        return [None]
    if isinstance(value, bool):
        return ["true" if value else "false"]
    return [str(value)]
