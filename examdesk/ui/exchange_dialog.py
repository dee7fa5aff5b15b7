"""Uitwisselen: session packages to the exam room, records back, and reading either in — always
after showing what the file will add. Also the exam PC's first start from a package.

Files are signed and encrypted (docs/exchange.md). A package goes to a pinned exam PC or, for a fresh
one, under a setup code shown once; a file signed by a key not trusted here opens the key confirmation
(`ui/key_confirm_dialog.py`), a package made with a setup code asks for the code."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from examdesk.domain.clock import format_date, format_time
from examdesk.domain.errors import ExamDeskError
from examdesk.domain.exchange import KIND_PACKAGE, KIND_RECORD, ImportSummary
from examdesk.domain.exchange_keys import KeyNotTrusted, SetupCodeNeeded
from examdesk.domain.plural import counted
from examdesk.domain.roles import Action
from examdesk.domain.sessions import SessionPlan
from examdesk.services.context import AppContext
from examdesk.services.exchange import (
    ExchangeService,
    ExportResult,
    default_file_name,
    import_into_new_database,
)
from examdesk.services.window_settings import EXCHANGE_FOLDER
from examdesk.ui.common import fit_to_screen, show_error, wrap_lines
from examdesk.ui.dialogs import BaseDialog
from examdesk.ui.flow_layout import flow_row
from examdesk.ui.key_confirm_dialog import KeyConfirmDialog, SetupCodeDialog
from examdesk.ui.save_dialog import ask_open_path, ask_save_path
from examdesk.ui.worker import run_in_background

FILE_FILTER = "ExamDesk-uitwisselbestand (*.examdesk)"


class _ExportTab(QWidget):
    """A list of sessions to tick and one button that saves them as one file."""

    def __init__(self, dialog: ExchangeDialog, kind: str, intro: str, plans: list[SessionPlan]):
        super().__init__()
        self.dialog = dialog
        self.kind = kind
        layout = QVBoxLayout(self)
        label = QLabel(intro)
        label.setWordWrap(True)
        layout.addWidget(label)
        self.list = wrap_lines(QListWidget())
        for p in plans:
            item = QListWidgetItem(f"{format_date(p.session_date)} {format_time(p.starts_at)}  {p.title}  ·  "
                                   f"{p.room_label}  ·  {counted(p.candidate_count, 'kandidaat')}  ·  {p.status}")
            item.setData(Qt.ItemDataRole.UserRole, p)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.list.addItem(item)
        if not plans:
            self.list.addItem(QListWidgetItem("Er zijn nu geen afnames om uit te wisselen."))
        layout.addWidget(self.list, 1)
        self.recipient: QComboBox | None = None
        self.save_button = QPushButton("Opslaan als…")
        self.save_button.setEnabled(bool(plans))
        self.save_button.clicked.connect(self.save_as)
        if kind == KIND_PACKAGE:
            self.recipient = QComboBox()
            self.recipient.addItem("een nieuwe examenpc (met een instelcode, die eenmaal wordt getoond)", None)
            for key in dialog.service.package_recipients():
                self.recipient.addItem(f"{key.label} ({key.display[:19]} …)", key.fingerprint)
            # the whole choice on one line with its label and the button where that fits; at 200 % font the
            # line wraps instead of making the dialog wider than a laptop screen
            holder, flow = flow_row()
            flow.add(QLabel("Versleutelen voor:"))
            flow.add(self.recipient, stretch=True)
            flow.add(self.save_button)
            layout.addWidget(holder)
        else:
            row = QHBoxLayout()
            row.addStretch(1)
            row.addWidget(self.save_button)
            layout.addLayout(row)

    def checked(self) -> list[SessionPlan]:
        plans = []
        for n in range(self.list.count()):
            item = self.list.item(n)
            if item.checkState() == Qt.CheckState.Checked and item.data(Qt.ItemDataRole.UserRole) is not None:
                plans.append(item.data(Qt.ItemDataRole.UserRole))
        return plans

    def save_as(self) -> None:
        plans = self.checked()
        if not plans:
            self.dialog.status.setText("Vink eerst de afnames aan.")
            return
        name = default_file_name(self.kind, plans, self.dialog.ctx.clock().date())
        path, _ = ask_save_path(self, "Opslaan als", name, FILE_FILTER, folder=EXCHANGE_FOLDER)
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> None:
        service = self.dialog.service
        ids = [p.id for p in self.checked()]
        recipient = self.recipient.currentData() if self.recipient is not None else None
        work = (lambda: service.export_package(ids, path, recipient)) if self.kind == KIND_PACKAGE else (
            lambda: service.export_record(ids, path))
        run_in_background(self.dialog, work, self.dialog.exported, self.dialog.failed, "Bestand maken…")


class ExchangeDialog(BaseDialog):
    """Three tabs: afnamepakket maken (examenbureau), verslag maken, bestand inlezen."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, file: str | Path | None = None):
        super().__init__(parent, "Uitwisselen – ExamDesk")
        self.ctx = ctx
        self.service = ExchangeService(ctx)
        self.summary: ImportSummary | None = None
        self.file: Path | None = None
        self.setup_code: str | None = None
        self.key_dialog: KeyConfirmDialog | None = None
        self.code_dialog: SetupCodeDialog | None = None
        layout = QVBoxLayout(self)
        self.tabs = QTabWidget()
        self.package_tab: _ExportTab | None = None
        if ctx.can(Action.PLAN_SESSION):
            self.package_tab = _ExportTab(
                self, KIND_PACKAGE, "Afnamepakket voor de examenlocatie: de aangevinkte geplande afnames met hun "
                "kandidaten (naam, studentnummer, werkplek, extra tijd en voorzieningen), het lokaal, het "
                "instrument en de accounts van de surveillanten. Geboortedatum, kwalificatie, cohort, doelgroep, "
                "contactgegevens en de reden van extra tijd gaan niet mee. Het bestand wordt ondertekend en "
                "versleuteld: alleen de gekozen examenpc, of wie de instelcode heeft, kan het openen.",
                self.service.package_choices())
            self.tabs.addTab(self.package_tab, "Afnamepakket maken")
        self.record_tab = _ExportTab(
            self, KIND_RECORD, "Afnameverslag voor de examencommissie: alle gebeurtenissen van de aangevinkte "
            "afnames (aanwezigheid, incidenten, correcties), met hun hashketen, ondertekend met de sleutel van deze "
            "computer en versleuteld voor de examencommissie.", self.service.record_choices())
        self.tabs.addTab(self.record_tab, "Verslag maken")

        reading = QWidget()
        r = QVBoxLayout(reading)
        intro = QLabel("Lees een afnamepakket of afnameverslag in. ExamDesk controleert eerst het hele bestand en "
                       "toont wat er wordt toegevoegd; pas na 'Inlezen' wordt er iets opgeslagen.")
        intro.setWordWrap(True)
        r.addWidget(intro)
        choose = QPushButton("Bestand kiezen…")
        choose.clicked.connect(self.choose_file)
        row = QHBoxLayout()
        row.addWidget(choose)
        row.addStretch(1)
        r.addLayout(row)
        self.preview_text = QPlainTextEdit()
        self.preview_text.setReadOnly(True)
        r.addWidget(self.preview_text, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        self.import_button = QPushButton("Inlezen")
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self.commit)
        row.addWidget(self.import_button)
        r.addLayout(row)
        self.read_index = self.tabs.addTab(reading, "Bestand inlezen")
        from examdesk.ui.exam_pc_privacy import HeldDataTab

        self.held_tab = HeldDataTab(ctx)                   # what personal data this PC still holds (issue 18)
        self.tabs.addTab(self.held_tab, "Persoonsgegevens")
        self.tabs.currentChanged.connect(lambda i: self.held_tab.refresh() if self.tabs.widget(i) is self.held_tab
                                         else None)
        layout.addWidget(self.tabs, 1)

        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.status.setObjectName("StatusText")
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)  # a setup code to copy
        layout.addWidget(self.status)
        close = QPushButton("Sluiten")
        close.clicked.connect(self.accept)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(close)
        layout.addLayout(row)
        fit_to_screen(self, 760, 520)
        if file is not None:
            self.tabs.setCurrentIndex(self.read_index)
            self.load(Path(file))

    # --- callbacks -------------------------------------------------------------------------------
    def exported(self, result: ExportResult) -> None:
        self.status.setText(result.sentence)

    def failed(self, exc: Exception) -> None:
        if not isinstance(exc, ExamDeskError):
            raise exc
        self.status.setText(exc.message)
        show_error(self, exc, "Uitwisselen")

    # --- reading in ----------------------------------------------------------------------------
    def choose_file(self) -> None:
        path, _ = ask_open_path(self, "Uitwisselbestand kiezen", FILE_FILTER, folder=EXCHANGE_FOLDER)
        if path:
            self.load(Path(path))

    def load(self, path: Path, setup_code: str | None = None) -> None:
        """Verifies the file and shows what importing it would add (the import, rolled back). A signer not
        trusted here opens the key confirmation; a package made with a setup code asks for the code."""
        if path != self.file:
            self.setup_code = None
        self.file = path
        self.setup_code = setup_code or self.setup_code
        self.summary = None
        self.import_button.setEnabled(False)
        self.preview_text.setPlainText(f"{path.name} wordt gecontroleerd…")
        code = self.setup_code

        def shown(summary: ImportSummary) -> None:
            self.summary = summary
            self.preview_text.setPlainText("\n".join(summary.lines()))
            self.import_button.setEnabled(summary.changes_anything)
            self.status.setText("Gecontroleerd. Klik op 'Inlezen' om dit toe te voegen." if summary.changes_anything
                                else "Gecontroleerd: dit bestand voegt niets toe.")

        def refused(exc: Exception) -> None:
            if not isinstance(exc, ExamDeskError):
                raise exc
            self.preview_text.setPlainText(exc.message)
            self.status.setText("Het bestand is geweigerd.")
            if isinstance(exc, KeyNotTrusted) and exc.confirmable:
                self.status.setText("De sleutel van de afzender moet eerst worden bevestigd.")
                self.key_dialog = KeyConfirmDialog(exc, path, self.ctx, parent=self)
                self.key_dialog.accepted.connect(lambda: self.load(path))
                self.key_dialog.open()
            elif isinstance(exc, SetupCodeNeeded):
                self.status.setText("Dit pakket opent met een instelcode.")
                self.code_dialog = SetupCodeDialog(path.name, self)
                self.code_dialog.accepted.connect(lambda: self.load(path, self.code_dialog.code.text()))
                self.code_dialog.open()

        run_in_background(self, lambda: self.service.preview(path, code), shown, refused, "Bestand controleren…")

    def commit(self) -> None:
        if self.file is None or self.summary is None:
            return
        path = self.file

        def done(summary: ImportSummary) -> None:
            self.summary = summary
            self.import_button.setEnabled(False)
            self.preview_text.setPlainText("\n".join(summary.lines()))
            self.status.setText(f"{path.name} is ingelezen.")
            for screen in getattr(self.parent(), "screens", {}).values():
                if hasattr(screen, "refresh"):
                    screen.refresh()

        code = self.setup_code
        run_in_background(self, lambda: self.service.import_file(path, code), done, self.failed, "Inlezen…")


