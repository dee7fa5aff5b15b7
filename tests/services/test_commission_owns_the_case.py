"""The commission owns a decided case (issue 12): once the examencommissie has decided on an incident, or the
session is closed, the invigilator can no longer withdraw it or change its category or candidates — in session
mode and in an imported afnameverslag alike. A correction after closing is the commission's, with its reason,
on the desk and the procesverbaal; withdrawing an incident whose decision created a resit withdraws the resit."""

from __future__ import annotations

from pathlib import Path

import pytest

from examdesk.data import sessions as session_data
from examdesk.domain.errors import ValidationError
from examdesk.domain.exchange import ExchangeRefused
from examdesk.domain.incident_desk import DecisionInput, IncidentFilter
from examdesk.domain.sessions import IncidentInput
from examdesk.services.doc_procesverbaal import collect
from examdesk.services.exchange import ExchangeService
from tests.desk_support import SECOND, UNHEARD, desk, desk_rows, log, running
from tests.exchange_support import new_pc, receive_package, send_package
from tests.session_support import DAY, Clock, at, context, plan_session

OWNED = "De examencommissie heeft over dit incident besloten"
CLOSED = "De afname is afgesloten: een incident corrigeren of intrekken is nu aan de examencommissie"


@pytest.fixture
def clock() -> Clock:
    return Clock(at(8, 30))


def _member(store) -> int:
    return store.query_one("SELECT id FROM users WHERE username = 'commissie'")[0]


def _decide(store, clock, incident: str, ids, measures=("cijfer_1",)):
    clock.set(10, 0)
    return desk(store, clock).decide(incident, DecisionInput(tuple(ids), DAY, (_member(store),), tuple(measures),
                                                             reasoning="Vastgesteld.", no_hearing_reason=UNHEARD),
                                     SECOND)


def _events(store, sid: str) -> int:
    return len(session_data.events(store, sid))


def test_after_a_decision_the_invigilator_can_no_longer_void_or_reclassify(store, clock):
    run, ids = running(store, clock)
    incident = log(run, clock, "FRAUDE_KANDIDAAT", (ids[0],), text="Spiekbriefje")
    _decide(store, clock, incident, [ids[0]])
    before, rows = _events(store, run.session_id), desk_rows(store)
    clock.set(10, 5)
    with pytest.raises(ValidationError, match=OWNED):
        run.void(incident, "vergissing")
    with pytest.raises(ValidationError, match=f"{OWNED}; de categorie of de betrokken kandidaten"):
        run.correct_incident(incident, IncidentInput("OVERIG", at(9, 30), candidate_ids=(ids[0],),
                                                     what_happened="Spiekbriefje"))
    with pytest.raises(ValidationError, match=OWNED):
        run.correct_incident(incident, IncidentInput("FRAUDE_KANDIDAAT", at(9, 30), candidate_ids=(ids[1],),
                                                     what_happened="Spiekbriefje"))
    assert _events(store, run.session_id) == before and desk_rows(store) == rows
    # adding detail to what happened stays the invigilator's
    run.correct_incident(incident, IncidentInput("FRAUDE_KANDIDAAT", at(9, 30), candidate_ids=(ids[0],),
                                                 what_happened="Spiekbriefje in de etui"))
    assert desk(store, clock).get(incident).what_happened == "Spiekbriefje in de etui"


def test_an_undecided_incident_is_still_the_invigilators_to_void(store, clock):
    run, ids = running(store, clock)
    incident = log(run, clock, "FRAUDE_KANDIDAAT", (ids[0],))
    clock.set(9, 40)
    run.void(incident, "Bij de verkeerde kandidaat genoteerd")
    assert desk(store, clock).count(IncidentFilter(session_id=run.session_id)) == 0


