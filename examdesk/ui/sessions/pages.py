"""The Afnames list's sessions, a page at a time (issue 16): each key reads the matching sessions' ids (up
to 1,000, in the order the list shows) and whole plans — invigilators, counts, the instrument's flag, the
times a session actually ran — are built only for the pages the list fetches as it scrolls."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from PySide6.QtWidgets import QTableView

from examdesk.domain.errors import ExamDeskError
from examdesk.domain.sessions import SessionPlan
from examdesk.services.sessions import RanTimes, SessionService
from examdesk.ui.common import header_width


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


def keep_each_name(table: QTableView, plans: Sequence[SessionPlan]) -> None:
    """Two or three surveillants on a row would leave the exam (the stretching column) a few letters: their
    column, sized to the rows in view, then keeps each whole name (the widest in view) and the exam some twenty
    letters; the row's tooltip has every name. Reads the plans in view only, never the whole list."""
    model = table.model()
    others = sum(table.columnWidth(c) for c in range(model.columnCount()) if c not in (3, 7))
    room = table.viewport().width() - others - 20 * table.fontMetrics().averageCharWidth()
    if table.columnWidth(7) <= room:
        return
    first, last = table.rowAt(0), table.rowAt(table.viewport().height() - 1)
    shown = plans[max(first, 0):(len(plans) if last < 0 else last + 1)]
    metrics = table.fontMetrics()
    name = max((metrics.horizontalAdvance(name) for plan in shown for _, name in plan.invigilators), default=0)
    table.setColumnWidth(7, max(room, name + 8, header_width(table, 7)))
