"""Session mode with the keyboard alone: receipt → attendance → start → late arrival → disruption →
incident → end → closing, then the lock. No mouse anywhere."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from examdesk.data.institution import set_setting
from examdesk.domain.session_events import Kind
from examdesk.services.settings import SESSION_LOCK_MINUTES
from examdesk.ui.session_mode.window import SessionModeWindow
from tests.dialog_support import answer_next_question
from tests.session_support import Clock, at, context, plan_session


@pytest.fixture
def clock() -> Clock:
    return Clock(at(8, 30))


WINDOW: list = []


def key(qtbot, key, modifier=Qt.KeyboardModifier.NoModifier):
    """A key press where the focus is, as a user's keyboard would send it."""
    target = QApplication.focusWidget() or QApplication.activeWindow() or WINDOW[-1].table
    qtbot.keyClick(target, key, modifier)


def type_text(qtbot, text: str):
    qtbot.keyClicks(QApplication.focusWidget(), text)


def open_window(qtbot, store, clock, sid) -> SessionModeWindow:
    window = SessionModeWindow(context(store, "surveillant", clock), sid)
    qtbot.addWidget(window)
    window.resize(1600, 1000)
    window.show()
    window.activateWindow()
    qtbot.waitActive(window)
    WINDOW.append(window)
    return window


def wait_dialog(qtbot, window):
    qtbot.waitUntil(lambda: window.dialog is not None and window.dialog.isVisible()
                    and window.dialog.isAncestorOf(QApplication.focusWidget()), timeout=3000)
    return window.dialog


def enter(qtbot, window):
    key(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.dialog is None, timeout=3000)


