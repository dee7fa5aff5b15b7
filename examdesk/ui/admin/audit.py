"""Beheer → Auditlogboek: the hash-chained log, read-only, filtered by text, action, period and candidate
(student number: who looked at their data, what changed), paged as it grows, with a check of the whole chain."""

from __future__ import annotations

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from examdesk.domain.audit import AuditFilter
from examdesk.domain.clock import format_datetime, from_iso
from examdesk.domain.errors import ExamDeskError
from examdesk.domain.plural import counted
from examdesk.services.audit import AuditLine, AuditService
from examdesk.services.context import AppContext
from examdesk.ui.common import fit_columns, hint_label, list_view, show_error
from examdesk.ui.fields import calendar_date
from examdesk.ui.flow_layout import flow_row, together
from examdesk.ui.table_model import Column, TableModel


class AuditTab(QWidget):
    COLUMNS = [
        Column("Nr.", lambda line: line.entry.seq),
        Column("Tijdstip", lambda line: format_datetime(from_iso(line.entry.at))),
        Column("Gebruiker", lambda line: line.who),
        Column("Actie", lambda line: line.entry.action),
        Column("Object", lambda line: line.subject),
        Column("Details", lambda line: line.details),
    ]
    SHARING = (4, 5)     # Object and Details: the rest of the width

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.service = AuditService(ctx)
        layout = QVBoxLayout(self)
        holder, bar = flow_row()     # wraps at a large font instead of widening Beheer
        self.search = QLineEdit()
        self.search.setMinimumWidth(260)
        self.search.setPlaceholderText("Zoek in het logboek…")
        self.search.setClearButtonEnabled(True)
        self.action = QComboBox()
        self.use_dates = QCheckBox("Periode")
        self.date_from = calendar_date()
        self.date_to = calendar_date()
        for edit in (self.date_from, self.date_to):
            edit.setDate(QDate.currentDate())
        self.date_from.setDate(QDate.currentDate().addMonths(-1))
        self.date_from.setAccessibleName("Periode vanaf")
        self.date_to.setAccessibleName("Periode tot en met")
        self.verify_button = QPushButton("Keten controleren")
        self.candidate = QLineEdit()
        self.candidate.setPlaceholderText("kandidaat (studentnummer)")
        self.candidate.setClearButtonEnabled(True)
        self.candidate.setToolTip("Alleen wat over deze kandidaat gaat: wie het dossier, een besluit of de "
                                  "voorzieningen inzag, wat er is gewijzigd, een inzageverzoek.")
        self.candidate_id: int | None = None
        self.candidate.setMinimumWidth(200)
        bar.add(self.search, stretch=True)
        bar.add(self.candidate)
        self.action_unit = together(QLabel("Actie"), self.action)
        self.period = together(self.use_dates, self.date_from, QLabel("t/m"), self.date_to)   # never split
        bar.add(self.action_unit)
        bar.add(self.period)
        bar.add(self.verify_button)
        layout.addWidget(holder)
        self.count = QLabel("")
        self.count.setObjectName("Hint")
        layout.addWidget(self.count)
        self.model = TableModel(self.COLUMNS, self, count=self._count, fetch=self._fetch)
        self._sized = False
        # Object and Details share what is left, elided (the whole text the cell's tooltip); sized to their text
        # they ran off the right edge and the details could only be read by scrolling sideways
        self.table = fit_columns(list_view(self.model, grows=True), stretch=self.SHARING, sized_once=True)
        layout.addWidget(self.table, 1)
        note = hint_label("Het auditlogboek is alleen-lezen: regels kunnen niet worden gewijzigd of verwijderd. Elke "
                      "regel is met de vorige verbonden door een SHA-256-keten.")
        layout.addWidget(note)
        self.search.textChanged.connect(self.reload)
        self.action.currentIndexChanged.connect(self.reload)
        self.use_dates.toggled.connect(self.reload)
        self.date_from.dateChanged.connect(self.reload)
        self.date_to.dateChanged.connect(self.reload)
        self.verify_button.clicked.connect(self._verify)
        self.candidate.editingFinished.connect(self._choose_candidate)
        self.candidate.textChanged.connect(lambda text: self._choose_candidate() if not text else None)
        self.ctx = ctx

    def _filter(self) -> AuditFilter:
        action = self.action.currentData() or ""
        if self.use_dates.isChecked():
            d_from = self.date_from.date().toPython().isoformat()
            d_to = self.date_to.date().toPython().isoformat()
        else:
            d_from = d_to = ""
        return AuditFilter(self.search.text().strip(), action, "", d_from, d_to, self.candidate_id)

    def _choose_candidate(self) -> None:
        """The audit log of one candidate (who looked, what changed), by student number."""
        from examdesk.services.privacy import PrivacyService

        number = self.candidate.text().strip()
        chosen: int | None = None
        if number:
            try:
                chosen = PrivacyService(self.ctx).candidate_for_audit(number)
            except ExamDeskError as exc:
                show_error(self, exc, "Auditlogboek")
                return
        if chosen != self.candidate_id:
            self.candidate_id = chosen
            self.reload()

    def _count(self) -> int:
        return self.service.count(self._filter())

    def _fetch(self, offset: int, limit: int) -> list[AuditLine]:
        return self.service.lines(self._filter(), offset, limit)

    def refresh(self) -> None:
        current = self.action.currentData()
        self.action.blockSignals(True)
        self.action.clear()
        self.action.addItem("alle", "")
        for name in self.service.actions():
            self.action.addItem(name, name)
        index = self.action.findData(current)
        self.action.setCurrentIndex(max(index, 0))
        self.action.blockSignals(False)
        self.reload()

    def reload(self) -> None:
        self.model.reload()
        self.count.setText(counted(self.model.total, 'regel'))
        if self.model.rows and not self._sized and self.table.isVisible():
            # once, to the first rows on show (on every keystroke it asked each cell of the page again)
            self._sized = True
            for column in range(self.model.columnCount()):
                if column not in self.SHARING:
                    self.table.resizeColumnToContents(column)

    def _verify(self) -> None:
        verdict = self.service.verify()
        if verdict.ok:
            QMessageBox.information(self, "Auditketen", f"De auditketen klopt: {counted(verdict.checked, 'regel')} gecontroleerd.")
        else:
            show_error(self, f"De auditketen is verbroken. {verdict.reason}", "Auditketen")
