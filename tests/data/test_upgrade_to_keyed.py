"""A school's database from before the keyed chain (the demo as version 6 made it, kept in
tests/data/demo-v006.sqlite.gz) upgrades: its history still verifies, is keyed from the upgrade on,
every desk row is sealed, and a rewrite of the old, plain rows with recomputed hashes is still caught
at the anchor."""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from examdesk.cli import main
from examdesk.data import keystore
from examdesk.data.db import open_store
from examdesk.domain.backups import DatabaseState
from examdesk.services.backup import check_database
from tests import forger

FIXTURE = Path(__file__).with_name("demo-v006.sqlite.gz")


@pytest.fixture
def old_db(tmp_path) -> Path:
    target = tmp_path / "school.sqlite"
    with gzip.open(FIXTURE, "rb") as source, open(target, "wb") as out:
        shutil.copyfileobj(source, out)
    return target


def _rows(path, sql):
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def test_the_old_database_verifies_before_and_after_the_upgrade(old_db, capsys):
    old_head = int(_rows(old_db, "SELECT value FROM meta WHERE key = 'audit_head_seq'")[0][0])
    assert check_database(old_db).state is DatabaseState.OK  # the check before opening: still the plain chain
    store = open_store(old_db)
    try:
        assert store.schema_version() >= 7
        database_id = store.query_one("SELECT value FROM meta WHERE key = 'database_id'")[0]
        anchor = json.loads(store.query_one("SELECT value FROM meta WHERE key = 'audit_anchor'")[0])
        first_keyed = store.query_one("SELECT action, summary FROM audit_log WHERE seq = ?", (old_head + 1,))
        seals = store.query_one("SELECT count(*) FROM audit_log WHERE action = 'verzegeld'")[0]
        desk = sum(store.query_one(f"SELECT count(*) FROM {t}")[0] for t in (
            "incident_triage", "inspectie_reports", "inspectie_answers", "decisions", "resits",
            "resit_withdrawals", "incident_closures"))
    finally:
        store.close()
    assert keystore.has_keys(database_id)
    assert anchor["keyed_from"] == old_head + 1
    assert first_keyed[0] == "auditlogboek beveiligd met sleutel"
    assert seals == desk > 0
    assert main(["verify", "--db", str(old_db)]) == 0
    assert "met sleutel" in capsys.readouterr().out


def test_old_rows_rewritten_with_recomputed_plain_hashes_are_caught_at_the_anchor(old_db, capsys):
    old_head = int(_rows(old_db, "SELECT value FROM meta WHERE key = 'audit_head_seq'")[0][0])
    open_store(old_db).close()  # upgraded, keyed from old_head + 1
    forger.run(old_db, "UPDATE audit_log SET username = 'iemand' WHERE seq = 5")
    # recompute only the plain part, exactly as before v007, and leave the keyed rows as they are
    conn = forger.connect(old_db)
    try:
        prev = forger.GENESIS
        for seq, at, user_id, username, action, entity, entity_id, summary in conn.execute(
                "SELECT seq, at, user_id, username, action, entity, entity_id, summary FROM audit_log WHERE seq <= ?"
                " ORDER BY seq", (old_head,)).fetchall():
            body = {"seq": seq, "at": at, "user_id": user_id, "username": username, "action": action,
                    "entity": entity, "entity_id": entity_id, "summary": json.loads(summary)}
            digest = hashlib.sha256(prev.encode() + forger._canonical(body)).hexdigest()
            conn.execute("UPDATE audit_log SET prev_hash = ?, hash = ? WHERE seq = ?", (prev, digest, seq))
            prev = digest
        conn.execute("UPDATE audit_log SET prev_hash = ? WHERE seq = ?", (prev, old_head + 1))
    finally:
        conn.close()
    assert main(["verify", "--db", str(old_db)]) == 1
    out = capsys.readouterr().out
    assert f"Auditregel {old_head} past niet meer bij het sleutelanker" in out
    assert f"de regels 1 tot en met {old_head}" in out
