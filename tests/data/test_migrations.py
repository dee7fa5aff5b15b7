from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from examdesk.data import migrations
from examdesk.data.db import APPLICATION_ID, open_store
from examdesk.domain.errors import DatabaseRefused


def test_new_file_is_built_by_the_migration_chain(tmp_path: Path):
    store = open_store(tmp_path / "nieuw.sqlite")
    assert store.schema_version() == migrations.LATEST_VERSION
    assert store.query_one("PRAGMA application_id")[0] == APPLICATION_ID
    assert store.query_one("PRAGMA journal_mode")[0] == "wal"
    assert store.query_one("PRAGMA foreign_keys")[0] == 1
    assert store.query_one("PRAGMA synchronous")[0] == 2  # FULL
    assert store.query_one("PRAGMA busy_timeout")[0] >= 1000
    tables = {r[0] for r in store.query("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"institution", "users", "user_roles", "audit_log", "meta", "settings"} <= tables
    store.close()


def test_upgrade_runs_pending_steps_only(tmp_path: Path):
    store = open_store(tmp_path / "db.sqlite")
    calls = []

    def step(conn):
        calls.append(1)
        conn.execute("CREATE TABLE extra (x)")

    steps = [*migrations.STEPS, step]
    assert migrations.upgrade(store, steps) == 1
    assert store.schema_version() == len(steps)
    assert migrations.upgrade(store, steps) == 0
    assert calls == [1]
    store.close()


def test_failing_step_rolls_back_everything(tmp_path: Path):
    store = open_store(tmp_path / "db.sqlite")
    before = store.schema_version()

    def good(conn):
        conn.execute("CREATE TABLE half_done (x)")

    def bad(conn):
        raise RuntimeError("stap mislukt")

    with pytest.raises(RuntimeError):
        migrations.upgrade(store, [*migrations.STEPS, good, bad])
    assert store.schema_version() == before
    assert store.query_one("SELECT count(*) FROM sqlite_master WHERE name = 'half_done'")[0] == 0
    store.close()


def test_file_from_newer_examdesk_is_refused_and_untouched(tmp_path: Path):
    path = tmp_path / "nieuwer.sqlite"
    open_store(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {migrations.LATEST_VERSION + 5}")
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(DatabaseRefused, match="nieuwere versie van ExamDesk"):
        open_store(path)
    assert path.read_bytes() == before


def test_file_that_is_not_sqlite_is_refused_and_untouched(tmp_path: Path):
    path = tmp_path / "cijfers.sqlite"
    path.write_bytes(b"Dit is een tekstbestand, geen database.\n" * 100)
    before = path.read_bytes()
    with pytest.raises(DatabaseRefused, match="geen ExamDesk-database"):
        open_store(path)
    assert path.read_bytes() == before
    assert not (tmp_path / "cijfers.sqlite-wal").exists()


def test_other_sqlite_database_is_refused_and_untouched(tmp_path: Path):
    path = tmp_path / "ander.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE leerlingen (naam TEXT)")
    conn.execute("INSERT INTO leerlingen VALUES ('Anouk')")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(DatabaseRefused, match="geen ExamDesk-database"):
        open_store(path)
    assert path.read_bytes() == before


def test_missing_file_is_not_created_when_asked_not_to(tmp_path: Path):
    with pytest.raises(DatabaseRefused, match="bestaat niet"):
        open_store(tmp_path / "weg.sqlite", create=False)
    assert not (tmp_path / "weg.sqlite").exists()


def test_transaction_rolls_back_on_error(store):
    with pytest.raises(RuntimeError):
        with store.transaction():
            store.write("INSERT INTO settings (key, value) VALUES ('a', '1')")
            raise RuntimeError("halverwege mislukt")
    assert store.query_one("SELECT count(*) FROM settings WHERE key = 'a'")[0] == 0


def test_sqlite_utils_writes_join_the_surrounding_transaction(store):
    """sqlite-utils writes in a savepoint: a failure later in the same import undoes them too."""
    with pytest.raises(RuntimeError):
        with store.transaction():
            store.db["settings"].upsert({"key": "via-sqlite-utils", "value": "1"}, pk="key")
            assert store.query_one("SELECT value FROM settings WHERE key = 'via-sqlite-utils'")[0] == "1"
            raise RuntimeError("rij 12 is ongeldig")
    assert store.query_one("SELECT count(*) FROM settings WHERE key = 'via-sqlite-utils'")[0] == 0
