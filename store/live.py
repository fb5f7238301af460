"""An inspection's current answers kept in memory, refreshed from new fragments only.

Fragments are immutable and uniquely named, so a fragment read once never needs reading
again: each refresh lists the inspection's answer partition and reads just the new files.
Compaction rewrites old events under a new name (reading them again changes nothing,
since the newer save of a key wins); any file vanishing makes the next refresh start over,
so a moved-aside or deleted file can never leave its answers behind in memory.
Case details change rarely and are re-read whole when their file list changes.

Each case's contribution (its scored answers, their counts, its interview answers) is
kept, so a save costs re-scoring the cases it touched, not the inspection.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pyarrow.parquet as pq

from criteria import Framework

from .current_state import is_history
from .layout import Layout, fragment_names
from .reading import file_list_sql
from .scoring_sql import ALIASES, AUTHOR
from .tally import Counts, ScoredAnswer, count_as
from .views import Source, as_ctes, definitions, lit

SMALL_BATCH = 8  # new files read directly; more (a first read) are reduced by DuckDB first
_COLUMNS = ["case_id", "question_id", "saved_at", "event_id", "answer", "author"]
# The latest save of each key among many files (cleared answers kept: NULL must hide
# older saves read from other files). Same order as the views: saved_at, then event_id.
_LATEST = """
SELECT case_id, question_id, r.saved_at, r.event_id, r.answer, r.author
FROM (SELECT case_id, question_id,
        arg_max({{'saved_at': saved_at, 'event_id': event_id, 'answer': answer,
                  'author': author}}, (saved_at, event_id)) AS r
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
        self.case_count = 0  # as the `cases` view counts case records
        self.scored: dict[str, list[ScoredAnswer]] = {}  # case id -> its scored answers
        self.counts: Counts = Counter()  # (question id, counts_as) over every case
        self.interviews: Counter[tuple[str, str]] = Counter()  # (question id, answer)
        self._interview_rows: dict[str, list[tuple[str, str]]] = {}
        self._decided: dict[str, dict[str, bool]] = {}  # case -> rule text -> applies
        self._dirty: set[str] = set()
        self._questions = {  # question -> (scoring of each answer value, rule if scored)
            q.id: ({c.value: c.scoring for c in fw.scale_for(q).choices},
                   fw.rule_for(q.id) if q.kind == "scoring" else None)
            for q in fw.questions if q.kind in ("scoring", "fact")
        }
        self._interview_questions = {q.id: fw.rule_for(q.id) for q in fw.interview_questions}
        self._rule_questions = {qid for q in fw.questions if (r := fw.rule_for(q.id))
                                for qid in r.questions}

    def refresh(self, cursor: Cursor) -> None:
        """Read what changed since the last refresh (the caller retries on a lost file)."""
        self._refresh_cases(cursor)
        # A history- file's events are each replaced by a later event of its current- file
        # (store/current_state.py): skipped, as the views skip them.
        names = [n for n in fragment_names(self.layout.partition("answers", self.inspection_id))
                 if not is_history(n)]
        if not self._files <= set(names):  # a file vanished: start over from what is there
            self._dirty |= set(self._latest)
            self._files, self._latest, self._decided = set(), {}, {}
        new = [n for n in names if n not in self._files]
        if new:
            directory = self.layout.partition("answers", self.inspection_id)
            self._merge(cursor, [directory / n for n in new])
            self._files.update(new)
        for case_id in self._dirty:
            self._score_case(case_id)
        self._dirty = set()

    def latest(self, case_id: str, question_id: str) -> Latest | None:
        """The latest save of one key as of the last refresh (a cleared answer: None
        as its answer), or None if it was never answered."""
        return self._latest.get(case_id, {}).get(question_id)

    def _merge(self, cursor: Cursor, files: list[Path]) -> None:
        for case_id, question_id, *save in _read_saves(cursor, files):
            latest = self._latest.setdefault(case_id, {})
            had = latest.get(question_id)
            if had is None or (save[0], save[1]) > had[:2]:
                latest[question_id] = (save[0], save[1], save[2], save[3])
                self._dirty.add(case_id)
                if question_id in self._rule_questions:  # other questions may now apply
                    self._decided.pop(case_id, None)

    def _refresh_cases(self, cursor: Cursor) -> None:
        names = tuple(fragment_names(self.layout.partition("cases", self.inspection_id)))
        if names == self._case_files:
            return
        directory = self.layout.partition("cases", self.inspection_id)
        sources = [self.layout.empty_file("cases"), *(directory / n for n in names)]
        defs = dict(definitions(self.fw, lambda _: file_list_sql(sources), self._framework))
        sql = f"{as_ctes([(n, defs[n]) for n in ('case_events', 'case_values')])}\n" \
              f"SELECT * FROM ({defs['case_rows']}) WHERE inspection_id = " \
              f"{lit(self.inspection_id)}"
        with cursor() as cur:
            rows = cur.sql(sql).to_arrow_table().to_pylist()
        self.cases = {r["case_id"]: r for r in rows}
        self.case_count = sum(r["kind"] == "case" and not r["deleted"] for r in rows)
        self._case_files = names
        self._decided = {}
        self._dirty |= set(self._latest)

    def _score_case(self, case_id: str) -> None:
        """Replace the case's contribution: its rows of `answers_scored` (if it is a live
        case record) and its interview answers (if it is not deleted)."""
        _add(self.counts, ((a.question_id, a.counts_as) for a in self.scored.pop(case_id, [])),
             -1)
        _add(self.interviews, self._interview_rows.pop(case_id, []), -1)
        case = self.cases.get(case_id) or {}
        latest = self._latest.get(case_id, {})
        if case.get("deleted") or not latest:
            return
        if case.get("kind") == "interview":  # as interview_counts: the question's own rule
            answers = {q: v[2] for q, v in latest.items()}
            self._interview_rows[case_id] = rows = [
                (qid, save[2]) for qid, save in latest.items()
                if save[2] is not None and qid in self._interview_questions
                and ((rule := self._interview_questions[qid]) is None
                     or rule.evaluate(case, answers))
            ]
            _add(self.interviews, rows, 1)
        if (case.get("kind") or "case") == "case":
            self.scored[case_id] = scored = self._scored(case_id, case, latest)
            _add(self.counts, ((a.question_id, a.counts_as) for a in scored), 1)

    def _scored(self, case_id: str, case: dict[str, Any],
                latest: dict[str, Latest]) -> list[ScoredAnswer]:
        answers = {q: v[2] for q, v in latest.items()}
        decided = self._decided.setdefault(case_id, {})
        rows = []
        for qid, (_, _, answer, author) in latest.items():
            question = self._questions.get(qid)  # None: an interview or unknown question
            if answer is None or question is None:
                continue
            choices, rule = question
            applies = rule is None or rule.evaluate_once(case, answers, decided)
            rows.append(ScoredAnswer(qid, count_as(choices.get(answer, "fact"), applies), author))
        return rows


def _add(counter: Counter, keys: Iterable[Any], sign: int) -> None:
    for key in keys:
        counter[key] += sign
        if not counter[key]:
            del counter[key]


def _read_saves(cursor: Cursor, files: list[Path]) -> list[tuple]:
    """(case_id, question_id, saved_at, event_id, answer, author) rows: every save of a
    few new files, or the latest per key of many (a first read of an inspection)."""
    if len(files) > SMALL_BATCH:
        with cursor() as cur:
            return cur.execute(_LATEST.format(files=file_list_sql(files))).fetchall()
    rows: list[tuple] = []
    for path in files:
        table = pq.ParquetFile(path).read(columns=_COLUMNS)
        rows += zip(*(table.column(c).to_pylist() for c in _COLUMNS), strict=True)
    return rows


def case_and_interview_counts(live: LiveAnswers) -> tuple[int, list[dict[str, Any]]]:
    """As the views count them: case records (`cases` where kind = 'case') and interview
    answers (`interview_counts`: current answers, deleted records left out)."""
    found = sorted(live.interviews.items())
    rows = [{"question_id": q, "answer": a, "n": n} for (q, a), n in found]
    return live.case_count, rows


def grouped(live: LiveAnswers, by: str | None) -> dict[str | None, Counts]:
    """Counts per breakdown value, as `scoring_sql.grouped_scored` groups answers: a case
    detail cast to text (a list detail: each of its values, or NULL when empty), or the
    answer's author. A group exists when it has any scored answer, as in the views."""
    if by is None:
        return {None: live.counts}
    out: dict[str | None, Counts] = {}
    if ALIASES.get(by, by) == AUTHOR:
        for rows in live.scored.values():
            for a in rows:
                out.setdefault(a.author, Counter())[(a.question_id, a.counts_as)] += 1
        return out
    field = live.fw.case_field(by)
    for case_id, rows in live.scored.items():
        case_counts = Counter((a.question_id, a.counts_as) for a in rows)
        if not case_counts:
            continue
        for value in _as_text(field.type, (live.cases.get(case_id) or {}).get(field.id)):
            out.setdefault(value, Counter()).update(case_counts)
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
