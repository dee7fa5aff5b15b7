"""Helpers for the session tests: a clock the test moves, and a planned session to run."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta

from examdesk.data import audit as audit_data
from examdesk.data import sessions as session_data
from examdesk.data import users as user_data
from examdesk.data.db import Store
from examdesk.data.users import by_username
from examdesk.domain.candidates import Candidate
from examdesk.domain.clock import AMSTERDAM
from examdesk.domain.roles import Role
from examdesk.domain.sessions import PlanDraft, SessionPlan
from examdesk.services.candidates import CandidateService
from examdesk.services.context import AppContext
from examdesk.services.sessions import LocationService, SessionService

DAY = date(2027, 3, 10)


class Clock:
    def __init__(self, at: datetime):
        self.at = at

    def __call__(self) -> datetime:
        return self.at

    def set(self, hh: int, mm: int, ss: int = 0) -> datetime:
        self.at = at(hh, mm, ss)
        return self.at

    def advance(self, **delta: float) -> datetime:
        self.at += timedelta(**delta)
        return self.at


def at(hh: int, mm: int, ss: int = 0, day: date = DAY) -> datetime:
    return datetime.combine(day, time(hh, mm, ss), tzinfo=AMSTERDAM)


def context(store: Store, username: str, clock: Clock) -> AppContext:
    return AppContext(store, by_username(store, username), clock=clock)


def plan_session(store: Store, clock: Clock, count: int = 5, kind: str = "centraal", workstations: int = 30,
                 names: list[tuple[str, str, str]] | None = None, extra: dict[int, int] | None = None,
                 start: time = time(9, 0), duration: int = 120, late_limit: int = 30,
                 invigilator: str = "surveillant") -> tuple[str, list[int]]:
    """A central session on DAY in a fresh room with `count` fresh candidates; returns (id, candidate ids)."""
    bureau = context(store, "bureau", clock)
    places = LocationService(bureau)
    location = places.save_location(None, f"Testlocatie {clock.at.timestamp()}", "Teststraat 1")
    room = places.save_room(None, location, "T1.01", workstations)
    people = CandidateService(bureau)
    ids = []
    names = names or [("Anouk", "", "Jansen"), ("Loïs", "van den", "Berg"), ("Noël", "", "Daoudi"),
                      ("Elif", "", "Şahin"), ("Łukasz", "", "Wójcik")]
    extra = extra or {}
    for n in range(count):
        first, prefix, last = names[n % len(names)]
        c = people.save(Candidate(f"T{clock.at.strftime('%H%M%S')}{n:03d}", last, prefix, first,
                                  date(2008, 1, 1), "25480", "2025", extra_minutes=extra.get(n, 0)))
        ids.append(c.id)
    draft = PlanDraft(
        exam_kind=kind, session_date=DAY, start=start, duration_minutes=duration, room_id=room,
        late_limit_minutes=late_limit, central_exam="Ned3F", variant="B", period="2026-2027 periode 2",
        invigilator_ids=(), candidates=tuple((i, None) for i in ids))
    plan = plan_for_surveillant(store, bureau, draft, invigilator)
    return plan.id, ids


def plan_for_surveillant(store: Store, bureau: AppContext, draft: PlanDraft, username: str = "surveillant"
                         ) -> SessionPlan:
    """Plans through the service (every check, warnings confirmed) with a throwaway invigilator, then
    hands the session to the demo account `username` in the data layer. Many tests run several
    sessions at the same time for that one test account, which planning rightly refuses (one
    invigilator cannot be in two overlapping sessions); the fixture steps around it on purpose."""
    stand_in = user_data.insert(store, f"invalkracht-{user_data.count_users(store) + 1}", "Invalkracht (test)", "!",
                                frozenset({Role.SURVEILLANT}), bureau.clock().isoformat())
    audit_data.append(store, None, "test", "gebruiker toegevoegd", "gebruiker", stand_in,   # as UserService.add does
                      {"rollen": [Role.SURVEILLANT.value], **audit_data.passwords_summary(store, {stand_in: "!"})})
    planner = SessionService(bureau)
    draft = replace(draft, invigilator_ids=(stand_in,))
    plan = planner.plan(draft, confirmed=planner.check_plan(draft))
    with store.transaction():
        session_data.set_invigilators(store, plan.id, (by_username(store, username).id,))
    return session_data.session(store, plan.id)
