"""The incident's state in one pure function: status, who handles it, what is still to be reported, and
who is involved — the rules the desk's list, the documents and the reports all read from the index."""

from __future__ import annotations

from datetime import date

import pytest

from examdesk.domain.catalogue import HandlingRoute
from examdesk.domain.incident_state import (
    AnswerFact,
    DeskFacts,
    ReportFact,
    TriageFact,
    incident_chains,
    project,
)
from examdesk.domain.session_events import Event, IncidentPayload, VoidPayload
from examdesk.domain.session_state import CandidateStatus

COMMISSION = HandlingRoute("examencommissie", "examencommissie", 8, "a", False, False)
INSPECTIE = HandlingRoute("inspectie", "melden bij de Inspectie", 9, "b", False, False)
POINT_7 = HandlingRoute("examencommissie", "examencommissie", 7, None, True, False)


def _incident(route: HandlingRoute = COMMISSION, ids: tuple[int, ...] = (1,), everyone: bool = False) -> IncidentPayload:
    return IncidentPayload("X", "2026.1", route, everyone, () if everyone else ids, None, "iets")


def _event(eid: str, seq: int, payload, corrects: str | None = None) -> Event:
    return Event(eid, "s1", seq, "2027-03-10T09:30:00+01:00", "2027-03-10T09:30:00+01:00", 1, "surveillant",
                 payload.kind, payload, corrects, "0" * 64, "0" * 64)


NOTHING = DeskFacts()


def _state(desk: DeskFacts = NOTHING, route: HandlingRoute = COMMISSION, exam_kind: str = "centraal",
           everyone: bool = False, statuses=None):
    chain = incident_chains([_event("i1", 1, _incident(route, everyone=everyone))])["i1"]
    return project(chain, exam_kind, [1, 2, 3], statuses or {}, desk)


@pytest.mark.parametrize(("desk", "status"), [
    (DeskFacts(), "open"),
    (DeskFacts(triage=(TriageFact("twijfelgeval", None, None),)), "in behandeling"),
    (DeskFacts(decisions=((1, True, True),)), "besloten"),
    (DeskFacts(decisions=((1, False, True), (1, True, True))), "besloten"),
    (DeskFacts(reports=(ReportFact(1, "melding", date(2027, 3, 11)),)), "gemeld bij Inspectie"),
    (DeskFacts(reports=(ReportFact(1, "melding", date(2027, 3, 11)),),
               answers=(AnswerFact(1, 1, "opnieuw_afnemen"),)), "besloten"),
    (DeskFacts(decisions=((1, True, True),), closures=("afgesloten",)), "afgesloten"),
    (DeskFacts(decisions=((1, True, True),), closures=("afgesloten", "heropend")), "besloten"),
])
def test_status(desk, status):
    assert _state(desk).status == status


def test_an_incident_for_the_inspectie_is_to_report_until_reported():
    assert _state(route=INSPECTIE).to_report
    reported = DeskFacts(reports=(ReportFact(1, "melding", date(2027, 3, 11)),))
    assert not _state(reported, route=INSPECTIE).to_report
    assert not _state(route=INSPECTIE, exam_kind="instelling").to_report      # the form is for central exams


def test_a_point_7_decision_goes_to_the_inspectie_once_it_takes_the_measure():
    assert not _state(route=POINT_7).to_report
    decided = DeskFacts(decisions=((1, True, True),))
    assert _state(decided, route=POINT_7).to_report and _state(decided, route=POINT_7).measure_count == 1
    no_measure = DeskFacts(decisions=((1, True, False),))
    assert not _state(no_measure, route=POINT_7).to_report
    assert _state(DeskFacts(decisions=((1, False, True), (1, True, False))), route=POINT_7).measure_count == 0
    reported = DeskFacts(decisions=((1, True, True),), reports=(ReportFact(1, "besluit", date(2027, 3, 12)),))
    assert not _state(reported, route=POINT_7).to_report


def test_a_recorded_category_keeps_its_code_and_takes_the_reviewed_catalogues_route():
    """Noise was recorded under catalogue 2026.1 as point 7 (decision to the Inspectie); catalogue 2026.2 reads
    examenprotocol 11c: a bijzonderheid. The incident keeps its code and its stored route; its state follows
    the catalogue on re-projection."""
    old = IncidentPayload("GELUIDSOVERLAST", "2026.1", POINT_7, True, (), 10, "boormachine")
    chain = incident_chains([_event("i1", 1, old)])["i1"]
    s = project(chain, "centraal", [1, 2, 3], {}, DeskFacts())
    assert s.category == "GELUIDSOVERLAST" and s.recorded_route == POINT_7
    assert s.route.handler == "procesverbaal" and s.status == "bijzonderheid" and not s.to_report


def test_who_handles_it_after_triage():
    doubtful = DeskFacts(triage=(TriageFact("twijfelgeval", None, None),))
    assert _state(doubtful).effective_handler == "inspectie" and _state(doubtful).to_report
    referred = DeskFacts(triage=doubtful.triage, reports=(ReportFact(1, "twijfelgeval", date(2027, 3, 11)),),
                         answers=(AnswerFact(1, 1, "terugverwezen"),))
    assert _state(referred).effective_handler == "examencommissie"
    reclassified = _state(DeskFacts(triage=(TriageFact("herclassificatie", "LEK", INSPECTIE),)))
    assert (reclassified.category, reclassified.route.handler, reclassified.reclassified) == ("LEK", "inspectie", True)
    assert reclassified.recorded_route == COMMISSION


def test_all_candidates_means_everyone_not_recorded_absent_or_refused():
    statuses = {1: CandidateStatus.AANWEZIG, 2: CandidateStatus.AFWEZIG, 3: CandidateStatus.GEWEIGERD}
    assert _state(everyone=True, statuses=statuses).involved == (1,)
    assert _state(everyone=True).involved == (1, 2, 3)                     # still expected: not excluded
    s = _state(DeskFacts(decisions=((1, True, True),)), everyone=True, statuses=statuses)
    assert s.undecided == 0 and s.status == "besloten"


def test_the_chain_follows_corrections_and_a_void():
    first = _event("i1", 1, _incident(ids=(1,)))
    fixed = _event("i2", 2, _incident(ids=(2,)), corrects="i1")
    chains = incident_chains([first, fixed])
    assert chains["i1"].current.id == "i2" and not chains["i1"].voided
    voided = incident_chains([first, fixed, _event("v", 3, VoidPayload("vergissing"), corrects="i1")])
    assert voided["i1"].voided
    assert project(chains["i1"], "centraal", [1, 2], {}, DeskFacts()).involved == (2,)
