"""views.sql loads in other SQL tools: ones that split a script on ';' (Harlequin's
--init-path) and the DuckDB CLI (`pip install duckdb-cli`; skipped where it is missing)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from store import AnswerInput, Store

INSPECTION = "bed13"  # the tmp_store fixture's inspection


def filled(store: Store) -> Path:
    store.save_case(INSPECTION, "C1", {"case_ref": "R1", "case_type": "licence",
                                       "gender": "male", "offence": "abh",
                                       "requirements": ["curfew", "supervision"]})
    store.save_answers(INSPECTION, [AnswerInput("C1", "1.1.02", "yes")])
    store.close()
    Store.open(store.root).close()  # views.sql is written on open
    return Path(store.root)


def test_the_only_semicolons_end_statements(tmp_store: Store,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    root = filled(tmp_store)
    text = (root / "views.sql").read_text(encoding="utf-8")
    pieces = [p for p in text.split(";") if p.strip()]
    assert all(p.lstrip().startswith(("CREATE", "--")) for p in pieces), pieces[:2]
    monkeypatch.chdir(root)  # paths in views.sql are relative to the store
    con = duckdb.connect()
    for piece in pieces:  # what a naive splitter does
        con.execute(piece)
    lists = con.execute("SELECT requirements FROM cases").fetchall()
    assert lists == [(["curfew", "supervision"],)]
    assert con.execute("SELECT count(*) FROM outcome_scores").fetchall()[0][0] > 0


def _duckdb_cli() -> str | None:
    beside = Path(sys.executable).with_name("duckdb")
    return str(beside) if beside.exists() else shutil.which("duckdb")


@pytest.mark.skipif(_duckdb_cli() is None, reason="no DuckDB CLI (pip install duckdb-cli)")
def test_the_duckdb_cli_reads_it(tmp_store: Store) -> None:
    root = filled(tmp_store)
    script = ".read views.sql\nSELECT case_id, len(requirements) AS n FROM cases;\n"
    result = subprocess.run([str(_duckdb_cli()), "-csv"], input=script, cwd=root,
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0 and "Error" not in result.stderr, result.stderr
    assert result.stdout.splitlines() == ["case_id,n", "C1,2"]
