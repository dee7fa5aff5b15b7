"""The backend seam (issue 17): one `Store` interface, SQLite and PostgreSQL behind it, on a real server.

What a data module may rely on is tested on both backends (`bare_store` runs each test twice); what only
a server can do (lose its connection, refuse a password, collide with another writer) on PostgreSQL."""

from __future__ import annotations

import ast
import threading
from pathlib import Path

import psycopg
import pytest

from examdesk.data import audit as audit_data
from examdesk.data.db import SqliteStore, Store, open_store
from examdesk.data.pg import PgRow, PgStore, translate
from examdesk.data.schema_def import Column, Table, Type
from examdesk.domain.audit import verify_chain
from examdesk.domain.errors import DatabaseRefused, StorageError, WriteConflict

PACKAGE = Path(__file__).resolve().parents[2] / "examdesk"


PEOPLE = Table("people", (
    Column("id", Type.IDENTITY, primary_key=True),
    Column("name", Type.TEXT, not_null=True, unique=True),
    Column("note", Type.TEXT),
))


def _make_people(store: Store) -> None:
    with store.transaction() as conn:
        for sql in PEOPLE.statements(store.dialect):
            conn.execute(sql)


# --- translation (no server needed) -------------------------------------------------------------------

@pytest.mark.parametrize("neutral, psycopg_sql", [
    ("SELECT * FROM t WHERE a = ? AND b = ?", "SELECT * FROM t WHERE a = %s AND b = %s"),
    ("UPDATE t SET a = :a WHERE id = :id", "UPDATE t SET a = %(a)s WHERE id = %(id)s"),
    ("SELECT '?', 'it''s :x', \"odd?name\" FROM t WHERE a = ?", "SELECT '?', 'it''s :x', \"odd?name\" FROM t WHERE a = %s"),
    ("SELECT x::int FROM t WHERE a = :a", "SELECT x::int FROM t WHERE a = %(a)s"),
    ("SELECT 1 -- what? :no\nFROM t WHERE a = ?", "SELECT 1 -- what? :no\nFROM t WHERE a = %s"),
    ("SELECT '100%' FROM t WHERE a LIKE ?", "SELECT '100%%' FROM t WHERE a ILIKE %s"),
    ("SELECT * FROM t WHERE a NOT like ? AND unlike = 1", "SELECT * FROM t WHERE a NOT ILIKE %s AND unlike = 1"),
    ("CREATE FUNCTION f() RETURNS int AS $$ SELECT 1 WHERE 'a' LIKE '?' $$ LANGUAGE sql",
     "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1 WHERE 'a' LIKE '?' $$ LANGUAGE sql"),
])
def test_placeholders_and_like_are_translated_outside_literals_names_and_comments(neutral, psycopg_sql):
    with_params = "?" in neutral.replace("'?'", "") or ":a" in neutral
    assert translate(neutral, with_params) == psycopg_sql


def test_a_literal_percent_stays_single_when_nothing_is_bound():
    assert translate("SELECT '100%' FROM t", with_params=False) == "SELECT '100%' FROM t"


def test_mixing_placeholder_styles_is_refused():
    with pytest.raises(ValueError, match="mixes"):
        translate("SELECT * FROM t WHERE a = ? AND b = :b")


def test_only_the_data_layer_imports_psycopg():
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            if any(n.split(".")[0] == "psycopg" for n in names) and not rel.startswith("data/"):
                offenders.append(rel)
    assert offenders == []


# --- the same meaning on both backends ----------------------------------------------------------------

def test_rows_are_addressable_by_name_and_index_like_sqlite_rows(bare_store):
    _make_people(bare_store)
    bare_store.write("INSERT INTO people (name, note) VALUES (?, ?)", ("Anouk", None))
    row = bare_store.query_one("SELECT id, name AS Naam, note FROM people")
    assert (row[0], row["naam"], row["NAAM"], row[1], row["note"]) == (1, "Anouk", "Anouk", "Anouk", None)
    assert dict(row) == {"id": 1, "naam" if bare_store.dialect == "postgresql" else "Naam": "Anouk", "note": None}
    assert len(row) == 3 and list(row) == [1, "Anouk", None]
    pairs = dict(bare_store.query("SELECT name, id FROM people"))  # how data/audit.py reads meta
    assert pairs == {"Anouk": 1}
    with pytest.raises(IndexError):
        row["missing"]


