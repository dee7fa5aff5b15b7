"""Helpers for the incident desk tests: a running session of either kind with incidents logged in it."""

from __future__ import annotations

from datetime import date, time

from examdesk.data.db import Store
from examdesk.domain.candidates import Candidate
from examdesk.domain.casework import SecondLogin
from examdesk.domain.errors import ExamDeskError
from examdesk.domain.sessions import IncidentInput, PlanDraft
from examdesk.services.candidates import CandidateService
from examdesk.services.incident_desk import IncidentDeskService
from examdesk.services.instruments import check_on, choices
from examdesk.services.session_mode import SessionModeService
from examdesk.services.sessions import LocationService
from tests.session_support import DAY, Clock, context, plan_for_surveillant

# A sanction (a measure of point 8) is confirmed by a second commission member with their own login (issue 13).
SECOND = (SecondLogin("h.jansen", "demo"),)
UNHEARD = "De kandidaat was onbereikbaar; de termijn voor het besluit liet geen uitstel toe."

DESK_TABLES = ("incident_triage", "inspectie_reports", "inspectie_answers", "decisions", "decision_members",
               "resits", "resit_withdrawals", "incident_closures", "audit_log")


def desk_rows(store: Store) -> dict[str, int]:
    """Row counts of the desk's record and the audit log: 'nothing saved' means these do not move."""
    return {t: store.query_one(f"SELECT count(*) FROM {t}")[0] for t in DESK_TABLES}


def plan(store: Store, clock: Clock, kind: str, count: int = 4, births: list[date] | None = None,
         tag: str = "") -> tuple[str, list[int]]:
    """A session on DAY 09:00–11:00 in a fresh room with fresh candidates (born 2008 unless given)."""
    bureau = context(store, "bureau", clock)
    places = LocationService(bureau)
    location = places.save_location(None, f"Desklocatie {kind} {tag}", "Teststraat 2")
    room = places.save_room(None, location, "D1.01", 30)
    people = CandidateService(bureau)
    ids = []
    names = [("Anouk", "", "Jansen"), ("Loïs", "van den", "Berg"), ("Noël", "", "Daoudi"), ("Elif", "", "Şahin"),
             ("Łukasz", "", "Wójcik"), ("Thi Mai", "", "Nguyễn")]
    for n in range(count):
        first, prefix, last = names[n % len(names)]
        birth = births[n] if births and n < len(births) else date(2008, 1, 1)
        ids.append(people.save(Candidate(f"D{kind[0]}{tag}{n:03d}", last, prefix, first, birth, "25480",
                                         "2025")).id)
    instrument = None
    if kind == "instelling":
        for instrument_id, _label in choices(bureau):
            try:
                check_on(bureau, instrument_id, DAY)
            except ExamDeskError:
                continue
            try:
                instrument = instrument_id
                return _plan(store, bureau, kind, room, ids, instrument)
            except ExamDeskError:
                continue
        raise AssertionError("no instrument in the demo register can be planned on DAY")
    return _plan(store, bureau, kind, room, ids, instrument)


def _plan(store, bureau, kind, room, ids, instrument):
    draft = PlanDraft(
        exam_kind=kind, session_date=DAY, start=time(9, 0), duration_minutes=120, room_id=room,
        late_limit_minutes=30, central_exam="Ned3F" if kind == "centraal" else None, instrument_id=instrument,
        variant="B", period="2026-2027 periode 2", invigilator_ids=(),
        candidates=tuple((i, None) for i in ids))
    return plan_for_surveillant(store, bureau, draft).id, ids


def running(store: Store, clock: Clock, kind: str = "centraal", count: int = 4, absent_last: bool = False,
            births: list[date] | None = None, tag: str = "") -> tuple[SessionModeService, list[int]]:
    """Planned, instruments received, candidates present, started at 09:00."""
    sid, ids = plan(store, clock, kind, count, births, tag)
    run = SessionModeService(context(store, "surveillant", clock), sid)
    clock.set(8, 40)
    run.record_receipt("Jan Bakker", True)
    clock.set(8, 55)
    run.mark_present(ids[:-1] if absent_last else ids)
    clock.set(9, 0)
    run.start()
    return run, ids


def log(run: SessionModeService, clock: Clock, category: str, ids: tuple[int, ...] = (), all_: bool = False,
        hh: int = 9, mm: int = 30, text: str = "Wat er gebeurde.") -> str:
    clock.set(hh, mm)
    return run.log_incident(IncidentInput(category, candidate_ids=ids, all_candidates=all_,
                                          what_happened=text, what_was_done="Opgevangen.")).id


def desk(store: Store, clock: Clock, username: str = "commissie") -> IncidentDeskService:
    return IncidentDeskService(context(store, username, clock))
