"""The rules of a running session, folded from events: end times, late admission, disruptions."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from examdesk.domain.clock import AMSTERDAM, to_iso
from examdesk.domain.errors import ValidationError
from examdesk.domain.session_events import GENESIS_HASH, Event, Kind, event_hash, parse_payload, verify_chain
from examdesk.domain.sessions import (
    PlanDraft,
    RosterEntry,
    SessionPlan,
    assign_workstations,
    check_draft,
    duration_between,
    fold,
)

DAY = date(2026, 3, 12)


def t(hh: int, mm: int, ss: int = 0) -> datetime:
    return datetime.combine(DAY, time(hh, mm, ss), tzinfo=AMSTERDAM)


PLAN = SessionPlan(id="s1", exam_kind="centraal", title="Nederlands 3F", session_date=DAY, starts_at=t(9, 0),
                   duration_minutes=120, room_id=1, room_label="lokaal B2.14", late_limit_minutes=30,
                   central_exam="Ned3F", invigilators=((3, "Jan Bakker"),))
ROSTER = [
    RosterEntry(1, 1, "1001", "Anouk Jansen", "Jansen, Anouk", 0),
    RosterEntry(2, 2, "1002", "Loïs van den Berg", "Berg, Loïs van den", 30, ("vergroting",)),
    RosterEntry(3, 3, "1003", "Noël Daoudi", "Daoudi, Noël", 0),
    RosterEntry(4, 4, "1004", "Elif Şahin", "Şahin, Elif", 0),
]


class Chain:
    """Builds events the way the data layer does, hash chain included."""

    def __init__(self) -> None:
        self.events: list[Event] = []

    def add(self, kind: str, at: datetime, data: dict | None = None, corrects: str | None = None) -> Event:
        seq = len(self.events) + 1
        prev = self.events[-1].hash if self.events else GENESIS_HASH
        eid = f"e{seq}"
        data = data or {}
        digest = event_hash(prev, eid, "s1", seq, to_iso(at), to_iso(at), 3, "surveillant", kind, data, corrects)
        e = Event(eid, "s1", seq, to_iso(at), to_iso(at), 3, "surveillant", kind, parse_payload(kind, data), corrects,
                  prev, digest)
        self.events.append(e)
        return e

    def state(self, now: datetime):
        return fold(PLAN, ROSTER, self.events, now, {"ONWEL": "Kandidaat onwel geworden"}, {"ONWEL": "onwel"})


ROUTE = {"handler": "examencommissie", "handler_label": "examencommissie", "protocol_point": 6, "letter": None,
         "decision_to_inspectie": False, "serious": False, "note": ""}
SUMMARY = {"planned": 4, "took_part": 3, "absent": ["Noël Daoudi"], "late": [], "refused": [], "unwell": [],
           "left": [], "incidents": [], "disruptions": [], "facilities": [], "staff": ["Jan Bakker"],
           "started_at": "09:06", "ended_at": "11:06", "date": "12-03-2026"}
CLOSE = {"summary": SUMMARY, "staff": ["Jan Bakker"]}


def incident(**values) -> dict:
    """An incident's stored data as session mode writes it (an unwell candidate, point 6)."""
    return {"category": "ONWEL", "catalogue_version": "2026.1", "route": ROUTE, "all_candidates": False,
            "candidate_ids": [], "duration_minutes": None, "what_happened": "", "what_was_done": "", **values}


def started() -> Chain:
    c = Chain()
    c.add(Kind.RECEIPT, t(8, 40), {"received_by": "Jan Bakker", "intact": True, "remark": ""})
    c.add(Kind.PRESENT, t(8, 55), {"candidate_ids": [1, 2, 4], "identity_checked": True})
    c.add(Kind.START, t(9, 2))
    return c


def test_end_time_is_start_plus_duration_plus_extra_time():
    s = started().state(t(9, 30))
    by = {c.candidate_id: c for c in s.candidates}
    assert by[1].end_time == t(11, 2)
    assert by[2].end_time == t(11, 32)            # +30 min passend examineren
    assert by[3].end_time is None and by[3].status == "verwacht"
    assert s.step == "bezig"


def test_late_arrival_keeps_the_end_time_protocol_14():
    c = started()
    c.add(Kind.LATE, t(9, 20), {"candidate_id": 3, "admitted": True, "limit": to_iso(t(9, 32))})
    s = c.state(t(9, 30))
    late = s.candidate(3)
    assert late.status == "te_laat"
    assert late.status_label == "te laat binnen om 09:20"
    assert late.end_time == t(11, 2)


def test_refused_latecomer_has_no_end_time():
    c = started()
    c.add(Kind.LATE, t(9, 40), {"candidate_id": 3, "admitted": False, "limit": to_iso(t(9, 32))})
    s = c.state(t(9, 45))
    assert s.candidate(3).status == "geweigerd"
    assert s.candidate(3).end_time is None
    assert "geweigerd 09:40" in s.candidate(3).status_label


