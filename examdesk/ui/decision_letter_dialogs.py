"""The commission's two records about a decision letter, on the Incidenten screen: the answer whether a
candidate whose birth date is unknown was a minor on the decision date (asked before the letter is made), and
the day the letter was sent ("Brief verzonden op …"). Plain `FormDialog`s; the screen needs only a hook each."""

from __future__ import annotations

from datetime import date
from html import escape
from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QButtonGroup, QDateEdit, QPushButton, QRadioButton, QWidget

from examdesk.domain.errors import ValidationError
from examdesk.domain.incident_desk import Decision
from examdesk.domain.roles import Action
from examdesk.services.decision_letters import DecisionLetterService
from examdesk.ui.common import FormDialog


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
        self.minor.setFocus()

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
        self.sent_on = QDateEdit(QDate(today.year, today.month, today.day))
        self.sent_on.setCalendarPopup(True)
        self.sent_on.setDisplayFormat("dd-MM-yyyy")
        self.form.addRow("Verzonden op", self.sent_on)
        self.sent_on.setFocus()

    def submit(self) -> None:
        q = self.sent_on.date()
        self.service.record_dispatch(self.decision_id, date(q.year(), q.month(), q.day()))


def ensure_minor_answered(screen: Any, decision_id: str) -> bool:
    """Before a letter is made: when the birth date is unknown, the commission answers first (or nothing is made)."""
    service = DecisionLetterService(screen.ctx)
    question = service.state(decision_id).question
    if not question:
        return True
    if not screen.ctx.can(Action.DECIDE_INCIDENT):
        return True   # someone who may not answer: the service refuses the letter with the question
    return bool(screen.exec_dialog(MinorDialog(screen, service, decision_id, question)))


def letter_line(screen: Any, decision: Decision) -> str:
    """'<br>Brief verzonden op …; beroep mogelijk tot en met …' for a decision about a candidate with a letter, and
    the commission's answer when the birth date is unknown."""
    if decision.candidate_id is None:
        return ""
    state = DecisionLetterService(screen.ctx).state(decision.id)
    answered = ""
    if decision.minor is None and state.minor is not None:
        answered = f"<br>Minderjarig op de besluitdatum volgens de examencommissie: {'ja' if state.minor else 'nee'}"
    return answered + (f"<br>{escape(state.line)}" if decision.has_letter else "")


def dispatch_button(screen: Any, decision: Decision) -> QPushButton | None:
    """'Brief verzonden…' beside a letter that was made; records the day and refreshes the file."""
    if decision.candidate_id is None or not decision.has_letter or not screen.ctx.can(Action.DECIDE_INCIDENT):
        return None
    button = QPushButton("Brief verzonden…")

    def record() -> None:
        dialog = DispatchDialog(screen, DecisionLetterService(screen.ctx), decision, screen.ctx.clock().date())
        if screen.exec_dialog(dialog):
            screen._after()

    button.clicked.connect(record)
    return button