def test_named_and_positional_parameters_returning_and_executemany_work_on_both(bare_store):
    _make_people(bare_store)
    with bare_store.transaction() as conn:
        new_id = conn.execute("INSERT INTO people (name) VALUES (:name) RETURNING id", {"name": "Bram"}).fetchone()[0]
        conn.executemany("INSERT INTO people (name, note) VALUES (?, ?)", [("Cas", "x"), ("Daan", "100%")])
    assert new_id == 1
    assert bare_store.write("UPDATE people SET note = ? WHERE note IS NULL", ("leeg",)).rowcount == 1
    assert [r["note"] for r in bare_store.query("SELECT note FROM people ORDER BY id")] == ["leeg", "x", "100%"]


def test_like_ignores_case_on_both_backends_as_sqlite_always_did(bare_store):
    _make_people(bare_store)
    bare_store.write("INSERT INTO people (name) VALUES (?)", ("Beheerder",))
    assert bare_store.query_one("SELECT name FROM people WHERE name LIKE ?", ("beh%",))["name"] == "Beheerder"


def test_a_nested_transaction_joins_the_outer_one_and_an_error_undoes_both(bare_store):
    _make_people(bare_store)
    with pytest.raises(RuntimeError):
        with bare_store.transaction():
            bare_store.write("INSERT INTO people (name) VALUES (?)", ("buiten",))
            with bare_store.transaction() as inner:
                assert bare_store.in_transaction
                inner.execute("INSERT INTO people (name) VALUES (?)", ("binnen",))
            raise RuntimeError("halverwege")
    assert not bare_store.in_transaction
    assert bare_store.query("SELECT * FROM people") == []
    with bare_store.transaction():
        with bare_store.transaction():
            bare_store.write("INSERT INTO people (name) VALUES (?)", ("samen",))
    assert bare_store.query_one("SELECT count(*) FROM people")[0] == 1


def test_a_constraint_violation_is_the_backends_integrity_error_and_changes_nothing(bare_store):
    _make_people(bare_store)
    bare_store.write("INSERT INTO people (name) VALUES (?)", ("Eva",))
    with pytest.raises(bare_store.IntegrityError):
        with bare_store.transaction():
            bare_store.write("INSERT INTO people (name) VALUES (?)", ("Fenna",))
            bare_store.write("INSERT INTO people (name) VALUES (?)", ("Eva",))
    assert [r[0] for r in bare_store.query("SELECT name FROM people")] == ["Eva"]


def test_both_backends_are_stores_and_open_store_picks_the_backend_from_its_argument(pg_url, empty_db):
    server, local = open_store(pg_url), open_store(empty_db)
    try:
        assert isinstance(server, PgStore) and isinstance(server, Store) and server.dialect == "postgresql"
        assert isinstance(local, SqliteStore) and isinstance(local, Store) and local.dialect == "sqlite"
        assert local.location == str(empty_db)
        assert server.integrity_check() == ["ok"] and local.integrity_check(quick=True) == ["ok"]
    finally:
        server.close()
        local.close()


# --- PostgreSQL only: what a server adds ---------------------------------------------------------------

def test_rows_from_the_server_are_tuples_that_compare_like_tuples(pg_store):
    row = pg_store.query_one("SELECT 1 AS a, 'x' AS b")
    assert isinstance(row, PgRow) and row == (1, "x") and row.keys() == ["a", "b"]


def test_the_real_audit_append_runs_unchanged_on_the_server_and_its_chain_verifies(pg_store):
    for n in range(5):
        audit_data.append(pg_store, None, "beheerder", "test", "instelling", n, {"n": n})
    entries = audit_data.all_entries(pg_store)
    assert [e.seq for e in entries] == [1, 2, 3, 4, 5]
    assert verify_chain(entries, audit_data.head(pg_store)).ok


def _kill_backend(pg_server, store: PgStore) -> None:
    pid = store.query_one("SELECT pg_backend_pid()")[0]
    with psycopg.connect(pg_server.url("postgres"), autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (pid,))


