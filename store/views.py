"""The views every reader uses, generated from the framework (never raw globs for users).

`view_sql(store_dir, framework)` gives the text of `views.sql` (relative paths: run it from
inside the store with the bare DuckDB CLI); `absolute=True` gives the same views for an
in-process connection. `definitions()` is the ordered (name, SELECT) list both are built
from, with the event sources pluggable so `Store.scores()` can reuse the very same SQL over
one inspection's files.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from criteria import Framework

from . import reading_views
from . import scoring_sql as S
from .current_state import latest_sql
from .frameworktables import TABLES
from .layout import Layout

Source = Callable[[str], str]  # kind or framework table name -> SQL relation
HIVE = "hive_partitioning = true, hive_types = {'inspection_id': VARCHAR}"


def _latest(cols: list[str]) -> str:
    """Latest value of `cols` per key: the last save, and of two saves in the same
    microsecond the larger event id (so every reader, Store.scores() included, agrees).
    A struct keeps NULLs (a cleared answer) that a bare arg_max would skip."""
    fields = ", ".join(f"'{c}': {c}" for c in cols)
    return f"arg_max({{{fields}}}, (saved_at, event_id))"


# Lists are stored joined with ';'. Spelt chr(59) so that the only ';' in views.sql end
# statements: tools that split a script on ';' (Harlequin's --init-path) can load it.
LIST_SEP = "chr(59)"


def _field_sql(fw: Framework) -> str:
    out = []
    for f in fw.case_fields:
        raw = f"m['{f.id}']"
        expr = {
            "multi": f"CASE WHEN {raw} = '' THEN []::VARCHAR[] "
                     f"ELSE string_split({raw}, {LIST_SEP}) END",
            "int": f"TRY_CAST({raw} AS INTEGER)",
            "bool": f"CASE {raw} WHEN 'true' THEN TRUE WHEN 'false' THEN FALSE END",
        }.get(f.type, raw)
        out.append(f'  {expr} AS "{f.id}"')
    return ",\n".join(out)


def _case_views(fw: Framework) -> list[tuple[str, str]]:
    """Latest value per case detail, pivoted through a MAP (cheaper to plan than one
    filtered aggregate per field)."""
    fields = _field_sql(fw)
    sep = "," if fields else ""
    return [
        ("case_values", f"""
SELECT inspection_id, case_id, field, {_latest(["value"])}.value AS value
FROM case_events GROUP BY inspection_id, case_id, field"""),
        ("case_rows", f"""
SELECT inspection_id, case_id,
  -- a calibration case (`_calibration`) is its own kind: nothing counting 'case' sees it
  CASE WHEN m['_calibration'] = 'true' AND coalesce(m['_kind'], 'case') = 'case'
       THEN 'calibration' ELSE coalesce(m['_kind'], 'case') END AS kind,
  coalesce(m['_complete'] = 'true', FALSE) AS marked_complete,
  coalesce(m['_deleted'] = 'true', FALSE) AS deleted{sep}
{fields}
FROM (SELECT inspection_id, case_id, map(list(field), list(value)) AS m
      FROM case_values GROUP BY inspection_id, case_id)"""),
        ("cases", "SELECT * EXCLUDE (deleted) FROM case_rows WHERE NOT deleted"),
        ("case_history", """
SELECT inspection_id, case_id, field, lag(value) OVER w AS old_value, value AS new_value,
  author, saved_at, framework_version, event_id
FROM (SELECT DISTINCT ON (event_id) * FROM case_events)
WINDOW w AS (PARTITION BY inspection_id, case_id, field ORDER BY saved_at, event_id)"""),
    ]


_ANSWER_COLS = ["answer", "note", "author", "saved_at", "framework_version"]


def answers_current_sql(cols: list[str] = _ANSWER_COLS, source: str = "answer_files") -> str:
    """Latest answer per case and question, cleared ones dropped (`cols` narrows it).
    Settled inspections read their `current-` file as it is (store/current_state.py)."""
    return f"""
SELECT inspection_id, case_id, question_id, {", ".join(f"r.{c}" for c in cols)}
FROM ({latest_sql(source, cols)})
WHERE r.answer IS NOT NULL"""


def _answer_views() -> list[tuple[str, str]]:
    return [
        ("answers_current", answers_current_sql()),
        ("answer_history", """
SELECT inspection_id, case_id, question_id, answer, note, author, saved_at, framework_version,
  lag(answer) OVER w AS old_answer, answer AS new_answer, event_id