def test_pause_for_all_adds_lost_minutes_rounded_up_to_those_at_work():
    c = started()
    p = c.add(Kind.PAUSE, t(9, 47), {"candidate_ids": None, "reason": "storing platform"})
    c.add(Kind.RESUME, t(9, 54, 20), {"pause_id": p.id, "minutes": 8})
    s = c.state(t(10, 0))
    assert s.candidate(1).end_time == t(11, 10)        # 7 min 20 s → 8 minutes
    assert s.candidate(2).end_time == t(11, 40)
    assert s.candidate(1).disruption_minutes == 8
    assert s.candidate(3).end_time is None             # not there at the pause
    assert not s.open_pauses


def test_pause_for_selected_candidates_only_and_an_open_pause_keeps_moving():
    c = started()
    c.add(Kind.PAUSE, t(10, 0), {"candidate_ids": [4], "reason": "werkplek vastgelopen"})
    s = c.state(t(10, 5))
    assert s.candidate(4).paused and s.candidate(4).status_label == "gepauzeerd"
    assert s.candidate(4).end_time == t(11, 7)
    assert c.state(t(10, 9)).candidate(4).end_time == t(11, 11)
    assert s.candidate(1).end_time == t(11, 2)


def test_unwell_incident_sets_status_and_a_correction_replaces_without_overwriting():
    c = started()
    e = c.add(Kind.INCIDENT, t(10, 12), incident(candidate_ids=[4], what_happened="misselijk"))
    assert c.state(t(10, 20)).candidate(4).status == "onwel"
    c.add(Kind.INCIDENT, t(10, 12), incident(candidate_ids=[1], what_happened="andere kandidaat"), corrects=e.id)
    s = c.state(t(10, 20))
    assert s.candidate(4).status == "aanwezig" and s.candidate(1).status == "onwel"
    line = next(line for line in s.log if line.event_id == e.id)
    assert line.corrected and "Anouk Jansen" in line.text
    assert len(s.incidents) == 1


def test_void_withdraws_the_start_and_reopen_follows_close():
    c = started()
    start = c.events[-1]
    c.add(Kind.VOID, t(9, 5), {"reason": "te vroeg gestart"}, corrects=start.id)
    s = c.state(t(9, 6))
    assert s.started_at is None and s.step == "aanwezigheid"
    assert next(line for line in s.log if line.event_id == start.id).voided
    c.add(Kind.START, t(9, 6))
    c.add(Kind.END, t(11, 6))
    c.add(Kind.CLOSE, t(11, 40), CLOSE)
    assert c.state(t(12, 0)).closed
    c.add(Kind.REOPEN, t(12, 5), {"reason": "controle"})
    assert not c.state(t(12, 6)).closed


def test_end_time_decision_by_the_commission_moves_one_end_time():
    c = started()
    c.add(Kind.LATE, t(9, 20), {"candidate_id": 3, "admitted": True, "limit": to_iso(t(9, 32))})
    c.add(Kind.END_TIME_DECISION, t(9, 25), {"candidate_id": 3, "minutes": 18, "reason": "trein"})
    assert c.state(t(9, 30)).candidate(3).end_time == t(11, 20)


def test_hash_chain_detects_a_changed_and_a_missing_event():
    c = started()
    assert verify_chain(c.events).ok
    tampered = list(c.events)
    e = tampered[1]
    tampered[1] = Event(e.id, e.session_id, e.seq, e.occurred_at, e.recorded_at, e.user_id, e.username, e.kind,
                        parse_payload(e.kind, {"candidate_ids": [1], "identity_checked": True}), e.corrects,
                        e.prev_hash, e.hash)
    check = verify_chain(tampered)
    assert not check.ok and check.broken_seq == 2
    assert not verify_chain([c.events[0], c.events[2]]).ok


def test_planning_rules():
    assert duration_between(time(9, 0), time(11, 30)) == 150
    with pytest.raises(ValidationError, match="eindtijd 08:00 ligt niet na de begintijd 09:00"):
        duration_between(time(9, 0), time(8, 0))
    base = PlanDraft("centraal", DAY, time(9, 0), 120, 1, 30, central_exam="Ned3F", period="periode 2",
                     invigilator_ids=(3,))
    assert check_draft(base).central_exam == "Ned3F"
    for bad, text in [
        (dict(late_limit_minutes=31), "hoogstens 30 minuten"),
        (dict(central_exam=None), "Kies het centrale examen"),
        (dict(period=""), "afnameperiode"),
        (dict(invigilator_ids=()), "surveillant"),
        (dict(start=time(23, 0)), "na middernacht"),
        (dict(exam_kind="instelling", central_exam=None), "exameninstrument"),
    ]:
        with pytest.raises(ValidationError, match=text):
            check_draft(PlanDraft(**{**base.__dict__, **bad}))


def test_workstations_assigned_automatically_kept_when_given_refused_when_double():
    names = {1: "A", 2: "B", 3: "C"}
    assert assign_workstations([(1, None), (2, 1), (3, None)], 10, "lokaal X", names) == {2: 1, 1: 2, 3: 3}
    with pytest.raises(ValidationError, match="Werkplek 4 is twee keer gebruikt \\(A en B\\)"):
        assign_workstations([(1, 4), (2, 4)], 10, "lokaal X", names)
    with pytest.raises(ValidationError, match="werkplek 12"):
        assign_workstations([(1, 12)], 10, "lokaal X", names)
    with pytest.raises(ValidationError, match="passen niet"):
        assign_workstations([(1, None), (2, None), (3, None)], 2, "lokaal X", names)
