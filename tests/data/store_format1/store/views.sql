-- caseread views for framework 2013.1; generated, do not edit.
-- Run from inside the store directory:  duckdb -c ".read views.sql" ...

CREATE OR REPLACE VIEW fw_outcomes AS SELECT * FROM read_parquet('framework/2013.1/outcomes.parquet');

CREATE OR REPLACE VIEW fw_themes AS SELECT * FROM read_parquet('framework/2013.1/themes.parquet');

CREATE OR REPLACE VIEW fw_criteria AS SELECT * FROM read_parquet('framework/2013.1/criteria.parquet');

CREATE OR REPLACE VIEW fw_questions AS SELECT * FROM read_parquet('framework/2013.1/questions.parquet');

CREATE OR REPLACE VIEW fw_question_outcomes AS SELECT * FROM read_parquet('framework/2013.1/question_outcomes.parquet');

CREATE OR REPLACE VIEW fw_scale_choices AS SELECT * FROM read_parquet('framework/2013.1/scale_choices.parquet');

CREATE OR REPLACE VIEW fw_case_fields AS SELECT * FROM read_parquet('framework/2013.1/case_fields.parquet');

CREATE OR REPLACE VIEW inspection_events AS SELECT * FROM read_parquet('inspections/*.parquet');

CREATE OR REPLACE VIEW case_events AS SELECT * FROM read_parquet('cases/*/*.parquet');

CREATE OR REPLACE VIEW answer_events AS SELECT * FROM read_parquet('answers/*/*.parquet');

CREATE OR REPLACE VIEW inspections AS
SELECT * EXCLUDE (event_id) FROM inspection_events
QUALIFY row_number() OVER (
  PARTITION BY inspection_id ORDER BY saved_at DESC, event_id DESC) = 1;

CREATE OR REPLACE VIEW case_values AS
SELECT inspection_id, case_id, field, arg_max({'value': value}, (saved_at, event_id)).value AS value
FROM case_events GROUP BY inspection_id, case_id, field;

CREATE OR REPLACE VIEW case_rows AS
SELECT inspection_id, case_id,
  coalesce(m['_kind'], 'case') AS kind,
  coalesce(m['_complete'] = 'true', FALSE) AS marked_complete,
  coalesce(m['_deleted'] = 'true', FALSE) AS deleted,
  m['case_ref'] AS "case_ref",
  m['case_type'] AS "case_type",
  m['office'] AS "office",
  m['om_grade'] AS "om_grade",
  m['gender'] AS "gender",
  m['ethnicity'] AS "ethnicity",
  m['age_band'] AS "age_band",
  m['offence'] AS "offence",
  m['rosh'] AS "rosh",
  m['mappa_category'] AS "mappa_category",
  m['mappa_level'] AS "mappa_level",
  CASE WHEN m['requirements'] = '' THEN []::VARCHAR[] ELSE string_split(m['requirements'], ';') END AS "requirements",
  m['programme'] AS "programme",
  m['psr'] AS "psr",
  CASE WHEN m['factors'] = '' THEN []::VARCHAR[] ELSE string_split(m['factors'], ';') END AS "factors",
  CASE m['alcohol_misuse'] WHEN 'true' THEN TRUE WHEN 'false' THEN FALSE END AS "alcohol_misuse",
  CASE m['alcohol_offence'] WHEN 'true' THEN TRUE WHEN 'false' THEN FALSE END AS "alcohol_offence",
  CASE m['domestic_abuse'] WHEN 'true' THEN TRUE WHEN 'false' THEN FALSE END AS "domestic_abuse",
  CASE m['child_protection'] WHEN 'true' THEN TRUE WHEN 'false' THEN FALSE END AS "child_protection",
  m['transfer'] AS "transfer",
  CASE m['victim_contact'] WHEN 'true' THEN TRUE WHEN 'false' THEN FALSE END AS "victim_contact"
FROM (SELECT inspection_id, case_id, map(list(field), list(value)) AS m
      FROM case_values GROUP BY inspection_id, case_id);

