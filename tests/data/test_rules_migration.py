"""Schema step v009 on a database made before it: register rows keep their meaning (the school's own
practice of replacing assignments is kept as 'vervangbaar'), the real 2014-2015 afnameperiodes are
there, the new history tables refuse rewriting, and the file still verifies."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

import pytest

from examdesk.cli import main
from examdesk.data import migrations
from examdesk.data import register as register_data
from examdesk.data.db import open_store
from examdesk.domain.clock import today as amsterdam_today  # the app's day, not the machine's (UTC in CI)
from examdesk.domain.institution import Institution
from examdesk.domain.register import Assignments, validity
from examdesk.services.auth import AuthService

BEFORE = 6   # the schema version this branch found


def _old_database(path, monkeypatch):
    with monkeypatch.context() as patch:   # undoing only this: the test's EXAMDESK_HOME must stay set
        patch.setattr(migrations, "STEPS", migrations.STEPS[:BEFORE])
        _fill_old_database(path)


def _fill_old_database(path):
    store = open_store(path)
    assert store.schema_version() == BEFORE
    AuthService(store).setup(Institution("ROC Oud", "25XX", "Examencommissie", "Gouda", 30, 42, "Commissie van beroep"),
                             "beheerder", "Ruud Kok", "een-lang-wachtwoord-2026")
    today = amsterdam_today()
    d = lambda days: (today - timedelta(days=days)).isoformat()  # noqa: E731
    conn = store.conn
    conn.execute("INSERT INTO qualifications (crebo, name, niveau, updated_at) VALUES ('25491', 'Verzorgende IG', 3, ?)",
                 (d(0),))
    conn.execute("INSERT INTO suppliers (id, name, authority, certificate_number, certified_from, certified_until,"
                 " updated_at) VALUES ('s1', 'Examenhuis', 'CA', 'C-1', ?, ?, ?)", (d(900), d(-900), d(0)))
    for code, route, steps in (
            ("PLAIN", 1, [("concept", 400), ("vastgesteld", 390)]),
            ("REPLACED", 1, [("concept", 400), ("vastgesteld", 390), ("voorbehoud", 30)]),
            ("READOPTED", 2, [("concept", 400), ("vastgesteld", 390), ("gewijzigd", 60), ("vastgesteld", 40)]),
            ("CHANGED", 2, [("concept", 400), ("vastgesteld", 390), ("gewijzigd", 10)])):
        conn.execute("INSERT INTO instruments (id, code, title, crebo, kind, route, supplier_id, created_at, updated_at)"
                     " VALUES (?, ?, 'Proeve', '25491', 'proeve van bekwaamheid', ?, ?, ?, ?)",
                     (code, code, route, "s1" if route == 1 else None, d(400), d(400)))
        for status, days in steps:
            conn.execute("INSERT INTO instrument_status (instrument_id, status, effective_on, decision_number, reason,"
                         " recorded_at, recorded_by) VALUES (?, ?, ?, ?, ?, ?, 'bureau')",
                         (code, status, d(days), "EC-1" if status == "vastgesteld" else "",
                          "opdracht vervangen" if status in ("gewijzigd", "voorbehoud") else "", d(days)))
    conn.execute("INSERT INTO route_choices (crebo, school_year, routes, considerations, adopted_by, adopted_on,"
                 " updated_at) VALUES ('25491', '2026-2027', '1', '', 'M. de Vries', '2026-07-01', '2026-07-01')")
    conn.commit()
    store.close()


def test_an_existing_database_upgrades_and_keeps_verifying(tmp_path, monkeypatch, capsys):
    path = tmp_path / "school.sqlite"
    _old_database(path, monkeypatch)
    store = open_store(path)
    assert store.schema_version() == migrations.LATEST_VERSION
    today = amsterdam_today()
    kinds = {i.code: i.assignments for i in register_data.list_instruments(store)}
    assert kinds == {"PLAIN": Assignments.FIXED, "REPLACED": Assignments.REPLACEABLE,
                     "READOPTED": Assignments.REPLACEABLE, "CHANGED": Assignments.FIXED}
    supplier = register_data.get_supplier(store, "s1")
    assert not supplier.cooperative and supplier.earlier_certificates == ()

    def verdict(code):
        i = register_data.instrument_by_code(store, code)
        return validity(i, register_data.statuses_for(store, i.id), supplier,
                        register_data.get_qualification(store, "25491"), today)

    assert verdict("PLAIN").valid and verdict("READOPTED").valid
    replaced = verdict("REPLACED")                      # before: 'valid under reservation'; the source: not valid
    assert not replaced.valid and replaced.provisional
    assert not verdict("CHANGED").valid
    assert register_data.get_route_choice(store, "25491", "2026-2027").signals[0].startswith(
        "De routekeuze voor 2026-2027 heeft geen afwegingen")
    periods = store.query("SELECT school_year, count(*), min(starts_on), max(ends_on) FROM exam_periods")
    assert tuple(periods[0]) == ("2014-2015", 28, "2014-10-27", "2015-06-06")
    with pytest.raises(sqlite3.DatabaseError, match="kan niet worden gewijzigd"):
        store.conn.execute("INSERT INTO instrument_criteria (instrument_id, criterion, met, checked_by, checked_on,"
                           " recorded_at, recorded_by) VALUES ('CHANGED', 'A1', 1, 'X', '2026-01-01', 'x', 'x')")
        store.conn.execute("UPDATE instrument_criteria SET met = 0")
    store.conn.rollback()
    store.close()
    assert main(["verify", "--db", str(path)]) == 0
    capsys.readouterr()
