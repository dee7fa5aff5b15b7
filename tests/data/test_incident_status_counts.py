"""The incidents per status kept by the index's triggers (schema v021, issue 16): what the Overzicht's card and the
Incidenten screen without a filter read instead of counting every incident that stands on each start. They must
be the index counted, after every kind of change and after an upgrade of a database that has incidents."""

from __future__ import annotations

import sqlite3

import pytest

from examdesk.data import exam_pc, incident_index
from examdesk.data.db import open_store
from examdesk.domain.incident_desk import DecisionInput, IncidentFilter
from examdesk.domain.sessions import IncidentInput
from tests.desk_support import SECOND, UNHEARD, desk, log, running
from tests.session_support import DAY, Clock, at


@pytest.fixture
def clock() -> Clock:
    return Clock(at(8, 30))


def kept(store) -> dict[str, int]:
    return {s: n for s, n in store.query("SELECT status, n FROM incident_status_counts") if n}


def counted(store) -> dict[str, int]:
    return dict(store.query("SELECT status, count(*) FROM incident_index WHERE voided = 0 GROUP BY status"))


def same(store) -> dict[str, int]:
    incident_index.catch_up(store)
    assert kept(store) == counted(store)
    shown = {s: n for s, n in desk(store, Clock(at(12, 0))).status_counts(IncidentFilter()).items() if n}
    assert shown == counted(store)
    return counted(store)


def test_the_kept_counts_are_the_index_counted_after_every_kind_of_change(store, clock):
    before = same(store)
    assert sum(before.values()) > 0                            # the demo's incidents, kept as they were written
    run, ids = running(store, clock)
    fraud = log(run, clock, "FRAUDE_KANDIDAAT", (ids[0],), text="Spiekbriefje")
    ill = log(run, clock, "ONWEL", (ids[1],), mm=35)
    log(run, clock, "STROOMSTORING", all_=True, mm=40)        # about all candidates
    mistake = log(run, clock, "GELUIDSOVERLAST", mm=45)
    assert sum(same(store).values()) == sum(before.values()) + 4
    clock.set(9, 50)
    run.void(mistake, "vergissing")                            # voided: gone from the desk and its counts
    run.correct_incident(ill, IncidentInput("FRAUDE_KANDIDAAT", at(9, 35), candidate_ids=(ids[1],),
                                            what_happened="Toch een spiekbriefje"))
    same(store)
    member = store.query_one("SELECT id FROM users WHERE username = 'commissie'")[0]
    clock.set(10, 0)
    service = desk(store, clock)
    service.decide(fraud, DecisionInput((ids[0],), DAY, (member,), ("cijfer_1",), reasoning="Vastgesteld.",
                                        no_hearing_reason=UNHEARD), SECOND)
    same(store)
    service.close(fraud, "Afgehandeld.")
    same(store)
    service.reopen(fraud, "Toch nog een vraag.")
    service.withdraw(ill, "Geen onregelmatigheid.")
    after = same(store)
    assert after != before
    other, others = running(store, clock, tag="pc")             # an exam PC's session, taken back with its receipt
    log(other, clock, "FRAUDE_KANDIDAAT", (others[0],), hh=11)
    log(other, clock, "ONWEL", (others[1],), hh=11, mm=5)
    assert same(store) != after
    with store.transaction():
        exam_pc.forget_session(store, other.session_id, "0" * 64, "commissie", "2026-11-30T12:00:00+01:00")
    assert same(store) == after                                # its incidents removed with it


def test_an_upgrade_counts_the_incidents_a_database_already_has(demo_db, tmp_path):
    """A school's database at v020 with ten years of incidents: the upgrade fills the counts once."""
    store = open_store(demo_db)
    expected = counted(store)
    store.close()
    conn = sqlite3.connect(demo_db, isolation_level=None)
    conn.execute("DROP TABLE incident_status_counts")           # the database as v020 left it
    for name in ("new", "gone", "changed"):
        conn.execute(f"DROP TRIGGER incident_status_counts_{name}")
    conn.execute("PRAGMA user_version = 20")
    conn.close()
    store = open_store(demo_db)
    try:
        assert store.schema_version() >= 21
        assert kept(store) == expected and sum(expected.values()) > 0
    finally:
        store.close()
