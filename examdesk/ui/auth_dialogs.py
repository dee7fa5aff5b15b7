"""First-start setup and the login dialog.

The login dialog is the first thing a start draws (issue 16): this module imports only what drawing it needs;
the services, the database and the main window's modules come after the paint."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QWidget,
)

from examdesk.domain.errors import ValidationError
from examdesk.ui.dialogs import FormDialog, buttons_in_order

if TYPE_CHECKING:
    from examdesk.domain.users import User
    from examdesk.services.auth import AuthService

CHECKING = "Database wordt gecontroleerd…"
NOT_READY = "De database wordt nog gecontroleerd; een ogenblik geduld."


class SetupDialog(FormDialog):
    """Shown once, on an empty database: the institution and the first beheerder."""

    def __init__(self, auth: AuthService, parent: QWidget | None = None):
        from examdesk.domain.users import PASSWORD_HINT

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
        from examdesk.domain.institution import Institution

        if self.password.text() != self.password2.text():
            raise ValidationError("De twee wachtwoorden zijn niet gelijk.")
        inst = Institution(name=self.name.text(), brin=self.brin.text(), commission_name=self.commission.text(),
                           place=self.place.text())
        self.user = self.auth.setup(inst, self.username.text(), self.full_name.text(), self.password.text())


class LoginDialog(FormDialog):
    """The login. Drawn before the startup check (`auth` None): *Inloggen* stays disabled, with the line
    "Database wordt gecontroleerd…", until `ready` says the check passed and gives the opened database's
    `auth` — nothing the check protects is reachable before (issue 16).

    `warm_up` (optional) runs on the GUI thread while the password is verified on a thread of its own
    (argon2 releases the GIL): the launcher loads the main window's modules there."""

    painted = Signal()   # once, after the first paint: the launcher's startup check follows it

    def __init__(self, auth: AuthService | None, institution_line: str, db_label: str,
                 parent: QWidget | None = None, warm_up: Callable[[], object] | None = None):
        self.db_label = db_label
        super().__init__(parent, "Inloggen – ExamDesk", self._intro(institution_line if auth else CHECKING),
                         ok_text="Inloggen")
        self.auth = auth
        self.warm_up = warm_up
        self.user: User | None = None
        self._painted = False
        self.username = self.field("Gebruikersnaam")
        self.password = self.field("Wachtwoord", password=True)
        self.setMinimumWidth(380)
        self.ok_button.setEnabled(auth is not None)

    # Drawn first thing on every start (issue 16), so drawn without PySide6's Qt namespace, whose 93 enums take
    # ~50 ms to build the first time anything touches them: two fields need no scroll area, their reading order
    # is named here instead of walked (walking asks each widget its focus policy, a Qt enum), and the cursor
    # goes into the empty name field without a focus reason. `tests/ui/test_launch_first_paint.py` holds both.
    scrolls = False

    def fields(self) -> list[QWidget]:
        return [self.username, self.password, *buttons_in_order(self.buttons)]

    def focus_first(self, order: list[QWidget]) -> None:
        self.username.setFocus()

    def _intro(self, first_line: str) -> str:
        return f"<b>{first_line}</b><br>{self.db_label}"

    def ready(self, auth: AuthService, institution_line: str) -> None:
        """The startup check passed and the database is open: *Inloggen* may be used."""
        self.auth = auth
        self.intro.setText(self._intro(institution_line))
        self.ok_button.setEnabled(True)

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt API)
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            self.painted.emit()

    def ok(self) -> None:
        if self.auth is None:      # Enter before the check passed: the button is disabled, so is this
            self.show_error(NOT_READY)
            return
        super().ok()

    def submit(self) -> None:
        if self.auth is None:
            raise ValidationError(NOT_READY)
        auth, outcome = self.auth, {}
        name, password = self.username.text(), self.password.text()

        def verify() -> None:
            try:
                outcome["user"] = auth.login(name, password)
            except Exception as exc:  # handed to the GUI thread below
                outcome["error"] = exc

        worker = threading.Thread(target=verify, name="examdesk-login", daemon=True)
        worker.start()
        if self.warm_up is not None:
            self.warm_up()      # the main window's modules load while argon2 works
        worker.join()
        if "error" in outcome:
            self.password.clear()
            self.password.setFocus()
            raise outcome["error"]
        self.user = outcome["user"]
