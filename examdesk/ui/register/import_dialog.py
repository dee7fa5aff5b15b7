"""Importing into the register (kwalificaties, leveranciers, instrumenten from CSV or XLSX) with every
error by row and column before anything is saved, and choosing where an export goes."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from examdesk.domain.errors import ExamDeskError
from examdesk.domain.register_import import ImportIssue, ImportKind, ImportRefused
from examdesk.services.register import RegisterService
from examdesk.services.register_imports import ImportPlan, ImportResult
from examdesk.ui.common import elide_headers
from examdesk.ui.dialogs import BaseDialog
from examdesk.ui.save_dialog import ask_open_path, ask_save_path
from examdesk.ui.table_model import RIGHT, Column, TableModel
from examdesk.ui.worker import run_in_background

IMPORT_KINDS: list[tuple[ImportKind, str]] = [
    (ImportKind.QUALIFICATIONS, "Kwalificaties en mbo-certificaten (crebolijst)"),
    (ImportKind.SUPPLIERS, "Examenleveranciers"),
    (ImportKind.INSTRUMENTS, "Exameninstrumenten"),
]


class ImportDialog(BaseDialog):
    """Choose a file, see what it would do and every error (row, column, what is wrong), then import —
    the whole file, or, only when the user ticks it, just the valid rows."""

    def __init__(self, parent: QWidget | None, service: RegisterService):
        super().__init__(parent, "Importeren in het register")
        self.service = service
        self.plan: ImportPlan | None = None
        self.result: ImportResult | None = None
        self.setMinimumSize(760, 520)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.kind = QComboBox()
        for kind, label in IMPORT_KINDS:
            self.kind.addItem(label, kind)
        file_row = QHBoxLayout()
        self.path = QLineEdit()
        self.path.setPlaceholderText("CSV (; , of tab) of XLSX")
        browse = QPushButton("&Bladeren…")
        browse.clicked.connect(self._browse)
        file_row.addWidget(self.path, 1)
        file_row.addWidget(browse)
        form.addRow("&Soort", self.kind)
        file_label = QLabel("&Bestand")      # a row that is a layout gives a text label no buddy: '&' was shown
        file_label.setBuddy(self.path)
        form.addRow(file_label, file_row)
        layout.addLayout(form)
        check_row = QHBoxLayout()
        self.check_button = QPushButton("&Controleren")
        self.check_button.clicked.connect(self.check)
        check_row.addWidget(self.check_button)
        check_row.addStretch(1)
        layout.addLayout(check_row)
        self.summary = QLabel("Kies een bestand en controleer het; er wordt nog niets opgeslagen.")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.issues_model: TableModel[ImportIssue] = TableModel([
            Column("Rij", lambda i: i.row, sort_key=lambda i: i.row, align=RIGHT),
            Column("Kolom", lambda i: i.column),
            Column("Wat is er mis", lambda i: i.message),
        ], self)
        self.issues = elide_headers(QTableView())
        self.issues.setModel(self.issues_model)
        self.issues.verticalHeader().setVisible(False)
        self.issues.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.issues.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.issues.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.issues.setWordWrap(True)
        layout.addWidget(self.issues, 1)
        self.valid_only = QCheckBox("Alleen de &geldige rijen importeren (rijen met fouten worden overgeslagen)")
        self.valid_only.setEnabled(False)
        self.valid_only.toggled.connect(self._update_buttons)
        layout.addWidget(self.valid_only)
        buttons = QDialogButtonBox()
        self.import_button = buttons.addButton("&Importeren", QDialogButtonBox.ButtonRole.AcceptRole)
        close = buttons.addButton("Sluiten", QDialogButtonBox.ButtonRole.RejectRole)
        self.import_button.clicked.connect(self.run)
        close.clicked.connect(self.reject)
        layout.addWidget(buttons)
        self.kind.currentIndexChanged.connect(self._reset)
        self.path.textChanged.connect(self._reset)
        self._update_buttons()

    def _browse(self) -> None:
        name, _ = ask_open_path(self, "Bestand kiezen", "Spreadsheets (*.csv *.txt *.xlsx);;Alle bestanden (*)")
        if name:
            self.path.setText(name)
            self.check()

    def _reset(self) -> None:
        self.plan = None
        self.issues_model.set_rows([])
        self.valid_only.setChecked(False)
        self.valid_only.setEnabled(False)
        self._update_buttons()

    def _update_buttons(self) -> None:
        plan = self.plan
        ready = plan is not None and not plan.fatal and (plan.ok or (self.valid_only.isChecked() and plan.valid_rows))
        self.import_button.setEnabled(bool(ready))
        self.import_button.setDefault(bool(ready))

    def check(self) -> None:
        text = self.path.text().strip()
        if not text:
            self._show_error("Kies eerst een bestand.")
            return
        try:
            plan = self.service.check_import(self.kind.currentData(), Path(text))
        except ExamDeskError as exc:
            self._reset()
            self._show_error(exc.message)
            return
        self.plan = plan
        self.issues_model.set_rows(plan.issues)
        self.issues.resizeColumnToContents(0)
        self.issues.resizeColumnToContents(1)
        if plan.fatal:
            self.summary.setText(f"{plan.path.name} kan niet worden geïmporteerd: zie de fouten hieronder.")
        elif plan.ok:
            self.summary.setText(f"{plan.summary} Het bestand is in orde.")
        else:
            count = len(plan.issues)
            self.summary.setText(f"{plan.summary} {count} {'fout' if count == 1 else 'fouten'}: zonder uw keuze "
                                 "wordt het bestand als geheel geweigerd.")
        self.summary.setObjectName("ErrorText" if plan.issues else "")
        self.summary.style().polish(self.summary)
        self.valid_only.setEnabled(bool(plan.issues) and not plan.fatal and plan.valid_rows > 0)
        self.valid_only.setText(f"Alleen de &geldige rijen importeren ({plan.valid_rows} van {plan.rows}; "
                                f"{plan.bad_rows} {'rij' if plan.bad_rows == 1 else 'rijen'} met fouten "
                                "worden overgeslagen)")
        self._update_buttons()

    def _show_error(self, message: str) -> None:
        self.summary.setText(message)
        self.summary.setObjectName("ErrorText")
        self.summary.style().polish(self.summary)

    def run(self) -> None:
        if self.plan is None:
            return
        kind, path, valid_only = self.kind.currentData(), self.plan.path, self.valid_only.isChecked()
        self.import_button.setEnabled(False)
        run_in_background(self, lambda: self.service.run_import(kind, path, valid_only), self._done, self._failed,
                          "Importeren…")

    def _done(self, result: ImportResult) -> None:
        self.result = result
        self.accept()

    def _failed(self, exc: Exception) -> None:
        if isinstance(exc, ImportRefused):
            self.issues_model.set_rows(exc.issues)
        if isinstance(exc, ExamDeskError):
            self._show_error(exc.message)
            self._update_buttons()
            return
        raise exc


def choose_export_file(parent: QWidget | None, today: date) -> Path | None:
    name, chosen = ask_save_path(parent, "Register exporteren", f"instrumentenregister-{today.isoformat()}.xlsx",
                                 "Excel-werkmap (*.xlsx);;CSV voor Excel (*.csv)")
    if not name:
        return None
    path = Path(name)
    if path.suffix.lower() not in (".xlsx", ".csv"):
        path = path.with_suffix(".csv" if "csv" in chosen.lower() else ".xlsx")
    return path
