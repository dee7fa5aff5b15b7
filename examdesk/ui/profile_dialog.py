"""Mijn gegevens: every logged-in user keeps their own function, phone and e-mail up to date (the
Inspectie form prints them as the submitter's) and changes their own password. Name and roles stay
with the beheerder (Beheer → Gebruikers)."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from examdesk.domain.errors import ExamDeskError, ValidationError
from examdesk.domain.users import PASSWORD_HINT, User, validate_contact
from examdesk.services.context import AppContext
from examdesk.services.users import UserService
from examdesk.ui.common import BaseDialog

CONTACT_NEEDED = "Het formulier vraagt uw telefoonnummer en e-mailadres."


class MyDetailsDialog(BaseDialog):
    """With `require_contact` (before the Inspectie form) saving asks for both phone and e-mail."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, reason: str = "",
                 require_contact: bool = False):
        super().__init__(parent, "Mijn gegevens")
        self.service = UserService(ctx)
        self.require_contact = require_contact
        self.user: User = self.service.own_profile()
        self.password_changed = False
        layout = QVBoxLayout(self)
        self.reason = QLabel(f"<b>{escape(reason)}</b>")
        self.reason.setObjectName("CardWarning")
        self.reason.setWordWrap(True)
        self.reason.setVisible(bool(reason))
        layout.addWidget(self.reason)

        form = QFormLayout()
        self.name = QLabel(f"<b>{escape(self.user.full_name)}</b>")
        form.addRow("Naam", self.name)
        form.addRow("Gebruikersnaam", QLabel(escape(self.user.username)))
        form.addRow("Rollen", QLabel(escape(self.user.roles_label)))
        self.function = QLineEdit(self.user.function)
        self.function.setPlaceholderText("bijvoorbeeld secretaris examencommissie")
        self.phone = QLineEdit(self.user.phone)
        self.phone.setPlaceholderText("bijvoorbeeld 0182 556 210")
        self.email = QLineEdit(self.user.email)
        self.email.setPlaceholderText("naam@school.nl")
        form.addRow("&Functie", self.function)
        form.addRow("&Telefoon", self.phone)
        form.addRow("&E-mail", self.email)
        layout.addLayout(form)
        hint = QLabel("Functie, telefoon en e-mail staan op het aanvraagformulier voor de Inspectie. Uw naam en "
                      "rollen wijzigt de beheerder.")
        hint.setObjectName("Hint")
        hint.setWordWrap(True)
        layout.addWidget(hint)

        box = QGroupBox("Wachtwoord wijzigen (laat leeg om het te houden)")
        password_form = QFormLayout(box)
        self.old_password = QLineEdit()
        self.new_password = QLineEdit()
        self.new_password2 = QLineEdit()
        for edit in (self.old_password, self.new_password, self.new_password2):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.new_password.setPlaceholderText(PASSWORD_HINT)
        password_form.addRow("&Huidig wachtwoord", self.old_password)
        password_form.addRow("&Nieuw wachtwoord", self.new_password)
        password_form.addRow("Herhaal nieuw wachtwoord", self.new_password2)
        layout.addWidget(box)

        self.error = QLabel("")
        self.error.setObjectName("ErrorText")
        self.error.setWordWrap(True)
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Opslaan")
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setDefault(True)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Annuleren")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(480)
        first_empty = next((e for e in (self.phone, self.email) if require_contact and not e.text().strip()),
                           self.function)
        first_empty.setFocus()

    def save(self) -> None:
        """Checks everything first, so a refused e-mail never leaves a half-done password change behind."""
        try:
            validate_contact(self.phone.text(), self.email.text())
            if self.require_contact and not (self.phone.text().strip() and self.email.text().strip()):
                raise ValidationError(f"{CONTACT_NEEDED} Vul ze allebei in.")
            wants_password = any(e.text() for e in (self.old_password, self.new_password, self.new_password2))
            if wants_password:
                if self.new_password.text() != self.new_password2.text():
                    raise ValidationError("De twee nieuwe wachtwoorden zijn niet gelijk.")
                self.service.change_own_password(self.old_password.text(), self.new_password.text())
                self.password_changed = True
                for edit in (self.old_password, self.new_password, self.new_password2):
                    edit.clear()
            self.user = self.service.update_own_profile(self.function.text(), self.phone.text(), self.email.text())
        except ExamDeskError as exc:
            self.error.setText(exc.message)
            return
        self.accept()
