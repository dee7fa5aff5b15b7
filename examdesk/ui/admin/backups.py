"""Beheer → Back-ups: the list of backups, *Nu back-up maken*, *Terugzetten…*, the retention
setting, and the two automatic moments (a timer while ExamDesk runs, and closing ExamDesk)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from examdesk.domain.backups import BackupFile, format_age, format_size, retention_label
from examdesk.domain.clock import format_datetime
from examdesk.domain.errors import ExamDeskError
from examdesk.domain.integrity import short_hash
from examdesk.domain.plural import counted
from examdesk.services.backup import BackupListing, BackupService, RestoreResult, automatic_backup_if_due
from examdesk.services.context import AppContext
from examdesk.services.database import Store
from examdesk.ui.common import ElidedLabel, elide_headers, hint_label, show_error
from examdesk.ui.house_style import house_spin
from examdesk.ui.table_model import Column, TableModel
from examdesk.ui.unsaved import UnsavedInput
from examdesk.ui.worker import run_in_background

AUTOMATIC_INTERVAL_MS = 60 * 60 * 1000  # look once an hour; the service makes at most one backup a day
FIRST_LOOK_MS = 2 * 60 * 1000           # and a first look shortly after starting


class BackupPanel(QWidget):
    """For the beheerder. `restored` is emitted after a restore: the database now holds other data,
    so the main window should refresh its screens (or ask to log in again)."""

    backup_made = Signal(object)  # BackupFile
    restored = Signal(object)     # RestoreResult
    failed = Signal(str)          # the Dutch message that was shown

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.service = BackupService(ctx)
        layout = QVBoxLayout(self)

        self.intro = hint_label()
        layout.addWidget(self.intro)
        # the folder on a line of its own, cut in the middle when narrow (its start and its file-name end
        # stay readable), the whole path as tooltip and one click to copy: inside the paragraph a long path
        # cannot wrap, and at 200 % it made the whole tab scroll 481 px sideways
        folder_line = QHBoxLayout()
        folder_line.addWidget(QLabel("Map:"))
        self.folder = ElidedLabel(mode=Qt.TextElideMode.ElideMiddle)
        self.folder.setObjectName("backupFolder")
        folder_line.addWidget(self.folder, 1)
        copy = QPushButton("Pad kopiëren")
        copy.setToolTip("Zet het volledige pad van de back-upmap op het klembord")
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(self.folder.text()))
        folder_line.addWidget(copy)
        layout.addLayout(folder_line)

        self.model: TableModel[BackupListing] = TableModel([
            Column("Gemaakt op", lambda r: format_datetime(r.backup.taken_at)),
            Column("Leeftijd", lambda r: format_age(self.ctx.clock() - r.backup.taken_at)),
            Column("Grootte", lambda r: format_size(r.backup.size)),
            Column("Aanleiding", lambda r: r.backup.reason.label),
            Column("Bewaard als", lambda r: retention_label(r.retention)),
            Column("Bestand", lambda r: r.backup.name),
            Column("Auditregel", lambda r: f"{r.audit_head[0]} · {short_hash(r.audit_head[1])}" if r.audit_head else "—"),
        ], self)
        self.table = elide_headers(QTableView())
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setAlternatingRowColors(True)
        self.table.doubleClicked.connect(lambda _index: self.restore_selected())
        layout.addWidget(self.table, 1)
        # an empty list says so in its place, and how many there are stands under the list, not at the end
        # of the paragraph above it
        self.empty = hint_label("Er zijn nog geen back-ups. ExamDesk maakt de eerste bij het afsluiten; "
                                "'Nu back-up maken' maakt er nu een.")
        self.empty.setObjectName("backupsEmpty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.empty, 1)
        self.count = hint_label()
        layout.addWidget(self.count)

        buttons = QHBoxLayout()
        self.backup_button = QPushButton("Nu back-up maken")
        self.backup_button.clicked.connect(self.make_backup)
        self.restore_button = QPushButton("Terugzetten…")
        self.restore_button.clicked.connect(self.restore_selected)
        buttons.addWidget(self.backup_button)
        buttons.addWidget(self.restore_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)

        # the retention on a row of its own under the actions: beside them the row was wider than the screen at 200 %
        keep = QHBoxLayout()
        keep.addWidget(QLabel("Bewaren: laatste"))
        self.keep_daily = house_spin(QSpinBox())
        self.keep_daily.setRange(1, 366)
        self.keep_daily.setSuffix(" dagelijkse")
        self.keep_weekly = house_spin(QSpinBox())
        self.keep_weekly.setRange(0, 520)
        self.keep_weekly.setSuffix(" wekelijkse")
        save = QPushButton("Opslaan")
        save.clicked.connect(self.save_retention)
        keep.addWidget(self.keep_daily)
        keep.addWidget(QLabel("en"))
        keep.addWidget(self.keep_weekly)
        keep.addWidget(save)
        keep.addStretch(1)
        layout.addLayout(keep)
        self.unsaved = UnsavedInput(self, "het aantal te bewaren back-ups", (self.keep_daily, self.keep_weekly),
                                    self.save_retention, self.refresh)
        self.refresh()

    # --- screen protocol ---------------------------------------------------------------------

    def refresh(self) -> None:
        try:
            rows = self.service.list()
            daily, weekly = self.service.retention()
        except ExamDeskError as exc:
            self._fail(exc)
            return
        self.model.set_rows(rows)
        if not self.unsaved.changed():        # a backup made meanwhile does not undo what was typed
            self.keep_daily.setValue(daily)
            self.keep_weekly.setValue(weekly)
            self.unsaved.loaded()
        self.intro.setText(
            "ExamDesk maakt automatisch een back-up van deze database bij het afsluiten en hoogstens één per dag "
            f"terwijl het draait; bewaard blijven de laatste {daily} dagelijkse en {weekly} wekelijkse. Elke "
            "back-up wordt na het maken gecontroleerd."
        )
        self.folder.setText(str(self.service.folder()))
        self.table.setVisible(bool(rows))
        self.empty.setVisible(not rows)
        self.count.setText(counted(len(rows), "back-up") + "." if rows else "")
        self.count.setVisible(bool(rows))
        self.restore_button.setEnabled(bool(rows))
        if rows and not self.table.selectionModel().hasSelection():
            self.table.selectRow(0)

    # --- actions -----------------------------------------------------------------------------

    def selected(self) -> BackupFile | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.record(rows[0].row()).backup if rows else None

    def make_backup(self) -> None:
        self._busy(True)
        run_in_background(self, self.service.backup_now, self._backup_done, self._error,
                          "Back-up wordt gemaakt en gecontroleerd…")

    def confirm_restore(self, backup: BackupFile) -> bool:
        when = format_datetime(backup.taken_at)
        text = (f"De back-up van {when} ({format_age(self.ctx.clock() - backup.taken_at)}, {backup.name}) "
                "terugzetten?\n\nEerst wordt een back-up van de huidige toestand gemaakt. Daarna vervangt deze "
                f"back-up de database: wat na {when} is vastgelegd, staat dan alleen nog in die back-up van de "
                "huidige toestand. Het terugzetten wordt in het auditlogboek vastgelegd.")
        answer = QMessageBox.question(self, "Back-up terugzetten", text,
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def restore_selected(self) -> None:
        backup = self.selected()
        if backup is None or not self.confirm_restore(backup):
            return
        self._busy(True)
        run_in_background(self, lambda: self.service.restore(backup.path), self._restore_done, self._error,
                          "Back-up wordt teruggezet…")

    def save_retention(self) -> bool:
        try:
            self.service.set_retention(self.keep_daily.value(), self.keep_weekly.value())
        except ExamDeskError as exc:
            self._fail(exc)
            return False
        self.unsaved.loaded()
        self.refresh()
        return True

    # --- results -----------------------------------------------------------------------------

    def _busy(self, busy: bool) -> None:
        self.backup_button.setEnabled(not busy)
        self.restore_button.setEnabled(not busy)

    def _backup_done(self, made: BackupFile) -> None:
        self._busy(False)
        self.refresh()
        self.backup_made.emit(made)

    def _restore_done(self, result: RestoreResult) -> None:
        self._busy(False)
        self.refresh()
        safety = result.safety_copy.name if result.safety_copy else "-"
        QMessageBox.information(
            self, "Back-up teruggezet",
            f"De back-up van {format_datetime(result.restored.taken_at)} is teruggezet. De toestand van vlak "
            f"daarvoor staat in {safety}.")
        self.restored.emit(result)

    def _error(self, exc: Exception) -> None:
        self._busy(False)
        self.refresh()
        if not isinstance(exc, ExamDeskError):
            raise exc
        self._fail(exc)

    def _fail(self, exc: ExamDeskError) -> None:
        self.failed.emit(exc.message)
        show_error(self, exc, "Back-ups")


class AutomaticBackups(QObject):
    """While ExamDesk runs: looks once an hour whether today's automatic backup is still due and makes
    it off the GUI thread. A failure is reported once per distinct message (not every hour)."""

    made = Signal(object)  # BackupFile
    failed = Signal(str)

    def __init__(self, parent: QWidget, store: Store, interval_ms: int = AUTOMATIC_INTERVAL_MS,
                 first_ms: int = FIRST_LOOK_MS):
        super().__init__(parent)
        self.parent_widget = parent
        self.store = store
        self._last_error = ""
        self._running = False
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.run_now)
        self.timer.start(interval_ms)
        QTimer.singleShot(first_ms, self.run_now)

    def run_now(self) -> None:
        if self._running:
            return
        self._running = True
        run_in_background(self.parent_widget, lambda: automatic_backup_if_due(self.store), self._done,
                          self._error, "Automatische back-up wordt gemaakt…")

    def _done(self, made: BackupFile | None) -> None:
        self._running = False
        self._last_error = ""
        if made is not None:
            self.made.emit(made)

    def _error(self, exc: Exception) -> None:
        self._running = False
        if not isinstance(exc, ExamDeskError):
            raise exc
        if exc.message != self._last_error:
            self._last_error = exc.message
            self.failed.emit(exc.message)
            show_error(self.parent_widget, f"De automatische back-up is niet gelukt. {exc.message}", "Back-ups")


def start_automatic_backups(window: QWidget, store: Store) -> AutomaticBackups:
    """The launcher calls this once the main window exists; keep the returned object (its parent is the window)."""
    return AutomaticBackups(window, store)


def backup_on_close(parent: QWidget | None, store: Store) -> BackupFile | None:
    """Call from the main window's closeEvent, before the store is closed. Synchronous on purpose:
    the program is ending and the copy must be complete first. A failure is shown, never raised,
    so ExamDesk still closes (the database itself is untouched by a failed backup)."""
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        return automatic_backup_if_due(store, closing=True)
    except ExamDeskError as exc:
        show_error(parent, f"Bij het afsluiten kon geen back-up worden gemaakt. {exc.message}", "Back-ups")
        return None
    finally:
        QGuiApplication.restoreOverrideCursor()
