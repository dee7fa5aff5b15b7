"""The commission's two records about a decision letter, on the Incidenten screen: the answer whether a
candidate whose birth date is unknown was a minor on the decision date (asked before the letter is made), and
the day the letter was sent ("Brief verzonden op …"). Plain `FormDialog`s; the screen opens them
(`IncidentsScreen.ask_minor`, `IncidentsScreen.record_dispatch`) and `services.incident_file` says on the
decision card what was recorded."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QButtonGroup, QRadioButton, QWidget

from examdesk.domain.errors import ValidationError
from examdesk.domain.incident_desk import Decision
from examdesk.services.decision_letters import DecisionLetterService
from examdesk.ui.dialogs import FormDialog
from examdesk.ui.fields import date_edit, pydate


class MinorDialog(FormDialog):
    """'Was the candidate a minor on the decision date?' — both answers explicit, neither chosen at first."""

    def __init__(self, parent: QWidget | None, service: DecisionLetterService, decision_id: str, question: str):
        super().__init__(parent, "Minderjarig op de besluitdatum?", question, ok_text="Vastleggen")
        self.service = service
        self.decision_id = decision_id
        self.minor = QRadioButton("Ja, minderjarig: een afschrift gaat naar de wettelijke vertegenwoordigers")
        self.adult = QRadioButton("Nee, meerderjarig")
        self.choice = QButtonGroup(self)
        self.choice.addButton(self.minor)
        self.choice.addButton(self.adult)
        self.form.addRow(self.minor)
        self.form.addRow(self.adult)
        self.note = self.field("Toelichting", placeholder="bijvoorbeeld: geboortedatum opgevraagd bij de "
                                                           "studentenadministratie")

    def submit(self) -> None:
        if not (self.minor.isChecked() or self.adult.isChecked()):
            raise ValidationError("Kies of de kandidaat op de besluitdatum minderjarig was.")
        self.service.answer_minor(self.decision_id, self.minor.isChecked(), self.note.text())


class DispatchDialog(FormDialog):
    """'Brief verzonden op …': the appeal term runs from the day after."""

    def __init__(self, parent: QWidget | None, service: DecisionLetterService, decision: Decision, today: date):
        super().__init__(parent, f"Brief van besluit {decision.number} verzonden",
                         "Op welke dag is de brief verzonden? De beroepstermijn loopt vanaf de dag na verzending.",
                         ok_text="Vastleggen")
        self.service = service
        self.decision_id = decision.id
        self.sent_on = date_edit(today)
        self.form.addRow("Verzonden op", self.sent_on)

    def submit(self) -> None:
        self.service.record_dispatch(self.decision_id, pydate(self.sent_on.date()))
