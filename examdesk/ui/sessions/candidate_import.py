"""Importing candidates in two steps: the column mapping (guessed from the header or remembered for the
source) with the first rows as they will be read; then the check — per candidate what will be added or
changed, field by field, the fields the file does not carry (they keep their values) and every bad
line with the line number an editor or Excel shows. Only then "Importeren", and afterwards, in the same
dialog, the summary of what was done."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from examdesk.domain.candidate_import import FIELDS, REQUIRED, ImportPlan, Table
from examdesk.domain.errors import ExamDeskError
from examdesk.domain.plural import counted
from examdesk.services.candidates import CandidateService, ImportResult
from examdesk.services.context import AppContext
from examdesk.ui.common import elide_headers, hint_label, scrolling_form, show_rows
from examdesk.ui.dialogs import BaseDialog
from examdesk.ui.worker import run_in_background

OUTCOME_LABELS = {"toegevoegd": "nieuw", "gewijzigd": "gewijzigd", "ongewijzigd": "ongewijzigd"}


class ImportDialog(BaseDialog):
    """The column mapping, then the check of what the import will do, then the import."""

    NOT_USED = "— niet gebruiken —"

    def __init__(self, ctx: AppContext, table: Table, source: str, parent: QWidget | None = None):
        super().__init__(parent, "Kandidaten importeren")
        self.ctx = ctx
        self.table = table
        self.service = CandidateService(ctx)
        self.plan: ImportPlan | None = None
        self.result_sentence = ""
        outer = QVBoxLayout(self)
        self.pages = QStackedWidget()
        outer.addWidget(self.pages, 1)
        self.pages.addWidget(self._mapping_page(source))
        self.pages.addWidget(self._check_page())
        self.pages.addWidget(self._done_page())
        self.error = QLabel("")
        self.error.setObjectName("ErrorText")
        self.error.setWordWrap(True)
        outer.addWidget(self.error)
        row = QHBoxLayout()
        row.addStretch(1)
        self.cancel = cancel = QPushButton("Annuleren")
        cancel.clicked.connect(self.reject)
        self.back = QPushButton("&Terug naar de koppeling")
        self.back.clicked.connect(self.show_mapping)
        self.check = QPushButton("&Controleren…")
        self.check.clicked.connect(self.run_check)
        self.go = QPushButton("&Importeren")
        self.go.clicked.connect(self.run)
        self.close_button = QPushButton("&Sluiten")
        self.close_button.clicked.connect(self.accept)
        self.close_button.hide()
        # Annuleren last, as in every other dialog (the buttons of QDialogButtonBox here); Terug before the
        # step forward, as in a wizard
        for button in (self.back, self.check, self.go, self.close_button, cancel):
            row.addWidget(button)
        outer.addLayout(row)
        self.source.currentTextChanged.connect(self._load_mapping)
        self._load_mapping(self.source.currentText())
        self.show_mapping()
        self.resize(1000, 780)   # fitted to the screen when shown

    # --- page 1: the mapping --------------------------------------------------------------------
    def _mapping_page(self, source: str) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        t = self.table
        info = QLabel(f"{counted(len(t.rows), 'regel')} · {counted(len(t.header), 'kolom')}"
                      + (f" · scheidingsteken '{t.delimiter}'" if t.delimiter else "")
                      + (f" · codering {t.encoding}" if t.encoding else ""))
        info.setObjectName("Hint")
        layout.addWidget(info)
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)   # narrow: the choice below its label
        self.source = QComboBox()
        self.source.setEditable(True)
        for name in self.service.mapping_sources():
            self.source.addItem(name)
        self.source.setCurrentText(source)
        form.addRow("Bron (de koppeling wordt onder deze naam onthouden)", self.source)
        self.columns: dict[str, QComboBox] = {}
        for key, label in FIELDS.items():
            combo = QComboBox()
            combo.addItem(self.NOT_USED, "")
            for column in t.header:
                combo.addItem(column, column)
            self.columns[key] = combo
            form.addRow(label + (" *" if key in REQUIRED else ""), combo)
            combo.currentIndexChanged.connect(self._preview)
        # twelve rows of choices are taller than a 768-pixel screen at 200 % font: the mapping scrolls, the
        # preview below it keeps a few readable rows and the buttons stay in view
        fields = QWidget()
        column = QVBoxLayout(fields)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(form)
        keep = hint_label("Een veld dat u niet koppelt, blijft bij bestaande kandidaten zoals het is. Een lege cel in een "
                      "gekoppelde kolom maakt het veld leeg; dat ziet u bij het controleren.")
        column.addWidget(keep)
        column.addStretch(1)
        self.mapping_scroll = scrolling_form(fields)
        layout.addWidget(self.mapping_scroll, 1)
        layout.addWidget(QLabel("Voorbeeld: de eerste regels zoals ze worden ingelezen"))
        self.preview = elide_headers(QTableWidget(0, len(FIELDS) + 1))
        self.preview.setHorizontalHeaderLabels(["regel", *FIELDS.values()])
        self.preview.verticalHeader().setVisible(False)
        self.preview.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        show_rows(self.preview, 3, 5)
        layout.addWidget(self.preview)
        return page

    def _load_mapping(self, source: str) -> None:
        mapping = self.service.mapping_for(source, self.table.header)
        for key, combo in self.columns.items():
            combo.blockSignals(True)
            combo.setCurrentIndex(max(0, combo.findData(mapping.get(key, ""))))
            combo.blockSignals(False)
        self._preview()

    def mapping(self) -> dict[str, str]:
        return {key: combo.currentData() for key, combo in self.columns.items() if combo.currentData()}

    def _preview(self) -> None:
        mapping = self.mapping()
        rows = self.table.preview(5)
        self.preview.setRowCount(len(rows))
        for r, row in enumerate(rows):
            self.preview.setItem(r, 0, QTableWidgetItem(str(self.table.line_of(r))))
            for c, key in enumerate(FIELDS, start=1):
                column = mapping.get(key)
                value = row[self.table.header.index(column)] if column else ""
                self.preview.setItem(r, c, QTableWidgetItem(value))
        self.preview.resizeColumnsToContents()
        missing = [FIELDS[k] for k in REQUIRED if k not in mapping]
        self.error.setText(f"Kies de kolom voor: {', '.join(missing)}." if missing else "")
        if hasattr(self, "check"):
            self.check.setEnabled(not missing)

    # --- page 2: the check ----------------------------------------------------------------------
    def _check_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        self.summary = QLabel("")
        self.summary.setObjectName("ScreenTitle")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.kept = hint_label("")
        layout.addWidget(self.kept)
        self.errors_label = QLabel("Deze regels zijn niet in orde; er wordt niets geïmporteerd tot ze zijn verbeterd:")
        self.errors_label.setObjectName("ErrorText")
        self.errors_label.setWordWrap(True)
        layout.addWidget(self.errors_label)
        self.errors = QListWidget()
        self.errors.setMaximumHeight(140)
        layout.addWidget(self.errors)
        self.only_changes = QCheckBox("Alleen nieuwe en gewijzigde kandidaten tonen")
        self.only_changes.setChecked(True)
        self.only_changes.toggled.connect(lambda _on: self._fill_changes())
        layout.addWidget(self.only_changes)
        self.changes = elide_headers(QTableWidget(0, 5))
        self.changes.setHorizontalHeaderLabels(["regel", "studentnummer", "naam", "wat", "wijzigingen (oud → nieuw)"])
        self.changes.verticalHeader().setVisible(False)
        self.changes.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.changes.setWordWrap(True)
        head = self.changes.horizontalHeader()
        for column in range(4):
            head.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        head.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.changes, 1)
        return page

    def show_mapping(self) -> None:
        self.pages.setCurrentIndex(0)
        self.back.hide()
        self.go.hide()
        self.check.show()
        self.check.setDefault(True)
        self._preview()

    def run_check(self) -> None:
        mapping, source = self.mapping(), self.source.currentText()
        self.check.setEnabled(False)

        def done(plan: ImportPlan) -> None:
            self.check.setEnabled(True)
            self.show_plan(plan)

        def failed(exc: Exception) -> None:
            self.check.setEnabled(True)
            if not isinstance(exc, ExamDeskError):
                raise exc
            self.error.setText(exc.message)

        run_in_background(self, lambda: self.service.preview_import(self.table, mapping, source), done, failed,
                          "Controleren…")

    def show_plan(self, plan: ImportPlan) -> None:
        self.plan = plan
        self.error.setText("")
        self.pages.setCurrentIndex(1)
        self.check.hide()
        self.back.show()
        self.go.show()
        changed = plan.added + plan.changed
        self.summary.setText(("Controle: " if not plan.errors else "Controle (nog niet te importeren): ")
                             + plan.summary)
        self.kept.setText(("Niet in het bestand — blijven bij bestaande kandidaten zoals ze zijn: "
                           + ", ".join(plan.unmapped) + ".") if plan.unmapped else
                          "Alle velden staan in het bestand.")
        self.errors.clear()
        for text in plan.errors:
            self.errors.addItem(text)
        for widget in (self.errors_label, self.errors):
            widget.setVisible(bool(plan.errors))
        self._fill_changes()
        self.go.setEnabled(not plan.errors and changed > 0)
        self.go.setText(f"&Importeren ({changed} {'wijziging' if changed == 1 else 'wijzigingen'})")
        self.go.setDefault(True)
        if not plan.errors and not changed:
            self.error.setText("Er verandert niets: alle kandidaten in het bestand staan er al zo in.")

    def _fill_changes(self) -> None:
        if self.plan is None:
            return
        rows = [c for c in self.plan.candidates if c.outcome != "ongewijzigd" or not self.only_changes.isChecked()]
        self.changes.setRowCount(len(rows))
        for r, c in enumerate(rows):
            values = [str(c.line), c.student_number, c.name, OUTCOME_LABELS[c.outcome],
                      "\n".join(f.sentence for f in c.changes)]
            for column, text in enumerate(values):
                item = QTableWidgetItem(text)
                if column == 4:
                    item.setToolTip(text)
                item.setTextAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
                self.changes.setItem(r, column, item)
        self.changes.resizeRowsToContents()

    # --- page 3: what was done ---------------------------------------------------------------------
    def _done_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        self.done_text = QLabel("")
        self.done_text.setObjectName("ScreenTitle")
        self.done_text.setWordWrap(True)
        self.done_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.done_text)
        layout.addStretch(1)
        return page

    def show_done(self, sentence: str) -> None:
        """The dialog stays open on what was done (added, changed, unchanged), so the import never ends in
        a dialog that merely closes; Sluiten (or Enter) closes it."""
        self.result_sentence = sentence
        self.done_text.setText(sentence)
        self.error.setText("")
        self.pages.setCurrentIndex(2)
        for button in (self.cancel, self.back, self.check, self.go):
            button.hide()
        self.close_button.show()
        self.close_button.setDefault(True)
        self.close_button.setFocus()

    # --- the import -----------------------------------------------------------------------------
    def run(self) -> None:
        plan = self.plan
        if plan is None or plan.errors:
            return
        self.go.setEnabled(False)

        def done(result: ImportResult) -> None:
            self.show_done(result.sentence)

        def failed(exc: Exception) -> None:
            self.go.setEnabled(True)
            if isinstance(exc, ExamDeskError):
                self.error.setText(exc.message)
            else:
                raise exc

        run_in_background(self, lambda: self.service.apply_import(self.table, plan), done, failed,
                          "Kandidaten importeren…")
