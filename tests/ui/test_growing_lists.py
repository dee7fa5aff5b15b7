"""Issue 10: lists that grow with the years are searched, not loaded into a combo box. On a database
with hundreds of sessions with incidents, no list box holds more than a screenful, and the session
and subject pickers find any session by what the user types."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox
from session_support import Clock

from examdesk.data import sessions as session_data
from examdesk.data.users import by_username
from examdesk.domain.clock import AMSTERDAM
from examdesk.domain.clock import today as amsterdam_today  # the app's day, not the machine's (UTC in CI)
from examdesk.domain.sessions import IncidentInput, PlanDraft, SessionFilter
from examdesk.services.context import AppContext
from examdesk.services.navigation import ReportsTarget, ScreenKey, SessionsTarget
from examdesk.services.session_mode import SessionModeService
from examdesk.services.sessions import SessionService
from examdesk.ui.main_window import MainWindow

SESSIONS = 240
FIRST_DAY = amsterdam_today() + timedelta(days=40)


@pytest.fixture
def many_sessions(store) -> list[tuple[str, date]]:
    """SESSIONS sessions on consecutive days, each with one incident: years of a small school."""
    clock = Clock(datetime.combine(FIRST_DAY, time(8, 0), tzinfo=AMSTERDAM))
    bureau = AppContext(store, by_username(store, "bureau"), clock=clock)
    surveillant = by_username(store, "surveillant")
    room = session_data.rooms(store)[0]
    candidate = session_data.search_candidates(store)[0]
    made = []
    for n in range(SESSIONS):
        day = FIRST_DAY + timedelta(days=n)
        clock.at = datetime.combine(day, time(8, 0), tzinfo=AMSTERDAM)
        planner = SessionService(bureau)
        draft = PlanDraft(
            exam_kind="centraal", session_date=day, start=time(9, 0), duration_minutes=60, room_id=room.id,
            late_limit_minutes=30, central_exam="Ned2F", variant=f"G{n:03d}", period="groei",
            invigilator_ids=(surveillant.id,), candidates=((candidate.id, None),))
        plan = planner.plan(draft, confirmed=planner.check_plan(draft))
        clock.at = datetime.combine(day, time(9, 0), tzinfo=AMSTERDAM)
        runner = SessionModeService(AppContext(store, surveillant, clock=clock), plan.id)
        runner.record_receipt(surveillant.full_name, True)
        runner.mark_present([candidate.id])
        runner.start()
        clock.at += timedelta(minutes=5)
        runner.log_incident(IncidentInput("ONWEL", clock.at, (candidate.id,), what_happened="Duizelig."))
        made.append((plan.id, day))
    return made


def _window(qtbot, store) -> MainWindow:
    window = MainWindow(AppContext(store, by_username(store, "commissie")))
    qtbot.addWidget(window)
    window.resize(1500, 900)
    window.show()
    return window


def test_no_list_box_holds_a_growing_list(qtbot, store, many_sessions):
    window = _window(qtbot, store)
    for spec in window.specs:
        screen = window.show_screen(spec.key)
        for combo in screen.findChildren(QComboBox):
            assert combo.count() <= 50, f"{spec.key}: a list box with {combo.count()} items"


def test_the_session_filter_finds_a_session_by_its_typed_date(qtbot, store, many_sessions):
    screen = _window(qtbot, store).show_screen(ScreenKey.INCIDENTS)
    session_id, day = many_sessions[123]
    picker = screen.filters.session
    picker.setFocus()
    qtbot.keyClicks(picker, day.strftime("%d-%m-%Y"))
    qtbot.waitUntil(lambda: bool(picker.matches()), timeout=3000)
    assert [m[0] for m in picker.matches()] == [session_id]
    qtbot.keyClick(picker, Qt.Key.Key_Return)                      # Enter picks the match, in the field
    assert picker.value() == session_id and "variant G123" in picker.text()
    assert screen.model.total == 1
    picker.clear()                                                 # the clear button: every session again
    picker.textEdited.emit("")
    qtbot.waitUntil(lambda: not screen.counting, timeout=5000)    # counted on a thread of its own (issue 16)
    assert picker.value() is None and screen.model.total > SESSIONS


def test_a_search_for_a_common_word_fetches_one_page_not_everything(qtbot, store, many_sessions):
    screen = _window(qtbot, store).show_screen(ScreenKey.REPORTS)
    screen.apply_filter(ReportsTarget("procesverbaal"))
    assert screen.subject.value() is not None                      # the likeliest session is chosen already
    found = screen.subject.search("Nederlands 2F")
    assert len(found) == 50
    session_id, _day = many_sessions[7]
    assert [s for s, _ in screen.subject.search("variant G007")] == [session_id]


def test_afnames_builds_a_page_of_sessions_at_a_time_and_still_shows_and_finds_every_one(qtbot, store, many_sessions):
    """Issue 16: a key in Afnames' search reads the matching sessions' ids and builds whole plans (invigilators,
    counts, the instrument's flag) a page at a time as the list scrolls — in the order of the whole list."""
    screen = _window(qtbot, store).show_screen(ScreenKey.SESSIONS)
    commission = AppContext(store, by_username(store, "commissie"))
    everything = [p.id for p in SessionService(commission).list(SessionFilter())]
    assert len(everything) > screen.model.PAGE
    assert screen.model.total == len(everything)
    assert len(screen.model.rows) < len(everything)              # not every session built on opening
    while screen.model.canFetchMore():
        screen.model.fetchMore()                                 # what scrolling to the end does
    assert [p.id for p in screen.model.rows] == everything
    assert screen.model.rows[-1].invigilators and screen.model.rows[-1].candidate_count == 1

    screen.search.setText("G239")                                # the last one planned, by its variant
    assert [p.id for p in screen.model.rows] == [many_sessions[-1][0]]
    screen.search.setText("")
    last_id = many_sessions[-1][0]
    screen.refresh()
    screen.apply_filter(SessionsTarget(session_id=last_id))      # an Overzicht link to a session far down
    assert screen.current() is not None and screen.current().id == last_id
