"""Beheer → Instelling: the institution's name, BRIN, commission, place, the default late-admission limit
and the appeal term and body the decision letters print, and how many commission members decide a sanction."""

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
from examdesk.services.casework import CaseworkService
from examdesk.services.context import AppContext
from examdesk.services.institution import InstitutionService
from examdesk.ui.common import hint_label
from examdesk.ui.house_style import house_spin
from examdesk.ui.unsaved import UnsavedInput


class InstitutionTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.service = InstitutionService(ctx)
        self.casework = CaseworkService(ctx)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.name = QLineEdit()
        self.brin = QLineEdit()
        self.brin.setMaxLength(4)
        self.commission = QLineEdit()
        self.place = QLineEdit()
        self.late = house_spin(QSpinBox())
        self.late.setRange(0, 30)
        self.late.setSuffix(" min")
        self.appeal_days = house_spin(QSpinBox())
        self.appeal_days.setRange(1, 365)
        self.appeal_days.setSuffix(" dagen")
        self.appeal_body = QLineEdit()
        self.sanction_members = house_spin(QSpinBox())
        self.sanction_members.setRange(1, 9)
        self.sanction_members.setSuffix(" leden")
        self.sanction_members.setToolTip("Zoveel leden van de examencommissie besluiten een sanctie (maatregel van "
                                         "punt 8), ieder met de eigen inlog")
        form.addRow("Naam instelling", self.name)
        form.addRow("BRIN-nummer", self.brin)
        form.addRow("Examencommissie", self.commission)
        form.addRow("Plaats", self.place)
        form.addRow("Te laat toegelaten tot", self.late)
        form.addRow("Beroepstermijn", self.appeal_days)
        form.addRow("Beroep bij", self.appeal_body)
        form.addRow("Sanctie besloten door", self.sanction_members)
        form_box = QWidget()
        form_box.setLayout(form)
        form_box.setMaximumWidth(760)
        layout.addWidget(form_box)
        hint = hint_label("Toelating te laat: hoogstens 30 minuten na de start (examenprotocol, punt 13). "
                      "Deze waarde is de standaard bij het plannen van een afname.")
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
        self.unsaved = UnsavedInput(self, "de gegevens van de instelling", (
            self.name, self.brin, self.commission, self.place, self.late, self.appeal_days, self.appeal_body,
            self.sanction_members), self._save, self.refresh)

    def refresh(self) -> None:
        if self.unsaved.changed():
            return               # coming back to the tab: what was typed stays until saved or thrown away
        inst = self.service.get()
        self.name.setText(inst.name)
        self.brin.setText(inst.brin)
        self.commission.setText(inst.commission_name)
        self.place.setText(inst.place)
        self.late.setValue(inst.late_admission_minutes)
        self.appeal_days.setValue(inst.appeal_term_days)
        self.appeal_body.setText(inst.appeal_body)
        self.sanction_members.setValue(self.casework.members_per_sanction())
        self.status.setText("")
        self.unsaved.loaded()

    def _save(self) -> bool:
        inst = Institution(self.name.text(), self.brin.text(), self.commission.text(), self.place.text(),
                           self.late.value(), self.appeal_days.value(), self.appeal_body.text())
        try:
            self.service.update(inst)
            if self.sanction_members.value() != self.casework.members_per_sanction():
                self.casework.set_members_per_sanction(self.sanction_members.value())
        except ExamDeskError as exc:
            self.status.setObjectName("ErrorText")
            self.status.setText(exc.message)
            self.status.style().polish(self.status)
            return False
        self.unsaved.loaded()
        self.status.setObjectName("Hint")
        self.status.setText("Opgeslagen.")
        self.status.style().polish(self.status)
        return True
