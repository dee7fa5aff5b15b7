"""A school's database from before the search tables (the demo as version 6 made it) upgrades to schema
v013: its search tables and the decisions owed a letter are filled on the first open, what its lists find
is what the old LIKE found for whole words, and its history still verifies."""

from __future__ import annotations

import gzip
import shutil
import sqlite3
from pathlib import Path

import pytest

from examdesk.data import incident_desk as desk_data
from examdesk.data import sessions as session_data
from examdesk.data.db import open_store
from examdesk.domain.backups import DatabaseState
from examdesk.domain.incident_desk import IncidentFilter
from examdesk.domain.sessions import SessionFilter
from examdesk.services.backup import check_database

FIXTURE = Path(__file__).with_name("demo-v006.sqlite.gz")


@pytest.fixture
def old_db(tmp_path) -> Path:
    target = tmp_path / "school.sqlite"
    with gzip.open(FIXTURE, "rb") as source, open(target, "wb") as out:
        shutil.copyfileobj(source, out)
    return target


def _old_like(path: Path, word: str) -> set[str]:
    """What the list's LIKE of before found for a word in what happened (the rows that stand)."""
    conn = sqlite3.connect(path)
    try:
        return {r[0] for r in conn.execute(
            "SELECT incident_id FROM incident_index WHERE voided = 0 AND (what_happened LIKE ? OR what_was_done"
            " LIKE ?)", (f"%{word}%", f"%{word}%"))}
    finally:
        conn.close()


def test_an_old_school_upgrades_with_its_search_and_open_letters_filled(old_db):
    store = open_store(old_db)
    try:
        counts = {t: store.query_one(f"SELECT count(*) FROM {t}")[0] for t in (
            "incident_search", "session_search", "candidate_search", "audit_search")}
        sources = {"incident_search": "incident_index", "session_search": "sessions",
                   "candidate_search": "candidates", "audit_search": "audit_log"}
        assert counts == {t: store.query_one(f"SELECT count(*) FROM {s}")[0] for t, s in sources.items()}
        assert all(n > 0 for n in counts.values())
        owed = store.query_one("SELECT count(*) FROM letters_due")[0]
        assert owed == desk_data.decisions_without_letter(store) > 0
        for word in ("Facet", "telefoon", "boormachine"):
            found = {r.incident_id for r in desk_data.page(store, IncidentFilter(text=word), 0, 1000)}
            assert found and found == _old_like(old_db, word), word
        planned = session_data.list_sessions(store, SessionFilter(text="Nederlands"))
        assert planned and all("Nederlands" in p.title for p in planned)
    finally:
        store.close()
    assert check_database(old_db, thorough=True).state is DatabaseState.OK
