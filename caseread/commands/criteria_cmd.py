"""`caseread criteria check|show`: validate the framework files and print them.

`show --format json` is the data dictionary for analysts and other tools: the grid, the case
detail fields with their allowed values, and every question with every attribute.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:  # criteria loads pydantic: imported by the commands, not by --help
    from criteria import Framework, FrameworkError, Question

DIR_OPTION = click.option(
    "--dir", "framework_dir", type=click.Path(file_okay=False, path_type=Path),
    help="Framework directory to use instead of the built-in one.",
)


class CriteriaError(click.ClickException):
    """One line `caseread: error: ...` on stderr; exit status 1."""

    def show(self, file: Any = None) -> None:
        click.echo(f"caseread: error: {self.format_message()}", err=True)


@click.group("criteria")
def criteria() -> None:
    """The inspection framework: criteria grid, case details and question bank."""


@criteria.command("check")
@DIR_OPTION
def check(framework_dir: Path | None) -> None:
    """Validate every framework file and print question counts per criterion."""
    from criteria import DATA_DIR, check_framework

    root = framework_dir or DATA_DIR
    fw, errors = check_framework(root)
    if fw is not None:
        errors += _check_reports(fw, root)
    if errors:
        for err in errors:
            click.echo(str(err), err=True)
        click.echo(f"caseread: error: {len(errors)} problem(s) in {root}", err=True)
        sys.exit(1)
    assert fw is not None
    click.echo(_counts_table(fw))
    click.echo(f"framework {fw.version}: ok")


def _check_reports(fw: Framework, root: Path) -> list[FrameworkError]:
    from criteria import FrameworkError
    from criteria.reports import load_report

    errors: list[FrameworkError] = []
    for path in sorted((root / "reports").glob("*.yaml")):
        try:
            load_report(framework=fw, path=path)
        except FrameworkError as exc:
            errors += exc.errors
    from criteria.checks import CHECKS_FILE, load_checks

    try:  # the data quality rules (checks.yaml) are checked with the framework
        load_checks(fw, root / CHECKS_FILE)
    except FrameworkError as exc:
        errors += exc.errors
    return errors


def _counts_table(fw: Framework) -> str:
    rows: list[tuple[str, ...]] = [("criterion", "scoring", "fact", "interview", "key", "title")]
    totals = [0, 0, 0, 0]
    for c in fw.criteria:
        qs = fw.questions_for_criterion(c.id)
        counts = [
            sum(q.kind == "scoring" for q in qs), sum(q.kind == "fact" for q in qs),
            sum(q.kind == "interview" for q in qs), sum(q.key_question for q in qs),
        ]
        totals = [a + b for a, b in zip(totals, counts, strict=True)]
        rows.append((c.id, *map(str, counts), c.title))
    rows.append(("total", *map(str, totals), ""))
    return _table(rows)


def _table(rows: list[tuple[str, ...]]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]) - 1)]
    lines = []
    for row in rows:
        cells = [cell.rjust(w) if i else cell.ljust(w) for i, (cell, w) in
                 enumerate(zip(row[:-1], widths, strict=True))]
        lines.append("  ".join([*cells, row[-1]]).rstrip())
    return "\n".join(lines)


@criteria.command("show")
@click.argument("item_id", required=False)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@DIR_OPTION
def show(item_id: str | None, fmt: str, framework_dir: Path | None) -> None:
    """Print the grid, or one outcome, criterion, question or case detail field.

    ITEM_ID is an outcome code (4), a criterion (2.1), a question (4.1.05, I2.4.13) or a case
    detail field (rosh). With --format json and no ITEM_ID: the whole framework.
    """
    from criteria import DATA_DIR, check_framework

    fw, errors = check_framework(framework_dir or DATA_DIR)
    if fw is None:
        raise CriteriaError(str(errors[0]))
    if item_id is None:
        text = json.dumps(dictionary(fw), indent=2) if fmt == "json" else _grid_text(fw)
        click.echo(text)
        return
    found = _find(fw, item_id)
    if found is None:
        raise CriteriaError(
            f"no outcome, criterion, question or case detail field {item_id!r}"
        )
    kind, data, text = found
    click.echo(json.dumps({"item": kind, **data}, indent=2) if fmt == "json" else text)


# -- the data dictionary -------------------------------------------------------------------

def dictionary(fw: Framework) -> dict[str, Any]:
    """The whole framework as plain data, with each question's derived attributes."""
    order = {q.id: i + 1 for i, q in enumerate(fw.questions)}
    return {
        "version": fw.version,
        "title": fw.title,
        "outcomes": [o.model_dump() for o in fw.outcomes],
        "themes": [t.model_dump() for t in fw.themes],
        "criteria": [_criterion_data(fw, c.id) for c in fw.criteria],
        "sections": [s.model_dump() for s in fw.sections],
        "case_fields": [f.model_dump() for f in fw.case_fields],
        "scales": [s.model_dump() for s in fw.scales.values()],
        "questions": [_question_data(fw, q, order.get(q.id)) for q in fw.questions],
        "interview_questions": [
            _question_data(fw, q, None) for q in fw.interview_questions
        ],
    }


