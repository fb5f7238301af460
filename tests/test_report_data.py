"""A small hand-built store for the report and programme tests (data only, no tests).

Two inspections; every score below is worked out by hand in the comments, so the tests
compare the report's figures with numbers that were not produced by the code under test.

Inspection "alpha" (4 cases):           Inspection "beta" (2 cases):
  case  rosh    grade  2.1.01 2.1.03 4.1.03 5.1.01    case  2.1.01 2.1.03
  A1    high    po     y      y      y      y         B1    n      y
  A2    high    po     y      n      y      y         B2    n      y
  A3    medium  pso    y      x      n      y
  A4    medium  pso    n      n      n      y
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

ALPHA = "alpha"
BETA = "beta"

CASES: dict[str, dict[str, dict[str, object]]] = {
    ALPHA: {
        "A1": {"rosh": "high", "om_grade": "po", "gender": "male"},
        "A2": {"rosh": "high", "om_grade": "po", "gender": "male"},
        "A3": {"rosh": "medium", "om_grade": "pso", "gender": "female"},
        "A4": {"rosh": "medium", "om_grade": "pso", "gender": "male"},
    },
    BETA: {
        "B1": {"rosh": "low", "om_grade": "po", "gender": "male"},
        "B2": {"rosh": "low", "om_grade": "po", "gender": "male"},
    },
}

ANSWERS: dict[str, dict[str, list[str]]] = {  # question -> answers in case order
    ALPHA: {
        "2.1.01": ["yes", "yes", "yes", "no"],
        "2.1.03": ["yes", "no", "na", "no"],
        "4.1.03": ["yes", "yes", "no", "no"],
        "5.1.01": ["yes", "yes", "yes", "yes"],
    },
    BETA: {"2.1.01": ["no", "no"], "2.1.03": ["yes", "yes"]},
}

# Hand-computed (method "questions": outcome = mean of its questions' proportions).
# alpha: 2.1.01 = 3/4, 2.1.03 = 1/3 (the "na" is left out) -> O2 = (3/4 + 1/3) / 2 = 13/24
#        4.1.03 = 2/4, 5.1.01 = 4/4 (lent to O4)         -> O4 = (1/2 + 1) / 2 = 3/4
#        O5 = 5.1.01 = 1
# beta:  2.1.01 = 0/2, 2.1.03 = 2/2                      -> O2 = 1/2
ALPHA_O2 = 13 / 24
ALPHA_O4 = 3 / 4
BETA_O2 = 1 / 2
MEAN_O2 = (13 / 24 + 1 / 2) / 2  # 0.5208: mean of the inspections' scores
POOLED_O2 = (3 / 6 + 3 / 5) / 2  # 0.55: 2.1.01 = 3 of 6, 2.1.03 = 3 of 5 pooled
# Breakdown of alpha's O4 by RoSH: high -> (2/2 + 2/2)/2 = 1; medium -> (0/2 + 2/2)/2 = 1/2
RISK_O4 = {"High": 1.0, "Medium": 0.5}


# Offender manager interviews (counted, not scored): I2.4.13 is asked only of those who
# answered yes to I2.4.12, so "Of the 2 who answered yes to I2.4.12, 1 said yes".
INTERVIEWS = {
    "OM1": {"I2.4.12": "yes", "I2.4.13": "yes"},
    "OM2": {"I2.4.12": "yes", "I2.4.13": "no"},
    "OM3": {"I2.4.12": "no"},
}


def details(case_id: str, extra: dict[str, object]) -> dict[str, object]:
    base: dict[str, object] = {
        "case_ref": f"REF-{case_id}",
        "case_type": "community_order",
        "offence": "abh",
    }
    return base | extra


def build(path: Path) -> Any:
    from store import AnswerInput, Store

    store = Store.init(path)
    store.add_inspection(ALPHA, "Alphashire", "2013-06", label="test", synthetic=True)
    store.add_inspection(BETA, "Betashire", "2013-07", label="test", synthetic=False)
    for iid, cases in CASES.items():
        ids = list(cases)
        for case_id, extra in cases.items():
            store.save_case(iid, case_id, details(case_id, extra))
        answers = [
            AnswerInput(ids[i], qid, value)
            for qid, values in ANSWERS[iid].items()
            for i, value in enumerate(values)
        ]
        store.save_answers(iid, answers)
    for om, given in INTERVIEWS.items():
        store.save_case(ALPHA, om, {}, kind="interview")
        store.save_answers(ALPHA, [AnswerInput(om, q, v) for q, v in given.items()])
    return store
