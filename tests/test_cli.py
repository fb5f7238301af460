"""The store commands of `caseread`, through click's runner on a fresh store."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from caseread.cli import cli

DATA = Path(__file__).parent / "data"


@pytest.fixture()
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """A store dir and a private config dir (for the remembered inspection)."""
    monkeypatch.setenv("CASEREAD_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.delenv("CASEREAD_STORE", raising=False)
    return {"CASEREAD_STORE": str(tmp_path / "store"),
            "CASEREAD_CONFIG_DIR": str(tmp_path / "config")}


def run(env: dict[str, str], *args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), env=env, input=stdin)


def ok(env: dict[str, str], *args: str, stdin: str | None = None) -> str:
    result = run(env, *args, stdin=stdin)
    assert result.exit_code == 0, (args, result.output, result.stderr)
    return result.stdout


def fails(env: dict[str, str], *args: str) -> str:
    """The one-line error of a failing command."""
    result = run(env, *args)
    assert result.exit_code == 1, (args, result.output)
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("caseread: error: "), result.stderr
    return lines[0]


@pytest.fixture()
def store(env: dict[str, str]) -> dict[str, str]:
    ok(env, "init")
    ok(env, "inspection", "add", "BED2013", "--area", "Bedfordshire", "--date", "2013-03")
    ok(env, "case", "import", str(DATA / "cases.csv"))
    ok(env, "answers", "import", str(DATA / "answers.csv"))
    return env


def sql_json(env: dict[str, str], query: str) -> list[dict[str, object]]:
    return json.loads(ok(env, "sql", query, "--format", "json"))


def answer_count(env: dict[str, str]) -> int:
    return int(sql_json(env, "SELECT count(*) AS n FROM answers_current")[0]["n"])  # type: ignore[call-overload]


# ---------------------------------------------------------------- help and set-up


def all_commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    out = []
    for name, command in group.commands.items():
        out.append((*prefix, name))
        if isinstance(command, click.Group):
            out += all_commands(command, (*prefix, name))
    return out


def test_every_command_has_help(env: dict[str, str]) -> None:
    for path in all_commands(cli):
        result = run(env, *path, "--help")
        assert result.exit_code == 0 and "Usage:" in result.stdout, path


def test_init_needs_a_directory_and_an_empty_one(env: dict[str, str]) -> None:
    no_dir = {k: v for k, v in env.items() if k != "CASEREAD_STORE"}
    assert "--store DIR" in fails(no_dir, "init")
    assert "created store" in ok(env, "init")
    assert "already a caseread store" in fails(env, "init")


def test_inspections(env: dict[str, str]) -> None:
    ok(env, "init")
    assert "use YYYY-MM" in fails(env, "inspection", "add", "X", "--area", "A", "--date", "2013")
    assert "no inspections yet" in fails(env, "scores")
    ok(env, "inspection", "add", "BED2013", "--area", "Bedfordshire", "--date", "2013-03")
    listed = json.loads(ok(env, "inspection", "list", "--format", "json"))
    assert [(i["inspection_id"], i["area"]) for i in listed] == [("BED2013", "Bedfordshire")]


def test_choosing_the_inspection(store: dict[str, str]) -> None:
    ok(store, "inspection", "add", "LUT2014", "--area", "Luton", "--date", "2014-01")
    # two inspections, none used yet from the command line: ambiguous, ids listed
    assert "several inspections (BED2013, LUT2014)" in fails(store, "scores")
    assert "no inspection 'NOPE'" in fails(store, "scores", "--inspection", "NOPE")
    ok(store, "scores", "--inspection", "BED2013")
    assert "BED2013" in ok(store, "scores")  # remembered as the last one used


def test_not_a_store(env: dict[str, str], tmp_path: Path) -> None:
    (tmp_path / "store").mkdir()
    assert "not a caseread store" in fails(env, "scores")


# ---------------------------------------------------------------- imports and answers


def test_imports_land_in_the_views(store: dict[str, str]) -> None:
    cases = sql_json(store, "SELECT case_id, kind, case_type, requirements FROM cases "
                            "ORDER BY case_id")
    assert cases[1] == {"case_id": "C002", "kind": "case", "case_type": "community_order",
                        "requirements": ["unpaid_work"]}
    assert [c["kind"] for c in cases] == ["case", "case", "case", "interview"]
    answers = sql_json(store, "SELECT case_id, question_id, answer, note FROM answers_current "
                              "WHERE case_id = 'C001' ORDER BY question_id")
    assert answers == [
        {"case_id": "C001", "question_id": "1.1.02", "answer": "yes", "note": None},
        {"case_id": "C001", "question_id": "1.1.03", "answer": "no",
         "note": "PSR missed risk factors"},
    ]
    assert answer_count(store) == sum(1 for _ in (DATA / "answers.csv").open()) - 1


def test_a_bad_import_changes_nothing(store: dict[str, str], tmp_path: Path) -> None:
    before = answer_count(store)
    bad = tmp_path / "bad.csv"
    bad.write_text("case_id,question_id,answer\nC001,1.1.04,yes\nC002,1.1.04,maybe\n")
    message = fails(store, "answers", "import", str(bad))
    assert "bad.csv, row 3, column answer: 'maybe' is not an answer" in message
    assert message.endswith("nothing imported")
    assert answer_count(store) == before
    bad.write_bytes(b"case_id,question_id,answer\nC001,1.1.04,s\xed\n")
    assert "row 2: the file is not UTF-8 (byte 0xed at byte offset 40)" in fails(
        store, "answers", "import", str(bad))
    assert "none.csv: cannot read the file: No such file" in fails(
        store, "answers", "import", str(tmp_path / "none.csv"))


def test_answer_one_question(store: dict[str, str]) -> None:
    out = ok(store, "answer", "C003", "1.1.03", "X", "--note", "no PSR")
    assert out.strip() == "saved BED2013 C003 1.1.03 = na"
    saved = sql_json(store, "SELECT answer, note, author FROM answers_current "
                            "WHERE case_id = 'C003' AND question_id = '1.1.03'")
    assert saved[0]["answer"] == "na" and saved[0]["note"] == "no PSR" and saved[0]["author"]
    assert "use yes (y), no (n), na (x)" in fails(store, "answer", "C003", "1.1.03", "maybe")
    assert "no question '9.9.99'" in fails(store, "answer", "C003", "9.9.99", "y")
    assert "unknown case 'C999'" in fails(store, "answer", "C999", "1.1.03", "y")
    assert ok(store, "answer", "C003", "1.1.03", "--clear").strip() == \
        "saved BED2013 C003 1.1.03 = (cleared)"
    assert sql_json(store, "SELECT count(*) AS n FROM answers_current "
                           "WHERE case_id = 'C003' AND question_id = '1.1.03'") == [{"n": 0}]
    history = sql_json(store, "SELECT old_answer, new_answer FROM answer_history "
                              "WHERE case_id = 'C003' AND question_id = '1.1.03' ORDER BY saved_at")
    assert history[-1] == {"old_answer": "na", "new_answer": None}
    assert run(store, "answer", "C003", "1.1.03", "y", "--clear").exit_code == 2


# ---------------------------------------------------------------- scores


def test_scores_json_shape(store: dict[str, str]) -> None:
    data = json.loads(ok(store, "scores", "--format", "json"))
    assert data["method"] == "questions"
    assert set(data["outcomes"][0]) >= {"code", "title", "score", "sufficient", "applicable"}
    assert set(data["criteria"][0]) >= {"code", "title", "score", "sufficient", "applicable"}
    q = {row["id"]: row for row in data["questions"]}["1.1.03"]
    # C001 no, C002 yes (C003 has no PSR, so 1.1.03 does not apply to it)
    assert (q["sufficient"], q["insufficient"], q["score"]) == (1, 1, 0.5)
    assert json.loads(ok(store, "scores", "--method", "criteria", "--format", "json"))[
        "method"] == "criteria"


def test_scores_table_and_csv(store: dict[str, str]) -> None:
    data = json.loads(ok(store, "scores", "--format", "json"))
    table = ok(store, "scores")
    assert "method of questions" in table
    first = data["outcomes"][0]
    if first["score"] is not None:
        expected = f"{round(first['score'] * 100):>3}%  ({first['sufficient']} of " \
                   f"{first['applicable']})"
        assert expected in table
    rows = ok(store, "scores", "--format", "csv").splitlines()
    assert rows[0] == ("level,group,code,title,criterion,score,sufficient,insufficient,"
                       "not_applicable,applicable")
    assert any(r.startswith("question,,1.1.03,,1.1,0.5,1,1,") for r in rows)


def test_scores_by_a_case_detail(store: dict[str, str]) -> None:
    data = json.loads(ok(store, "scores", "--by", "case_type", "--format", "json"))
    groups = {(r["group"], r["id"]): r for r in data["questions"]}
    assert groups[("licence", "1.1.03")]["insufficient"] == 1
    assert groups[("community_order", "1.1.03")]["sufficient"] == 1
    assert "Broken down by case_type" in ok(store, "scores", "--by", "case_type")
    assert "cannot break down by 'shoe_size'" in fails(store, "scores", "--by", "shoe_size")


def test_scores_by_inspection(store: dict[str, str]) -> None:
    table = ok(store, "scores", "--by", "inspection")
    assert "Bedfordshire" in table and "Programme" in table
    data = json.loads(ok(store, "scores", "--by", "inspection", "--format", "json"))
    assert data["method"] == "questions" and data["rows"]


# ---------------------------------------------------------------- sql, export, compact, backup


def test_sql_reads_views_and_nothing_else(store: dict[str, str]) -> None:
    assert "C001" in ok(store, "sql", "SELECT case_id FROM cases")
    assert ok(store, "sql", "-", "--format", "csv",
              stdin="SELECT count(*) AS n FROM cases").splitlines() == ["\"n\"", "4"]
    assert "SQL refused: read_csv() is not allowed" in fails(
        store, "sql", "SELECT * FROM read_csv('/etc/passwd')")
    store_dir = store["CASEREAD_STORE"]
    assert "SQL refused: only SELECT queries are allowed, not COPY" in fails(
        store, "sql", f"COPY (SELECT 1) TO '{store_dir}/answers/BED2013/part-x.parquet'")
    assert "SQL refused" in fails(store, "sql", "ATTACH '/tmp/x.duckdb'")
    assert "SQL error" in fails(store, "sql", "SELECT nope FROM cases")


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_export(store: dict[str, str], tmp_path: Path, fmt: str) -> None:
    out = tmp_path / "out"
    ok(store, "export", str(out), "--format", fmt)
    names = sorted(p.name for p in out.iterdir())
    assert f"answers_current.{fmt}" in names and f"outcome_scores.{fmt}" in names
    if fmt == "csv":
        text = (out / "cases.csv").read_text()
        assert "supervision;curfew" in text


def test_compact_keeps_every_answer(store: dict[str, str]) -> None:
    ok(store, "answer", "C003", "1.1.03", "x")
    before = sql_json(store, "SELECT * EXCLUDE (saved_at) FROM answers_current ORDER BY ALL")
    assert "compacted" in ok(store, "compact")
    after = sql_json(store, "SELECT * EXCLUDE (saved_at) FROM answers_current ORDER BY ALL")
    assert after == before


def test_backup(store: dict[str, str], tmp_path: Path) -> None:
    target = tmp_path / "backup"
    ok(store, "backup", str(target))
    assert (target / "caseread-store.json").exists()
    copy = dict(store, CASEREAD_STORE=str(target))
    assert sql_json(copy, "SELECT count(*) AS n FROM answers_current") == sql_json(
        store, "SELECT count(*) AS n FROM answers_current")
    assert "already exists" in fails(store, "backup", str(target))
    shutil.rmtree(target)


def test_long_tables_are_cut_with_a_note(store: dict[str, str],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    import caseread.commands.common as common

    monkeypatch.setattr(common, "TABLE_ROWS", 2)
    out = ok(store, "sql", "SELECT case_id FROM cases ORDER BY case_id").splitlines()
    # the table stops reading at its cap (issue 14): it says more exist, not how many
    assert out[2:] == ["C001", "C002", "... more than 2 rows: only the first 2 shown "
                       "(--format csv or json gives them all)"]
    assert len(ok(store, "sql", "SELECT case_id FROM cases", "--format", "csv").splitlines()) == 5


def test_init_for_a_group(env: dict[str, str], tmp_path: Path) -> None:
    import grp
    import os
    import stat

    group = grp.getgrgid(os.getegid()).gr_name
    assert f"shared with group {group}" in ok(env, "init", "--group", group)
    mode = (tmp_path / "store").stat().st_mode
    assert mode & stat.S_ISGID and not mode & stat.S_IRWXO
    other = dict(env, CASEREAD_STORE=str(tmp_path / "other"))
    assert "no such group 'no-such-group-x'" in fails(other, "init", "--group", "no-such-group-x")


def test_store_option_after_the_command(env: dict[str, str], tmp_path: Path) -> None:
    other = tmp_path / "other"
    ok(env, "init", "--store", str(other))
    assert (other / "caseread-store.json").exists()
    ok(env, "inspection", "add", "X1", "--area", "A", "--date", "2013-01", "--store", str(other))
    listed = json.loads(ok(env, "inspection", "list", "--store", str(other), "--format", "json"))
    assert [i["inspection_id"] for i in listed] == ["X1"]
    assert "not a caseread store" in fails(env, "inspection", "list")  # env store untouched


def test_backup_waits_for_a_running_compaction(store: dict[str, str], tmp_path: Path) -> None:
    import threading

    from store.compaction import compact_lock
    from store.layout import Layout

    target = tmp_path / "backup"
    results: list[Result] = []
    with compact_lock(Layout(Path(store["CASEREAD_STORE"])), wait=False) as held:
        assert held
        worker = threading.Thread(target=lambda: results.append(run(store, "backup", str(target))))
        worker.start()
        worker.join(timeout=1.0)
        assert worker.is_alive() and not target.exists()  # blocked on the lock
    worker.join(timeout=60)
    assert results and results[0].exit_code == 0 and (target / "caseread-store.json").exists()


def leaf_commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    out = []
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            out += leaf_commands(command, (*prefix, name))
        else:
            out.append((*prefix, name))
    return out


def test_store_is_accepted_after_every_subcommand(env: dict[str, str], tmp_path: Path) -> None:
    for path in leaf_commands(cli):
        result = run(env, *path, "--store", str(tmp_path / "x"), "--help")
        assert result.exit_code == 0, (path, result.output)
        assert "--store" in result.stdout, path
    # and it is used: `init --store X` makes the store in X, `inspection list` reads it
    assert run(env, "init", "--store", str(tmp_path / "d")).exit_code == 0
    assert (tmp_path / "d" / "caseread-store.json").exists()
    listed = run({**env, "CASEREAD_STORE": str(tmp_path / "nowhere")}, "inspection", "list",
                 "--store", str(tmp_path / "d"))
    assert listed.exit_code == 0, listed.output
