"""Rapporten → Jaarverslag: the commission's policy and considerations for a school year (the text the annual
report prints in its first part), and the report's tables as an Excel workbook. A panel of its own, so the
Rapporten screen needs one line for it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from examdesk.domain.errors import ExamDeskError
from examdesk.domain.roles import Action
from examdesk.services.commission_policy import CommissionPolicyService
from examdesk.services.context import AppContext
from examdesk.services.doc_jaarverslag import export_annual_report
from examdesk.services.documents import DocumentService
from examdesk.services.users import user_names
from examdesk.ui.common import hint_label, show_error
from examdesk.ui.dialogs import FormDialog
from examdesk.ui.flow_layout import flow_row
from examdesk.ui.save_dialog import ask_save_path

POLICY_INTRO = ("Op basis van haar visie maakt de examencommissie jaarlijks haar beleidskeuzes en afwegingen "
                "inzichtelijk: in principe inkopen bij een gecertificeerde examenleverancier (route 1), of zelf "
                "construeren (route 2 en 3), en waarom. Deze tekst staat in deel 1 van het jaarverslag; elke "
                "wijziging wordt als nieuwe versie bewaard.")


class PolicyDialog(FormDialog):
    def __init__(self, parent: QWidget | None, service: CommissionPolicyService, school_year: str):
        super().__init__(parent, f"Beleid en afwegingen {school_year}", POLICY_INTRO)
        self.service = service
        self.school_year = school_year
        current = service.current(school_year)
        self.text = QPlainTextEdit(current.text if current else "")
        self.text.setMinimumHeight(260)
        self.text.setAccessibleName(f"Beleid en afwegingen {school_year}")
        self.form.addRow(self.text)
        if current is not None:
            known = QLabel(f"Versie {current.version}, vastgelegd door {user_names(service.ctx)(current.username)}.")
            known.setObjectName("Hint")
            self.form.addRow(known)
        self.resize(720, 480)

    def submit(self) -> None:
        self.service.save(self.school_year, self.text.toPlainText())


class AnnualReportPanel(QGroupBox):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__("Jaarverslag: beleid en afwegingen, tabellen als Excel", parent)
        self.ctx = ctx
        self.exec_dialog = lambda dialog: dialog.exec()
        self.ask_path = lambda suggested: ask_save_path(self, "Jaarverslag opslaan als", suggested,
                                                        "Excel-werkmap (*.xlsx)")[0]
        outer = QVBoxLayout(self)
        row_box, row = flow_row()                 # wraps at 200 % font; the status line below it wraps too
        self.year = QComboBox()
        try:
            years = DocumentService(ctx).subjects("jaarverslag")
        except ExamDeskError:          # a build without the annual report: nothing to offer
            years = []
        for year, label in years:
            self.year.addItem(label, year)
        self.policy_button = QPushButton("Beleid en afwegingen…")
        self.policy_button.setEnabled(ctx.can(Action.CHOOSE_ROUTES))
        self.policy_button.clicked.connect(self.edit_policy)
        self.excel_button = QPushButton("Als Excel-bestand…")
        self.excel_button.clicked.connect(self.save_excel)
        self.status = hint_label("")
        for widget in (QLabel("Schooljaar"), self.year, self.policy_button, self.excel_button):
            row.add(widget)
        outer.addWidget(row_box)
        outer.addWidget(self.status)
        if not years:
            self.hide()

    def edit_policy(self) -> bool:
        year = self.year.currentData()
        if not year:
            return False
        accepted = bool(self.exec_dialog(PolicyDialog(self, CommissionPolicyService(self.ctx), year)))
        if accepted:
            self.status.setText(f"Beleid en afwegingen {year} vastgelegd.")
        return accepted

    def save_excel(self) -> Path | None:
        year = self.year.currentData()
        if not year:
            return None
        chosen = self.ask_path(f"jaarverslag-{year}.xlsx")
        if not chosen:
            return None
        path = Path(chosen)
        try:
            sheets = export_annual_report(self.ctx, year, path)
        except ExamDeskError as exc:
            show_error(self, exc)
            return None
        self.status.setText(f"Jaarverslag {year} opgeslagen in {path.name} ({sheets} tabbladen).")
        self.status.setToolTip(str(path))
        return path
