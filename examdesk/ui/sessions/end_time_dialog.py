"""The commission's decision that a candidate gets more time (examenprotocol point 14: a late
candidate keeps the same end time *unless the commission decides otherwise*)."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QSpinBox, QWidget

from examdesk.domain.clock import format_time
from examdesk.domain.errors import ValidationError
from examdesk.domain.session_state import CandidateStatus
from examdesk.domain.sessions import SessionState
from examdesk.services.session_mode import SessionModeService
from examdesk.ui.dialogs import FormDialog
from examdesk.ui.house_style import house_spin


class EndTimeDialog(FormDialog):
    def __init__(self, service: SessionModeService, state: SessionState, parent: QWidget | None = None):
        super().__init__(parent, "Eindtijd verlengen",
                         "Een te laat gekomen kandidaat houdt dezelfde eindtijd, tenzij de examencommissie anders "
                         "beslist (examenprotocol, punt 14). Het besluit komt in het verslag van de afname.",
                         ok_text="Vastleggen")
        self.service = service
        self.candidate = QComboBox()
        # candidates who came late first: they are who the rule is about
        ordered = sorted(state.candidates, key=lambda c: (c.status != CandidateStatus.TE_LAAT, c.entry.workstation))
        for c in ordered:
            if not c.at_work and c.status != CandidateStatus.TE_LAAT:
                continue
            end = format_time(c.end_time) if c.end_time else "—"
            self.candidate.addItem(f"{c.entry.workstation:02d}  {c.entry.name} · {c.status_label} · eindtijd {end}",
                                   c.candidate_id)
        self.minutes = house_spin(QSpinBox())
        self.minutes.setRange(1, 120)
        self.minutes.setValue(15)
        self.minutes.setSuffix(" min extra")
        self.form.addRow("Kandidaat", self.candidate)
        self.form.addRow("Extra tijd", self.minutes)
        self.reason = self.field("Reden", placeholder="bijvoorbeeld: trein uitgevallen, aangetoond met reisinformatie")
        self.setMinimumWidth(560)

    def submit(self) -> None:
        if self.candidate.currentData() is None:
            raise ValidationError("Er is geen kandidaat aan het werk in deze afname.")
        self.service.decide_end_time(self.candidate.currentData(), self.minutes.value(), self.reason.text())
