"""The letter's two questions on the Incidenten screen: when a candidate's birth date is unknown the commission
is asked (minor or not) before the letter is made, and 'Brief verzonden…' records the day the letter was sent,
after which the decision card says until when an appeal is possible."""

from __future__ import annotations

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDialog

from examdesk.domain.incident_desk import DecisionInput
from examdesk.services.auth import AuthService
from examdesk.services.context import AppContext
from examdesk.ui.incidents.letter_dialogs import DispatchDialog, MinorDialog
from examdesk.ui.incidents.screen import IncidentsScreen
from examdesk.ui.main_window import MainWindow
from tests.desk_support import SECOND, UNHEARD, desk, log, running
from tests.session_support import DAY, Clock, at


def test_minor_question_before_the_letter_and_the_send_date_after_it(qtbot, store, tmp_path):
    clock = Clock(at(8, 30))
    run, ids = running(store, clock, births=[None], tag="ui")
    incident = log(run, clock, "FRAUDE_KANDIDAAT", (ids[0],))
    member = store.query_one("SELECT id FROM users WHERE username = 'commissie'")[0]
    [decision] = desk(store, clock).decide(incident, DecisionInput((ids[0],), DAY, (member,), ("cijfer_1",),
                                                                   reasoning="Telefoon gebruikt.",
                                                                   no_hearing_reason=UNHEARD), SECOND)
    clock.set(16, 0)
    window = MainWindow(AppContext(store, AuthService(store, clock).login("commissie", "demo"), clock=clock))
    qtbot.addWidget(window)
    window.resize(1500, 950)
    window.show()
    screen = window.show_screen("incidenten")
    assert isinstance(screen, IncidentsScreen)
    screen.select(incident)
    asked: list[str] = []

    def answer(dialog: QDialog) -> bool:
        assert isinstance(dialog, MinorDialog)
        asked.append(dialog.findChildren(type(dialog.error))[0].text())
        dialog.buttons.accepted.emit()                         # nothing chosen yet: refused, stays open
        assert "Kies of de kandidaat" in dialog.error.text()
        dialog.minor.setChecked(True)
        dialog.buttons.accepted.emit()
        return dialog.result() == QDialog.DialogCode.Accepted

    screen.exec_dialog = answer
    panel = screen.letter_panels[decision.id]
    qtbot.mouseClick(panel.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.last_viewer is not None, timeout=15000)
    assert "geboortedatum van Anouk Jansen is onbekend" in asked[0]
    assert screen.last_viewer.page_count() == 2                 # the letter and the copy for the representatives
    assert screen.last_viewer.issue()                           # printed or saved: issued

    screen.select(incident)
    assert "Brief nog niet verzonden" in _detail(screen)
    [button] = [b for b in screen.detail.findChildren(type(panel.button)) if b.text() == "Brief verzonden…"]

    def sent(dialog: QDialog) -> bool:
        assert isinstance(dialog, DispatchDialog)
        dialog.sent_on.setDate(QDate(DAY.year, DAY.month, DAY.day))
        dialog.buttons.accepted.emit()
        assert dialog.error.text() == ""
        return dialog.result() == QDialog.DialogCode.Accepted

    screen.exec_dialog = sent
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert "Brief verzonden op 10-03-2027; beroep mogelijk tot en met 21-04-2027 (42 dagen)." in _detail(screen)
    screen.window().grab().save(str(tmp_path / "besluit-verzonden.png"))


def _detail(screen: IncidentsScreen) -> str:
    from PySide6.QtWidgets import QLabel

    return "\n".join(label.text() for label in screen.detail.findChildren(QLabel))