CREATE OR REPLACE VIEW cases AS SELECT * EXCLUDE (deleted) FROM case_rows WHERE NOT deleted;

CREATE OR REPLACE VIEW case_history AS
SELECT inspection_id, case_id, field, lag(value) OVER w AS old_value, value AS new_value,
  author, saved_at, framework_version, event_id
FROM (SELECT DISTINCT ON (event_id) * FROM case_events)
WINDOW w AS (PARTITION BY inspection_id, case_id, field ORDER BY saved_at, event_id);

CREATE OR REPLACE VIEW answers_current AS
SELECT inspection_id, case_id, question_id, r.answer, r.note, r.author, r.saved_at, r.framework_version
FROM (SELECT inspection_id, case_id, question_id, arg_max({'answer': answer, 'note': note, 'author': author, 'saved_at': saved_at, 'framework_version': framework_version}, (saved_at, event_id)) AS r
      FROM answer_events GROUP BY inspection_id, case_id, question_id)
WHERE r.answer IS NOT NULL;

CREATE OR REPLACE VIEW answer_history AS
SELECT inspection_id, case_id, question_id, answer, note, author, saved_at, framework_version,
  lag(answer) OVER w AS old_answer, answer AS new_answer, event_id
FROM (SELECT DISTINCT ON (event_id) * FROM answer_events)
WINDOW w AS (PARTITION BY inspection_id, case_id, question_id ORDER BY saved_at, event_id);

CREATE OR REPLACE VIEW rule_answers AS
SELECT inspection_id, case_id,
  max(answer) FILTER (WHERE question_id = '2.1.31') AS "2.1.31",
  max(answer) FILTER (WHERE question_id = '3.1.01') AS "3.1.01",
  max(answer) FILTER (WHERE question_id = '4.1.01') AS "4.1.01",
  max(answer) FILTER (WHERE question_id = '4.1.14') AS "4.1.14",
  max(answer) FILTER (WHERE question_id = '4.1.21') AS "4.1.21",
  max(answer) FILTER (WHERE question_id = '2.2.17') AS "2.2.17",
  max(answer) FILTER (WHERE question_id = '2.2.22') AS "2.2.22",
  max(answer) FILTER (WHERE question_id = '2.2.28') AS "2.2.28",
  max(answer) FILTER (WHERE question_id = '4.2.01') AS "4.2.01",
  max(answer) FILTER (WHERE question_id = '4.2.09') AS "4.2.09",
  max(answer) FILTER (WHERE question_id = '5.5.01') AS "5.5.01",
  max(answer) FILTER (WHERE question_id = '5.5.03') AS "5.5.03",
  max(answer) FILTER (WHERE question_id = '5.5.07') AS "5.5.07"
FROM answers_current WHERE question_id IN ('2.1.31', '3.1.01', '4.1.01', '4.1.14', '4.1.21', '2.2.17', '2.2.22', '2.2.28', '4.2.01', '4.2.09', '5.5.01', '5.5.03', '5.5.07') GROUP BY inspection_id, case_id;

