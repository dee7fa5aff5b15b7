"""Beheer → Instelling: the institution's name, BRIN, commission, place, the default late-admission limit
and the appeal term and body the decision letters print."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from examdesk.domain.errors import ExamDeskError
from examdesk.domain.institution import Institution
from examdesk.services.context import AppContext
from examdesk.services.institution import InstitutionService


class InstitutionTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.service = InstitutionService(ctx)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.name = QLineEdit()
        self.brin = QLineEdit()
        self.brin.setMaxLength(4)
        self.commission = QLineEdit()
        self.place = QLineEdit()
        self.late = QSpinBox()
        self.late.setRange(0, 30)
        self.late.setSuffix(" min")
        self.appeal_days = QSpinBox()
        self.appeal_days.setRange(1, 365)
        self.appeal_days.setSuffix(" dagen")
        self.appeal_body = QLineEdit()
        form.addRow("Naam instelling", self.name)
        form.addRow("BRIN-nummer", self.brin)
        form.addRow("Examencommissie", self.commission)
        form.addRow("Plaats", self.place)
        form.addRow("Te laat toegelaten tot", self.late)
        form.addRow("Beroepstermijn", self.appeal_days)
        form.addRow("Beroep bij", self.appeal_body)
        form_box = QWidget()
        form_box.setLayout(form)
        form_box.setMaximumWidth(760)
        layout.addWidget(form_box)
        hint = QLabel("Toelating te laat: hoogstens 30 minuten na de start (examenprotocol, punt 13). "
                      "Deze waarde is de standaard bij het plannen van een afname.")
        hint.setObjectName("Hint")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.save = QPushButton("Opslaan")
        self.save.setDefault(True)
        self.save.clicked.connect(self._save)
        self.status = QLabel("")
        row = QHBoxLayout()
        row.addWidget(self.save)
        row.addWidget(self.status, 1)
        layout.addLayout(row)
        layout.addStretch(1)

    def refresh(self) -> None:
        inst = self.service.get()
        self.name.setText(inst.name)
        self.brin.setText(inst.brin)
        self.commission.setText(inst.commission_name)
        self.place.setText(inst.place)
        self.late.setValue(inst.late_admission_minutes)
        self.appeal_days.setValue(inst.appeal_term_days)
        self.appeal_body.setText(inst.appeal_body)
        self.status.setText("")

    def _save(self) -> None:
        inst = Institution(self.name.text(), self.brin.text(), self.commission.text(), self.place.text(),
                           self.late.value(), self.appeal_days.value(), self.appeal_body.text())
        try:
            self.service.update(inst)
        except ExamDeskError as exc:
            self.status.setObjectName("ErrorText")
            self.status.setText(exc.message)
            self.status.style().polish(self.status)
            return
        self.status.setObjectName("Hint")
        self.status.setText("Opgeslagen.")
        self.status.style().polish(self.status)
