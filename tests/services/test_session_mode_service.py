"""Running a session through the service: the durable record, the rules, and who may do what."""

from __future__ import annotations

import sqlite3

import pytest

from examdesk.data import incident_desk
from examdesk.domain.errors import NotFound, PermissionDenied, ValidationError
from examdesk.domain.incident_desk import IncidentFilter
from examdesk.domain.roles import Role
from examdesk.domain.session_events import Kind
from examdesk.domain.sessions import IncidentInput
from examdesk.services.session_mode import SessionModeService
from tests.session_support import Clock, at, context, plan_session


@pytest.fixture
def clock() -> Clock:
    return Clock(at(8, 30))


@pytest.fixture
def running(store, clock):
    sid, ids = plan_session(store, clock, extra={1: 30})
    service = SessionModeService(context(store, "surveillant", clock), sid)
    clock.set(8, 40)
    service.record_receipt("Jan Bakker", True)
    clock.set(8, 55)
    service.mark_present(ids[:3])
    clock.set(9, 2)
    service.start()
    return service, ids


def test_a_whole_session_through_the_service(store, clock, running):
    service, ids = running
    clock.set(9, 20)
    outcome = service.late_arrival(ids[3])
    assert outcome.admitted and "eindtijd blijft gelijk" in outcome.message
    clock.set(9, 47)
    pause = service.pause(None, "storing platform")
    clock.set(9, 55)
    service.resume()
    clock.set(10, 12)
    service.log_incident(IncidentInput("ONWEL", candidate_ids=(ids[0],), what_happened="misselijk",
                                       what_was_done="opgevangen"))
    state = service.state()
    assert state.candidate(ids[1]).end_time == at(11, 40)     # 09:02 + 120 + 30 extra + 8 pause
    assert state.candidate(ids[3]).end_time == at(11, 10)     # late: same end time, plus the pause it sat in
    assert state.candidate(ids[0]).status == "onwel"
    assert pause.kind == Kind.PAUSE
    clock.set(11, 45)
    close = service.close()
    summary = close.payload.summary
    assert summary.absent == ("Łukasz Wójcik",)                # never came: recorded absent at closing
    assert summary.late == ("Elif Şahin (09:20)",)
    assert summary.unwell == ("Anouk Jansen",)
    assert summary.facilities == ("Loïs van den Berg: +30 min",)
    assert summary.staff == ("Jan Bakker",)
    assert service.plan.status == "afgesloten" or service.state().closed
    ok, reason = service.verify()
    assert ok, reason
    assert incident_desk.count(store, IncidentFilter(session_id=service.session_id)) == 1


def test_late_arrival_after_the_limit_is_refused_and_recorded(store, clock, running):
    service, ids = running
    clock.set(9, 33)
    outcome = service.late_arrival(ids[4])
    assert not outcome.admitted
    assert "na de toelatingsgrens van 09:32" in outcome.message
    assert service.state().candidate(ids[4]).status == "geweigerd"
    assert [e.kind for e in service.events()][-1] == Kind.LATE


def test_bad_input_is_refused_in_dutch_and_nothing_is_saved(store, clock, running):
    service, ids = running
    before = len(service.events())
    clock.set(10, 0)
    with pytest.raises(ValidationError, match="buiten de afname"):
        service.log_incident(IncidentInput("ONWEL", at(6, 10), (ids[0],), what_happened="x"))
    with pytest.raises(ValidationError, match="later dan nu"):
        service.log_incident(IncidentInput("ONWEL", at(10, 30), (ids[0],), what_happened="x"))
    with pytest.raises(ValidationError, match="ligt vóór de start"):
        service.end(at(8, 50))
    with pytest.raises(ValidationError, match="al aanwezig|al als"):
        service.mark_absent(ids[0])
    with pytest.raises(ValidationError, match="Kies de kandidaat"):
        service.log_incident(IncidentInput("ONWEL", what_happened="iemand"))
    pause = service.pause([ids[0]], "pc vast", at(9, 50))
    with pytest.raises(ValidationError, match="ligt vóór het begin van de pauze"):
        service.resume([pause.id], at(9, 45))
    assert len(service.events()) == before + 1


def test_closed_session_takes_only_remarks_and_the_commission_reopens(store, clock, running):
    service, ids = running
    clock.set(11, 30)
    service.close()
    with pytest.raises(ValidationError, match="alleen opmerkingen en correcties"):
        service.log_incident(IncidentInput("ONWEL", candidate_ids=(ids[0],), what_happened="x"))
    clock.set(11, 40)
    service.remark("Kandidaat 3 vergat haar jas.")
    with pytest.raises(PermissionDenied):
        service.reopen("controle")
    commission = SessionModeService(context(store, "commissie", clock), service.session_id)
    with pytest.raises(ValidationError, match="reden"):
        commission.reopen("  ")
    commission.reopen("Tijdstip incident nagaan")
    assert not service.state().closed
    clock.set(11, 50)
    service.log_incident(IncidentInput("OVERIG", what_happened="nagekomen melding"))


def test_events_cannot_be_updated_or_deleted(store, running):
    service, _ = running
    with pytest.raises(sqlite3.IntegrityError, match="kan niet worden gewijzigd"):
        store.conn.execute("UPDATE session_events SET data = '{}'")
    with pytest.raises(sqlite3.IntegrityError, match="kan niet worden gewijzigd"):
        store.conn.execute("DELETE FROM session_events WHERE session_id = ?", (service.session_id,))


