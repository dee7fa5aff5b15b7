"""The commission corrects what was recorded about an incident (after the session closed, or once it owns the
case), with its reason: `IncidentDeskService.correct` appends the correction to the session's record, where it
stands beside the original on the desk and the procesverbaal. A plain `FormDialog` and a button function, so
the Incidenten screen needs one line for it."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QListWidget, QListWidgetItem, QPlainTextEdit, QWidget

from examdesk.domain.errors import ValidationError
from examdesk.domain.sessions import IncidentInput
from examdesk.services.incident_desk import IncidentCase, IncidentDeskService
from examdesk.services.session_mode import SessionModeService
from examdesk.ui.common import FormDialog


def _text_box(text: str, height: int = 70) -> QPlainTextEdit:
    box = QPlainTextEdit(text)
    box.setTabChangesFocus(True)
    box.setFixedHeight(height)
    return box


class IncidentCorrectionDialog(FormDialog):
    def __init__(self, parent: QWidget | None, service: IncidentDeskService, case: IncidentCase):
        super().__init__(parent, "Incident corrigeren (examencommissie)",
                         "De correctie komt in het verslag van de afname en op het procesverbaal, naast wat zij "
                         "corrigeert; de reden is verplicht.", ok_text="Corrigeren")
        self.service = service
        self.incident_id = case.row.incident_id
        self.occurred_at = case.current.occurred
        p = case.payload
        self.duration = p.duration_minutes
        self.category = QComboBox()
        for c in service.catalogue.categories:
            self.category.addItem(c.label, c.code)
        self.category.setCurrentIndex(max(0, self.category.findData(p.category)))
        self.form.addRow("Categorie", self.category)
        self.everyone = QCheckBox("alle kandidaten")
        self.everyone.setChecked(p.all_candidates)
        self.form.addRow("", self.everyone)
        self.candidates = QListWidget()
        self.candidates.setMaximumHeight(140)
        for entry in SessionModeService(service.ctx, case.row.session_id).roster:
            item = QListWidgetItem(f"{entry.workstation:02d} {entry.name}")
            item.setData(Qt.ItemDataRole.UserRole, entry.candidate_id)
            item.setCheckState(Qt.CheckState.Checked if entry.candidate_id in p.candidate_ids
                               else Qt.CheckState.Unchecked)
            self.candidates.addItem(item)
        self.form.addRow("Kandidaten", self.candidates)
        self.what_happened = _text_box(p.what_happened)
        self.form.addRow("Wat gebeurde er?", self.what_happened)
        self.what_was_done = _text_box(p.what_was_done)
        self.form.addRow("Wat is gedaan?", self.what_was_done)
        self.reason = _text_box("", 60)
        self.reason.setPlaceholderText("Waarom corrigeert de examencommissie dit? (verplicht)")
        self.form.addRow("Reden", self.reason)
        self.resize(640, 620)
        self.category.setFocus()

    def chosen(self) -> tuple[int, ...]:
        return tuple(self.candidates.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.candidates.count())
                     if self.candidates.item(i).checkState() == Qt.CheckState.Checked)

    def submit(self) -> None:
        everyone = self.everyone.isChecked()
        if everyone and self.chosen():
            raise ValidationError("Kies 'alle kandidaten' of losse kandidaten, niet allebei.")
        self.service.correct(self.incident_id, IncidentInput(
            self.category.currentData(), self.occurred_at, () if everyone else self.chosen(), everyone,
            self.duration, self.what_happened.toPlainText(), self.what_was_done.toPlainText()), self.reason.toPlainText())


def correct_incident(screen: Any) -> bool:
    """`screen` is the Incidenten screen with an incident on show."""
    return screen._run(IncidentCorrectionDialog(screen, screen.service, screen.case))