CREATE OR REPLACE VIEW question_rules AS SELECT * FROM (VALUES ('1.1.01', 1), ('1.1.02', 2), ('1.1.03', 2), ('1.1.04', 2), ('1.1.05', 2), ('1.1.06', 2), ('1.1.07', 2), ('1.1.08', 2), ('1.1.09', 2), ('1.1.10', 2), ('1.1.11', 2), ('1.1.12', 2), ('1.1.13', 2), ('1.1.14', 2), ('1.1.15', 2), ('1.1.16', 2), ('1.1.17', 2), ('1.1.18', 2), ('1.1.19', 3), ('2.1.22', 4), ('2.1.23', 5), ('2.1.24', 6), ('2.1.25', 7), ('2.1.33', 8), ('3.1.01', 9), ('3.1.02', 10), ('3.1.03', 10), ('3.1.04', 10), ('3.1.05', 10), ('3.1.06', 10), ('3.1.07', 10), ('3.1.08', 10), ('3.1.09', 11), ('4.1.02', 12), ('4.1.05', 4), ('4.1.06', 4), ('4.1.07', 4), ('4.1.08', 4), ('4.1.09', 13), ('4.1.10', 14), ('4.1.11', 14), ('4.1.12', 15), ('4.1.13', 15), ('4.1.14', 4), ('4.1.15', 16), ('4.1.16', 16), ('4.1.17', 16), ('4.1.18', 16), ('4.1.19', 16), ('4.1.21', 17), ('4.1.22', 18), ('4.1.23', 19), ('4.1.24', 19), ('4.1.25', 19), ('5.1.04', 16), ('5.1.05', 16), ('2.2.11', 20), ('2.2.18', 21), ('2.2.19', 21), ('2.2.20', 21), ('2.2.21', 21), ('2.2.23', 22), ('2.2.24', 22), ('2.2.25', 22), ('2.2.29', 23), ('2.2.37', 24), ('2.2.38', 25), ('2.2.39', 25), ('2.2.40', 25), ('2.2.41', 25), ('2.2.42', 26), ('2.2.45', 27), ('3.2.04', 28), ('3.2.05', 29), ('3.2.06', 30), ('3.2.07', 7), ('3.2.08', 7), ('3.2.09', 31), ('3.2.10', 32), ('3.2.15', 9), ('3.2.16', 9), ('3.2.17', 9), ('3.2.18', 23), ('4.2.02', 33), ('4.2.03', 33), ('4.2.04', 14), ('4.2.05', 29), ('4.2.06', 34), ('4.2.07', 34), ('4.2.08', 34), ('4.2.10', 35), ('4.2.11', 36), ('4.2.12', 36), ('4.2.13', 36), ('4.2.14', 17), ('4.2.15', 6), ('4.2.17', 16), ('4.2.18', 16), ('4.2.19', 16), ('5.2.03', 37), ('2.3.04', 21), ('4.3.02', 38), ('4.3.04', 13), ('4.3.05', 13), ('4.3.06', 13), ('4.3.07', 13), ('4.3.08', 36), ('5.3.02', 13), ('5.5.01', 39), ('5.5.02', 40), ('5.5.04', 41), ('5.5.05', 41), ('5.5.06', 41), ('5.5.08', 42)) t(question_id, rule_no);