def test_a_connection_lost_inside_a_transaction_saves_nothing_says_so_in_dutch_and_reconnects(pg_server, pg_store):
    with pytest.raises(StorageError, match="verbinding met de databaseserver .* is verbroken") as refused:
        with pg_store.transaction():
            pg_store.write("INSERT INTO settings (key, value) VALUES (?, ?)", ("half", "1"))
            _kill_backend(pg_server, pg_store)
            pg_store.write("INSERT INTO settings (key, value) VALUES (?, ?)", ("rest", "2"))
    assert "niets half opgeslagen" in refused.value.message
    assert pg_server.password not in refused.value.message
    assert not pg_store.in_transaction
    # the next call connects again; nothing of the broken transaction is there
    assert pg_store.query("SELECT key FROM settings") == []
    pg_store.write("INSERT INTO settings (key, value) VALUES (?, ?)", ("daarna", "3"))
    assert [r[0] for r in pg_store.query("SELECT key FROM settings")] == ["daarna"]


def test_a_connection_lost_while_idle_is_replaced_at_the_next_read_or_transaction(pg_server, pg_store):
    _kill_backend(pg_server, pg_store)
    assert pg_store.query_one("SELECT value FROM meta WHERE key = 'application'")[0] == "ExamDesk"
    _kill_backend(pg_server, pg_store)
    with pg_store.transaction():
        pg_store.write("INSERT INTO settings (key, value) VALUES (?, ?)", ("na", "herstart"))
    assert pg_store.query_one("SELECT value FROM settings WHERE key = 'na'")[0] == "herstart"


def test_an_unreachable_server_gives_a_dutch_message_without_the_password(pg_server):
    from pg_server import free_port

    url = f"postgresql://examdesk:geheim-wachtwoord@127.0.0.1:{free_port()}/examdesk"
    with pytest.raises(StorageError, match="niet bereikbaar") as refused:
        open_store(url)
    assert "geheim-wachtwoord" not in refused.value.message


def test_a_wrong_password_or_database_is_refused_in_dutch_without_the_password(pg_server):
    wrong = pg_server.url("postgres").replace(pg_server.password, "fout-wachtwoord")
    with pytest.raises(DatabaseRefused, match="weigert de aanmelding") as refused:
        open_store(wrong)
    assert "fout-wachtwoord" not in refused.value.message
    with pytest.raises(DatabaseRefused, match="bestaat niet"):
        open_store(pg_server.url("bestaat_niet"))


def test_a_server_database_holding_other_tables_is_refused_and_left_alone(pg_url):
    with psycopg.connect(pg_url, autocommit=True) as other:
        other.execute("CREATE TABLE orders (id int)")
    with pytest.raises(DatabaseRefused, match="geen ExamDesk-database"):
        open_store(pg_url)
    with psycopg.connect(pg_url, autocommit=True) as other:
        tables = other.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'").fetchall()
    assert tables == [("orders",)]


def test_an_empty_server_database_is_not_created_when_create_is_off(pg_url):
    with pytest.raises(DatabaseRefused, match="bevat nog geen ExamDesk-database"):
        open_store(pg_url, create=False)


def test_waiting_too_long_for_another_writer_gives_the_busy_message_and_saves_nothing(pg_store, pg_url):
    patient = PgStore(pg_url, lock_timeout_ms=200)
    try:
        with pg_store.transaction():  # holds the database's writer lock
            with pytest.raises(StorageError, match="bezig met de wijziging van een andere gebruiker"):
                with patient.transaction():
                    patient.write("INSERT INTO settings (key, value) VALUES ('x', 'y')")
        assert patient.query("SELECT * FROM settings") == []
        assert not patient.in_transaction
    finally:
        patient.close()


def test_writers_wait_for_each_other_while_readers_never_wait(pg_store, pg_url):
    """The SQLite meaning of a transaction, kept on the server: a second writer queues behind the first;
    a reader sees the last committed state at once."""
    second, reader = PgStore(pg_url), PgStore(pg_url)
    done = threading.Event()

    def write_after_the_first() -> None:
        with second.transaction():
            second.write("INSERT INTO settings (key, value) VALUES ('tweede', '2')")
        done.set()

    try:
        with pg_store.transaction():
            pg_store.write("INSERT INTO settings (key, value) VALUES ('eerste', '1')")
            worker = threading.Thread(target=write_after_the_first)
            worker.start()
            _wait_until_waiting(reader, "ExamDesk")
            assert not done.is_set()
            assert reader.query("SELECT key FROM settings") == []  # not blocked, sees nothing uncommitted
        worker.join(timeout=60)
        assert done.is_set()
        assert [r[0] for r in reader.query("SELECT key FROM settings ORDER BY key")] == ["eerste", "tweede"]
    finally:
        second.close()
        reader.close()


