"""A draft keeps its own time: the incident time the invigilator typed survives a crash, and session
mode and the Afnames screen say "concept wacht" while a draft is waiting."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from examdesk.data.institution import set_setting
from examdesk.services.navigation import SessionDates, SessionsTarget
from examdesk.services.settings import SESSION_LOCK_MINUTES
from examdesk.ui.session_mode.window import SessionModeWindow
from examdesk.ui.sessions.screen import SessionsScreen
from tests.dialog_support import answer_next_question
from tests.session_support import Clock, at, context, plan_session
from tests.ui.test_session_mode_ui import key, open_window, type_text, wait_dialog


@pytest.fixture
def clock() -> Clock:
    return Clock(at(10, 15))


def test_a_restored_draft_keeps_the_time_that_was_typed(qtbot, store, clock):
    set_setting(store, SESSION_LOCK_MINUTES.key, "240")
    sid, ids = plan_session(store, clock, count=2)
    window = open_window(qtbot, store, clock, sid)
    assert "concept wacht" not in window.steps.text()
    key(qtbot, Qt.Key.Key_F2)
    dialog = wait_dialog(qtbot, window)
    type_text(qtbot, "onwel")
    for _ in range(2):                                # from the search field back past Duur to the time
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Backtab)
    assert QApplication.focusWidget() is dialog.time
    qtbot.waitUntil(lambda: dialog.time.selectedText() == "10:15")   # selected on arrival: digits replace it
    type_text(qtbot, "1012")
    assert dialog.time.text() == "10:12"
    dialog.happened.setPlainText("Werd onwel bij de deur")
    qtbot.waitUntil(lambda: (window.service.draft() or {}).get("what_happened") == "Werd onwel bij de deur",
                    timeout=3000)

    # the crash: the window and its form are dropped without closing; ExamDesk starts again 25 minutes later
    dialog.done = lambda _r: None
    window.timer.stop()
    clock.set(10, 40)
    again = SessionModeWindow(context(store, "surveillant", clock), sid)
    qtbot.addWidget(again)
    assert "concept wacht (F2)" in again.steps.text()
    again.actions.incident()
    restored = again.dialog
    assert restored.time.text() == "10:12" and restored.time.value() == at(10, 12)
    assert restored.current_code() == "ONWEL"
    asked = answer_next_question("Weggooien")
    restored.reject()
    assert asked
    assert window.service.draft() is None
    qtbot.waitUntil(lambda: "concept wacht" not in again.steps.text())


def test_the_afnames_screen_says_concept_wacht_beside_the_session(qtbot, store, clock):
    sid, ids = plan_session(store, clock, count=2)
    ctx = context(store, "surveillant", clock)
    screen = SessionsScreen(ctx)
    qtbot.addWidget(screen)
    screen.apply_filter(SessionsTarget(SessionDates.ALL, session_id=sid))
    row = next(n for n, p in enumerate(screen.model.rows) if p.id == sid)
    assert "concept wacht" not in screen.model.data(screen.model.index(row, 2))

    from examdesk.services.session_mode import SessionModeService
    SessionModeService(ctx, sid).save_draft({"category": "ONWEL", "what_happened": "half getypt"})
    screen.apply_filter(SessionsTarget(SessionDates.ALL, session_id=sid))
    row = next(n for n, p in enumerate(screen.model.rows) if p.id == sid)
    assert screen.model.data(screen.model.index(row, 2)) == "gepland · concept wacht"
    assert "Concept wacht: een incidentformulier is niet opgeslagen" in screen.detail.text()