CREATE OR REPLACE VIEW case_rules AS
SELECT k.inspection_id, k.case_id, c.kind, c.deleted,
  [(COALESCE(c."psr" IN ('oral', 'short', 'full'), FALSE) AND COALESCE(c."psr" = 'oral', FALSE)),
    (COALESCE(c."psr" IN ('oral', 'short', 'full'), FALSE) AND COALESCE(c."psr" IN ('short', 'full'), FALSE)),
    COALESCE(c."psr" IN ('oral', 'short', 'full'), FALSE),
    COALESCE(c."rosh" IN ('medium', 'high', 'very_high'), FALSE),
    (COALESCE(c."mappa_category" IN ('1', '2', '3'), FALSE) OR COALESCE(c."child_protection", FALSE)),
    COALESCE(c."child_protection", FALSE),
    COALESCE(c."alcohol_offence", FALSE),
    COALESCE(NULLIF(ra."2.1.31", '') = 'yes', FALSE),
    (NOT COALESCE(len(c."requirements") > 0 AND list_has_all(['unpaid_work'], c."requirements"), FALSE)),
    ((NOT COALESCE(len(c."requirements") > 0 AND list_has_all(['unpaid_work'], c."requirements"), FALSE)) AND COALESCE(NULLIF(ra."3.1.01", '') = 'yes', FALSE)),
    ((NOT COALESCE(len(c."requirements") > 0 AND list_has_all(['unpaid_work'], c."requirements"), FALSE)) AND COALESCE(c."alcohol_offence", FALSE)),
    COALESCE(NULLIF(ra."4.1.01", '') IN ('timely', 'late'), FALSE),
    (COALESCE(c."domestic_abuse", FALSE) OR COALESCE(c."child_protection", FALSE)),
    COALESCE(list_has_any(c."requirements", ['curfew', 'electronic_monitoring', 'restraining_order', 'exclusion', 'prohibited_activity', 'approved_premises']), FALSE),
    (COALESCE(list_has_any(c."requirements", ['curfew', 'electronic_monitoring', 'restraining_order', 'exclusion', 'prohibited_activity', 'approved_premises']), FALSE) AND COALESCE(list_contains(c."requirements", 'curfew'), FALSE)),
    (COALESCE(c."rosh" IN ('medium', 'high', 'very_high'), FALSE) AND COALESCE(NULLIF(ra."4.1.14", '') = 'yes', FALSE)),
    COALESCE(c."mappa_category" IN ('1', '2', '3'), FALSE),
    (COALESCE(c."mappa_category" IN ('1', '2', '3'), FALSE) AND COALESCE(NULLIF(ra."4.1.21", '') = 'yes', FALSE)),
    (COALESCE(c."mappa_category" IN ('1', '2', '3'), FALSE) AND COALESCE(c."mappa_level" IN ('2', '3'), FALSE)),
    COALESCE(c."case_type" = 'licence', FALSE),
    COALESCE(NULLIF(ra."2.2.17", '') = 'yes', FALSE),
    (COALESCE(NULLIF(ra."2.2.17", '') = 'yes', FALSE) AND COALESCE(NULLIF(ra."2.2.22", '') = 'yes', FALSE)),
    COALESCE(NULLIF(ra."2.2.28", '') = 'yes', FALSE),
    COALESCE(c."transfer" = 'out', FALSE),
    COALESCE(c."transfer" = 'in', FALSE),
    COALESCE(c."transfer" IN ('in', 'out'), FALSE),
    COALESCE(c."case_type" = 'suspended_sentence_order', FALSE),
    COALESCE(c."programme" IN ('idap', 'art', 'tsp', 'other'), FALSE),
    COALESCE(list_contains(c."requirements", 'approved_premises'), FALSE),
    COALESCE(list_contains(c."requirements", 'specified_activity'), FALSE),
    COALESCE(list_contains(c."factors", 'accommodation'), FALSE),
    COALESCE(list_contains(c."factors", 'emotional_wellbeing'), FALSE),
    COALESCE(NULLIF(ra."4.2.01", '') = 'yes', FALSE),
    (COALESCE(c."rosh" IN ('high', 'very_high'), FALSE) OR COALESCE(c."child_protection", FALSE)),
    COALESCE(NULLIF(ra."4.2.09", '') = 'yes', FALSE),
    COALESCE(c."mappa_level" IN ('2', '3'), FALSE),
    COALESCE(c."victim_contact", FALSE),
    COALESCE(c."domestic_abuse", FALSE),
    (COALESCE(c."victim_contact", FALSE) AND COALESCE(c."case_type" = 'licence', FALSE)),
    (COALESCE(c."victim_contact", FALSE) AND COALESCE(c."case_type" = 'licence', FALSE) AND COALESCE(NULLIF(ra."5.5.01", '') = 'yes', FALSE)),
    (COALESCE(c."victim_contact", FALSE) AND COALESCE(c."case_type" = 'licence', FALSE) AND COALESCE(NULLIF(ra."5.5.01", '') = 'yes', FALSE) AND COALESCE(NULLIF(ra."5.5.03", '') = 'yes', FALSE)),
    COALESCE(NULLIF(ra."5.5.07", '') = 'yes', FALSE)]::BOOLEAN[] AS rules
FROM (SELECT DISTINCT inspection_id, case_id FROM answers_current) k
LEFT JOIN case_rows c ON c.inspection_id = k.inspection_id AND c.case_id = k.case_id
LEFT JOIN rule_answers ra ON ra.inspection_id = k.inspection_id AND ra.case_id = k.case_id;

CREATE OR REPLACE VIEW answers_scored AS
SELECT a.inspection_id, a.case_id, a.question_id, a.answer, a.author,
  q.criterion AS criterion_id, q.outcome, q.theme, q.kind AS question_kind,
  coalesce(sc.scoring, 'fact') AS scoring,
  coalesce(k.rules[qr.rule_no], TRUE) AS applies
