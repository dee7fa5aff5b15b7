from __future__ import annotations

import sqlite3

import pytest

from examdesk.data.db import open_store
from examdesk.domain.roles import Role
from examdesk.services.audit import verify_store
from examdesk.services.users import UserService


def _tamper(path, *statements):
    conn = sqlite3.connect(path)
    conn.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
    conn.execute("DROP TRIGGER IF EXISTS audit_log_no_delete")
    for sql in statements:
        conn.execute(sql)
    conn.commit()
    conn.close()


def test_chain_of_the_demo_database_is_intact(store):
    verdict = verify_store(store)
    assert verdict.ok and verdict.checked >= 7


def test_audit_rows_cannot_be_changed_through_sqlite_while_triggers_stand(store):
    with pytest.raises(sqlite3.IntegrityError, match="auditlogboek"):
        store.conn.execute("UPDATE audit_log SET username = 'x' WHERE seq = 1")
    with pytest.raises(sqlite3.IntegrityError, match="auditlogboek"):
        store.conn.execute("DELETE FROM audit_log WHERE seq = 1")


def test_a_row_edited_with_plain_sqlite3_is_detected(demo_db):
    _tamper(demo_db, "UPDATE audit_log SET summary = '{\"naam\": \"Iemand anders\"}' WHERE seq = 3")
    verdict = verify_store(open_store(demo_db))
    assert not verdict.ok
    assert verdict.broken_seq == 3
    assert "gewijzigd" in verdict.reason


def test_a_removed_row_is_detected(demo_db):
    _tamper(demo_db, "DELETE FROM audit_log WHERE seq = 4")
    verdict = verify_store(open_store(demo_db))
    assert not verdict.ok and verdict.broken_seq == 4


def test_removing_the_newest_rows_is_detected(demo_db):
    last = sqlite3.connect(demo_db).execute("SELECT max(seq) FROM audit_log").fetchone()[0]
    _tamper(demo_db, f"DELETE FROM audit_log WHERE seq = {last}")
    verdict = verify_store(open_store(demo_db))
    assert not verdict.ok
    assert "verwijderd" in verdict.reason


def test_each_change_and_its_audit_row_land_together(ctx_for):
    ctx = ctx_for(Role.BEHEERDER)
    before = ctx.store.query_one("SELECT count(*) FROM audit_log")[0]
    UserService(ctx).add("nieuw", "Nieuw", "koffie-met-twee-klontjes", frozenset({Role.BUREAU}))
    assert ctx.store.query_one("SELECT count(*) FROM audit_log")[0] == before + 1
    assert verify_store(ctx.store).ok
