"""First-start setup and the login dialog."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QWidget,
)

from examdesk.domain.errors import ExamDeskError
from examdesk.domain.institution import Institution
from examdesk.domain.users import PASSWORD_HINT, User
from examdesk.services.auth import AuthService
from examdesk.ui.dialogs import FormDialog


class SetupDialog(FormDialog):
    """Shown once, on an empty database: the institution and the first beheerder."""

    def __init__(self, auth: AuthService, parent: QWidget | None = None):
        super().__init__(parent, "ExamDesk inrichten",
                         "Welkom bij ExamDesk. Vul de gegevens van de instelling in en maak het eerste "
                         "beheerdersaccount aan.", ok_text="Inrichten")
        self.auth = auth
        self.user: User | None = None
        self.name = self.field("Naam instelling", placeholder="ROC Voorbeeld")
        self.brin = self.field("BRIN-nummer", placeholder="25PZ")
        self.commission = self.field("Examencommissie", placeholder="Examencommissie Zorg en Welzijn")
        self.place = self.field("Plaats")
        self.username = self.field("Gebruikersnaam beheerder", placeholder="beheerder")
        self.full_name = self.field("Naam beheerder")
        self.password = self.field("Wachtwoord", password=True, placeholder=PASSWORD_HINT)
        self.password2 = self.field("Herhaal wachtwoord", password=True)
        package = self.buttons.addButton("Afnamepakket inlezen…", QDialogButtonBox.ButtonRole.ActionRole)
        package.setToolTip("Examenpc: richt deze database in met een afnamepakket van het examenbureau; "
                           "de surveillanten loggen daarna in met hun eigen wachtwoord.")
        package.clicked.connect(lambda: self.from_package())
        self.setMinimumWidth(480)

    def from_package(self, path: str | None = None) -> None:
        """An exam PC is set up from a session package instead; the login dialog follows (user None)."""
        from examdesk.services.context import AppContext
        from examdesk.ui.exchange_dialog import setup_from_package

        if setup_from_package(self, AppContext(self.auth.store, None, self.auth.clock), path):
            self.user = None
            self.accept()

    def submit(self) -> None:
        from examdesk.domain.errors import ValidationError

        if self.password.text() != self.password2.text():
            raise ValidationError("De twee wachtwoorden zijn niet gelijk.")
        inst = Institution(name=self.name.text(), brin=self.brin.text(), commission_name=self.commission.text(),
                           place=self.place.text())
        self.user = self.auth.setup(inst, self.username.text(), self.full_name.text(), self.password.text())


class LoginDialog(FormDialog):
    def __init__(self, auth: AuthService, institution_line: str, db_label: str, parent: QWidget | None = None):
        super().__init__(parent, "Inloggen – ExamDesk", f"<b>{institution_line}</b><br>{db_label}",
                         ok_text="Inloggen")
        self.auth = auth
        self.user: User | None = None
        self.username = self.field("Gebruikersnaam")
        self.password = self.field("Wachtwoord", password=True)
        self.username.setFocus(Qt.FocusReason.OtherFocusReason)
        self.setMinimumWidth(380)

    def submit(self) -> None:
        try:
            self.user = self.auth.login(self.username.text(), self.password.text())
        except ExamDeskError:
            self.password.clear()
            self.password.setFocus()
            raise