FROM (SELECT DISTINCT ON (event_id) * FROM answer_events)
WINDOW w AS (PARTITION BY inspection_id, case_id, question_id ORDER BY saved_at, event_id)"""),
    ]


def _rule_questions(fw: Framework) -> list[str]:
    """Questions whose answers some applicability rule reads."""
    used: dict[str, None] = {}
    for q in fw.questions:
        rule = fw.rule_for(q.id)
        used.update(dict.fromkeys(rule.questions if rule else ()))
    return list(used)


def _distinct_rules(fw: Framework) -> tuple[list[str], list[tuple[str, int]]]:
    """The distinct rule SQLs (many questions share one) and question -> rule number."""
    sqls: dict[str, int] = {}
    mapping = []
    for q in fw.questions:
        rule = fw.rule_for(q.id)
        if rule is not None and q.kind == "scoring":
            sql = rule.to_sql(lambda f: f"c.{ident(f)}", lambda qid: f"ra.{ident(qid)}")
            mapping.append((q.id, sqls.setdefault(sql, len(sqls) + 1)))
    return list(sqls), mapping


def lit(text: str) -> str:
    """A SQL string literal (ids come from YAML data: quote them properly anyway)."""
    return "'" + text.replace("'", "''") + "'"


def ident(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _in_list(ids: list[str]) -> str:
    return ", ".join(lit(i) for i in ids)


def _rule_answers(fw: Framework, ac: str = "answers_current") -> list[tuple[str, str]]:
    ruled = _rule_questions(fw)
    if not ruled:
        return []
    cols = ",\n  ".join(
        f"max(answer) FILTER (WHERE question_id = {lit(q)}) AS {ident(q)}" for q in ruled
    )
    return [("rule_answers", f"""
SELECT inspection_id, case_id,
  {cols}
FROM {ac} WHERE question_id IN ({_in_list(ruled)}) GROUP BY inspection_id, case_id""")]


def _case_rules(
    fw: Framework, ac: str = "answers_current", cr: str = "case_rows", ra: str = "rule_answers"
) -> list[tuple[str, str]]:
    """Applicability is decided once per case and rule (not per answer): a BOOLEAN[] of
    every distinct rule, which answers_scored indexes by the question's rule number."""
    sqls, mapping = _distinct_rules(fw)
    join_ra = (
        f"\nLEFT JOIN {ra} ra ON ra.inspection_id = k.inspection_id"
        " AND ra.case_id = k.case_id" if _rule_questions(fw) else ""
    )
    rules = ",\n    ".join(sqls) if sqls else ""
    values = ", ".join(f"({lit(q)}, {n})" for q, n in mapping) or "(NULL, NULL)"
    return [
        ("question_rules", f"SELECT * FROM (VALUES {values}) t(question_id, rule_no)"),
        ("case_rules", f"""
SELECT k.inspection_id, k.case_id, c.kind, c.deleted,
  [{rules}]::BOOLEAN[] AS rules
FROM (SELECT DISTINCT inspection_id, case_id FROM {ac}) k
LEFT JOIN {cr} c ON c.inspection_id = k.inspection_id AND c.case_id = k.case_id{join_ra}"""),
    ]


# What scoring reads of the current answers (a narrower latest-per-key: cheaper).
LATEST = "answers_latest"


