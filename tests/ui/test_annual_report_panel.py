"""Rapporten → Jaarverslag: the commission writes its policy and considerations for a school year (a new
version each time), and saves the report's tables as an Excel workbook."""

from __future__ import annotations

from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from examdesk.services.auth import AuthService
from examdesk.services.commission_policy import CommissionPolicyService
from examdesk.services.context import AppContext
from examdesk.ui.main_window import MainWindow
from examdesk.ui.reports.annual_report import AnnualReportPanel, PolicyDialog


def _panel(qtbot, store, username: str) -> AnnualReportPanel:
    window = MainWindow(AppContext(store, AuthService(store).login(username, "demo")))
    qtbot.addWidget(window)
    window.resize(1400, 900)
    window.show()
    return window.show_screen("rapporten").annual


def test_policy_text_and_excel_from_the_reports_screen(qtbot, store, tmp_path):
    panel = _panel(qtbot, store, "commissie")
    year = panel.year.currentData()
    assert year and panel.policy_button.isEnabled()

    def write(dialog: QDialog) -> bool:
        assert isinstance(dialog, PolicyDialog) and dialog.text.toPlainText() == ""
        dialog.buttons.accepted.emit()                                     # empty: refused, stays open
        assert "Schrijf het beleid" in dialog.error.text()
        dialog.text.setPlainText("Route 1 in principe; Engels zelf geconstrueerd (route 2).")
        dialog.buttons.accepted.emit()
        return dialog.result() == QDialog.DialogCode.Accepted

    panel.exec_dialog = write
    qtbot.mouseClick(panel.policy_button, Qt.MouseButton.LeftButton)
    assert CommissionPolicyService(panel.ctx).current(year).text.startswith("Route 1 in principe")
    assert "vastgelegd" in panel.status.text()

    panel.ask_path = lambda suggested: str(tmp_path / suggested)
    qtbot.mouseClick(panel.excel_button, Qt.MouseButton.LeftButton)
    path = tmp_path / f"jaarverslag-{year}.xlsx"
    assert path.exists() and "tabbladen" in panel.status.text()
    assert load_workbook(path)["Beleid en afwegingen"]["A2"].value.startswith("Route 1 in principe")


def test_the_bureau_may_save_the_tables_but_not_write_the_commissions_policy(qtbot, store):
    panel = _panel(qtbot, store, "bureau")
    assert not panel.policy_button.isEnabled() and panel.excel_button.isEnabled()