def test_after_closing_a_correction_is_the_commissions_with_its_reason(store, clock):
    run, ids = running(store, clock)
    incident = log(run, clock, "FRAUDE_KANDIDAAT", (ids[0],), text="Briefje op tafel pc 01")
    clock.set(11, 5)
    run.close()
    before = _events(store, run.session_id)
    clock.set(12, 0)
    fixed = IncidentInput("FRAUDE_KANDIDAAT", at(9, 30), candidate_ids=(ids[1],), what_happened="Briefje op tafel pc 02")
    with pytest.raises(ValidationError, match=CLOSED):
        run.correct_incident(incident, fixed)
    with pytest.raises(ValidationError, match=CLOSED):
        run.void(incident, "vergissing")
    service = desk(store, clock)
    with pytest.raises(ValidationError, match="reden van de correctie"):
        service.correct(incident, fixed, "  ")
    assert _events(store, run.session_id) == before
    surveillant = desk(store, clock, "surveillant")
    with pytest.raises(Exception, match="mag niet"):
        surveillant.correct(incident, fixed, "ik weet het beter")

    row = service.correct(incident, fixed, "De surveillant meldde na afloop dat het briefje op tafel pc 02 lag.")
    assert row.what_happened == "Briefje op tafel pc 02" and row.corrections == 1
    case = service.case(incident)
    assert [c.candidate_id for c in case.candidates] == [ids[1]]
    assert case.current.username == "commissie" and case.payload.by_commission
    pv = collect(store, run.session_id).data
    [line] = [r for r in pv["verslag"] if r["soort"] == "Incident"]
    assert "gecorrigeerd door de examencommissie: De surveillant meldde na afloop" in line["tekst"]
    assert line["correctie"].startswith("gecorrigeerd door de examencommissie (")
    assert "Briefje op tafel pc 01" in line["oorspronkelijk"]
    actions = [r[0] for r in store.query("SELECT action FROM audit_log WHERE entity_id = ?", (incident,))]
    assert "incident gecorrigeerd door de examencommissie" in actions


def test_withdrawing_an_incident_withdraws_the_resit_its_decision_created(store, clock):
    run, ids = running(store, clock)
    incident = log(run, clock, "ONWEL", (ids[2],), text="Duizelig")
    clock.set(11, 5)
    run.close()
    _decide(store, clock, incident, [ids[2]], measures=("ongeldig_opnieuw",))
    service = desk(store, clock)
    assert [r.candidate_id for r in service.candidates_with_resit() if r.candidate_id in ids] == [ids[2]]
    assert service.case(incident).actions.withdraw
    with pytest.raises(ValidationError, match="reden waarom het incident wordt ingetrokken"):
        service.withdraw(incident, " ")
    row = service.withdraw(incident, "Dubbel vastgelegd: dezelfde onwelwording staat al bij de vorige afname.")
    assert row.status == "ingetrokken"
    assert [r for r in service.candidates_with_resit() if r.candidate_id in ids] == []
    assert service.page(IncidentFilter(status="ingetrokken", session_id=run.session_id), 0, 5)[0].incident_id == incident
    case = service.case(incident)
    assert not any((case.actions.decide, case.actions.close, case.actions.withdraw, case.actions.reclassify))
    assert case.explanation.startswith("Ingetrokken door de examencommissie (commissie)")
    assert "Dubbel vastgelegd" in case.explanation
    with pytest.raises(ValidationError, match="al ingetrokken"):
        service.withdraw(incident, "nog eens")
    pv = collect(store, run.session_id).data
    assert pv["incidenten"] == []
    [line] = [r for r in pv["verslag"] if r["soort"] == "Incident"]
    assert line["vervallen"] and "ingetrokken door de examencommissie (" in line["correctie"]
    assert "Dubbel vastgelegd" in line["correctie"]


def test_an_imported_record_cannot_void_what_the_commission_decided(store, clock, empty_db: Path, tmp_path):
    """The exam PC does not know the commission decided meanwhile; the office refuses its void on import and
    keeps everything as it was."""
    sid, ids = plan_session(store, clock)
    pc = new_pc(empty_db, tmp_path, "examenpc")
    try:
        receive_package(pc, clock, send_package(store, clock, [sid], tmp_path / "pakket"))
        from tests.exchange_support import run_first_half

        run = run_first_half(pc, clock, sid, ids)
        clock.set(10, 0)
        incident = run.log_incident(IncidentInput("FRAUDE_KANDIDAAT", candidate_ids=(ids[0],),
                                                  what_happened="Telefoon onder de tafel")).id
        from tests.exchange_support import send_record

        office = ExchangeService(context(store, "bureau", clock))
        clock.set(10, 30)
        office.import_file(send_record(pc, store, clock, [sid], tmp_path / "verslag-1"))   # its key pinned first
        _decide(store, clock, incident, [ids[0]])
        clock.set(10, 40)
        run.void(incident, "Toch geen telefoon")          # on the exam PC nothing is known of the decision
        second = ExchangeService(context(pc, "surveillant", clock)).export_record([sid], tmp_path / "verslag-2").path
        before, rows = _events(store, sid), desk_rows(store)
        with pytest.raises(ExchangeRefused, match=OWNED):
            office.import_file(second)
        assert _events(store, sid) == before and desk_rows(store) == rows
        assert desk(store, clock).get(incident).status == "besloten"
    finally:
        pc.close()