def answers_scored_sql(fw: Framework, tables: bool = False) -> str:
    """One chain: the current answers and case rows are computed once (MATERIALIZED) and
    the rule helpers read them, instead of each helper view re-reading every event (views
    are inlined: the helpers made DuckDB aggregate all answer events three times).
    DuckDB still pushes a filter on inspection_id down into the materialised steps.
    `tables`: answers_latest and case_rows are already tables (scoring.py): read, not copied."""
    helpers = _rule_answers(fw, "_ac") + _case_rules(fw, "_ac", "_cr", "_ra")
    renamed = {"rule_answers": "_ra", "question_rules": "_qr", "case_rules": "_kr"}
    chain = [("_ac", f"SELECT * FROM {LATEST}"), ("_cr", "SELECT * FROM case_rows")]
    chain += [(renamed[n], sql) for n, sql in helpers]
    # Framework lookups as one small table keyed by the (question, answer) pairs present,
    # so each answer needs one inner join: a LEFT JOIN of the big side to the scale made
    # DuckDB build its hash table on the answers (four times the work, measured).
    chain.append(("_qa", """
SELECT q.id, p.answer, q.criterion, q.outcome, q.theme, q.kind, qr.rule_no,
  coalesce(sc.scoring, 'fact') AS scoring
FROM (SELECT DISTINCT question_id, answer FROM _ac) p
JOIN fw_questions q ON q.id = p.question_id AND q.kind IN ('scoring', 'fact')
LEFT JOIN _qr qr ON qr.question_id = q.id
LEFT JOIN fw_scale_choices sc ON sc.scale = q.scale AND sc.value = p.answer"""))
    return f"""
{as_ctes(chain, materialized=("_kr", "_qa") if tables else ("_ac", "_cr", "_kr", "_qa"),
          inline=("_ac", "_cr") if tables else ())}
SELECT a.inspection_id, a.case_id, a.question_id, a.answer, a.author,
  q.criterion AS criterion_id, q.outcome, q.theme, q.kind AS question_kind,
  q.scoring, coalesce(k.rules[q.rule_no], TRUE) AS applies
FROM _ac a
JOIN _kr k ON k.inspection_id = a.inspection_id AND k.case_id = a.case_id
JOIN _qa q ON q.id = a.question_id AND q.answer = a.answer
WHERE coalesce(k.kind, 'case') = 'case' AND NOT coalesce(k.deleted, FALSE)"""


def _scored_views(fw: Framework) -> list[tuple[str, str]]:
    return [(LATEST, answers_current_sql(["answer", "author"]))] + _rule_answers(fw) \
        + _case_rules(fw) + [("answers_scored", answers_scored_sql(fw))]


def interview_counts_sql(fw: Framework) -> str:
    """Answers to interview questions on interview records, counted per answer.

    The same rule as case scores: a deleted record does not count, a record that is now
    a case does not count, and an answer counts only where its question's own
    `applies_when` holds for that interview (e.g. I2.4.13 only if I2.4.12 is yes).
    """
    ruled = [(q.id, rule) for q in fw.interview_questions if (rule := fw.rule_for(q.id))]
    read = list(dict.fromkeys(qid for _, rule in ruled for qid in rule.questions))
    pivot = ""
    if read:
        cols = ", ".join(f"max(answer) FILTER (WHERE question_id = {lit(q)}) AS {ident(q)}"
                         for q in read)
        pivot = (f"\nLEFT JOIN (SELECT inspection_id, case_id, {cols} FROM answers_current"
                 f" WHERE question_id IN ({_in_list(read)}) GROUP BY ALL) ir"
                 " ON ir.inspection_id = a.inspection_id AND ir.case_id = a.case_id")
    applies = "".join(
        f" WHEN {lit(qid)} THEN "
        + rule.to_sql(lambda f: f"c.{ident(f)}", lambda q: f"ir.{ident(q)}")
        for qid, rule in ruled
    )
    where = f" AND CASE a.question_id{applies} ELSE TRUE END" if ruled else ""
    return f"""
SELECT a.inspection_id, a.question_id, a.answer, count(*) AS n
FROM answers_current a JOIN fw_questions q ON q.id = a.question_id AND q.kind = 'interview'
JOIN case_rows c ON c.inspection_id = a.inspection_id AND c.case_id = a.case_id{pivot}
WHERE NOT c.deleted AND c.kind = 'interview'{where}
GROUP BY ALL"""


CASE_COUNT = "SELECT count(*) FROM cases WHERE kind = 'case'"


def _score_views(fw: Framework) -> list[tuple[str, str]]:
    """Each level reads the one below once: outcome_scores needs question scores twice
    (directly and through criteria), so it computes them once, MATERIALIZED."""
    qs = as_ctes([("_qs", "SELECT * FROM question_scores"),
                  ("_cs", S.criterion_level("_qs"))], materialized=("_qs",))
    return [
        ("question_scores", S.question_level("answers_scored")),
        ("criterion_scores", S.criterion_level("question_scores")),
        ("outcome_scores", f"{qs}\n{S.outcome_level('_qs', '_cs')}"),
        ("theme_scores", S.theme_level("criterion_scores")),
        ("interview_counts", interview_counts_sql(fw)),
    ]


