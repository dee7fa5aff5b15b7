"""F6 (and F10 before the end) while candidates still have time asks first, saying how many are still
working and how many minutes are left; "Nee" is the default, so F6, Enter ends nothing."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from examdesk.data.institution import set_setting
from examdesk.services.settings import SESSION_LOCK_MINUTES
from tests.dialog_support import answer_next_question
from tests.session_support import Clock, at, plan_session
from tests.ui.test_session_mode_ui import enter, key, open_window, wait_dialog


@pytest.fixture
def clock() -> Clock:
    return Clock(at(8, 30))


def _running(qtbot, store, clock):
    set_setting(store, SESSION_LOCK_MINUTES.key, "240")   # the test jumps the clock by hours
    sid, ids = plan_session(store, clock, count=5, extra={1: 30})
    window = open_window(qtbot, store, clock, sid)
    service = window.service
    clock.set(8, 40)
    service.record_receipt("Jan Bakker", True, "", at(8, 40))
    service.mark_present(ids[:4])
    clock.set(9, 2)
    service.start(at(9, 2))
    window.refresh()
    return window, ids


def test_f6_enter_while_four_candidates_work_asks_and_nee_ends_nothing(qtbot, store, clock):
    window, ids = _running(qtbot, store, clock)
    clock.set(9, 37)
    key(qtbot, Qt.Key.Key_F6)
    dialog = wait_dialog(qtbot, window)
    assert dialog.windowTitle() == "Einde van de afname"
    asked = answer_next_question("Nee")
    key(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(asked))
    # pc 02 has 30 minutes extra: the last of the four ends at 11:32, 115 minutes from now
    assert "4 kandidaten werken nog" in asked[0]
    assert "11:32" in asked[0] and "over 115 minuten" in asked[0]
    assert dialog.isVisible() and "Niet beëindigd" in dialog.error.text()
    assert window.service.state().ended_at is None

    qtbot.waitUntil(lambda: dialog.isAncestorOf(QApplication.focusWidget()))   # back in the form
    asked = answer_next_question("Ja, nu beëindigen")
    key(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(asked))
    qtbot.waitUntil(lambda: window.dialog is None)
    assert asked and window.state.ended_at == at(9, 37)


def test_the_default_answer_is_nee(qtbot, store, clock):
    window, ids = _running(qtbot, store, clock)
    clock.set(9, 37)
    key(qtbot, Qt.Key.Key_F6)
    wait_dialog(qtbot, window)
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    seen: list[str] = []

    def press_enter_on_question() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            seen.append(box.defaultButton().text())
            qtbot.keyClick(box, Qt.Key.Key_Return)
        else:
            QTimer.singleShot(10, press_enter_on_question)

    QTimer.singleShot(0, press_enter_on_question)
    key(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(seen))
    assert seen == ["Nee"]
    assert window.service.state().ended_at is None
    window.dialog.discard_without_asking()
    window.dialog.reject()


def test_one_candidate_left_is_said_in_the_singular_and_f10_asks_too(qtbot, store, clock):
    window, ids = _running(qtbot, store, clock)
    clock.set(9, 40)
    for cid in ids[1:4]:
        window.service.set_candidate_status(cid, "ingeleverd", "", at(9, 40))
    window.refresh()
    clock.set(10, 50)
    key(qtbot, Qt.Key.Key_F10)
    wait_dialog(qtbot, window)
    asked = answer_next_question("Nee")
    key(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(asked))
    assert asked[0].startswith("1 kandidaat werkt nog") and "over 12 minuten" in asked[0]
    assert not window.service.state().closed
    window.dialog.discard_without_asking()
    window.dialog.reject()


def test_ending_when_everyone_is_done_or_time_is_up_asks_nothing(qtbot, store, clock):
    window, ids = _running(qtbot, store, clock)
    clock.set(11, 32)                       # the last end time (pc 02, +30 minutes)
    key(qtbot, Qt.Key.Key_F6)
    wait_dialog(qtbot, window)
    asked = answer_next_question("Nee", attempts=20)
    enter(qtbot, window)
    assert asked == [] and window.state.ended_at == at(11, 32)