def setup_from_package(parent: QWidget | None, ctx: AppContext, path: str | Path | None = None) -> bool:
    """The exam PC's first start: an empty database set up from a session package, after the commission's
    fingerprint was confirmed and the setup code typed (`KeyConfirmDialog`), and after showing what it
    brings. True when imported (the invigilators then log in with their own password)."""
    if path is None:
        path, _ = ask_open_path(parent, "Afnamepakket kiezen", FILE_FILTER, folder=EXCHANGE_FOLDER)
        if not path:
            return False
    confirmed: dict[str, str] = {}
    try:
        preview = import_into_new_database(ctx, path, dry_run=True)
    except KeyNotTrusted as exc:
        if not exc.confirmable:
            show_error(parent, exc, "Afnamepakket inlezen")
            return False

        def check(code: str, fingerprint: str) -> ImportSummary:
            found = import_into_new_database(ctx, path, dry_run=True, setup_code=code, trusted_fingerprint=fingerprint)
            confirmed.update(code=code, fingerprint=fingerprint)
            return found

        dialog = KeyConfirmDialog(exc, Path(path), on_setup=check, parent=parent)
        if not dialog.exec():
            return False
        preview = dialog.result_value
    except ExamDeskError as exc:
        show_error(parent, exc, "Afnamepakket inlezen")
        return False
    answer = QMessageBox.question(parent, "Afnamepakket inlezen",
                                  "\n".join(preview.lines()) + "\n\nDeze gegevens inlezen?")
    if answer != QMessageBox.StandardButton.Yes:
        return False
    try:
        import_into_new_database(ctx, path, setup_code=confirmed.get("code"),
                                 trusted_fingerprint=confirmed.get("fingerprint"))
    except ExamDeskError as exc:
        show_error(parent, exc, "Afnamepakket inlezen")
        return False
    return True


def open_exchange(parent: Any, ctx: AppContext, file: str | Path | None = None) -> ExchangeDialog:
    dialog = ExchangeDialog(ctx, parent, file)
    dialog.open()
    return dialog
