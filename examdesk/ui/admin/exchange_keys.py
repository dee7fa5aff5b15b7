"""Beheer → Uitwisselsleutels: the keys of the commission and the exam PCs this database trusts for
signed exchange, with when each was first seen and who confirmed it; pinning the signer of a file
(after comparing the fingerprint by phone) and revoking a key."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from examdesk.domain.clock import format_date, format_datetime, from_iso
from examdesk.domain.errors import ExamDeskError
from examdesk.domain.exchange_keys import KeyNotTrusted, PinnedKey
from examdesk.services.context import AppContext
from examdesk.services.exchange_keys import ExchangeKeyService
from examdesk.services.window_settings import EXCHANGE_FOLDER
from examdesk.ui.common import elide_headers, show_error
from examdesk.ui.dialogs import ReasonDialog
from examdesk.ui.key_confirm_dialog import KeyConfirmDialog
from examdesk.ui.save_dialog import ask_open_path

COLUMNS = ("Rol", "Naam", "Status", "Eerst gezien", "Bevestigd door", "Vingerafdruk")


class ExchangeKeysPanel(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.service = ExchangeKeyService(ctx)
        self.keys: list[PinnedKey] = []
        self.key_dialog: KeyConfirmDialog | None = None
        self.exec_dialog = lambda dialog: dialog.exec()
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Afnamepakketten en -verslagen zijn ondertekend. ExamDesk leest alleen bestanden die zijn ondertekend "
            "met een sleutel uit deze lijst: die van de examencommissie (op een examenpc) en die van elke examenpc "
            "(bij de examencommissie). Een nieuwe sleutel wordt pas vertrouwd als een beheerder de vingerafdruk "
            "telefonisch met de afzender heeft vergeleken. Een sleutel wordt nooit gewist, alleen ingetrokken.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.own = QLabel("")
        self.own.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.own.setWordWrap(True)                # the fingerprint's groups wrap at 200 % font
        layout.addWidget(self.own)
        self.table = elide_headers(QTableWidget(0, len(COLUMNS)))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setWordWrap(False)
        layout.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        self.trust_button = QPushButton("Sleutel uit bestand vastleggen…")
        self.trust_button.clicked.connect(self.choose_file)
        self.revoke_button = QPushButton("Intrekken…")
        self.revoke_button.clicked.connect(self.revoke_selected)
        buttons.addWidget(self.trust_button)
        buttons.addWidget(self.revoke_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.refresh()

    def refresh(self) -> None:
        try:
            self.own.setText(f"Vingerafdruk van deze computer: {self.service.own_fingerprint()}")
            self.keys = self.service.pinned()
        except ExamDeskError as exc:
            self.own.setText(exc.message)
            self.keys = []
        self.table.setRowCount(len(self.keys))
        for row, k in enumerate(self.keys):
            status = "actief" if k.active else f"ingetrokken {format_date(from_iso(k.revoked_at or '').date())}"
            revoked = "" if k.active else (f"Ingetrokken {format_datetime(from_iso(k.revoked_at or ''))} door "
                                           f"{k.revoked_by or '-'}: {k.revoked_reason}")
            values = (k.role_label, k.label, status, format_date(from_iso(k.confirmed_at).date()),
                      k.confirmed_label, k.display)
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip({2: revoked or value, 4: f"{k.confirmed_how}; eerste bestand: {k.first_file}"}.get(
                    column, value))
                self.table.setItem(row, column, item)
        self.table.resizeColumnsToContents()
        for column in range(self.table.columnCount() - 1):       # the fingerprint, last, gets what is left
            self.table.setColumnWidth(column, min(self.table.columnWidth(column), 240))
        self.revoke_button.setEnabled(any(k.active for k in self.keys))

    def selected(self) -> PinnedKey | None:
        rows = self.table.selectionModel().selectedRows()
        return self.keys[rows[0].row()] if rows else None

    # --- pinning and revoking -------------------------------------------------------------------------
    def choose_file(self) -> None:
        path, _ = ask_open_path(self, "Bestand met de sleutel kiezen", "ExamDesk-uitwisselbestand (*.examdesk)",
                                folder=EXCHANGE_FOLDER)
        if path:
            self.trust_file(Path(path))

    def trust_file(self, path: Path) -> None:
        """Shows the signer's fingerprint beside this computer's; the beheerder confirms it after the call."""
        try:
            self.service.signer(path)
        except KeyNotTrusted as exc:
            if not exc.confirmable:
                show_error(self, exc, "Sleutel vastleggen")
                return
            self.key_dialog = KeyConfirmDialog(exc, path, self.ctx, parent=self)
            self.key_dialog.accepted.connect(self.refresh)
            self.key_dialog.open()
            return
        except ExamDeskError as exc:
            show_error(self, exc, "Sleutel vastleggen")
            return
        QMessageBox.information(self, "Sleutel vastleggen", "De sleutel waarmee dit bestand is ondertekend wordt hier "
                                                            "al vertrouwd.")

    def revoke_selected(self) -> bool:
        key = self.selected()
        if key is None or not key.active:
            show_error(self, "Kies eerst een actieve sleutel in de lijst.", "Intrekken")
            return False
        dialog = ReasonDialog(self, "Sleutel intrekken",
                              f"Waarom wordt de sleutel van {key.label} ingetrokken? Bestanden die ermee zijn "
                              "ondertekend worden daarna geweigerd, en hij wordt nooit meer vertrouwd.",
                              lambda reason: self.service.revoke(key.fingerprint, reason), ok_text="Intrekken")
        accepted = bool(self.exec_dialog(dialog))
        self.refresh()
        return accepted

    def revoke(self, key: PinnedKey, reason: str) -> None:
        try:
            self.service.revoke(key.fingerprint, reason)
        except ExamDeskError as exc:
            show_error(self, exc, "Intrekken")
        self.refresh()
