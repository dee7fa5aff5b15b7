"""The incident desk's index is derived from the session record and caught up when the desk reads."""

from __future__ import annotations

from pathlib import Path

from session_support import Clock, at, context, plan_session

from examdesk.data import incident_desk
from examdesk.data.incident_index import catch_up
from examdesk.domain.incident_desk import IncidentFilter
from examdesk.domain.sessions import IncidentInput
from examdesk.services.session_mode import SessionModeService

TABLES = ("incident_versions", "incident_index", "incident_candidates")


def _snapshot(store):
    return {t: sorted(tuple(r) for r in store.query(f"SELECT * FROM {t}")) for t in TABLES}


def test_rebuilding_from_the_events_gives_the_same_index(store):
    incident_desk.count(store, IncidentFilter())  # the desk reads: index up to date
    before = _snapshot(store)
    assert before["incident_index"], "the demo has incidents"
    store.conn.execute("PRAGMA foreign_keys = OFF")  # the desk's records point at the index; rebuild under them
    for table in TABLES:
        store.conn.execute(f"DELETE FROM {table}")
    store.conn.execute("UPDATE meta SET value = '0' WHERE key = 'desk_index_rowid'")
    assert catch_up(store) > 0
    assert _snapshot(store) == before
    store.conn.execute("PRAGMA foreign_keys = ON")
    assert catch_up(store) == 0  # nothing new: nothing read, nothing written


def test_an_event_recorded_later_reaches_the_desk_on_its_next_read(store):
    clock = Clock(at(8, 30))
    session_id, candidates = plan_session(store, clock)
    mode = SessionModeService(context(store, "surveillant", clock), session_id)
    mode.record_receipt("Jan Bakker", True)
    mode.mark_present(candidates)
    clock.set(9, 0)
    mode.start()
    total = incident_desk.count(store, IncidentFilter())
    indexed = store.query_one("SELECT count(*) FROM incident_index")[0]   # withdrawn ones are indexed, not counted
    clock.set(9, 20)
    mode.log_incident(IncidentInput("ONWEL", candidate_ids=(candidates[0],), what_happened="Duizelig"))
    assert store.query_one("SELECT count(*) FROM incident_index")[0] == indexed  # the save itself stays small
    assert incident_desk.count(store, IncidentFilter()) == total + 1


OLD_DEMO = Path(__file__).with_name("demo-v006.sqlite.gz")   # a real demo file as schema version 6 left it


def test_an_existing_database_upgrades_and_its_desk_reads_the_same(tmp_path):
    """v008 replaces the views that decided status, handler and what to report by stored columns; a database
    made before it (the real version-6 demo) is backfilled on opening, with the same outcome for every
    incident as its old views gave — except where the catalogue reviewed against the sources (issue 12)
    changed the rule: noise and a late arrival are bijzonderheden (examenprotocol 11b/c), recorded and not
    decided, so they keep their code and are no longer open work."""
    import gzip
    import shutil
    import sqlite3

    from examdesk.data.db import open_store

    path = tmp_path / "school.sqlite"
    with gzip.open(OLD_DEMO, "rb") as source, open(path, "wb") as out:
        shutil.copyfileobj(source, out)
    conn = sqlite3.connect(path)
    columns = "incident_id, status, effective_handler, to_report, category, route_handler, candidate_count, undecided"
    before = sorted(tuple(r) for r in conn.execute(f"SELECT {columns} FROM desk_incidents"))
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 6
    conn.close()
    assert len(before) >= 10 and {r[1] for r in before} >= {"open", "besloten", "afgesloten", "in behandeling"}

    store = open_store(path)                          # upgrades: v007…, then the index is backfilled
    try:
        after = sorted(tuple(r) for r in store.query(f"SELECT {columns} FROM desk_incidents"))
        particulars = ("GELUIDSOVERLAST", "TE_LAAT")
        expected = [r if r[4] not in particulars else
                    (r[0], "besloten" if r[1] == "in behandeling" else "bijzonderheid", "procesverbaal", 0, r[4],
                     "procesverbaal", *r[6:]) for r in before]
        assert after == expected
        assert sum(r[4] in particulars for r in before) == 4
        assert store.query_one("SELECT value FROM meta WHERE key = 'desk_index_version'")[0] != ""
        assert catch_up(store) == 0                   # nothing left to do on the first read
    finally:
        store.close()


def test_a_changed_rule_reprojects_every_incident_on_the_next_read(store):
    incident_desk.count(store, IncidentFilter())
    total = store.query_one("SELECT count(*) FROM incident_index")[0]
    store.conn.execute("UPDATE incident_index SET status = 'oud'")        # what an older rule stored
    store.conn.execute("UPDATE meta SET value = 'vorige' WHERE key = 'desk_index_version'")
    assert catch_up(store) > 0
    assert store.query_one("SELECT count(*) FROM incident_index WHERE status = 'oud'")[0] == 0
    assert store.query_one("SELECT count(*) FROM incident_index")[0] == total