def _wait_until_waiting(observer: PgStore, application: str) -> None:
    """Until a session of this database waits for a lock (bounded; no timing in the assertion)."""
    for _ in range(2000):
        row = observer.query_one(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
            " AND application_name = ?", (application,))
        if row[0]:
            return
        threading.Event().wait(0.01)
    raise AssertionError("no session started waiting for the lock")


def test_a_deadlock_is_reported_as_a_write_conflict_and_retrying_runs_the_work_again(pg_store, pg_url):
    """Two desks that lock two rows in opposite order: the server kills one transaction. Reported plainly
    it is WriteConflict (nothing saved); through Store.retrying the losing work simply runs again."""
    a, b = PgStore(pg_url, serialize_writers=False), PgStore(pg_url, serialize_writers=False)
    a.write("INSERT INTO settings (key, value) VALUES ('een', '0'), ('twee', '0')")
    both_hold_one = threading.Barrier(2, timeout=30)
    attempts = {"a": 0, "b": 0}
    failures: list[BaseException] = []

    def work(name: str, store: PgStore, first: str, second: str, retry: bool) -> None:
        def body(conn) -> None:
            attempts[name] += 1
            conn.execute("UPDATE settings SET value = ? WHERE key = ?", (name, first))
            if attempts[name] == 1:
                both_hold_one.wait()
            conn.execute("UPDATE settings SET value = ? WHERE key = ?", (name, second))
        try:
            if retry:
                store.retrying(body)
            else:
                with store.transaction() as conn:
                    body(conn)
        except BaseException as exc:  # noqa: BLE001 - collected for the assertion below
            failures.append(exc)

    try:
        threads = [threading.Thread(target=work, args=("a", a, "een", "twee", True)),
                   threading.Thread(target=work, args=("b", b, "twee", "een", True))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        assert failures == []
        assert sorted(attempts.values()) == [1, 2]  # the deadlock's victim ran twice, then succeeded
        winner = "a" if attempts["b"] == 2 else "b"
        loser = "b" if winner == "a" else "a"
        assert {r[0]: r[1] for r in a.query("SELECT key, value FROM settings")} == {"een": loser, "twee": loser}

        attempts.update(a=0, b=0)
        both_hold_one.reset()
        threads = [threading.Thread(target=work, args=("a", a, "een", "twee", False)),
                   threading.Thread(target=work, args=("b", b, "twee", "een", False))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        assert len(failures) == 1 and isinstance(failures[0], WriteConflict)
        assert "Er is niets opgeslagen; probeer het opnieuw" in failures[0].message
    finally:
        a.close()
        b.close()


def test_sqlite_only_features_say_so_on_the_server(pg_store):
    with pytest.raises(NotImplementedError, match="SQLite only"):
        pg_store.db  # noqa: B018
    with pytest.raises(StorageError, match="pg_restore"):
        with pg_store.offline():
            pass
    cursor = pg_store.write("INSERT INTO settings (key, value) VALUES ('a', 'b')")
    with pytest.raises(NotImplementedError, match="RETURNING"):
        cursor.lastrowid  # noqa: B018


def test_retrying_gives_up_after_its_attempts_and_joins_an_open_transaction(bare_store):
    _make_people(bare_store)
    calls = []

    def always_colliding(conn) -> None:
        calls.append(1)
        conn.execute("INSERT INTO people (name) VALUES (?)", (f"poging {len(calls)}",))
        raise WriteConflict("botsing")

    with pytest.raises(WriteConflict):
        bare_store.retrying(always_colliding, attempts=3)
    assert len(calls) == 3 and bare_store.query("SELECT * FROM people") == []  # every attempt rolled back
    with bare_store.transaction():
        assert bare_store.retrying(lambda conn: conn.execute("SELECT 7").fetchone()[0]) == 7
