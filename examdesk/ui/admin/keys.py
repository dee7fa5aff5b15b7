"""Beheer → Sleutels: the fingerprint of this database's key (to read aloud over the phone), where the
keys are kept, and exporting them to a passphrase-protected file; and the dialog that imports such a
file when a database's keys are missing on this PC (at startup, before anyone can log in)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from examdesk.domain.errors import ExamDeskError, ValidationError
from examdesk.domain.keys import MIN_PASSPHRASE
from examdesk.services.context import AppContext
from examdesk.services.keys import KeyService, import_key_file
from examdesk.ui.dialogs import FormDialog
from examdesk.ui.save_dialog import ask_open_path, ask_save_path

KEY_FILE_FILTER = "ExamDesk-sleutelbestand (*.examdesk-sleutels);;Alle bestanden (*)"


def _file_row(dialog: FormDialog, label: str, save: bool) -> QLineEdit:
    """A path field with 'Bladeren…' beside it."""
    edit = QLineEdit()
    browse = QPushButton("Bladeren…")

    def choose() -> None:
        if save:
            typed = Path(edit.text().strip()) if edit.text().strip() else None
            path, _ = ask_save_path(dialog, label, typed.name if typed else "examdesk-sleutels.examdesk-sleutels",
                                    KEY_FILE_FILTER)
        else:
            path, _ = ask_open_path(dialog, label, KEY_FILE_FILTER)
        if path:
            edit.setText(path)

    browse.clicked.connect(choose)
    holder = QWidget(dialog)
    row = QHBoxLayout(holder)
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(edit, 1)
    row.addWidget(browse)
    dialog.form.addRow(label, holder)
    return edit


class ExportKeysDialog(FormDialog):
    def __init__(self, service: KeyService, parent: QWidget | None = None):
        super().__init__(parent, "Sleutels exporteren",
                         "Het sleutelbestand is nodig om deze database op een andere computer te openen of een "
                         "back-up elders terug te zetten. Het wordt versleuteld met een wachtwoord van minstens "
                         f"{MIN_PASSPHRASE} tekens. Bewaar bestand en wachtwoord apart van elkaar en apart van "
                         "de back-ups.", ok_text="Exporteren")
        self.service = service
        self.path = _file_row(self, "Bestand", save=True)
        self.passphrase = self.field("Wachtwoord", password=True)
        self.repeated = self.field("Herhaal wachtwoord", password=True)
        self.written: Path | None = None
        self.setMinimumWidth(520)

    def submit(self) -> None:
        if not self.path.text().strip():
            raise ValidationError("Kies waar het sleutelbestand moet komen.")
        self.written = self.service.export(Path(self.path.text().strip()), self.passphrase.text(),
                                           self.repeated.text())


class ImportKeysDialog(FormDialog):
    """Accepted = the keys of `db_path` are on this computer now. At startup `problem` says why they
    are needed, and declining ends ExamDesk."""

    def __init__(self, db_path: Path, parent: QWidget | None = None, problem: str = ""):
        super().__init__(parent, "ExamDesk: sleutels ontbreken" if problem else "Sleutelbestand inlezen",
                         (f"{problem}<br><br>" if problem else "")
                         + "Kies het sleutelbestand dat de beheerder op de oorspronkelijke computer heeft "
                         "geëxporteerd, en typ het wachtwoord ervan. Bestaande sleutels worden nooit overschreven; "
                         "een bestand dat niet bij deze database hoort, wordt geweigerd.", ok_text="Inlezen")
        if problem:
            self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("ExamDesk afsluiten")
        self.db_path = Path(db_path)
        self.path = _file_row(self, "Sleutelbestand", save=False)
        self.passphrase = self.field("Wachtwoord", password=True)
        self.setMinimumWidth(520)

    def submit(self) -> None:
        if not self.path.text().strip():
            raise ValidationError("Kies het sleutelbestand.")
        import_key_file(self.db_path, Path(self.path.text().strip()), self.passphrase.text())


class KeysPanel(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.service = KeyService(ctx)
        layout = QVBoxLayout(self)
        self.intro = QLabel(
            "ExamDesk bewaart de sleutels van deze database buiten het databasebestand. Met de sleutel bewijst "
            "het auditlogboek dat niemand het buiten ExamDesk heeft herschreven; later ondertekent en versleutelt "
            "ExamDesk er ook afnamepakketten en back-ups mee. Zonder de sleutels kan deze database op een andere "
            "computer niet worden gecontroleerd of gebruikt: exporteer ze daarom en bewaar het bestand veilig.")
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        layout.addWidget(QLabel("Vingerafdruk van de sleutel (voor te lezen aan de telefoon):"))
        self.fingerprint = QLabel("")
        fixed = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        fixed.setPointSize(fixed.pointSize() + 2)
        self.fingerprint.setFont(fixed)
        self.fingerprint.setWordWrap(True)
        self.fingerprint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.fingerprint)
        self.where = QLabel("")
        self.where.setWordWrap(True)
        self.where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.where)
        buttons = QHBoxLayout()
        self.export_button = QPushButton("Sleutels exporteren…")
        self.export_button.clicked.connect(self.export)
        buttons.addWidget(self.export_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        layout.addStretch(1)
        self.refresh()

    def refresh(self) -> None:
        try:
            info = self.service.info()
        except ExamDeskError as exc:
            self.fingerprint.setText("—")
            self.where.setText(exc.message)
            self.export_button.setEnabled(False)
            return
        groups = info.fingerprint.split(" ")
        self.fingerprint.setText("  ".join(" ".join(groups[i:i + 4]) for i in range(0, len(groups), 4)))
        self.where.setText(f"Database-identiteit {info.database_id}. De sleutels staan in {info.where}.")
        self.export_button.setEnabled(True)

    def export(self) -> None:
        dialog = ExportKeysDialog(self.service, self)
        if dialog.exec() and dialog.written is not None:
            QMessageBox.information(self, "Sleutels geëxporteerd",
                                    f"De sleutels staan in {dialog.written}. Bewaar het bestand en het wachtwoord "
                                    "apart van elkaar.")
