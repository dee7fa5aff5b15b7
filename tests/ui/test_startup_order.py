"""Issue 16: the login window is drawn before the startup check, and *Inloggen* waits for the check; closing
stops the background work instead of waiting for it, and a stopped full check records nothing."""

from __future__ import annotations

import sys
import time

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from examdesk.services import backup as backup_service
from examdesk.services import integrity
from examdesk.ui import launch, recovery_dialog
from examdesk.ui.auth_dialogs import CHECKING, LoginDialog
from examdesk.ui.recovery_dialog import RecoveryDialog
from tests.services.test_index_damage import garble_index_page
from tests.ui.test_main_window import _log_in_when_ready


def _watch_login(order: list) -> None:
    """Records, at the login window's first paint, whether the check ran yet and whether *Inloggen* could be used."""
    real_init = LoginDialog.__init__

    def init(self, *args, **kwargs):
        real_init(self, *args, **kwargs)
        self.painted.connect(lambda: order.append(("getekend", self.ok_button.isEnabled(), CHECKING in
                                                   self.intro.text())))

    LoginDialog.__init__ = init
    return real_init


def _close_when_shown(shown: list) -> None:
    def close() -> None:
        if shown and shown[0].isVisible():
            shown[0].close()
        else:
            QTimer.singleShot(20, close)

    QTimer.singleShot(0, close)


def test_the_login_is_drawn_first_and_works_once_the_check_passed(qtbot, demo_db, monkeypatch):
    order: list = []
    real_check = backup_service.check_database
    monkeypatch.setattr(backup_service, "check_database",
                        lambda *a, **k: (order.append(("controle",)), real_check(*a, **k))[1])
    monkeypatch.setattr(LoginDialog, "__init__", _watch_login(order) and LoginDialog.__init__)
    monkeypatch.setattr(launch, "_after_first_screen", lambda *a: None)   # no background check in this test
    shown: list = []
    _log_in_when_ready(qtbot, monkeypatch, shown)
    _close_when_shown(shown)
    assert launch.launch_gui(demo_db) == 0
    assert order[:2] == [("getekend", False, True), ("controle",)]   # drawn, disabled, "wordt gecontroleerd"
    assert shown and shown[0].ctx.user.username == "commissie"


def test_a_damaged_file_shows_the_recovery_and_nobody_can_log_in(qtbot, demo_db, monkeypatch):
    garble_index_page(demo_db)          # no checkpoint on this PC yet: the start's quick check finds it
    order: list = []
    monkeypatch.setattr(LoginDialog, "__init__", _watch_login(order) and LoginDialog.__init__)
    logins: list = []
    real_ready = LoginDialog.ready
    monkeypatch.setattr(LoginDialog, "ready", lambda self, *a: (logins.append(a), real_ready(self, *a))[1])

    def declined(dialog: RecoveryDialog):
        visible = [w for w in QApplication.topLevelWidgets() if isinstance(w, LoginDialog) and w.isVisible()]
        order.append(("herstel", dialog.verdict.problem, len(visible)))
        return 0

    monkeypatch.setattr(RecoveryDialog, "exec", declined)
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: QMessageBox.StandardButton.Ok)
    assert launch.launch_gui(demo_db) == 1
    assert order[0] == ("getekend", False, True)
    assert order[1][0] == "herstel" and "beschadigd" in order[1][1] and order[1][2] == 0   # the login hidden
    assert logins == []                  # Inloggen was never enabled


def test_closing_stops_the_background_check_and_records_nothing(qtbot, demo_db, monkeypatch):
    """Closing right after a start no longer waits minutes for the full check: it sees the cancel, stops, and
    does not record the file as checked (the next start checks again)."""
    real_parse = integrity.parse_seal
    seen: list = []

    def slow_parse(*args):
        time.sleep(0.05)                 # a ten-year chain, in a demo database
        return real_parse(*args)

    monkeypatch.setattr(integrity, "parse_seal", slow_parse)
    recorded: list = []
    real_record = integrity.record_verified
    def record(*args):                   # by the check that closing can stop (its caller holds a `cancel`)
        recorded.append(args[2].full and sys._getframe(1).f_locals.get("cancel") is not None)
        return real_record(*args)

    monkeypatch.setattr(integrity, "record_verified", record)
    real_failed = recovery_dialog.BackgroundCheck._failed
    monkeypatch.setattr(recovery_dialog.BackgroundCheck, "_failed",
                        lambda self, exc: (seen.append(type(exc).__name__), real_failed(self, exc))[1])
    real_background = recovery_dialog.BackgroundCheck

    def check_then_close(window, path):
        started = real_background(window, path)
        QTimer.singleShot(100, window.close)   # while the check is busy with the chain
        return started

    monkeypatch.setattr(recovery_dialog, "BackgroundCheck", check_then_close)
    shown: list = []
    _log_in_when_ready(qtbot, monkeypatch, shown)
    recorded.clear()
    assert launch.launch_gui(demo_db) == 0
    QApplication.processEvents()         # the job's report reaches the GUI thread
    assert seen == ["Cancelled"]
    assert True not in recorded, "a stopped full check recorded the file as checked"
