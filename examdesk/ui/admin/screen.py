"""Beheer: institution settings, users (never deleted), the read-only audit log, backups, keys, the
keys trusted for signed exchange and privacy (retention, anonymisation) — one tab each, shown by role."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from examdesk.domain.roles import Action
from examdesk.services.context import AppContext
from examdesk.services.navigation import AdminTab, AdminTarget
from examdesk.ui.admin.audit import AuditTab
from examdesk.ui.admin.institution import InstitutionTab
from examdesk.ui.admin.users import UsersTab
from examdesk.ui.common import SizedByCurrentTab
from examdesk.ui.unsaved import may_leave


class AdminScreen(QWidget):
    """Tabs shown by role: a commission member sees the audit log only."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        self.tabs = SizedByCurrentTab()   # a wide hidden tab does not widen the screen
        self.tab_keys: list[AdminTab] = []
        if ctx.can(Action.EDIT_INSTITUTION):
            self.institution = InstitutionTab(ctx)
            self._add(AdminTab.INSTITUTION, self.institution, "Instelling")
        if ctx.can(Action.MANAGE_USERS):
            self.users = UsersTab(ctx)
            self._add(AdminTab.USERS, self.users, "Gebruikers")
        if ctx.can(Action.VIEW_AUDIT):
            self.audit = AuditTab(ctx)
            self._add(AdminTab.AUDIT, self.audit, "Auditlogboek")
        if ctx.can(Action.MANAGE_BACKUPS):
            from examdesk.ui.admin.backups import BackupPanel

            self.backups = BackupPanel(ctx)
            self.backups.restored.connect(self._restored)
            self._add(AdminTab.BACKUPS, self.backups, "Back-ups")
            from examdesk.ui.admin.keys import KeysPanel

            self.keys = KeysPanel(ctx)
            self._add(AdminTab.KEYS, self.keys, "Sleutels")
        if ctx.can(Action.TRUST_EXCHANGE_KEY):
            from examdesk.ui.admin.exchange_keys import ExchangeKeysPanel

            self.exchange_keys = ExchangeKeysPanel(ctx)
            self._add(AdminTab.EXCHANGE_KEYS, self.exchange_keys, "Uitwisselsleutels")
        if ctx.can(Action.MANAGE_PRIVACY):
            from examdesk.ui.admin.privacy import PrivacyPanel

            self.privacy = PrivacyPanel(ctx)
            self._add(AdminTab.PRIVACY, self.privacy, "Privacy")
        layout.addWidget(self.tabs)
        self._tab = self.tabs.currentIndex()
        self.tabs.currentChanged.connect(self._tab_changed)

    def _tab_changed(self, index: int) -> None:
        """Leaving a tab with changed fields asks first (ui/unsaved); "Annuleren" goes back to it."""
        previous = self.tabs.widget(self._tab) if self._tab >= 0 else None
        if index != self._tab and previous is not None and not may_leave(previous, self):
            self.tabs.blockSignals(True)
            self.tabs.setCurrentIndex(self._tab)
            self.tabs.blockSignals(False)
            return
        self._tab = index
        self.refresh()

    def _restored(self, _result: object) -> None:
        QMessageBox.information(self, "Opnieuw inloggen",
                                "De gegevens zijn teruggezet uit een back-up. Log opnieuw in om verder te werken.")
        window = self.window()
        if hasattr(window, "request_relogin"):
            window.request_relogin()

    def _add(self, key: AdminTab, widget: QWidget, label: str) -> None:
        self.tab_keys.append(key)
        self.tabs.addTab(widget, label)

    def refresh(self) -> None:
        widget = self.tabs.currentWidget()
        if widget is not None and hasattr(widget, "refresh"):
            widget.refresh()

    def apply_filter(self, target: AdminTarget) -> None:
        if target.tab in self.tab_keys:
            self.tabs.setCurrentIndex(self.tab_keys.index(target.tab))


