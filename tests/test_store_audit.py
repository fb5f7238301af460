"""Tamper evidence (issue 14, item 7): the hash-chained record of events that
`caseread check` keeps reports events that disappeared or changed since the last check."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner, Result

from caseread.cli import cli
from store import AnswerInput, Store

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")


def check(store: Store, *opts: str) -> Result:
    return CliRunner().invoke(cli, ["--store", str(store.root), "check", *opts],
                              env={"CASEREAD_CONFIG_DIR": str(store.root.parent / "cfg")})


def _answers(store: Store) -> None:
    for case_id, value in (("C1", "y"), ("C2", "n"), ("C3", "y")):
        store.save_answers("t1", [AnswerInput(case_id, "1.1.01", value)])


def test_a_sound_store_is_recorded_and_stays_sound(tiny_store: Store) -> None:
    _answers(tiny_store)
    first = check(tiny_store)
    assert first.exit_code == 0, first.output
    assert "audit chain head: " in first.stdout
    tiny_store.compact()  # compaction keeps every event: nothing to report
    tiny_store.save_answers("t1", [AnswerInput("C4", "1.1.01", "y")])  # new events: fine
    assert check(tiny_store).exit_code == 0
    lines = (tiny_store.root / ".audit" / "chain.jsonl").read_text().splitlines()
    assert len(lines) == 2 and json.loads(lines[1])["prev"] is not None


def test_a_deleted_fragment_is_reported(tiny_store: Store) -> None:
    _answers(tiny_store)
    assert check(tiny_store).exit_code == 0
    victim = sorted((tiny_store.root / "answers" / "inspection_id=t1").glob("part-*.parquet"))[0]
    event = pq.read_table(victim)["event_id"][0].as_py()
    victim.unlink()
    result = check(tiny_store)
    assert result.exit_code == 1
    assert "1 event(s) disappeared since the check of" in result.stdout
    assert f"answers/{event}" in result.stdout


def test_a_compacted_file_rewritten_without_or_with_changed_events_is_reported(
        tiny_store: Store) -> None:
    _answers(tiny_store)
    tiny_store.compact()
    assert check(tiny_store).exit_code == 0
    merged = next((tiny_store.root / "answers" / "inspection_id=t1").glob("current-*.parquet"))
    table = pq.read_table(merged)
    forged = table.filter(pc.not_equal(table["case_id"], "C1"))
    answers = pc.if_else(pc.equal(forged["case_id"], "C2"), "yes", forged["answer"])
    forged = forged.set_column(forged.schema.get_field_index("answer"), "answer", answers)
    pq.write_table(forged, merged)
    result = check(tiny_store)
    assert result.exit_code == 1
    assert "1 event(s) disappeared" in result.stdout and "1 event(s) changed" in result.stdout


def test_a_changed_record_breaks_the_chain(tiny_store: Store) -> None:
    _answers(tiny_store)
    assert check(tiny_store).exit_code == 0
    tiny_store.save_answers("t1", [AnswerInput("C9", "1.1.01", "y")])
    assert check(tiny_store).exit_code == 0
    chain = tiny_store.root / ".audit" / "chain.jsonl"
    lines = chain.read_text().splitlines()
    entry = json.loads(lines[0])
    entry["events"] = 1
    chain.write_text("\n".join([json.dumps(entry, sort_keys=True), *lines[1:]]) + "\n")
    result = check(tiny_store)
    assert result.exit_code == 1 and "the chain is broken" in result.stdout


def test_accept_makes_the_current_state_the_baseline(tiny_store: Store) -> None:
    _answers(tiny_store)
    assert check(tiny_store).exit_code == 0
    sorted((tiny_store.root / "answers" / "inspection_id=t1").glob("part-*.parquet"))[0].unlink()
    assert check(tiny_store).exit_code == 1
    assert check(tiny_store, "--accept").exit_code == 0
    assert check(tiny_store).exit_code == 0


def test_the_record_is_never_read_through_a_link(tiny_store: Store, tmp_path: Path) -> None:
    _answers(tiny_store)
    assert check(tiny_store).exit_code == 0
    chain = tiny_store.root / ".audit" / "chain.jsonl"
    elsewhere = tmp_path / "elsewhere.jsonl"
    elsewhere.write_text(chain.read_text())
    chain.unlink()
    chain.symlink_to(elsewhere)
    result = check(tiny_store)
    assert result.exit_code == 1 and "symbolic link" in result.output


def test_compaction_keeps_each_events_verified_author_and_source_hash(tiny_store: Store
                                                                      ) -> None:
    import hashlib

    from store import provenance

    _answers(tiny_store)
    parts = sorted((tiny_store.root / "answers" / "inspection_id=t1").glob("part-*.parquet"))
    hashes = {hashlib.sha256(p.read_bytes()).hexdigest() for p in parts}
    tiny_store.compact()
    merged = next((tiny_store.root / "answers" / "inspection_id=t1").glob("current-*.parquet"))
    record = pq.read_table(provenance.sidecar(tiny_store.layout, merged))
    assert set(record["verified_author"].to_pylist()) == {tiny_store.author}
    assert set(record["source_sha256"].to_pylist()) == hashes
    tiny_store.save_answers("t1", [AnswerInput("C5", "1.1.01", "y")])
    tiny_store.compact()  # a compacted input passes its record on
    again = next((tiny_store.root / "answers" / "inspection_id=t1").glob("current-*.parquet"))
    assert pq.read_table(provenance.sidecar(tiny_store.layout, again)).num_rows == 4
    assert not provenance.sidecar(tiny_store.layout, merged).exists()


def test_a_compacted_file_rewritten_under_another_author_is_reported(tiny_store: Store
                                                                     ) -> None:
    _answers(tiny_store)
    tiny_store.compact()
    merged = next((tiny_store.root / "answers" / "inspection_id=t1").glob("current-*.parquet"))
    table = pq.read_table(merged)
    forged = table.set_column(table.schema.get_field_index("author"), "author",
                              pc.if_else(pc.equal(table["case_id"], "C2"), "nobody",
                                         table["author"]))
    pq.write_table(forged, merged)
    result = check(tiny_store)
    assert result.exit_code == 1
    assert "claims author 'nobody', but its fragment belonged to" in result.stdout
