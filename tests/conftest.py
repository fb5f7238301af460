"""Shared fixtures. `tmp_store`: a fresh store with the real framework and one inspection."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from criteria import Framework
from store import Store

INSPECTION = "bed13"


@pytest.fixture
def tmp_store(tmp_path: Path) -> Iterator[Store]:
    """An empty store at tmp_path/store holding inspection `bed13` (Bedfordshire, 2013-04)."""
    store = Store.init(tmp_path / "store")
    store.add_inspection(INSPECTION, "Bedfordshire", "2013-04", label="Bedfordshire 2013")
    yield store
    store.close()


@pytest.fixture
def tiny_store(tmp_path: Path) -> Iterator[Store]:
    """A store over `tiny_framework()` (for hand-computed scores) with inspection `t1`."""
    store = Store.init(tmp_path / "tiny", framework=tiny_framework())
    store.add_inspection("t1", "Testshire", "2013-05")
    yield store
    store.close()



def tiny_framework() -> Framework:
    yn = {"id": "yes_no_na", "choices": [
        {"value": "yes", "label": "Yes", "key": "y", "scoring": "sufficient"},
        {"value": "no", "label": "No", "key": "n", "scoring": "insufficient"},
        {"value": "na", "label": "N/A", "key": "x", "scoring": "not_applicable"},
    ]}
    count = {"id": "count", "choices": [
        {"value": "one", "label": "One", "key": "1", "scoring": "fact"},
        {"value": "two", "label": "Two", "key": "2", "scoring": "fact"},
    ]}

    def q(qid: str, **kw: object) -> dict:
        return {"id": qid, "criterion": qid[:3], "section": "main", "text": f"Q {qid}", **kw}

    return Framework.model_validate({
        "version": "t1",
        "outcomes": [{"code": 1, "title": "One", "short": "O1"},
                     {"code": 2, "title": "Two", "short": "O2"}],
        "themes": [{"code": 1, "title": "Planning"}, {"code": 2, "title": "Delivery"}],
        "criteria": [
            {"id": "1.1", "outcome": 1, "theme": 1, "title": "C11", "scored_from": "cases"},
            {"id": "1.2", "outcome": 1, "theme": 2, "title": "C12", "scored_from": "cases"},
            {"id": "2.1", "outcome": 2, "theme": 1, "title": "C21", "scored_from": "cases"},
            {"id": "2.4", "outcome": 2, "theme": 2, "title": "C24", "scored_from": "interviews"},
        ],
        "sections": [{"id": "main", "title": "Main", "order": 1}],
        "case_fields": [
            {"id": "rosh", "label": "RoSH", "type": "choice", "choices": [
                {"value": v, "label": v} for v in ("low", "medium", "high")]},
            {"id": "psr", "label": "PSR", "type": "choice", "choices": [
                {"value": v, "label": v} for v in ("none", "short", "full")]},
            {"id": "requirements", "label": "Requirements", "type": "multi", "choices": [
                {"value": v, "label": v} for v in ("unpaid_work", "curfew")]},
            {"id": "office", "label": "Office", "type": "text"},
            {"id": "age", "label": "Age", "type": "int"},
            {"id": "transfer_in", "label": "Transferred in", "type": "bool"},
        ],
        "scales": {"yes_no_na": yn, "count": count},
        "questions": [
            q("1.1.01"),
            q("1.1.02", applies_when="psr in ('short', 'full')"),
            q("1.1.03", scale="count", kind="fact"),
            q("1.2.01", also_counts_towards=[2]),
            q("2.1.01", applies_when="answer('1.1.01') == 'yes'"),
        ],
        "interview_questions": [q("2.4.01", section="main", kind="interview")],
    })


# The demo inspection is generated (a few seconds) once per test session; tests that
# need it as a store copy the one built here, so none of them can change another's.
@pytest.fixture(scope="session")
def demo_data():  # type: ignore[no-untyped-def]
    """The demo generator's output (caseread.demo.build.generate), made once."""
    from caseread.demo.build import generate

    return generate()


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory, demo_data) -> Path:  # type: ignore[no-untyped-def]
    """A demo store built once; never open it for writing, copy it (`copy_demo`)."""
    from caseread.demo.write import ensure_demo

    return ensure_demo(tmp_path_factory.mktemp("demo-template") / "store", data=demo_data).store_dir


def copy_demo(template: Path, dest: Path) -> Path:
    """A private copy of the demo store at `dest` (which must not exist)."""
    import shutil

    shutil.copytree(template, dest, symlinks=True)
    return dest
