"""Load and validate a framework directory; every problem names file, line and field.

Layout (see docs/criteria.md)::

    framework.yaml        version, outcomes, themes, criteria, sections
    scales.yaml           answer scales
    case_fields.yaml      case details: the facts recorded before any judgement
    questions/*.yaml      case questions, one file per section of the form
    interviews.yaml       the offender manager interview instrument (x.4 criteria)
    reports/*.yaml        a report's stated figures (not part of the framework; see reports.py)
"""

from __future__ import annotations

import ast
import re
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from criteria.models import (
    CaseField,
    Criterion,
    Framework,
    Outcome,
    Question,
    Scale,
    Section,
    Theme,
)
from criteria.rulecheck import check_rule_values
from criteria.rules import Rule, RuleError
from criteria.yamlsource import FrameworkError, Loc, Source

DATA_DIR = Path(__file__).parent / "data"
M = TypeVar("M", bound=BaseModel)


def load_framework(path: Path | str | None = None) -> Framework:
    """The framework in `path` (default: the bundled data); cached per resolved path."""
    return _load_cached(str(Path(path or DATA_DIR).resolve()))


@lru_cache(maxsize=8)
def _load_cached(path: str) -> Framework:
    return _Loader(Path(path)).load()


def check_framework(
    path: Path | str | None = None,
) -> tuple[Framework | None, list[FrameworkError]]:
    """Load without raising: the framework (or None) and every problem found."""
    try:
        return _Loader(Path(path or DATA_DIR)).load(), []
    except FrameworkError as exc:
        return None, exc.errors


