"""The commission's decision that a candidate gets more time (examenprotocol point 14: a late
candidate keeps the same end time *unless the commission decides otherwise*)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from examdesk.domain.clock import format_time
from examdesk.domain.errors import ExamDeskError
from examdesk.domain.sessions import SessionState
from examdesk.services.session_mode import SessionModeService
from examdesk.ui.common import BaseDialog


class EndTimeDialog(BaseDialog):
    def __init__(self, service: SessionModeService, state: SessionState, parent: QWidget | None = None):
        super().__init__(parent, "Eindtijd verlengen")
        self.service = service
        layout = QVBoxLayout(self)
        intro = QLabel("Een te laat gekomen kandidaat houdt dezelfde eindtijd, tenzij de examencommissie anders "
                       "beslist (examenprotocol, punt 14). Het besluit komt in het verslag van de afname.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.candidate = QComboBox()
        # candidates who came late first: they are who the rule is about
        ordered = sorted(state.candidates, key=lambda c: (c.status != "te_laat", c.entry.workstation))
        for c in ordered:
            if not c.at_work and c.status != "te_laat":
                continue
            end = format_time(c.end_time) if c.end_time else "—"
            self.candidate.addItem(f"{c.entry.workstation:02d}  {c.entry.name} · {c.status_label} · eindtijd {end}",
                                   c.candidate_id)
        self.minutes = QSpinBox()
        self.minutes.setRange(1, 120)
        self.minutes.setValue(15)
        self.minutes.setSuffix(" min extra")
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("bijvoorbeeld: trein uitgevallen, aangetoond met reisinformatie")
        form.addRow("Kandidaat", self.candidate)
        form.addRow("Extra tijd", self.minutes)
        form.addRow("Reden", self.reason)
        layout.addLayout(form)
        self.error = QLabel("")
        self.error.setObjectName("ErrorText")
        self.error.setWordWrap(True)
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Vastleggen")
        buttons.button(QDialogButtonBox.StandardButton.Ok).setDefault(True)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Annuleren")
        buttons.accepted.connect(self._submit)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(560)

    def _submit(self) -> None:
        if self.candidate.currentData() is None:
            self.error.setText("Er is geen kandidaat aan het werk in deze afname.")
            return
        try:
            self.service.decide_end_time(self.candidate.currentData(), self.minutes.value(), self.reason.text())
        except ExamDeskError as exc:
            self.error.setText(exc.message)
            return
        self.accept()
