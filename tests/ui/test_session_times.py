"""A session that ran is listed with its actual start and end; one that has not started with its planned
times."""

from __future__ import annotations

from datetime import time

from examdesk.services.navigation import SessionDates, SessionsTarget
from examdesk.services.session_mode import SessionModeService
from examdesk.ui.sessions.screen import SessionsScreen
from tests.session_support import Clock, at, context, plan_session


def _times(screen, sid) -> str:
    screen.apply_filter(SessionsTarget(SessionDates.ALL, session_id=sid))
    row = next(n for n, p in enumerate(screen.model.rows) if p.id == sid)
    return screen.model.data(screen.model.index(row, 1))


def test_a_closed_session_shows_when_it_actually_ran(qtbot, store):
    clock = Clock(at(8, 30))
    sid, ids = plan_session(store, clock, count=2, start=time(9, 0), duration=120)
    ctx = context(store, "surveillant", clock)
    screen = SessionsScreen(ctx)
    qtbot.addWidget(screen)
    assert _times(screen, sid) == "09:00–11:00"                # planned, before it ran
    run = SessionModeService(ctx, sid)
    clock.set(9, 10)
    run.record_receipt("Jan Bakker", True, "", at(9, 10))
    run.mark_present(ids)
    clock.set(9, 17)
    run.start(at(9, 17))
    assert _times(screen, sid) == "09:17–…"                    # running
    clock.set(10, 48)
    run.close(at(10, 48))
    assert _times(screen, sid) == "09:17–10:48"
