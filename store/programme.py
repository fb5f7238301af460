"""Programme view: outcome and criterion scores compared across the store's inspections.

The method publishes an aggregate report after each group of inspections. Two aggregates
are given, always labelled, because they differ whenever inspections differ in size:
- "pooled answers": every inspection's answers counted together, then scored as one
  inspection (a large inspection weighs more);
- "mean of inspections": the plain average of the inspections' own scores.
Per-inspection scores come from `Store.scores_by_inspection()` (the SQL of the score views,
every inspection in one pass); the pooled aggregate sums the inspections' per-question counts
and then averages exactly as that SQL does (mean of question proportions).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from statistics import fmean
from typing import Any, Literal

from criteria import Framework, load_framework

POOLED = "Programme (pooled answers)"
MEAN = "Programme (mean of inspections)"
METHODS = ("questions", "criteria")

RowKind = Literal["inspection", "pooled", "mean"]
Scores = dict[str, float | None]  # column key ("O1", "2.1") -> score 0..1 or None


@dataclass(frozen=True)
class Column:
    key: str  # "O1".."O5" for outcomes, the criterion id otherwise
    title: str
    kind: Literal["outcome", "criterion"]
    short: str = ""  # table header: "O1 Sentencing", or the criterion id


@dataclass(frozen=True)
class ProgrammeRow:
    label: str
    kind: RowKind
    inspection_id: str | None
    cases: int
    scores: Scores
    synthetic: bool = False  # an inspection row of synthetic (demo) data


@dataclass
class ProgrammeScores:
    method: str
    framework_version: str
    columns: list[Column]
    inspections: list[ProgrammeRow] = field(default_factory=list)
    pooled: ProgrammeRow | None = None
    mean: ProgrammeRow | None = None

    def rows(self) -> list[ProgrammeRow]:
        """Inspection rows, then the two labelled programme aggregates."""
        extra = [r for r in (self.pooled, self.mean) if r is not None]
        return [*self.inspections, *extra]

    def table(self, kind: str | None = None) -> tuple[list[str], list[list[str]]]:
        """Header and cells (whole percentages) for a table; `kind` keeps only
        "outcome" or "criterion" columns."""
        cols = [c for c in self.columns if kind is None or c.kind == kind]
        header = ["", "Cases", *(c.short or c.key for c in cols)]
        body = [
            [r.label, str(r.cases), *(_pct(r.scores.get(c.key)) for c in cols)] for r in self.rows()
        ]
        return header, body

    def to_json(self) -> dict[str, Any]:
        """JSON-ready dict (like `Scores.to_json()`); every row says what it is."""
        return {
            "method": self.method,
            "framework_version": self.framework_version,
            "columns": [c.__dict__ for c in self.columns],
            "rows": [r.__dict__ for r in self.rows()],
        }


def _pct(score: float | None) -> str:
    return "–" if score is None else f"{round(score * 100 + 1e-9)}%"


def _framework(store: Any) -> Framework:
    fw = getattr(store, "framework", None)
    return fw if isinstance(fw, Framework) else load_framework()


def _rows(store: Any, sql: str, params: list[object] | None = None) -> list[dict[str, Any]]:
    return list(store.query(sql, params).to_pylist())


def programme_scores(
    store: Any, inspection_ids: list[str] | None = None, method: str = "questions"
) -> ProgrammeScores:
    """Scores of each inspection plus the pooled and mean programme aggregates."""
    if method not in METHODS:
        raise ValueError(f"unknown scoring method {method!r} (questions or criteria)")
    fw = _framework(store)
    infos = _inspections(store, inspection_ids)
    ids = [i["inspection_id"] for i in infos]
    columns = _columns(fw)
    result = ProgrammeScores(method, fw.version, columns)
    if not ids:
        return result
    per = _per_inspection(store, ids, method)
    # Counted with the scores, as the `cases` view counts them (a query of the view
    # here read every inspection's case events a second time: 1.2 s of 5 at 50).
    cases = {iid: int(per[iid].cases) for iid in ids}
    for info in infos:
        iid = info["inspection_id"]
        result.inspections.append(
            ProgrammeRow(
                _label(info),
                "inspection",
                iid,
                cases.get(iid, 0),
                _own_scores(per[iid]),
                bool(info.get("synthetic")),
            )
        )
    keys = [c.key for c in columns]
    result.pooled = ProgrammeRow(
        POOLED, "pooled", None, sum(cases.values()), _pooled(fw, per, method)
    )
    result.mean = ProgrammeRow(
        MEAN, "mean", None, sum(cases.values()), _mean([r.scores for r in result.inspections], keys)
    )
    return result


def _label(info: dict[str, Any]) -> str:
    parts = [str(info.get("area") or info["inspection_id"])]
    if info.get("date"):
        parts.append(str(info["date"]))
    if info.get("synthetic"):
        parts.append("(synthetic)")
    return " ".join(parts)


def _inspections(store: Any, wanted: list[str] | None) -> list[dict[str, Any]]:
    found = _rows(store, "SELECT * FROM inspections ORDER BY date, inspection_id")
    if wanted is None:
        return found
    by_id = {r["inspection_id"]: r for r in found}
    missing = [i for i in wanted if i not in by_id]
    if missing:
        raise LookupError(f"no inspection {', '.join(map(repr, missing))} in the store")
    return [by_id[i] for i in wanted]


def _columns(fw: Framework) -> list[Column]:
    cols = [
        Column(f"O{o.code}", o.title, "outcome", f"O{o.code} {o.short}".strip())
        for o in fw.outcomes
    ]
    cols += [Column(c.id, c.title, "criterion") for c in fw.criteria if c.scored_from == "cases"]
    return cols


def _per_inspection(store: Any, ids: list[str], method: str) -> dict[str, Any]:
    """Every inspection's scores, from one DuckDB pass over their files (the views' SQL);
    a store without that (a test double) is asked inspection by inspection."""
    many = getattr(store, "scores_by_inspection", None)
    if callable(many):
        return dict(many(ids, method=method))
    return {iid: store.scores(iid, method=method) for iid in ids}


def _own_scores(sc: Any) -> Scores:
    found: Scores = {f"O{r['code']}": r["score"] for r in sc.outcomes}
    return found | {r["code"]: r["score"] for r in sc.criteria}


def _pooled_questions(per: dict[str, Any]) -> dict[str, float]:
    """Each question's proportion sufficient over the answers of all the inspections."""
    suff: dict[str, int] = {}
    appl: dict[str, int] = {}
    for sc in per.values():
        for r in sc.questions:
            suff[r["id"]] = suff.get(r["id"], 0) + r["sufficient"]
            appl[r["id"]] = appl.get(r["id"], 0) + r["sufficient"] + r["insufficient"]
    return {q: suff[q] / n for q, n in appl.items() if n > 0}


def _avg(values: list[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return fmean(known) if known else None


def _pooled(fw: Framework, per: dict[str, Any], method: str) -> Scores:
    q = _pooled_questions(per)
    scores: Scores = {}
    for c in fw.criteria:
        if c.scored_from == "cases":
            scores[c.id] = _avg(
                [q.get(x.id) for x in fw.questions_for_criterion(c.id) if x.kind == "scoring"]
            )
    for o in fw.outcomes:
        if method == "questions":
            scores[f"O{o.code}"] = _avg([q.get(x.id) for x in fw.questions_for_outcome(o.code)])
        else:
            scores[f"O{o.code}"] = _avg(
                [
                    scores.get(c.id)
                    for c in fw.criteria
                    if c.outcome == o.code and c.scored_from == "cases"
                ]
            )
    return scores


def _mean(per: list[Scores], keys: list[str]) -> Scores:
    return {k: _avg([s.get(k) for s in per]) for k in keys}
