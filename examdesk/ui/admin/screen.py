"""Beheer: institution settings, users (never deleted), the read-only audit log, backups, keys, the
keys trusted for signed exchange and privacy (retention, anonymisation) — one tab each, shown by role."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import (
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from examdesk.domain.roles import Action
from examdesk.services.context import AppContext
from examdesk.services.navigation import AdminTab, AdminTarget
from examdesk.ui.accessibility import name_controls
from examdesk.ui.admin.audit import AuditTab
from examdesk.ui.admin.institution import InstitutionTab
from examdesk.ui.admin.users import UsersTab
from examdesk.ui.common import SizedByCurrentTab
from examdesk.ui.unsaved import may_leave


class AdminScreen(QWidget):
    """Tabs shown by role: a commission member sees the audit log only. A tab is built when it is first
    shown (or asked for by name: ``screen.users``), so opening Beheer builds one tab, not seven — the
    others import their modules, read keys and lists only when someone looks at them."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        # a wide hidden tab does not widen the screen; every tab in view, a long name shortened with '…' only
        # when the bar is too narrow for all of them (the whole name is its tooltip)
        self.tabs = SizedByCurrentTab()
        self.tab_keys: list[AdminTab] = []
        self._names: list[str] = []
        self._builders: dict[str, Callable[[], QWidget]] = {}
        self._pages: dict[str, QWidget] = {}
        for key, action, name, label, build in (
                (AdminTab.INSTITUTION, Action.EDIT_INSTITUTION, "institution", "Instelling", self._institution),
                (AdminTab.USERS, Action.MANAGE_USERS, "users", "Gebruikers", self._users),
                (AdminTab.AUDIT, Action.VIEW_AUDIT, "audit", "Auditlogboek", self._audit),
                (AdminTab.BACKUPS, Action.MANAGE_BACKUPS, "backups", "Back-ups", self._backups),
                (AdminTab.KEYS, Action.MANAGE_BACKUPS, "keys", "Sleutels", self._keys),
                (AdminTab.EXCHANGE_KEYS, Action.TRUST_EXCHANGE_KEY, "exchange_keys", "Uitwisselsleutels",
                 self._exchange_keys),
                (AdminTab.PRIVACY, Action.MANAGE_PRIVACY, "privacy", "Privacy", self._privacy)):
            if ctx.can(action):
                self.tab_keys.append(key)
                self._names.append(name)
                self._builders[name] = build
                self.tabs.addTab(QWidget(), label)     # a stand-in until the tab is first shown
        layout.addWidget(self.tabs)
        self._tab = self.tabs.currentIndex()
        if self._tab >= 0:
            self._page(self._tab)
        self.tabs.currentChanged.connect(self._tab_changed)

    # --- the tabs, each built on first use ---------------------------------------------------------
    def _institution(self) -> QWidget:
        return InstitutionTab(self.ctx)

    def _users(self) -> QWidget:
        return UsersTab(self.ctx)

    def _audit(self) -> QWidget:
        return AuditTab(self.ctx)

    def _backups(self) -> QWidget:
        from examdesk.ui.admin.backups import BackupPanel

        panel = BackupPanel(self.ctx)
        panel.restored.connect(self._restored)
        return panel

    def _keys(self) -> QWidget:
        from examdesk.ui.admin.keys import KeysPanel

        return KeysPanel(self.ctx)

    def _exchange_keys(self) -> QWidget:
        from examdesk.ui.admin.exchange_keys import ExchangeKeysPanel

        return ExchangeKeysPanel(self.ctx)

    def _privacy(self) -> QWidget:
        from examdesk.ui.admin.privacy import PrivacyPanel

        return PrivacyPanel(self.ctx)

    def _page(self, index: int) -> QWidget:
        """The tab at `index`, built now if this is its first use (it takes its stand-in's place)."""
        name = self._names[index]
        if name not in self._pages:
            page = self._builders[name]()
            self._pages[name] = page
            current = self.tabs.currentIndex()
            stand_in = self.tabs.widget(index)
            self.tabs.blockSignals(True)
            try:
                label = self.tabs.tabText(index)
                self.tabs.removeTab(index)
                self.tabs.insertTab(index, page, label)
                self.tabs.setTabToolTip(index, label)
                self.tabs.setCurrentIndex(current)
            finally:
                self.tabs.blockSignals(False)
            stand_in.deleteLater()
            self.tabs.size_by_current()
        return self._pages[name]

    def _named(self, name: str) -> QWidget:
        if name not in self._builders:
            raise AttributeError(f"{name}: this user has no such tab")
        return self._page(self._names.index(name))

    @property
    def institution(self) -> Any:
        return self._named("institution")

    @property
    def users(self) -> Any:
        return self._named("users")

    @property
    def audit(self) -> Any:
        return self._named("audit")

    @property
    def backups(self) -> Any:
        return self._named("backups")

    @property
    def keys(self) -> Any:
        return self._named("keys")

    @property
    def exchange_keys(self) -> Any:
        return self._named("exchange_keys")

    @property
    def privacy(self) -> Any:
        return self._named("privacy")

    def _tab_changed(self, index: int) -> None:
        """Leaving a tab with changed fields asks first (ui/unsaved); "Annuleren" goes back to it."""
        previous = self.tabs.widget(self._tab) if self._tab >= 0 else None
        if index >= 0:
            self._page(index)
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

    def refresh(self) -> None:
        if self.tabs.currentIndex() >= 0:
            self._page(self.tabs.currentIndex())
        widget = self.tabs.currentWidget()
        if widget is not None and hasattr(widget, "refresh"):
            widget.refresh()
        if widget is not None:
            name_controls(widget)    # a tab built on first show gets its controls' names as the screen did

    def apply_filter(self, target: AdminTarget) -> None:
        if target.tab in self.tab_keys:
            self.tabs.setCurrentIndex(self.tab_keys.index(target.tab))


