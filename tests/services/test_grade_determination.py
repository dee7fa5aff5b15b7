"""The procesverbaal runs to grade determination (Beleidsregel, toelichting bij artikel 3: "het gehele proces
vanaf de ontvangst van de exameninstrumenten tot en met de cijferbepaling"): the examenbureau records, for a
closed session, when, by whom and in which system the results were processed; the procesverbaal shows it, and
only a session with that record gets a new fingerprint."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from pypdf import PdfReader

from examdesk.domain.documents import document_fingerprint
from examdesk.domain.errors import PermissionDenied, ValidationError
from examdesk.domain.roles import Role
from examdesk.domain.sessions import SessionFilter
from examdesk.services.doc_procesverbaal import collect
from examdesk.services.documents import DocumentService
from examdesk.services.grade_determination import GradeDeterminationService


def _closed(store) -> list:
    from examdesk.data import sessions as session_data

    return session_data.list_sessions(store, SessionFilter(status="afgesloten"))


def test_recorded_for_a_closed_session_and_shown_on_the_procesverbaal(ctx_for):
    bureau = ctx_for(Role.BUREAU)
    store = bureau.store
    closed = _closed(store)
    target, other = closed[0], closed[1]
    before = {p.id: document_fingerprint("procesverbaal", collect(store, p.id).data) for p in (target, other)}
    service = GradeDeterminationService(bureau)
    today = bureau.clock().date()
    with pytest.raises(ValidationError, match="vóór de afname"):
        service.record(target.id, target.session_date - timedelta(days=1), "Petra Smit", "Eduarte")
    with pytest.raises(ValidationError, match="in de toekomst"):
        service.record(target.id, today + timedelta(days=1), "Petra Smit", "Eduarte")
    with pytest.raises(ValidationError, match="welk systeem"):
        service.record(target.id, today, "Petra Smit", "  ")
    with pytest.raises(PermissionDenied, match="mag niet"):
        GradeDeterminationService(ctx_for(Role.COMMISSIE)).record(target.id, today, "M. de Vries", "Eduarte")
    assert service.current(target.id) is None

    g = service.record(target.id, today, "Petra Smit", "Eduarte", "Cijfers uit Facet overgenomen")
    assert (g.processed_on, g.processed_by, g.system) == (today, "Petra Smit", "Eduarte")
    assert g.sentence.startswith("Resultaten verwerkt op")
    after = {p.id: document_fingerprint("procesverbaal", collect(store, p.id).data) for p in (target, other)}
    assert after[target.id] != before[target.id] and after[other.id] == before[other.id]
    _, pdf = DocumentService(bureau).issue("procesverbaal", target.id)
    whole = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Verwerking van de resultaten (tot en met de cijferbepaling)" in whole
    assert "Petra Smit" in whole and "Eduarte" in whole and "Cijfers uit Facet overgenomen" in whole
    audit = [r[0] for r in store.query("SELECT action FROM audit_log WHERE entity_id = ?", (target.id,))]
    assert "resultaten verwerkt" in audit
    # a correction is a new record; the newest counts
    service.record(target.id, today, "Petra Smit", "Osiris")
    assert service.current(target.id).system == "Osiris"


def test_not_before_the_session_is_closed(ctx_for):
    from examdesk.data import sessions as session_data

    bureau = ctx_for(Role.BUREAU)
    running = session_data.list_sessions(bureau.store, SessionFilter(status="bezig"))[0]
    with pytest.raises(ValidationError, match="nadat de afname is afgesloten"):
        GradeDeterminationService(bureau).record(running.id, bureau.clock().date(), "Petra Smit", "Eduarte")


def test_the_new_records_are_append_only_and_sealed(ctx_for):
    """v012's tables only grow: a change is a new row; each row carries a seal in the keyed audit chain."""
    import sqlite3

    from examdesk.services.integrity import desk_row_problem

    bureau = ctx_for(Role.BUREAU)
    store = bureau.store
    plan = _closed(store)[0]
    GradeDeterminationService(bureau).record(plan.id, bureau.clock().date(), "Petra Smit", "Eduarte")
    row_id = store.query_one("SELECT max(id) FROM grade_determinations")[0]
    assert desk_row_problem(store, "grade_determinations", str(row_id)) is None
    triggers = {r[0] for r in store.query("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    for table in ("grade_determinations", "letter_dispatches", "minor_answers", "commission_policies"):
        assert {f"{table}_no_update", f"{table}_no_delete"} <= triggers
    with pytest.raises(sqlite3.IntegrityError, match="kan niet worden gewijzigd"):
        store.conn.execute("DELETE FROM grade_determinations")
    with pytest.raises(sqlite3.IntegrityError, match="kan niet worden gewijzigd"):
        store.conn.execute("UPDATE grade_determinations SET system = 'Osiris'")