class _Loader:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.errors: list[FrameworkError] = []
        # where each question came from: id -> (source, loc of the item, group rule loc)
        self.where: dict[str, tuple[Source, Loc]] = {}

    # -- driver --
    def load(self) -> Framework:
        if not self.root.is_dir():
            raise FrameworkError(self.root, 0, "(dir)", "framework directory not found")
        head = self._source("framework.yaml")
        scales_src = self._source("scales.yaml")
        fields_src = self._source("case_fields.yaml")
        question_srcs = [
            self._source(p.relative_to(self.root).as_posix())
            for p in sorted((self.root / "questions").glob("*.yaml"))
        ]
        interview_src = self._source("interviews.yaml", required=False)
        self._raise_if_errors()
        assert head and scales_src and fields_src  # missing ones were reported above

        parts = self._grid(head)
        scales = {s.id: s for s in self._items(scales_src, "scales", Scale)}
        fields = self._items(fields_src, "fields", CaseField)
        self._unique(fields_src, "fields", [f.id for f in fields])
        self._unique(scales_src, "scales", [s.id for s in scales.values()])
        questions: list[Question] = []
        for src in question_srcs:
            questions += self._questions(src, "scoring") if src else []
        interviews = self._questions(interview_src, "interview") if interview_src else []
        self._raise_if_errors()

        version = head.data.get("version")
        if not isinstance(version, str) or not version:
            self.errors.append(head.error(("version",), "version must be a non-empty string"))
        self._raise_if_errors()
        questions = self._in_process_order(questions, parts["sections"])
        framework = Framework(
            version=version, title=str(head.data.get("title", "")),
            scales=scales, case_fields=fields, questions=questions,
            interview_questions=interviews, **parts,  # type: ignore[arg-type]
        )
        _Checks(self, framework).run()
        self._raise_if_errors()
        return framework

    def _raise_if_errors(self) -> None:
        if self.errors:
            first = self.errors[0]
            first.errors = list(self.errors)
            raise first

    def _source(self, name: str, required: bool = True) -> Source | None:  # type: ignore[return]
        path = self.root / name
        if not path.exists():
            if required:
                self.errors.append(FrameworkError(path, 0, "(file)", "missing"))
            return None
        try:
            src = Source(path)
        except FrameworkError as exc:
            self.errors.append(exc)
            return None
        if not isinstance(src.data, dict):
            self.errors.append(src.error((), "expected a mapping at the top level"))
            return None
        return src

    # -- generic item validation --
    def _items(self, src: Source, key: str, model: type[M]) -> list[M]:
        raw = src.data.get(key)
        if not isinstance(raw, list):
            self.errors.append(src.error((key,), "expected a list"))
            return []
        return [m for i, item in enumerate(raw) if (m := self._one(src, (key, i), item, model))]

    def _one(self, src: Source, loc: Loc, item: Any, model: type[M]) -> M | None:
        try:
            return model.model_validate(item)
        except ValidationError as exc:
            for err in exc.errors():
                where = (*loc, *err["loc"])
                msg = err["msg"].removeprefix("Value error, ")
                self.errors.append(src.error(where, _label(item) + msg))
            return None

    def _unique(self, src: Source, key: str, ids: list[str]) -> None:
        seen: set[str] = set()
        for i, ident in enumerate(ids):
            if ident in seen:
                self.errors.append(src.error((key, i, "id"), f"duplicate id {ident!r}"))
            seen.add(ident)

    # -- the grid --
    def _grid(self, src: Source) -> dict[str, Any]:
        parts: dict[str, Any] = {
            "outcomes": self._items(src, "outcomes", Outcome),
            "themes": self._items(src, "themes", Theme),
            "criteria": self._items(src, "criteria", Criterion),
            "sections": self._items(src, "sections", Section),
        }
        self._unique(src, "outcomes", [str(o.code) for o in parts["outcomes"]])
        self._unique(src, "themes", [str(t.code) for t in parts["themes"]])
        self._unique(src, "criteria", [c.id for c in parts["criteria"]])
        self._unique(src, "sections", [s.id for s in parts["sections"]])
        outcomes = {o.code for o in parts["outcomes"]}
        themes = {t.code for t in parts["themes"]}
        for i, c in enumerate(parts["criteria"]):
            if c.outcome not in outcomes:
                self._err(src, ("criteria", i, "outcome"), f"unknown outcome {c.outcome}")
            if c.theme not in themes:
                self._err(src, ("criteria", i, "theme"), f"unknown theme {c.theme}")
            if c.id.split(".")[0] != str(c.outcome):
                self._err(src, ("criteria", i, "id"), f"{c.id} is not under outcome {c.outcome}")
        self.head = src
        return parts

    def _err(self, src: Source, loc: Loc, problem: str) -> None:
        self.errors.append(src.error(loc, problem))

    # -- questions, with groups that share an applicability rule --
    def _questions(self, src: Source, kind: str) -> list[Question]:
        section = src.data.get("section")
        raw = src.data.get("questions")
        if not isinstance(raw, list):
            self.errors.append(src.error(("questions",), "expected a list"))
            return []
        return self._walk(src, ("questions",), raw, section, kind, None)

    def _walk(
        self, src: Source, loc: Loc, items: list[Any], section: Any, kind: str, rule: str | None
    ) -> list[Question]:
        out: list[Question] = []
        for i, item in enumerate(items):
            here = (*loc, i)
            if isinstance(item, dict) and "group" in item:
                sub = item.get("questions")
                if not isinstance(sub, list):
                    self._err(src, (*here, "questions"), "a group needs a questions list")
                    continue
                inner = _and(rule, item.get("applies_when"))
                out += self._walk(src, (*here, "questions"), sub, section, kind, inner)
                continue
            if not isinstance(item, dict):
                self.errors.append(src.error(here, "expected a question (a mapping)"))
                continue
            data = {"section": section, "kind": "interview" if kind == "interview" else "scoring",
                    **item}
            data["applies_when"] = _and(rule, item.get("applies_when"))
            q = self._one(src, here, data, Question)
            if q is None:
                continue
            if q.id in self.where:
                first_src, first_loc = self.where[q.id]
                self.errors.append(src.error((*here, "id"), (
                    f"duplicate question id {q.id!r} (first at "
                    f"{first_src.path.name}:{first_src.line(first_loc)})")))
                continue
            self.where[q.id] = (src, here)
            out.append(q)
        return out

    def _in_process_order(
        self, questions: list[Question], sections: list[Section]
    ) -> list[Question]:
        order = {s.id: s.order for s in sections}
        return sorted(questions, key=lambda q: order.get(q.section, 999))


