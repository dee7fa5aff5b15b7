"""The commission's case by the keyboard alone (issue 14's "done when"), as found driving the real app under X
with xdotool: from the Incidenten list, Tab reaches the incident's file and its Besluiten (Qt's tables kept
Tab inside the list, cell by cell), and in Besluit nemen one Tab passes the decision date (Qt walked day,
month and year first)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDateEdit, QDialog, QTableView

from examdesk.domain.incident_desk import IncidentFilter
from examdesk.services.navigation import IncidentsTarget
from examdesk.ui.incidents.dialogs import DecisionDialog
from tests.ui.test_incidents_screen import _screen


def _tab(qtbot, times: int = 1, back: bool = False) -> None:
    for _ in range(times):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Backtab if back else Qt.Key.Key_Tab)


def test_from_the_list_to_a_decision_with_the_keyboard_alone(qtbot, store):
    screen = _screen(qtbot, store)
    screen.apply_filter(IncidentsTarget(IncidentFilter(category="STROOMSTORING")))
    screen.window().activateWindow()
    qtbot.waitActive(screen.window())
    screen.table.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: isinstance(QApplication.focusWidget(), QTableView))
    _tab(qtbot)
    assert screen.case_panel.isAncestorOf(QApplication.focusWidget()) or QApplication.focusWidget() is screen.case_panel
    for _ in range(3):                                   # past the file's scroll area to its first action
        if QApplication.focusWidget() is screen.action_buttons["besluiten"]:
            break
        _tab(qtbot)
    assert QApplication.focusWidget() is screen.action_buttons["besluiten"]

    seen: dict[str, object] = {}

    def by_keys(dialog: QDialog) -> bool:
        assert isinstance(dialog, DecisionDialog)
        dialog.show()
        dialog.activateWindow()
        qtbot.waitActive(dialog)
        for _ in range(12):
            if isinstance(QApplication.focusWidget(), QDateEdit):
                break
            _tab(qtbot)
        _tab(qtbot)                                      # one Tab leaves the date, whatever part was current
        seen["after date"] = type(QApplication.focusWidget())
        dialog.reject()
        return False

    screen.exec_dialog = by_keys
    qtbot.keyClick(screen.action_buttons["besluiten"], Qt.Key.Key_Space)
    assert seen["after date"] is not QDateEdit                               # on to the next field


def test_after_an_action_the_keyboard_is_on_the_new_file_not_nowhere(qtbot, store):
    screen = _screen(qtbot, store)
    screen.apply_filter(IncidentsTarget(IncidentFilter(category="STROOMSTORING")))
    screen.window().activateWindow()
    qtbot.waitActive(screen.window())
    button = screen.action_buttons["twijfelgeval"]
    button.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is button)

    def doubtful(dialog: QDialog) -> bool:
        dialog.text.setPlainText("Twijfel of dit onder protocol 6 valt.")
        dialog.ok()
        return dialog.result() == QDialog.DialogCode.Accepted

    screen.exec_dialog = doubtful
    qtbot.keyClick(button, Qt.Key.Key_Space)
    focus = QApplication.focusWidget()
    assert focus in screen.action_buttons.values()           # the new file's first action: Tab goes on from there
    assert focus is next(b for b in screen.action_buttons.values() if b.isDefault()) \
        or not any(b.isDefault() for b in screen.action_buttons.values())