FROM answers_current a
JOIN fw_questions q ON q.id = a.question_id AND q.kind IN ('scoring', 'fact')
JOIN case_rules k ON k.inspection_id = a.inspection_id AND k.case_id = a.case_id
LEFT JOIN question_rules qr ON qr.question_id = a.question_id
LEFT JOIN fw_scale_choices sc ON sc.scale = q.scale AND sc.value = a.answer
WHERE coalesce(k.kind, 'case') = 'case' AND NOT coalesce(k.deleted, FALSE);

CREATE OR REPLACE VIEW question_scores AS
WITH counts AS (
  SELECT inspection_id, question_id,
    count(*) FILTER (WHERE applies AND scoring = 'sufficient') AS sufficient,
    count(*) FILTER (WHERE applies AND scoring = 'insufficient') AS insufficient,
    count(*) FILTER (WHERE scoring = 'not_applicable'
                     OR (NOT applies AND scoring IN ('sufficient', 'insufficient')))
      AS not_applicable
  FROM answers_scored GROUP BY ALL),
keys AS (SELECT DISTINCT inspection_id FROM answers_scored)
SELECT k.inspection_id, q.id AS question_id, q.criterion AS criterion_id,
  coalesce(n.sufficient, 0) AS sufficient, coalesce(n.insufficient, 0) AS insufficient,
  coalesce(n.not_applicable, 0) AS not_applicable,
  coalesce(n.sufficient, 0) + coalesce(n.insufficient, 0) AS applicable,
  CASE WHEN applicable > 0 THEN sufficient / applicable END AS score
FROM keys k CROSS JOIN fw_questions q
JOIN fw_criteria c ON c.id = q.criterion AND c.scored_from = 'cases'
LEFT JOIN counts n ON n.inspection_id = k.inspection_id AND n.question_id = q.id
WHERE q.kind = 'scoring';

CREATE OR REPLACE VIEW criterion_scores AS
SELECT q.inspection_id, c.id AS criterion_id, c.outcome, c.theme, c.title,
  avg(q.score) AS score, sum(q.sufficient)::BIGINT AS sufficient,
  sum(q.applicable)::BIGINT AS applicable, count(q.score) AS questions_scored
FROM question_scores q JOIN fw_criteria c ON c.id = q.criterion_id
GROUP BY ALL;

CREATE OR REPLACE VIEW outcome_scores AS
SELECT q.inspection_id, o.code AS outcome, o.title, 'questions' AS method,
  avg(q.score) AS score, sum(q.sufficient)::BIGINT AS sufficient,
  sum(q.applicable)::BIGINT AS applicable
FROM question_scores q JOIN fw_question_outcomes qo ON qo.question_id = q.question_id
JOIN fw_outcomes o ON o.code = qo.outcome
GROUP BY ALL
UNION ALL BY NAME
SELECT c.inspection_id, o.code AS outcome, o.title, 'criteria' AS method,
  avg(c.score) AS score, sum(c.sufficient)::BIGINT AS sufficient,
  sum(c.applicable)::BIGINT AS applicable
FROM criterion_scores c JOIN fw_outcomes o ON o.code = c.outcome
GROUP BY ALL;

CREATE OR REPLACE VIEW theme_scores AS
SELECT c.inspection_id, t.code AS theme, t.title, avg(c.score) AS score,
  sum(c.sufficient)::BIGINT AS sufficient, sum(c.applicable)::BIGINT AS applicable
FROM criterion_scores c JOIN fw_themes t ON t.code = c.theme
GROUP BY ALL;

CREATE OR REPLACE VIEW interview_counts AS
SELECT a.inspection_id, a.question_id, a.answer, count(*) AS n
FROM answers_current a JOIN fw_questions q ON q.id = a.question_id AND q.kind = 'interview'
LEFT JOIN case_rows c ON c.inspection_id = a.inspection_id AND c.case_id = a.case_id
WHERE NOT coalesce(c.deleted, FALSE)
GROUP BY ALL;
