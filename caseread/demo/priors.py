"""How plausible synthetic case details are drawn before the solver enforces the report's counts.

These are shapes, not report figures: the report's stated counts are enforced afterwards
from the figures file. Weights follow Appendix 1 (Bedfordshire caseload: about 90% male,
about 30% black and minority ethnic) where a field matches; other fields are drawn evenly.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from criteria.models import CaseField

# Relative weights for choice values: field id fragment -> exact value -> weight (default 1).
CHOICE_WEIGHTS: dict[str, dict[str, float]] = {
    "gender": {"male": 9.0, "female": 1.0},
    "ethnic": {
        "white": 7.5, "black": 1.2, "asian": 1.5, "mixed": 0.6, "other": 0.2, "not_known": 0.1,
    },
    "grade": {"pso": 1.0, "po": 1.6},
    "age": {"18_20": 1.2, "21_24": 2.0, "25_29": 2.0, "30_39": 2.5, "40_49": 1.5, "50_plus": 0.6},
    "case_type": {"community_order": 2.5, "suspended_sentence_order": 1.5, "licence": 2.0},
    "rosh": {"low": 0.5, "medium": 3.0, "high": 1.2, "very_high": 0.1},
    "mappa_category": {"none": 6.0, "1": 1.0, "2": 0.6, "3": 0.1},
    "mappa_level": {"none": 6.0, "1": 1.0, "2": 0.4, "3": 0.1},
    "transfer": {"none": 9.0, "in": 0.5, "out": 0.5},
    "programme": {"none": 3.0, "idap": 1.0, "art": 0.6, "tsp": 0.6, "other": 0.2},
    "offence": {
        "common_assault": 2.0, "abh": 3.0, "gbh_wounding": 2.0, "affray_disorder": 1.0,
        "robbery": 1.5, "threats_harassment": 1.0, "weapon": 0.8, "homicide": 0.2,
        "other_violence": 0.8,
    },
    "psr": {"none": 1.0, "oral": 0.2, "short": 1.0, "full": 1.0},
}
OFFICES = ["Luton", "Bedford and Central Bedfordshire"]  # the Trust's two delivery units
INSPECTORS = [f"INSP-{c}" for c in "ABCDEFGH"]  # a team of eight, pseudonymous
# Chance that a multi value is present / a bool is true, by field (default below).
MULTI_P = {
    "supervision": 0.8, "unpaid_work": 0.4, "accredited_programme": 0.35, "curfew": 0.15,
    "electronic_monitoring": 0.1,
}
MULTI_DEFAULT = 0.05
BOOL_P = {"alcohol_misuse": 0.45, "domestic_abuse": 0.4, "child_protection": 0.35,
          "victim_contact": 0.2, "alcohol_offence": 0.3}
BOOL_DEFAULT = 0.3


def offender_manager_ids(n: int) -> list[str]:
    return [f"OM{i:02d}" for i in range(1, n + 1)]


def case_references(n: int, rng: random.Random) -> list[str]:
    """Pseudonymous references like 'BED-0417', unique, in ascending order."""
    return [f"BED-{k:04d}" for k in sorted(rng.sample(range(100, 10_000), n))]


def weights_for(fld: CaseField) -> list[float]:
    table = next((w for key, w in CHOICE_WEIGHTS.items() if key in fld.id), {})
    return [table.get(c.value, 1.0) for c in fld.choices]


def draw(fld: CaseField, rng: random.Random, case_index: int) -> object:
    """A plausible first value for one field of one case (None for free text)."""
    if fld.type == "choice":
        return rng.choices(fld.values(), weights=weights_for(fld))[0]
    if fld.type == "multi":
        return [v for v in fld.values() if rng.random() < MULTI_P.get(v, MULTI_DEFAULT)]
    if fld.type == "bool":
        return rng.random() < BOOL_P.get(fld.id, BOOL_DEFAULT)
    if fld.type == "int":
        return _draw_int(fld.id, rng)
    return _draw_text(fld.id, rng, case_index)


def _draw_int(field_id: str, rng: random.Random) -> int:
    if "age" in field_id:
        return min(70, 18 + int(rng.expovariate(1 / 12)))
    return rng.randint(0, 6)


def _draw_text(field_id: str, rng: random.Random, case_index: int) -> str | None:
    if field_id == "office":
        return OFFICES[0 if rng.random() < 0.55 else 1]  # Luton is the busier unit
    if "inspector" in field_id:
        return INSPECTORS[case_index % len(INSPECTORS)]
    return None


def mutate(fld: CaseField, current: object, rng: random.Random,
           hints: Sequence[str] = ()) -> object:
    """A different value for the solver to try (text fields are never mutated).

    Values the rule names (`hints`) are tried more often: toggling 'approved_premises' is
    what flips `'approved_premises' in requirements`, not toggling any of 14 others.
    """
    if fld.type in ("choice", "multi"):
        weights = dict(zip(fld.values(), weights_for(fld), strict=True))
        named = [v for v in fld.values() if v in hints]
        pool = named if named and rng.random() < 0.7 else fld.values()
        pick = rng.choices(pool, weights=[weights[v] for v in pool])[0]
    if fld.type == "choice":
        if not fld.required and rng.random() < 0.05:
            return None  # not recorded
        return pick
    if fld.type == "multi":
        values = set(current) if isinstance(current, list) else set()
        values ^= {pick}
        return [v for v in fld.values() if v in values]
    if fld.type == "bool":
        return not bool(current)
    if fld.type == "int":
        return _draw_int(fld.id, rng)
    return current
