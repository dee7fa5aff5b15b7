"""Afnames → 'Resultaten verwerkt…': enabled for a closed session only, for the examenbureau; the dialog records
when, by whom and in which system, and the button's tooltip then says so."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from examdesk.domain.session_state import SessionStatus
from examdesk.services.auth import AuthService
from examdesk.services.context import AppContext
from examdesk.ui.main_window import MainWindow
from examdesk.ui.sessions.grade_determination import GradeDeterminationDialog


def _afnames(qtbot, store, username: str):
    window = MainWindow(AppContext(store, AuthService(store).login(username, "demo")))
    qtbot.addWidget(window)
    window.resize(1500, 900)
    window.show()
    return window.show_screen("afnames")


def _select(screen, status: str):
    for row, plan in enumerate(screen.model.rows):
        if plan.status == status:
            screen.table.selectRow(row)
            return plan
    raise AssertionError(status)


def test_results_processed_for_a_closed_session(qtbot, store, tmp_path):
    screen = _afnames(qtbot, store, "bureau")
    button = screen.results_button
    assert button.isVisible()
    _select(screen, SessionStatus.BEZIG)
    assert not button.isEnabled() and "na het afsluiten" in button.toolTip()
    plan = _select(screen, SessionStatus.AFGESLOTEN)
    assert button.isEnabled()

    def fill(dialog: QDialog) -> bool:
        assert isinstance(dialog, GradeDeterminationDialog)
        dialog.system.setText("")
        dialog.buttons.accepted.emit()
        assert "welk systeem" in dialog.error.text()
        dialog.system.setText("Eduarte")
        dialog.buttons.accepted.emit()
        return dialog.result() == QDialog.DialogCode.Accepted

    button.exec_dialog = fill
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert screen.current().id == plan.id and "Resultaten verwerkt op" in button.toolTip()
    assert "Eduarte" in button.toolTip()
    screen.window().grab().save(str(tmp_path / "afnames-resultaten.png"))


def test_only_the_examenbureau_records_it(qtbot, store):
    screen = _afnames(qtbot, store, "commissie")
    assert not screen.results_button.isVisible()
    _select(screen, SessionStatus.AFGESLOTEN)           # showing a session does not ask what it may not see
