"""The Afnames list's sessions, a page at a time (issue 16): each key reads the matching sessions' ids (up
to 1,000, in the order the list shows) and whole plans — invigilators, counts, the instrument's flag, the
times a session actually ran — are built only for the pages the list fetches as it scrolls."""

from __future__ import annotations

from datetime import datetime

from examdesk.domain.errors import ExamDeskError
from examdesk.domain.sessions import SessionPlan
from examdesk.services.sessions import RanTimes, SessionService


class SessionPages:
    def __init__(self, sessions: SessionService):
        self.sessions = sessions
        self.ids: list[str] = []
        self.flags: dict[str, str] = {}            # of the sessions built so far
        self._built: dict[str, SessionPlan] = {}
        self._ran: dict[str, RanTimes] = {}

    def reset(self, listed: list[tuple[str, str]], flagged_only: bool) -> list[tuple[str, str]]:
        """A new list of (id, status); with `flagged_only`, the flags of every match are needed, so all are
        built at once (the list is short) and only the flagged ones kept. Returns the list as it now is."""
        self.flags, self._built, self._ran = {}, {}, {}
        if flagged_only:
            plans = self.build([i for i, _status in listed])
            listed = [(p.id, p.status) for p in plans if p.id in self.flags]
        self.ids = [i for i, _status in listed]
        return listed

    def build(self, ids: list[str]) -> list[SessionPlan]:
        """Whole plans of these sessions, with their instrument flags and (read when shown) actual times."""
        try:
            plans = self.sessions.plans(ids)
        except ExamDeskError:      # the account was closed meanwhile: the next action says why
            return []
        try:
            self.flags.update(self.sessions.instrument_flags(plans))
        except ExamDeskError:
            pass
        times = RanTimes(self.sessions, plans)
        for p in plans:
            self._built[p.id] = p
            self._ran[p.id] = times
        return plans

    def page(self, offset: int, limit: int) -> list[SessionPlan]:
        ids = self.ids[offset:offset + limit]
        self.build([i for i in ids if i not in self._built])
        return [self._built[i] for i in ids if i in self._built]

    def ran(self, session_id: str) -> tuple[datetime, datetime | None] | None:
        """Actual start and end once it ran (read for a chunk of rows when one of them is shown)."""
        times = self._ran.get(session_id)
        return times.get(session_id) if times is not None else None