def test_correction_and_void_keep_the_original(store, clock, running):
    service, ids = running
    clock.set(10, 0)
    first = service.log_incident(IncidentInput("GELUIDSOVERLAST", all_candidates=True, what_happened="boren"))
    fixed = service.correct_incident(first.id, IncidentInput("GELUIDSOVERLAST", at(9, 58), all_candidates=True,
                                                             what_happened="boren naast het lokaal"))
    assert fixed.corrects == first.id
    incidents = incident_desk.page(store, IncidentFilter(session_id=service.session_id), 0, 10)
    assert [(r.incident_id, r.current_id, r.what_happened) for r in incidents] == [
        (first.id, fixed.id, "boren naast het lokaal")]
    remark = service.remark("verkeerde opmerking")
    service.void(remark.id, "vergissing")
    line = next(line for line in service.state().log if line.event_id == remark.id)
    assert line.voided
    with pytest.raises(ValidationError, match="al vervallen"):
        service.void(remark.id, "nog eens")


def test_roles_and_assignment(store, clock, running, ctx_for):
    service, ids = running
    bureau = SessionModeService(context(store, "bureau", clock), service.session_id)
    with pytest.raises(PermissionDenied, match="mag niet een afname afnemen"):
        bureau.remark("hallo")
    with pytest.raises(PermissionDenied, match="geen surveillant van deze afname"):   # not even to read it
        SessionModeService(context(store, "l.vandijk", clock), service.session_id)
    with pytest.raises(PermissionDenied):
        SessionModeService(ctx_for(Role.BEHEERDER), service.session_id)


def test_incident_drafts_survive_and_are_cleared_on_save(store, clock, running):
    service, ids = running
    service.save_draft({"category": "ONWEL", "what_happened": "Kandidaat wordt bleek en"})
    reopened = SessionModeService(context(store, "surveillant", clock), service.session_id)
    assert reopened.draft()["what_happened"] == "Kandidaat wordt bleek en"
    clock.set(9, 30)
    reopened.log_incident(IncidentInput("ONWEL", candidate_ids=(ids[0],), what_happened="Kandidaat wordt bleek"))
    assert reopened.draft() is None


def test_running_session_is_found_again_after_a_restart(store, clock, running):
    from examdesk.services.sessions import SessionService

    service, _ = running
    found = SessionService(context(store, "surveillant", clock)).running_for_me()
    assert found is not None and found.id == service.session_id


def test_start_needs_the_receipt_first(store, clock):
    sid, ids = plan_session(store, clock)
    service = SessionModeService(context(store, "surveillant", clock), sid)
    clock.set(9, 0)
    with pytest.raises(ValidationError, match="ontvangst"):
        service.start()
    with pytest.raises(ValidationError, match="beschrijf wat er mis is"):
        service.record_receipt("Jan Bakker", False, "")


def test_the_checks_see_what_another_window_appended_and_forget_what_was_rolled_back(store, clock, running):
    """Session mode keeps what its checks need up to date one event at a time (saving stays one small write);
    events appended elsewhere are read in, and a registration whose transaction was rolled back is gone."""
    service, ids = running
    other = SessionModeService(context(store, "surveillant", clock), service.session_id)
    clock.set(9, 30)
    pause = other.pause(None, "brandoefening")
    clock.set(9, 35)
    with pytest.raises(ValidationError, match="al gepauzeerd|hervat eerst"):
        service.pause(None, "nog een")
    service.resume([pause.id])
    clock.set(9, 40)
    with pytest.raises(RuntimeError):
        with store.transaction():
            lost = service.remark("verdwijnt")
            raise RuntimeError("stroom uit")
    with pytest.raises(NotFound):
        service.void(lost.id, "bestaat niet")
    kept = service.remark("blijft")
    service.void(kept.id, "toch niet")
    assert service.verify()[0]


@pytest.mark.parametrize(("status", "hh", "mm", "ok"), [
    ("ingeleverd", 9, 20, False), ("vertrokken", 9, 29, False), ("ingeleverd", 9, 30, True),
    ("vertrokken", 9, 45, True), ("onwel", 9, 5, True),
])
def test_nobody_leaves_before_the_admission_limit(store, status, hh, mm, ok):
    """Examenprotocol 13: "Pas na deze door de examencommissie bepaalde tijd mogen deelnemers het examenlokaal
    verlaten." Start 09:00, limit 30 minutes: handing in or leaving from 09:30; becoming unwell is not leaving."""
    clock = Clock(at(8, 30))
    sid, ids = plan_session(store, clock)
    service = SessionModeService(context(store, "surveillant", clock), sid)
    service.record_receipt("Jan Bakker", True)
    clock.set(8, 55)
    service.mark_present(ids)
    clock.set(9, 0)
    service.start()
    clock.set(hh, mm)
    before = len(service.events())
    if ok:
        service.set_candidate_status(ids[0], status)
        assert service.state().candidate(ids[0]).status == status
    else:
        with pytest.raises(ValidationError, match="Vertrekken kan vanaf 09:30") as info:
            service.set_candidate_status(ids[0], status)
        assert "examenprotocol punt 13" in info.value.message and "Anouk Jansen" in info.value.message
        assert len(service.events()) == before
