"""Helpers for the session tests: a clock the test moves, and a planned session to run."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from examdesk.data.db import Store
from examdesk.data.users import by_username
from examdesk.domain.candidates import Candidate
from examdesk.domain.clock import AMSTERDAM
from examdesk.domain.sessions import PlanDraft
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
                 start: time = time(9, 0), duration: int = 120, late_limit: int = 30) -> tuple[str, list[int]]:
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
    surveillant = by_username(store, "surveillant")
    plan = SessionService(bureau).plan(PlanDraft(
        exam_kind=kind, session_date=DAY, start=start, duration_minutes=duration, room_id=room,
        late_limit_minutes=late_limit, central_exam="Ned3F", variant="B", period="2026-2027 periode 2",
        invigilator_ids=(surveillant.id,), candidates=tuple((i, None) for i in ids)))
    return plan.id, ids
