"""Confirming a key for signed exchange: the dialog that appears when a file is signed by a key this
database does not know yet, or by another key than the one it knows of that sender.

It shows both fingerprints two people read to each other over the phone — the one in the file, and
this computer's own — and, for a changed key, the one pinned before; it says who must confirm. At the
commission (and on a set-up exam PC) that is a beheerder: a user without that role types the
beheerder's name and password right here, so the beheerder need not take over the desk. On a fresh
exam PC the person setting it up confirms, together with the package's setup code.

Also `SetupCodeDialog`: a package for an exam PC that is already set up but was made with a setup code.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QCheckBox, QFormLayout, QLabel, QLineEdit, QWidget

from examdesk.domain.errors import ValidationError
from examdesk.domain.exchange_keys import ROLE_EXAM_PC, STATE_CHANGED, KeyNotTrusted
from examdesk.domain.roles import Action
from examdesk.services.auth import AuthService
from examdesk.services.context import AppContext
from examdesk.services.exchange_keys import ExchangeKeyService
from examdesk.ui.dialogs import FormDialog


def _fingerprint_label(text: str, bold: bool = True) -> QLabel:
    """16 groups of four on two lines of eight, in a fixed font: easy to read aloud and compare."""
    groups = text.split()
    label = QLabel("<br>".join(" ".join(groups[i:i + 8]) for i in range(0, len(groups), 8)))
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    font.setPointSize(font.pointSize() + 2)
    font.setBold(bold)
    label.setFont(font)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setObjectName("Fingerprint")
    return label


class KeyConfirmDialog(FormDialog):
    """`refusal` is the import's KeyNotTrusted. With `ctx` (a database that is set up) a beheerder pins the
    signer of `path`; with `on_setup` (a fresh exam PC) the setup code and the confirmed fingerprint are
    handed to it, and whatever it raises keeps the dialog open with the reason (a wrong code, say)."""

    def __init__(self, refusal: KeyNotTrusted, path: Path, ctx: AppContext | None = None,
                 on_setup: Callable[[str, str], Any] | None = None, parent: QWidget | None = None):
        # without its traceback: its frames would tie this dialog into a reference cycle, and PySide crashes
        # when the garbage collector breaks a cycle that holds a dialog (a later QDialog then segfaults)
        self.refusal = refusal.with_traceback(None)
        self.path, self.ctx, self.on_setup = Path(path), ctx, on_setup
        changed = refusal.state == STATE_CHANGED
        kind = refusal.envelope.kind_label
        if on_setup is not None:
            title, intro = "Nieuwe examenpc inrichten: sleutel van de examencommissie bevestigen", (
                f"Dit {kind} is ondertekend door <b>{refusal.sender_label}</b>. Deze examenpc kent die sleutel nog "
                "niet. Bel de examencommissie en lees elkaar de vingerafdrukken voor. Alleen als ze gelijk zijn: "
                "vink het aan en typ de instelcode die het examenbureau u apart van het bestand gaf.")
        elif changed:
            title, intro = "Andere sleutel dan vastgelegd", (
                f"Dit {kind} is ondertekend door <b>{refusal.sender_label}</b>, maar met een <b>andere sleutel</b> "
                "dan hier is vastgelegd. Dat kan een vervalsing zijn, of een nieuwe computer of database bij de "
                "afzender. Bevestig de nieuwe sleutel alleen na telefonisch contact; de oude wordt dan ingetrokken.")
        else:
            title, intro = "Nieuwe sleutel bevestigen", (
                f"Dit {kind} is ondertekend door <b>{refusal.sender_label}</b>, met een sleutel die deze database "
                "nog niet kent. Bel de afzender en lees elkaar de vingerafdrukken voor. Alleen als ze gelijk zijn, "
                "bevestigt een beheerder de sleutel; daarna worden bestanden met deze sleutel ingelezen.")
        super().__init__(parent, title, intro, ok_text="Sleutel vertrouwen")
        self.form.addRow("Vingerafdruk in het bestand:", _fingerprint_label(refusal.signer.fingerprint))
        if changed and refusal.previous is not None:
            self.form.addRow("Eerder vastgelegd:", _fingerprint_label(refusal.previous.display, bold=False))
        self.form.addRow("Vingerafdruk van deze computer\n(lees voor aan de afzender):",
                         _fingerprint_label(refusal.own_fingerprint, bold=False))
        # who confirms and the tick box span the dialog (a wrapped label in a form row is cut off); the
        # fields follow in a form of their own
        at = self.layout_.indexOf(self.error)
        who = QLabel("<b>Wie bevestigt:</b> " + (
            "wie deze examenpc inricht, na telefonisch contact met de examencommissie."
            if on_setup is not None else refusal.who_confirms))
        who.setWordWrap(True)
        who.setObjectName("WhoConfirms")
        self.layout_.insertWidget(at, who)
        self.compared = QCheckBox("Ik heb de vingerafdruk telefonisch vergeleken: hij is gelijk.")
        self.layout_.insertWidget(at + 1, self.compared)
        holder = QWidget(self)          # a widget (not a bare layout) so Qt owns it like every other child
        self.sign_form = QFormLayout(holder)
        self.sign_form.setContentsMargins(0, 0, 0, 0)
        self.layout_.insertWidget(at + 2, holder)
        self.setup_code: QLineEdit | None = None
        self.name: QLineEdit | None = None
        self.username: QLineEdit | None = None
        self.password: QLineEdit | None = None
        if on_setup is not None:
            self.setup_code = self._field("Instelcode", "XXXX-XXXX-XXXX-XXXX")
        else:
            if refusal.role == ROLE_EXAM_PC:
                self.name = self._field("Naam van deze examenpc", "bijv. laptop 3 of lokaal B1.04 (mag leeg)")
            if ctx is None or not ctx.can(Action.TRUST_EXCHANGE_KEY):
                self.username = self._field("Gebruikersnaam beheerder")
                self.password = self._field("Wachtwoord beheerder", password=True)
        self.setMinimumWidth(660)     # the fingerprints on two lines; the base fits the rest to the screen

    def _field(self, label: str, placeholder: str = "", password: bool = False) -> QLineEdit:
        edit = QLineEdit()
        edit.setPlaceholderText(placeholder)
        if password:
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.sign_form.addRow(label, edit)
        return edit

    def submit(self) -> Any:
        """What was confirmed: the setup's result, or the key now pinned (kept in `result_value`)."""
        if not self.compared.isChecked():
            raise ValidationError("Vink eerst aan dat u de vingerafdruk telefonisch hebt vergeleken en dat hij gelijk is.")
        fingerprint = self.refusal.signer.fingerprint
        if self.on_setup is not None:
            return self.on_setup(self.setup_code.text() if self.setup_code else "", fingerprint)
        ctx = self.ctx
        if self.username is not None:
            auth = AuthService(ctx.store, ctx.clock)
            ctx = AppContext(ctx.store, auth.login(self.username.text().strip(), self.password.text()), ctx.clock)
        return ExchangeKeyService(ctx).trust(self.path, fingerprint, self.name.text() if self.name else "")


class SetupCodeDialog(FormDialog):
    """The setup code of a package (read on an exam PC that is already set up)."""

    def __init__(self, file_name: str, parent: QWidget | None = None):
        super().__init__(parent, "Instelcode", f"{file_name} is versleuteld met een instelcode. Typ de code die het "
                         "examenbureau apart van het bestand doorgaf.", ok_text="Openen")
        self.code = self.field("Instelcode", placeholder="XXXX-XXXX-XXXX-XXXX")

    def submit(self) -> None:
        if not self.code.text().strip():
            raise ValidationError("Typ de instelcode.")