def test_a_whole_session_with_the_keyboard_alone(qtbot, store, clock):
    set_setting(store, SESSION_LOCK_MINUTES.key, "240")   # the test jumps the clock by hours
    sid, ids = plan_session(store, clock, count=5, extra={1: 30})
    window = open_window(qtbot, store, clock, sid)
    assert window.state.step == "ontvangst"

    clock.set(8, 40)
    key(qtbot, Qt.Key.Key_F6)                                   # receipt of the instruments
    dialog = wait_dialog(qtbot, window)
    assert dialog.windowTitle() == "Ontvangst exameninstrumenten"
    enter(qtbot, window)
    assert window.state.receipt.received_by == "Jan Bakker"
    assert window.saved.text() == "opgeslagen 08:40:00"

    clock.set(8, 55)                                            # attendance: row 1 is selected; Space
    for _ in range(3):
        key(qtbot, Qt.Key.Key_Space)                            # marks it and moves to the next expected
    assert [c.status for c in window.state.candidates[:3]] == ["aanwezig"] * 3

    key(qtbot, Qt.Key.Key_Down)                                 # pc 05: absent, reason "zonder geldige reden"
    key(qtbot, Qt.Key.Key_F4)
    wait_dialog(qtbot, window)
    key(qtbot, Qt.Key.Key_Tab)
    key(qtbot, Qt.Key.Key_Down)
    key(qtbot, Qt.Key.Key_Down)
    enter(qtbot, window)
    assert window.state.candidates[4].status == "afwezig"

    clock.set(9, 2)                                             # start
    key(qtbot, Qt.Key.Key_F6)
    assert wait_dialog(qtbot, window).windowTitle() == "Start van de afname"
    enter(qtbot, window)
    assert window.state.started_at == at(9, 2)
    ends = {c.entry.workstation: window.model.data(window.model.index(i, 3))
            for i, c in enumerate(window.state.candidates)}
    assert ends[1] == "11:02" and ends[2] == "11:32"

    clock.set(9, 20)                                            # pc 04 arrives late: F3, type 4, Enter
    key(qtbot, Qt.Key.Key_F3)
    wait_dialog(qtbot, window)
    key(qtbot, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    type_text(qtbot, "4")
    enter(qtbot, window)
    assert window.state.candidates[3].status_label == "te laat binnen om 09:20"
    assert "eindtijd blijft gelijk" in window.message.text()

    clock.set(9, 47)                                            # disruption for everyone
    key(qtbot, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)   # (one selected would default to that one)
    key(qtbot, Qt.Key.Key_F5)
    wait_dialog(qtbot, window)
    type_text(qtbot, "Storing platform")
    enter(qtbot, window)
    clock.set(9, 55)
    window.tick()
    assert window.model.data(window.model.index(0, 3)) == "11:10 ▸"    # end time moves while paused
    key(qtbot, Qt.Key.Key_F5)
    wait_dialog(qtbot, window)
    enter(qtbot, window)
    assert window.state.candidate(ids[0]).end_time == at(11, 10)

    clock.set(10, 12)                                           # incident: pc 03 unwell
    key(qtbot, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    key(qtbot, Qt.Key.Key_Down)
    key(qtbot, Qt.Key.Key_Down)
    assert window.selected_ids() == [ids[2]]
    key(qtbot, Qt.Key.Key_F2)
    dialog = wait_dialog(qtbot, window)
    type_text(qtbot, "onwel")
    assert dialog.current_code() == "ONWEL"
    assert dialog.route.text() == "→ examencommissie (protocol 6)"
    for _ in range(4):                          # reading order: filter → list → alle → kandidaten → wat gebeurde er
        key(qtbot, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.happened
    type_text(qtbot, "Werd misselijk en verliet het lokaal")
    enter(qtbot, window)
    assert window.state.candidate(ids[2]).status == "onwel"
    incident = [e for e in window.service.events() if e.kind == Kind.INCIDENT][0]
    assert incident.payload.candidate_ids == (ids[2],)
    assert incident.payload.what_happened == "Werd misselijk en verliet het lokaal"
    assert window.service.draft() is None

    clock.set(11, 40)                                           # end, then close
    key(qtbot, Qt.Key.Key_F6)
    assert wait_dialog(qtbot, window).windowTitle() == "Einde van de afname"
    enter(qtbot, window)
    clock.set(11, 45)
    key(qtbot, Qt.Key.Key_F10)
    dialog = wait_dialog(qtbot, window)
    assert "Te laat: Elif Şahin (09:20)" in dialog.findChild(type(dialog.form.itemAt(0).widget())).toPlainText()
    enter(qtbot, window)
    assert window.state.closed
    assert "[AFSLUITEN ✓]" in window.steps.text()
    ok, _ = window.service.verify()
    assert ok


def test_escape_cancels_and_a_refused_input_keeps_the_form_open(qtbot, store, clock):
    sid, ids = plan_session(store, clock, count=2)
    window = open_window(qtbot, store, clock, sid)
    key(qtbot, Qt.Key.Key_F2)
    dialog = wait_dialog(qtbot, window)
    type_text(qtbot, "stroom")
    key(qtbot, Qt.Key.Key_Return)                               # no description: refused, form stays
    assert dialog.isVisible() and "Beschrijf kort" in dialog.error.text()
    asked = answer_next_question("Terug naar het formulier")
    key(qtbot, Qt.Key.Key_Escape)                               # something typed: asked first, and kept
    assert asked and "nog niet is opgeslagen" in asked[0]
    assert dialog.isVisible() and dialog.filter.text() == "stroom"
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.filter)   # back in the field, as it was
    asked = answer_next_question("Weggooien")
    key(qtbot, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.dialog is None)
    assert asked and window.service.events() == [] and window.service.draft() is None


def test_draft_is_kept_while_typing_and_restored_after_a_crash(qtbot, store, clock):
    sid, ids = plan_session(store, clock, count=2)
    window = open_window(qtbot, store, clock, sid)
    key(qtbot, Qt.Key.Key_F2)
    dialog = wait_dialog(qtbot, window)
    dialog.happened.setPlainText("Kandidaat op pc 02 heeft een")
    qtbot.waitUntil(lambda: window.service.draft() is not None, timeout=3000)
    assert window.service.draft()["what_happened"] == "Kandidaat op pc 02 heeft een"
    # a crash: the window is gone without closing the form; a new one finds the draft
    dialog.done = lambda _r: None
    window.timer.stop()
    again = SessionModeWindow(context(store, "surveillant", clock), sid)
    qtbot.addWidget(again)
    again.actions.incident()
    assert again.dialog.happened.toPlainText() == "Kandidaat op pc 02 heeft een"
    assert "Concept hersteld" in again.dialog.error.text()


def test_lock_hides_names_keeps_end_times_and_opens_with_the_password(qtbot, store, clock):
    set_setting(store, SESSION_LOCK_MINUTES.key, "2")
    sid, ids = plan_session(store, clock, count=2)
    window = open_window(qtbot, store, clock, sid)
    assert window.lock_seconds == 120
    clock.advance(minutes=3)
    window.tick()
    assert window.locked
    assert window.model.data(window.model.index(0, 1)) == ""
    assert window.model.data(window.model.index(0, 0)) == "01"
    assert window.lock_panel.isVisible() and not window.log.isVisible()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.password)
    key(qtbot, Qt.Key.Key_F2)
    assert window.dialog is None                                # no actions while locked
    type_text(qtbot, "fout")
    key(qtbot, Qt.Key.Key_Return)
    assert window.locked and "onjuist wachtwoord" in window.lock_text.text().lower()
    type_text(qtbot, "demo")
    key(qtbot, Qt.Key.Key_Return)
    assert not window.locked
    assert window.model.data(window.model.index(0, 1)) == "Anouk Jansen"


def test_on_a_small_screen_the_clock_and_the_save_button_stay_in_view(qtbot, store, clock):
    """An exam-room laptop: a long exam title wraps, the clock keeps its place, the incident form scrolls."""
    sid, ids = plan_session(store, clock, count=30)
    window = SessionModeWindow(context(store, "surveillant", clock), sid)
    qtbot.addWidget(window)
    window.show_full()
    screen = window.screen().availableGeometry()
    assert window.width() <= screen.width()
    clock_box = window.clock.geometry()
    assert clock_box.right() <= window.width() and window.clock.isVisible()
    window.actions.incident()
    dialog = window.dialog
    assert dialog.height() <= screen.height()
    ok = dialog.ok_button.mapTo(dialog, dialog.ok_button.rect().bottomRight())
    assert ok.y() <= dialog.height() and ok.x() <= dialog.width()
    dialog.reject()
