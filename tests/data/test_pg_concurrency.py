"""Concurrency primitives for central mode (issue 17), proven with several connections to a real server:
a chain stays gap-free and ordered under concurrent writers (`chain_lock`), and a record people decide
on cannot lose an update (`update_versioned`)."""

from __future__ import annotations

import json
import threading

import pytest

from examdesk.data.concurrency import chain_key, chain_lock, update_versioned
from examdesk.data.db import SqliteStore, Store, connect
from examdesk.data.pg import WRITER_LOCK, PgStore
from examdesk.data.schema_def import STEPS, Column, Step, Table, Type, migrate
from examdesk.domain.audit import AuditEntry, entry_hash, verify_chain
from examdesk.domain.errors import ChangedMeanwhile, NotFound

CASES = Table("cases", (
    Column("id", Type.IDENTITY, primary_key=True),
    Column("state", Type.TEXT, not_null=True),
    Column("decided_by", Type.TEXT, not_null=True, default=""),
    Column("version", Type.INTEGER, not_null=True, default=1),
))
AT = "2026-01-05T09:00:00+01:00"


def _append(store: Store, username: str, lock: bool = True, between=None) -> int:
    """One audit entry, as data/audit.append writes it, with the chain's lock taken first. `between` runs
    after the head was read and before the entry is written (to interleave two desks on purpose)."""
    with store.transaction() as conn:
        if lock:
            chain_lock(store, "audit")
        head = dict(conn.execute("SELECT key, value FROM meta WHERE key IN ('audit_head_seq', 'audit_head_hash')")
                    .fetchall())
        if between:
            between()
        seq, prev = int(head["audit_head_seq"]) + 1, head["audit_head_hash"]
        digest = entry_hash(prev, seq, AT, None, username, "test", "x", str(seq), {})
        conn.execute("INSERT INTO audit_log (seq, at, user_id, username, action, entity, entity_id, summary,"
                     " prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     (seq, AT, None, username, "test", "x", str(seq), "{}", prev, digest))
        conn.execute("UPDATE meta SET value = ? WHERE key = 'audit_head_seq'", (str(seq),))
        conn.execute("UPDATE meta SET value = ? WHERE key = 'audit_head_hash'", (digest,))
    return seq


def _entries(store: Store) -> list[AuditEntry]:
    return [AuditEntry(r["seq"], r["at"], r["user_id"], r["username"], r["action"], r["entity"], r["entity_id"],
                       json.loads(r["summary"]), r["prev_hash"], r["hash"])
            for r in store.query("SELECT * FROM audit_log ORDER BY seq")]


def _head(store: Store) -> tuple[int, str]:
    rows = dict(store.query("SELECT key, value FROM meta WHERE key IN ('audit_head_seq', 'audit_head_hash')"))
    return int(rows["audit_head_seq"]), rows["audit_head_hash"]


@pytest.fixture
def desks(pg_url):
    """A prototype database and a way to open more desks on it, without the database-wide writer lock:
    only the primitive under test keeps them apart."""
    opened: list[PgStore] = []

    def desk() -> PgStore:
        store = PgStore(pg_url, serialize_writers=False)
        opened.append(store)
        return store

    migrate(desk(), [*STEPS, Step(tables=(CASES,))])
    yield desk
    for store in opened:
        store.close()


def _wait_for_lock_wait(observer: PgStore) -> None:
    """Until some session of this database waits for a lock (bounded; nothing is timed)."""
    for _ in range(3000):
        if observer.query_one("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                              " AND wait_event_type = 'Lock'")[0]:
            return
        threading.Event().wait(0.01)
    raise AssertionError("no session started waiting for a lock")


# --- chains --------------------------------------------------------------------------------------------

def test_without_the_chain_lock_two_desks_take_the_same_number(desks):
    """The control: what the lock prevents. Both read head 0, both write seq 1; the second is refused."""
    a, b = desks(), desks()
    with pytest.raises(b.IntegrityError):
        _append(a, "a", lock=False, between=lambda: _append(b, "b", lock=False))
    # (here a's transaction was the one refused; b's entry 1 stands)
    assert [e.seq for e in _entries(a)] == [1]


def test_a_second_desk_waits_for_the_chain_and_continues_from_the_new_head(desks):
    a, b, observer = desks(), desks(), desks()
    results: dict[str, int] = {}

    def second_desk() -> None:
        results["b"] = _append(b, "b")

    worker = threading.Thread(target=second_desk)

    def while_a_holds_the_head() -> None:
        worker.start()
        _wait_for_lock_wait(observer)       # b is queued behind a's chain lock, not reading a stale head
        assert "b" not in results

    results["a"] = _append(a, "a", between=while_a_holds_the_head)
    worker.join(timeout=60)
    assert results == {"a": 1, "b": 2}
    entries = _entries(observer)
    assert entries[1].prev_hash == entries[0].hash
    assert verify_chain(entries, _head(observer)).ok


def test_many_concurrent_writers_keep_the_audit_chain_gap_free_ordered_and_verifiable(desks):
    writers, each = 6, 15
    stores = [desks() for _ in range(writers)]
    start = threading.Barrier(writers, timeout=60)
    errors: list[BaseException] = []

    def work(store: PgStore, name: str) -> None:
        try:
            start.wait()
            for _ in range(each):
                _append(store, name)
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(s, f"desk{n}")) for n, s in enumerate(stores)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    entries = _entries(stores[0])
    assert [e.seq for e in entries] == list(range(1, writers * each + 1))
    assert {e.username for e in entries} == {f"desk{n}" for n in range(writers)}
    assert verify_chain(entries, _head(stores[0])).ok


def test_different_chains_do_not_wait_for_each_other(desks):
    a, b = desks(), desks()
    with a.transaction():
        chain_lock(a, "session", "afname-1")
        with b.transaction():
            chain_lock(b, "session", "afname-2")      # returns at once: another chain
            held = b.query_one("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted")[0]
    assert held == 2
    assert len({chain_key("session", "afname-1"), chain_key("session", "afname-2"), chain_key("audit"),
                WRITER_LOCK}) == 4


def test_the_chain_lock_belongs_inside_a_transaction(desks):
    with pytest.raises(RuntimeError, match="outside a transaction"):
        chain_lock(desks(), "audit")


def test_on_sqlite_the_chain_lock_is_the_files_write_lock_and_the_chain_still_verifies(tmp_path):
    path = tmp_path / "chain.sqlite"
    store = SqliteStore(connect(path), path)
    migrate(store, STEPS)
    assert [_append(store, "a") for _ in range(3)] == [1, 2, 3]
    assert verify_chain(_entries(store), _head(store)).ok
    store.close()


# --- optimistic versions -------------------------------------------------------------------------------

def _case_store(bare_store: Store) -> Store:
    migrate(bare_store, [*STEPS, Step(tables=(CASES,))])
    return bare_store


def test_the_second_desk_deciding_on_a_stale_case_is_told_it_changed_and_nothing_is_lost(bare_store):
    store = _case_store(bare_store)
    with store.transaction() as conn:
        case_id = conn.execute("INSERT INTO cases (state) VALUES (?) RETURNING id", ("open",)).fetchone()[0]
    seen_by_a = seen_by_b = store.query_one("SELECT version FROM cases WHERE id = ?", (case_id,))[0]

    assert update_versioned(store, "cases", {"id": case_id}, seen_by_a, {"state": "besloten", "decided_by": "a"},
                            what="Het incident") == 2
    with pytest.raises(ChangedMeanwhile) as stale:
        update_versioned(store, "cases", {"id": case_id}, seen_by_b, {"state": "afgesloten", "decided_by": "b"},
                         what="Het incident")
    assert stale.value.message == ("Het incident is intussen door iemand anders gewijzigd (u zag versie 1, nu is het "
                                   "versie 2). Er is niets opgeslagen; bekijk de nieuwe stand en beslis opnieuw.")
    row = store.query_one("SELECT state, decided_by, version FROM cases WHERE id = ?", (case_id,))
    assert (row["state"], row["decided_by"], row["version"]) == ("besloten", "a", 2)   # a's decision stands
    # b looks again and decides on what is there now
    assert update_versioned(store, "cases", {"id": case_id}, row["version"], {"state": "afgesloten",
                                                                             "decided_by": "b"}) == 3
    with pytest.raises(NotFound, match="bestaat niet"):
        update_versioned(store, "cases", {"id": 999}, 1, {"state": "x"}, what="Het incident")


def test_update_versioned_takes_names_from_code_only(bare_store):
    store = _case_store(bare_store)
    with pytest.raises(ValueError, match="plain SQL name"):
        update_versioned(store, "cases; DROP TABLE cases", {"id": 1}, 1, {"state": "x"})
    with pytest.raises(ValueError, match="plain SQL name"):
        update_versioned(store, "cases", {"id": 1}, 1, {"state = 'x', version": "x"})


def test_two_desks_saving_the_same_case_at_the_same_moment_one_wins_one_is_told(desks):
    """No writer lock: desk b's UPDATE waits for desk a's row lock, then finds the version moved on."""
    a, b, observer = desks(), desks(), desks()
    with a.transaction() as conn:
        case_id = conn.execute("INSERT INTO cases (state) VALUES ('open') RETURNING id").fetchone()[0]
    outcome: dict[str, object] = {}

    def desk_b() -> None:
        try:
            with b.transaction():
                update_versioned(b, "cases", {"id": case_id}, 1, {"state": "afgesloten", "decided_by": "b"})
            outcome["b"] = "opgeslagen"
        except ChangedMeanwhile as exc:
            outcome["b"] = exc

    worker = threading.Thread(target=desk_b)
    with a.transaction():
        update_versioned(a, "cases", {"id": case_id}, 1, {"state": "besloten", "decided_by": "a"})
        worker.start()
        _wait_for_lock_wait(observer)
    worker.join(timeout=60)
    assert isinstance(outcome["b"], ChangedMeanwhile)
    row = observer.query_one("SELECT state, decided_by, version FROM cases WHERE id = ?", (case_id,))
    assert tuple(row) == ("besloten", "a", 2)
