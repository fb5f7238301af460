"""`caseread export DIR`: the views as one file each, for Excel, R and other tools.

What an analyst counts in the export agrees with the scores: `answers_current` carries
`applies` and `scoring` beside each answer (an answer whose question does not apply to
its case is not applicable in the scores, whatever it says; both are empty for interview
answers, which are counted, not scored), and `answers_scored` (the scored answers, case
records only) is exported too. Like `cases`, it leaves out deleted cases. Files get the
store's group and mode (the data is personal); CSV cells that a spreadsheet would run as
formulas are made inert (store/csvsafe.py) and read back by the imports.
"""

from __future__ import annotations

from pathlib import Path

import click

from .common import one_line_errors, open_store, plural, store_option, to_csv

# view -> the query exported (ordered, so two exports of the same data are the same file)
EXPORTS = {
    "inspections": "SELECT * FROM inspections ORDER BY inspection_id",
    "cases": "SELECT * FROM cases ORDER BY inspection_id, case_id",
    "answers_current": """
SELECT a.inspection_id, a.case_id, a.question_id, a.answer, a.note, a.author, a.saved_at,
  a.framework_version, s.applies, s.scoring
FROM answers_current a
JOIN cases c ON c.inspection_id = a.inspection_id AND c.case_id = a.case_id
LEFT JOIN answers_scored s ON s.inspection_id = a.inspection_id
  AND s.case_id = a.case_id AND s.question_id = a.question_id
ORDER BY a.inspection_id, a.case_id, a.question_id""",
    "answers_scored": "SELECT * FROM answers_scored ORDER BY inspection_id, case_id, question_id",
    "answer_history": "SELECT * FROM answer_history "
                      "ORDER BY inspection_id, case_id, question_id, saved_at, event_id",
    "question_scores": "SELECT * FROM question_scores ORDER BY inspection_id, question_id",
    "criterion_scores": "SELECT * FROM criterion_scores ORDER BY inspection_id, criterion_id",
    "outcome_scores": "SELECT * FROM outcome_scores ORDER BY inspection_id, outcome, method",
    "theme_scores": "SELECT * FROM theme_scores ORDER BY inspection_id, theme",
    "interview_counts": "SELECT * FROM interview_counts "
                        "ORDER BY inspection_id, question_id, answer",
}


@click.command("export")
@click.argument("directory", metavar="DIR", type=click.Path(file_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["parquet", "csv"]), default="parquet",
              show_default=True)
@store_option
@click.pass_context
@one_line_errors
def export_cmd(ctx: click.Context, directory: Path, fmt: str) -> None:
    """Export the views (cases, answers, history, scores) as one file each.

    answers_current says of each answer whether its question applies to its case
    (applies) and how it scores (scoring), as the scores count it; answers_scored holds
    the scored answers. The files get the store's group and mode. In CSV, text starting
    with = + - @ gets a leading ' so spreadsheets do not run it (imports remove it), and
    cases.csv and answers_current.csv import back with `case import` / `answers import`.
    """
    import io

    import pyarrow.parquet as pq

    from store.csvsafe import neutralise_table
    from store.exportfiles import protect_dir, store_access, write_protected

    store = open_store(ctx)
    access = store_access(store.root)
    if not directory.exists():
        directory.mkdir(parents=True)
        protect_dir(directory, access)
    for view, sql in EXPORTS.items():
        table = store.query(sql)
        target = directory / f"{view}.{fmt}"
        if fmt == "csv":
            data = to_csv(neutralise_table(table)).encode("utf-8")
        else:
            buffer = io.BytesIO()
            pq.write_table(table, buffer, compression="zstd")
            data = buffer.getvalue()
        write_protected(target, data, access)
        click.echo(f"{target}  ({plural(table.num_rows, 'row')})")
    click.echo(f"files are {access.describe()}", err=True)