def definitions(fw: Framework, events: Source, framework: Source) -> list[tuple[str, str]]:
    """Ordered (view name, SELECT) pairs; later views use earlier ones by name."""
    out = [(f"fw_{t}", f"SELECT * FROM {framework(t)}") for t in TABLES]
    out += [
        ("inspection_events", f"SELECT * FROM {events('inspections')}"),
        ("case_events", f"SELECT * FROM {events('cases')}"),
        # With DuckDB's `filename`: the latest-answer views need it (current_state.py).
        ("answer_files", f"SELECT * FROM {events('answers')}"),
        ("answer_events", "SELECT * EXCLUDE (filename) FROM answer_files"),
    ]
    # Second readings: their own module and event kind (see reading_views.py).
    return out + _derived(fw) + reading_views.definitions(events)


def store_definitions(fw: Framework, events: Source, framework: Source) -> list[tuple[str, str]]:
    """`definitions` plus the quality-assurance views (store/qa_views.py), for the views
    over the whole store (views.sql, Store.query); the per-inspection score SQL needs none."""
    from .qa_views import definitions as qa_definitions

    return definitions(fw, events, framework) + qa_definitions(events)


_DERIVED: dict[int, tuple[Framework, list[tuple[str, str]]]] = {}


def _derived(fw: Framework) -> list[tuple[str, str]]:
    """The views built on the sources: they depend on the framework only (cached, since
    compiling every rule to SQL on each score request is measurable)."""
    hit = _DERIVED.get(id(fw))
    if hit is None or hit[0] is not fw:
        hit = (fw, [("inspections", """
SELECT * EXCLUDE (event_id) FROM inspection_events
QUALIFY row_number() OVER (
  PARTITION BY inspection_id ORDER BY saved_at DESC, event_id DESC) = 1""")]
            + _case_views(fw) + _answer_views() + _scored_views(fw) + _score_views(fw))
        _DERIVED[id(fw)] = hit
    return list(hit[1])


def file_sources(
    store_dir: Path | None, fw: Framework, legacy: bool = False
) -> tuple[Source, Source]:
    """Sources reading the store's Parquet by relative (None) or absolute path. `legacy`:
    the format-1 layout (a read-only store an older caseread made, which cannot be migrated)."""
    prefix = "" if store_dir is None else f"{Path(store_dir).absolute()}/"

    def events(kind: str) -> str:
        if kind == "inspections":
            return f"read_parquet('{_q(prefix + Layout.glob(kind))}', hive_partitioning = false)"
        if kind == "readings" and store_dir is not None \
                and not Layout(Path(store_dir)).empty_file(kind).exists():
            return reading_views.NO_READINGS  # an older store opened read-only
        named = ", filename = true" if kind == "answers" else ""
        if legacy:
            return (f"read_parquet('{_q(prefix)}{kind}/*/*.parquet', "
                    f"hive_partitioning = false{named})")
        # Partitioned by directory: a filter on inspection_id opens only that inspection.
        return f"read_parquet('{_q(prefix + Layout.glob(kind))}', {HIVE}{named})"

    def framework(table: str) -> str:
        return f"read_parquet('{_q(prefix)}framework/{_q(fw.version)}/{table}.parquet')"

    return events, framework


def _q(text: str) -> str:
    return text.replace("'", "''")


def render(defs: list[tuple[str, str]]) -> str:
    return "\n".join(f"CREATE OR REPLACE VIEW {n} AS{_nl(sql)};\n" for n, sql in defs)


def as_ctes(defs: list[tuple[str, str]], materialized: tuple[str, ...] = (),
            inline: tuple[str, ...] = ()) -> str:
    """The same definitions as one WITH clause (no catalog objects: cheap per query);
    `inline` steps are never materialised (DuckDB may otherwise copy a table read twice)."""
    def how(n: str) -> str:
        return "MATERIALIZED " if n in materialized else "NOT MATERIALIZED " if n in inline else ""

    return "WITH " + ",\n".join(f"{n} AS {how(n)}({sql.strip()})" for n, sql in defs)


def _nl(sql: str) -> str:
    return sql.rstrip() if sql.startswith("\n") else " " + sql.strip()


def view_sql(store_dir: Path, fw: Framework, absolute: bool = False, legacy: bool = False) -> str:
    """The text of views.sql: paths relative to the store unless `absolute`."""
    events, framework = file_sources(store_dir if absolute else None, fw, legacy)
    head = (
        f"-- caseread views for framework {fw.version}, generated: do not edit.\n"
        "-- Run from inside the store directory:  duckdb -init views.sql\n"
        "-- The only semicolons end statements (tools that split on them can load it).\n\n"
    )
    return head + render(store_definitions(fw, events, framework))
