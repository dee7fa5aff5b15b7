"""Smaller friction in session mode: Ctrl+Q is on the key bar and Escape asks before leaving; F5 with one
candidate selected defaults to pausing that one; a wrong password does not widen the lock screen."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests.dialog_support import answer_next_question
from tests.session_support import Clock, at, plan_session
from tests.ui.test_session_mode_ui import key, open_window, wait_dialog


@pytest.fixture
def clock() -> Clock:
    return Clock(at(8, 30))


def test_escape_asks_before_leaving_and_ctrl_q_is_on_the_key_bar(qtbot, store, clock):
    sid, _ = plan_session(store, clock, count=2)
    window = open_window(qtbot, store, clock, sid)
    assert "Ctrl+Q sessiemodus verlaten" in [label.text() for label in window.key_labels]
    asked = answer_next_question("In de sessiemodus blijven")
    key(qtbot, Qt.Key.Key_Escape)
    assert asked and "sessiemodus verlaten" in asked[0] and window.isVisible()
    asked = answer_next_question("Verlaten")
    qtbot.keyClick(window.table, Qt.Key.Key_Escape)
    assert asked
    qtbot.waitUntil(lambda: not window.isVisible())


def test_f5_with_one_candidate_selected_defaults_to_that_candidate(qtbot, store, clock):
    sid, ids = plan_session(store, clock, count=3)
    window = open_window(qtbot, store, clock, sid)
    window.table.selectRow(1)
    window.actions.pause_or_resume()
    dialog = wait_dialog(qtbot, window)
    radios = [w for w in dialog.fields() if w.metaObject().className() == "QRadioButton"]
    assert [r.isChecked() for r in radios] == [False, True]
    assert radios[1].text() == "alleen de geselecteerde (1)"
    dialog.discard_without_asking()
    dialog.reject()


def test_a_wrong_password_does_not_widen_the_lock_screen(qtbot, store, clock):
    sid, _ = plan_session(store, clock, count=2)
    window = open_window(qtbot, store, clock, sid)
    window.resize(1000, 700)
    window.lock()
    qtbot.wait(50)
    width = window.width()
    window.password.setText("fout")
    window._try_unlock()
    assert window.locked
    window.lock_text.setText(window.lock_text.text() * 8)     # as long as any refusal could be
    qtbot.wait(50)
    assert window.width() == width and window.minimumSizeHint().width() <= 1000