def _criterion_data(fw: Framework, criterion_id: str) -> dict[str, Any]:
    c = fw.criterion(criterion_id)
    qs = fw.questions_for_criterion(c.id)
    return {**c.model_dump(), "questions": [q.id for q in qs]}


def _question_data(fw: Framework, q: Question, order: int | None) -> dict[str, Any]:
    c = fw.criterion(q.criterion)
    rule = fw.rule_for(q.id)
    return {
        **q.model_dump(),
        "outcome": c.outcome,
        "theme": c.theme,
        "process_order": order,
        "rule_fields": list(rule.fields) if rule else [],
        "rule_questions": list(rule.questions) if rule else [],
        "choices": [ch.model_dump() for ch in fw.scale_for(q).choices],
    }


# -- text views ----------------------------------------------------------------------------

def _grid_text(fw: Framework) -> str:
    themes = {t.code: t.title for t in fw.themes}
    lines = [f"{fw.title} (framework {fw.version})", ""]
    for o in fw.outcomes:
        lines.append(f"{o.code} {o.title}")
        for c in fw.criteria:
            if c.outcome != o.code:
                continue
            n = len(fw.questions_for_criterion(c.id))
            source = "questions" if c.scored_from == "cases" else "interview questions"
            lines.append(f"  {c.id}  {c.title}")
            lines.append(f"       theme {c.theme} {themes[c.theme]}; {n} {source}")
        lines.append("")
    lines.append(f"{len(fw.questions)} case questions, "
                 f"{len(fw.interview_questions)} interview questions, "
                 f"{len(fw.case_fields)} case detail fields")
    return "\n".join(lines)


def _find(fw: Framework, item_id: str) -> tuple[str, dict[str, Any], str] | None:
    if item_id.isdigit():
        try:
            o = fw.outcome(int(item_id))
        except KeyError:
            return None
        crits = [c for c in fw.criteria if c.outcome == o.code]
        text = "\n".join([f"{o.code} {o.title}"] + [f"  {c.id}  {c.title}" for c in crits])
        return "outcome", {**o.model_dump(), "criteria": [c.id for c in crits]}, text
    for finder in (_find_criterion, _find_question, _find_field):
        found = finder(fw, item_id)
        if found is not None:
            return found
    return None


def _find_criterion(fw: Framework, item_id: str) -> tuple[str, dict[str, Any], str] | None:
    try:
        c = fw.criterion(item_id)
    except KeyError:
        return None
    lines = [f"{c.id} {c.title}", f"  outcome {c.outcome}, theme {c.theme}, "
             f"scored from {c.scored_from}", ""]
    for q in fw.questions_for_criterion(c.id):
        tag = {"scoring": " ", "fact": "f", "interview": "i"}[q.kind]
        key = "*" if q.key_question else " "
        lines.append(f"{q.id:>8} {tag}{key} {q.text}")
        if q.applies_when:
            lines.append(f"{'':>12}only where: {q.applies_when}")
    lines.append("\n(f = fact, i = interview, * = key question)")
    return "criterion", _criterion_data(fw, c.id), "\n".join(lines)


def _find_question(fw: Framework, item_id: str) -> tuple[str, dict[str, Any], str] | None:
    try:
        q = fw.question(item_id)
    except KeyError:
        return None
    data = _question_data(fw, q, None)
    scale = fw.scale_for(q)
    choices = ", ".join(f"{c.value} [{c.key}] = {c.scoring}" for c in scale.choices)
    c = fw.criterion(q.criterion)
    lines = [
        f"{q.id}  {q.text}",
        f"  criterion:   {c.id} {c.title}",
        f"  section:     {q.section}",
        f"  kind:        {q.kind}{'  (key question)' if q.key_question else ''}",
        f"  scale:       {scale.id}: {choices}",
        f"  applies:     {q.applies_when or 'always'}",
        f"  also counts: {', '.join(map(str, q.also_counts_towards)) or '-'}",
        f"  source:      {q.source or '-'}",
    ]
    if q.short:
        lines.append(f"  short:       {q.short}")
    if q.guidance:
        lines.append(f"  guidance:    {q.guidance}")
    return "question", data, "\n".join(lines)


def _find_field(fw: Framework, item_id: str) -> tuple[str, dict[str, Any], str] | None:
    try:
        f = fw.case_field(item_id)
    except KeyError:
        return None
    lines = [f"{f.id}  {f.label} ({f.type}{', required' if f.required else ''})"]
    if f.help:
        lines.append(f"  {f.help}")
    lines += [f"  {c.value:<26} {c.label}" for c in f.choices]
    return "case_field", f.model_dump(), "\n".join(lines)
