"""Issue 16: background work stops when ExamDesk closes — a query on the work's own connection is interrupted,
and a stopped full check raises `Cancelled` and records nothing, so the next start checks again."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from examdesk.data.db import open_readonly
from examdesk.domain.cancel import Cancellation, Cancelled
from examdesk.services import integrity
from examdesk.services.backup import check_database

ENDLESS = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n"


def test_cancelling_interrupts_a_long_query_on_its_connection(demo_db):
    cancel = Cancellation()
    store = open_readonly(demo_db, cancel=cancel)
    timer = threading.Timer(0.2, cancel.cancel)
    timer.start()
    try:
        with pytest.raises(sqlite3.OperationalError, match="interrupt"):
            store.query_one(ENDLESS)     # would never end
    finally:
        timer.cancel()
        store.close()
    cancel.cancel()                      # again, after the connection closed: harmless


def test_a_cancelled_full_check_records_nothing(demo_db):
    before = integrity.has_checkpoint(demo_db)
    cancel = Cancellation()
    cancel.cancel()
    with pytest.raises(Cancelled):
        check_database(demo_db, find_backup=False, thorough=True, record=True, cancel=cancel)
    assert integrity.has_checkpoint(demo_db) == before
    assert check_database(demo_db, find_backup=False, thorough=True, record=True).state.name == "OK"
    assert integrity.has_checkpoint(demo_db)     # the check not stopped does record
