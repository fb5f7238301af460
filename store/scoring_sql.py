"""The SQL builder for Appendix 5 scoring, shared by the views and `Store.scores()`.

Every level is a SELECT over named relations: `scored` (answers_scored, optionally with a
`by_value` group column), and the framework tables `fw_*`. With a group column each level
is computed per group value, so any score can be broken down by any case detail.
"""

from __future__ import annotations

from criteria import Framework

AUTHOR = "author"  # breakdown by who answered (the inspector)
ALIASES = {"inspector": AUTHOR}


def _g(group: bool, alias: str = "") -> str:
    return f", {alias}by_value" if group else ""


def question_level(scored: str, group: bool = False) -> str:
    """sufficient / (sufficient + insufficient) over answered cases where it applies."""
    g, kg = _g(group), _g(group, "k.")
    match_group = " AND n.by_value IS NOT DISTINCT FROM k.by_value" if group else ""
    # `scored` is read once (keys come from the counts): it is the expensive part.
    return f"""
WITH counts AS MATERIALIZED (
  SELECT inspection_id{g}, question_id,
    count(*) FILTER (WHERE applies AND scoring = 'sufficient') AS sufficient,
    count(*) FILTER (WHERE applies AND scoring = 'insufficient') AS insufficient,
    count(*) FILTER (WHERE scoring = 'not_applicable'
                     OR (NOT applies AND scoring IN ('sufficient', 'insufficient')))
      AS not_applicable
  FROM {scored} GROUP BY ALL),
keys AS (SELECT DISTINCT inspection_id{g} FROM counts)
SELECT k.inspection_id{kg}, q.id AS question_id, q.criterion AS criterion_id,
  coalesce(n.sufficient, 0) AS sufficient, coalesce(n.insufficient, 0) AS insufficient,
  coalesce(n.not_applicable, 0) AS not_applicable,
  coalesce(n.sufficient, 0) + coalesce(n.insufficient, 0) AS applicable,
  CASE WHEN applicable > 0 THEN sufficient / applicable END AS score
FROM keys k CROSS JOIN fw_questions q
JOIN fw_criteria c ON c.id = q.criterion AND c.scored_from = 'cases'
LEFT JOIN counts n ON n.inspection_id = k.inspection_id AND n.question_id = q.id{match_group}
WHERE q.kind = 'scoring'"""


def criterion_level(questions: str, group: bool = False) -> str:
    """Mean of the criterion's question scores (questions with nothing applicable left out)."""
    g = _g(group, "q.")
    return f"""
SELECT q.inspection_id{g}, c.id AS criterion_id, c.outcome, c.theme, c.title,
  favg(q.score) AS score, sum(q.sufficient)::BIGINT AS sufficient,
  sum(q.applicable)::BIGINT AS applicable, count(q.score) AS questions_scored
FROM {questions} q JOIN fw_criteria c ON c.id = q.criterion_id
GROUP BY ALL"""


def outcome_level(questions: str, criteria: str, group: bool = False) -> str:
    """Both methods: 'questions' = mean over every question counting towards the outcome
    (its own and those lent by also_counts_towards); 'criteria' = mean of criterion scores."""
    gq, gc = _g(group, "q."), _g(group, "c.")
    return f"""
SELECT q.inspection_id{gq}, o.code AS outcome, o.title, 'questions' AS method,
  favg(q.score) AS score, sum(q.sufficient)::BIGINT AS sufficient,
  sum(q.applicable)::BIGINT AS applicable
FROM {questions} q JOIN fw_question_outcomes qo ON qo.question_id = q.question_id
JOIN fw_outcomes o ON o.code = qo.outcome
GROUP BY ALL
UNION ALL BY NAME
SELECT c.inspection_id{gc}, o.code AS outcome, o.title, 'criteria' AS method,
  favg(c.score) AS score, sum(c.sufficient)::BIGINT AS sufficient,
  sum(c.applicable)::BIGINT AS applicable
FROM {criteria} c JOIN fw_outcomes o ON o.code = c.outcome
GROUP BY ALL"""


def theme_level(criteria: str, group: bool = False) -> str:
    """Mean of the theme's criterion scores. Every theme of the framework appears (for
    each inspection and group that has scores), NULL where none of its criteria is scored
    from cases (theme 4, leadership, is scored from interviews): the rule of the JSON.
    The criterion scores are read once (the keys come from the theme scores)."""
    g, kg = _g(group, "c."), _g(group, "k.")
    match_group = " AND s.by_value IS NOT DISTINCT FROM k.by_value" if group else ""
    return f"""
WITH t_scores AS MATERIALIZED (
  SELECT c.inspection_id{g}, c.theme, favg(c.score) AS score,
    sum(c.sufficient)::BIGINT AS sufficient, sum(c.applicable)::BIGINT AS applicable
  FROM {criteria} c GROUP BY ALL),
keys AS (SELECT DISTINCT inspection_id{_g(group)} FROM t_scores)
SELECT k.inspection_id{kg}, t.code AS theme, t.title, s.score,
  coalesce(s.sufficient, 0)::BIGINT AS sufficient, coalesce(s.applicable, 0)::BIGINT AS applicable
FROM keys k CROSS JOIN fw_themes t
LEFT JOIN t_scores s ON s.inspection_id = k.inspection_id AND s.theme = t.code{match_group}"""


def group_expr(fw: Framework, by: str) -> str:
    """SQL of the breakdown value; multi-valued details are unnested (one row per value)."""
    if ALIASES.get(by, by) == AUTHOR:
        return "s.author"
    try:
        field = fw.case_field(by)
    except KeyError:
        names = ", ".join([AUTHOR, *ALIASES, *(f.id for f in fw.case_fields)])
        raise ValueError(f"cannot break down by {by!r}: use one of {names}") from None
    col = f'c."{field.id}"'
    if field.type == "multi":
        return f"unnest(CASE WHEN len({col}) > 0 THEN {col} ELSE [NULL::VARCHAR] END)"
    return f"CAST({col} AS VARCHAR)"


def grouped_scored(fw: Framework, by: str, scored: str = "answers_scored") -> str:
    """answers_scored with a `by_value` column taken from the case (or the author)."""
    return f"""
SELECT s.*, {group_expr(fw, by)} AS by_value
FROM {scored} s LEFT JOIN case_rows c
  ON c.inspection_id = s.inspection_id AND c.case_id = s.case_id"""


def breakdown_sql(fw: Framework, level: str, by: str, method: str = "questions") -> str:
    """One level of scores broken down by a case detail, over the views (for `--by`)."""
    scored = f"({grouped_scored(fw, by)})"
    qs = f"({question_level(scored, True)})"
    if level == "questions":
        return qs[1:-1]
    cs = f"({criterion_level(qs, True)})"
    if level == "criteria":
        return cs[1:-1]
    if level == "themes":
        return theme_level(cs, True)
    if level == "outcomes":
        return f"SELECT * FROM ({outcome_level(qs, cs, True)}) WHERE method = '{_method(method)}'"
    raise ValueError(f"unknown level {level!r}: use questions, criteria, outcomes, themes")


def _method(method: str) -> str:
    if method not in ("questions", "criteria"):
        raise ValueError(f"unknown method {method!r}: use questions or criteria")
    return method
