"""Mijn gegevens: every logged-in user keeps their own function, phone and e-mail up to date (the
Inspectie form prints them as the submitter's) and changes their own password. Name and roles stay
with the beheerder (Beheer → Gebruikers)."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QWidget,
)

from examdesk.domain.errors import ValidationError
from examdesk.domain.users import PASSWORD_HINT, User, validate_contact
from examdesk.services.context import AppContext
from examdesk.services.users import UserService
from examdesk.ui.common import hint_label
from examdesk.ui.dialogs import FormDialog

CONTACT_NEEDED = "Het formulier vraagt uw telefoonnummer en e-mailadres."


class MyDetailsDialog(FormDialog):
    """With `require_contact` (before the Inspectie form) saving asks for both phone and e-mail."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, reason: str = "",
                 require_contact: bool = False):
        super().__init__(parent, "Mijn gegevens")
        self.service = UserService(ctx)
        self.require_contact = require_contact
        self.user: User = self.service.own_profile()
        self.password_changed = False
        self.reason = QLabel(f"<b>{escape(reason)}</b>")
        self.reason.setObjectName("CardWarning")
        self.reason.setWordWrap(True)
        self.reason.setVisible(bool(reason))
        self.layout_.insertWidget(0, self.reason)

        form = self.form
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
        hint = hint_label("Functie, telefoon en e-mail staan op het aanvraagformulier voor de Inspectie. Uw naam en "
                      "rollen wijzigt de beheerder.")
        form.addRow(hint)

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
        form.addRow(box)
        self.setMinimumWidth(480)
        # before the Inspectie form: straight to what is missing
        self.first_field = next((e for e in (self.phone, self.email) if require_contact and not e.text().strip()),
                                None)

    def submit(self) -> User:
        """Checks everything first, so a refused e-mail never leaves a half-done password change behind."""
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
        return self.user
