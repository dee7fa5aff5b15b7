"""The commission's correction and withdrawal from the Incidenten screen: each asks for a reason, lands in the
session's record and shows on the desk (the correction with its reason; a withdrawal as 'ingetrokken')."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel

from examdesk.domain.incident_desk import IncidentFilter
from examdesk.services.auth import AuthService
from examdesk.services.context import AppContext
from examdesk.services.navigation import IncidentsTarget
from examdesk.ui.dialogs import ReasonDialog
from examdesk.ui.incidents.correction_dialog import IncidentCorrectionDialog
from examdesk.ui.incidents.screen import IncidentsScreen
from examdesk.ui.main_window import MainWindow


def _screen(qtbot, store) -> IncidentsScreen:
    window = MainWindow(AppContext(store, AuthService(store).login("commissie", "demo")))
    qtbot.addWidget(window)
    window.resize(1500, 950)
    window.show()
    return window.show_screen("incidenten")


def _detail(screen: IncidentsScreen) -> str:
    return "\n".join(label.text() for label in screen.detail.findChildren(QLabel))


def test_correct_then_withdraw_with_reasons(qtbot, store, tmp_path):
    screen = _screen(qtbot, store)
    screen.apply_filter(IncidentsTarget(IncidentFilter(status="besloten", category="FRAUDE_KANDIDAAT")))
    incident = screen.case.row.incident_id

    def correct(dialog: QDialog) -> bool:
        assert isinstance(dialog, IncidentCorrectionDialog)
        dialog.what_happened.setPlainText("Telefoon in de jaszak, scherm uit.")
        dialog.buttons.accepted.emit()                                  # no reason: refused, stays open
        assert "reden van de correctie" in dialog.error.text()
        dialog.reason.setPlainText("Verklaring van de tweede surveillant ontvangen.")
        dialog.buttons.accepted.emit()
        return dialog.result() == QDialog.DialogCode.Accepted

    screen.exec_dialog = correct
    qtbot.mouseClick(screen.action_buttons["corrigeren"], Qt.MouseButton.LeftButton)
    assert screen.case.row.incident_id == incident and screen.case.row.what_happened.startswith("Telefoon in de")
    assert "gecorrigeerd door de examencommissie: Verklaring van de tweede surveillant" in _detail(screen)

    def withdraw(dialog: QDialog) -> bool:
        assert isinstance(dialog, ReasonDialog)
        dialog.text.setPlainText("Bij nader inzien geen onregelmatigheid: de telefoon was uit en opgeborgen.")
        dialog.ok()
        return dialog.result() == QDialog.DialogCode.Accepted

    screen.exec_dialog = withdraw
    qtbot.mouseClick(screen.action_buttons["intrekken"], Qt.MouseButton.LeftButton)
    assert screen.case.row.status == "ingetrokken" and not screen.action_buttons
    screen.window().grab().save(str(tmp_path / "incident-ingetrokken.png"))
