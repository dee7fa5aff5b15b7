"""The startup check as the user meets it: when the database is damaged or missing, say what happened,
that the damaged file is moved aside (not deleted), and offer the newest good backup — or, when only
indexes are damaged, to rebuild them without loss. When the database's keys are not on this PC, ask
for the key file first. After the window is shown, the full check runs in the background."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QDialogButtonBox, QLabel, QMessageBox, QVBoxLayout, QWidget

from examdesk.domain.backups import DatabaseState, StartupVerdict
from examdesk.domain.cancel import Cancellation, Cancelled
from examdesk.domain.clock import format_datetime
from examdesk.domain.errors import ExamDeskError
from examdesk.services.backup import RestoreResult, check_database, recover, repair
from examdesk.ui.common import show_error
from examdesk.ui.dialogs import BaseDialog
from examdesk.ui.worker import run_in_background


class RecoveryDialog(BaseDialog):
    """Accepted = the user chose to restore the newest good backup (`verdict.newest_good`), or — when
    only indexes are damaged — to rebuild them (`choice == "repair"`)."""

    def __init__(self, verdict: StartupVerdict, parent: QWidget | None = None):
        super().__init__(parent, "ExamDesk: database herstellen")
        self.verdict = verdict
        self.choice = "restore"
        backup = verdict.newest_good
        layout = QVBoxLayout(self)
        parts = ["\n".join(verdict.details) if len(verdict.details) > 1 else verdict.problem]
        if verdict.state is DatabaseState.DAMAGED:
            parts.append(f"Bij herstel wordt het beschadigde bestand niet verwijderd, maar opzij gezet als "
                         f"{verdict.path.name}.beschadigd-<datum>-<tijd> in {verdict.path.parent}, zodat het "
                         "later nog kan worden onderzocht.")
        parts.append(verdict.backup_sentence)
        if verdict.repairable:
            parts.append("Kies daarom bij voorkeur 'Indexen herstellen'.")
        if backup is not None:
            parts.append(f"Wilt u die back-up ({backup.name}) terugzetten? Wat na {format_datetime(backup.taken_at)} "
                         "is vastgelegd, staat daar niet in. Het herstel wordt in het auditlogboek vastgelegd.")
        self.message = QLabel("\n\n".join(parts))
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.setMinimumWidth(520)
        layout.addWidget(self.message)
        self.buttons = QDialogButtonBox()
        self.restore_button = None
        self.repair_button = None
        if verdict.repairable:
            self.repair_button = self.buttons.addButton("Indexen herstellen (geen verlies)",
                                                        QDialogButtonBox.ButtonRole.ActionRole)
            self.repair_button.clicked.connect(self._repair)
        if backup is not None:
            self.restore_button = self.buttons.addButton("Nieuwste goede back-up terugzetten",
                                                         QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton("ExamDesk afsluiten", QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def _repair(self) -> None:
        self.choice = "repair"
        self.accept()


def _report(parent: QWidget | None, result: RestoreResult) -> None:
    text = f"De back-up van {format_datetime(result.restored.taken_at)} is teruggezet."
    if result.moved_aside is not None:
        text += f" Het beschadigde bestand staat nu in {result.moved_aside}; het is niet verwijderd."
    QMessageBox.information(parent, "ExamDesk: hersteld", text)


def startup_recovery(parent: QWidget | None, db_path: Path, verdict: StartupVerdict | None = None) -> bool:
    """The launcher's startup check, before opening the database (and after `claim_database`).

    Returns True when the launcher may go on and open `db_path`: the database is fine, or this is a
    first start (no database and no backups), or it was just restored from the newest good backup.
    Returns False when ExamDesk should end: the user declined recovery, no good backup exists, the
    file is from a newer ExamDesk, or the restore itself failed — in each case the user has been told
    why, and no file was deleted. `verdict`: the check already made (the launcher's, on a thread after the
    login window was painted).
    """
    if verdict is None:
        verdict = check_database(Path(db_path), record=True)
    while verdict.state is DatabaseState.KEYS_MISSING:
        from examdesk.ui.admin.keys import (
            ImportKeysDialog,  # only when the keys are missing: not on every start
        )

        if not ImportKeysDialog(Path(db_path), parent, verdict.problem).exec():
            return False
        verdict = check_database(Path(db_path), record=True)
    if verdict.state in (DatabaseState.OK, DatabaseState.NEW):
        return True
    if verdict.state is DatabaseState.REFUSED:
        show_error(parent, verdict.problem, "ExamDesk kan de database niet openen")
        return False
    if verdict.newest_good is None and not verdict.repairable:
        show_error(parent, f"{verdict.problem} {verdict.backup_sentence} Het bestand is niet gewijzigd; "
                           "neem contact op met de beheerder.", "ExamDesk kan de database niet openen")
        return False
    dialog = RecoveryDialog(verdict, parent)
    if not dialog.exec():
        return False
    try:
        if dialog.choice == "repair":
            repaired = repair(verdict.path)
            QMessageBox.information(parent, "ExamDesk: hersteld",
                                    f"De indexen zijn opnieuw opgebouwd ({repaired.method}); er zijn geen gegevens "
                                    f"verloren gegaan. Het beschadigde bestand staat nu in {repaired.moved_aside}; "
                                    "het is niet verwijderd.")
            return True
        result = recover(verdict.path, verdict.newest_good.path, reason=verdict.problem)
    except ExamDeskError as exc:
        show_error(parent, exc, "Herstel mislukt")
        return False
    _report(parent, result)
    return True


class BackgroundCheck(QObject):
    """After the main window is shown: the full check (integrity, every chain from its first row, every
    witness) on a connection of its own, off the GUI thread and without a progress dialog. Starting
    stays fast; a problem found is still told the same day. `finished` carries the verdict."""

    finished = Signal(object)  # StartupVerdict

    def __init__(self, parent: QWidget, db_path: Path):
        super().__init__(parent)
        self.parent_widget = parent
        self.db_path = Path(db_path)
        self.cancel = Cancellation()     # closing stops it; a stopped check records nothing (issue 16)
        run_in_background(parent, lambda: check_database(self.db_path, find_backup=False, thorough=True,
                                                         record=True, cancel=self.cancel),
                          self._done, self._failed, quiet=True, cancel=self.cancel)

    def _done(self, verdict: StartupVerdict) -> None:
        self.finished.emit(verdict)
        if verdict.state in (DatabaseState.OK, DatabaseState.NEW, DatabaseState.REFUSED):
            return
        show_error(self.parent_widget,
                   "De volledige controle van de database heeft een probleem gevonden:\n\n"
                   + "\n".join(verdict.details or (verdict.problem,))
                   + "\n\nLaat de beheerder 'examdesk verify' uitvoeren; ExamDesk biedt bij de volgende start "
                     "aan de nieuwste goede back-up terug te zetten.", "ExamDesk: controle van de gegevens")

    def _failed(self, exc: Exception) -> None:
        if isinstance(exc, Cancelled):
            return                       # ExamDesk is closing; the next start checks again
        if not isinstance(exc, ExamDeskError):
            raise exc
        show_error(self.parent_widget, exc, "ExamDesk: controle van de gegevens")
