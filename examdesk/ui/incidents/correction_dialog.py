"""The commission corrects what was recorded about an incident (after the session closed, or once it owns the
case), with its reason: `IncidentDeskService.correct` appends the correction to the session's record, where it
stands beside the original on the desk and the procesverbaal. A plain `FormDialog`; the Incidenten screen
opens it from its 'Corrigeren' button (`IncidentsScreen.correct`)."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QComboBox, QPlainTextEdit, QWidget

from examdesk.domain.errors import ValidationError
from examdesk.domain.sessions import IncidentInput
from examdesk.services.incident_desk import IncidentCase, IncidentDeskService
from examdesk.services.session_mode import SessionModeService
from examdesk.ui.dialogs import FormDialog
from examdesk.ui.fields import checked_values, checklist


def _text_box(text: str, height: int = 70) -> QPlainTextEdit:
    box = QPlainTextEdit(text)
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
        roster = SessionModeService(service.ctx, case.row.session_id).roster
        self.candidates = checklist([(e.candidate_id, f"{e.workstation:02d} {e.name}") for e in roster],
                                    set(p.candidate_ids))
        self.form.addRow("Kandidaten", self.candidates)
        self.what_happened = _text_box(p.what_happened)
        self.form.addRow("Wat gebeurde er?", self.what_happened)
        self.what_was_done = _text_box(p.what_was_done)
        self.form.addRow("Wat is gedaan?", self.what_was_done)
        self.reason = _text_box("", 60)
        self.reason.setPlaceholderText("Waarom corrigeert de examencommissie dit? (verplicht)")
        self.form.addRow("Reden", self.reason)
        self.resize(640, 620)

    def chosen(self) -> tuple[int, ...]:
        return tuple(checked_values(self.candidates))

    def submit(self) -> None:
        everyone = self.everyone.isChecked()
        if everyone and self.chosen():
            raise ValidationError("Kies 'alle kandidaten' of losse kandidaten, niet allebei.")
        self.service.correct(self.incident_id, IncidentInput(
            self.category.currentData(), self.occurred_at, () if everyone else self.chosen(), everyone,
            self.duration, self.what_happened.toPlainText(), self.what_was_done.toPlainText()), self.reason.toPlainText())