class _Checks:
    """Checks across files, once every item has parsed."""

    def __init__(self, loader: _Loader, fw: Framework) -> None:
        self.loader = loader
        self.fw = fw

    def error(self, qid: str, key: str, problem: str) -> None:
        src, loc = self.loader.where[qid]
        self.loader.errors.append(src.error((*loc, key), f"question {qid}: {problem}"))

    def run(self) -> None:
        seen: list[str] = []
        for q in [*self.fw.questions, *self.fw.interview_questions]:
            self.question(q, seen)
            seen.append(q.id)
        self.coverage()

    def question(self, q: Question, earlier: list[str]) -> None:
        criteria = {c.id: c for c in self.fw.criteria}
        crit = criteria.get(q.criterion)
        if crit is None:
            self.error(q.id, "criterion", f"unknown criterion {q.criterion!r}")
            return
        prefix = "I" if q.kind == "interview" else ""
        if not re.fullmatch(rf"{prefix}{re.escape(q.criterion)}\.\d{{2}}", q.id):
            self.error(q.id, "id", f"id must be {prefix}{q.criterion}.NN (criterion and 2 digits)")
        wanted = "interviews" if q.kind == "interview" else "cases"
        if crit.scored_from != wanted:
            self.error(q.id, "criterion", f"criterion {crit.id} is scored from {crit.scored_from}")
        if q.section not in {s.id for s in self.fw.sections}:
            self.error(q.id, "section", f"unknown section {q.section!r}")
        self.scale(q)
        codes = {o.code for o in self.fw.outcomes}
        for code in q.also_counts_towards:
            if code not in codes or code == crit.outcome:
                self.error(q.id, "also_counts_towards", f"{code} is not another outcome")
        if q.applies_when is not None:
            self.rule(q, earlier)

    def scale(self, q: Question) -> None:
        scale = self.fw.scales.get(q.scale)
        if scale is None:
            have = ", ".join(self.fw.scales)
            self.error(q.id, "scale", f"unknown scale {q.scale!r} (have: {have})")
            return
        if q.kind in ("fact", "interview") and not scale.is_fact:
            self.error(q.id, "scale", f"a {q.kind} question needs a fact scale, {scale.id} scores")
        scorings = {c.scoring for c in scale.choices}
        if q.kind == "scoring" and not {"sufficient", "insufficient"} <= scorings:
            self.error(q.id, "scale", f"scale {scale.id} cannot score a question")

    def rule(self, q: Question, earlier: list[str]) -> None:
        assert q.applies_when is not None
        try:
            rule = Rule.parse(q.applies_when, self.fw.field_types, earlier)
        except RuleError as exc:
            later = exc.name in {x.id for x in self.fw.questions} if exc.name else False
            hint = " (a rule may only read answers to earlier questions)" if later else ""
            self.error(q.id, "applies_when", f"{exc}{hint}")
            return
        for problem in check_rule_values(rule, self.fw):
            self.error(q.id, "applies_when", problem)

    def coverage(self) -> None:
        for i, c in enumerate(self.fw.criteria):
            kinds = [q.kind for q in self.fw.questions_for_criterion(c.id)]
            if c.scored_from == "cases" and "scoring" not in kinds:
                problem = f"case-scored criterion {c.id} has no scoring questions"
                self.loader._err(self.loader.head, ("criteria", i, "scored_from"), problem)


def _and(outer: str | None, inner: Any) -> Any:
    """A group's rule and a question's rule, joined with `and`."""
    if outer is None or inner is None or not isinstance(inner, str):
        return inner if outer is None else outer
    return f"{_operand(outer)} and {_operand(inner)}"


def _operand(rule: str) -> str:
    """Bracket a rule whose top level is an `or`, so `and` binds as written."""
    try:
        top = ast.parse(rule.strip(), mode="eval").body
    except SyntaxError:
        return f"({rule.strip()})"  # reported when the joined rule is parsed
    is_or = isinstance(top, ast.BoolOp) and isinstance(top.op, ast.Or)
    return f"({rule.strip()})" if is_or else rule.strip()


def _label(item: Any) -> str:
    if isinstance(item, dict) and isinstance(item.get("id"), str):
        return f"{item['id']}: "
    return ""
