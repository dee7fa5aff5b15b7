"""Beheer: institution settings, users (never deleted) and the read-only audit log."""

from __future__ import annotations

from PySide6.QtCore import QDate, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from examdesk.domain.audit import AuditEntry, AuditFilter
from examdesk.domain.clock import format_datetime, from_iso
from examdesk.domain.errors import ExamDeskError, ValidationError
from examdesk.domain.institution import Institution
from examdesk.domain.roles import Action, Role
from examdesk.domain.users import PASSWORD_HINT, User
from examdesk.services.audit import AuditService
from examdesk.services.context import AppContext
from examdesk.services.institution import InstitutionService
from examdesk.services.users import UserService
from examdesk.ui.common import FormDialog, list_view, show_error
from examdesk.ui.table_models import ListTableModel, PagedTableModel


class InstitutionTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.service = InstitutionService(ctx)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.name = QLineEdit()
        self.brin = QLineEdit()
        self.brin.setMaxLength(4)
        self.commission = QLineEdit()
        self.place = QLineEdit()
        self.late = QSpinBox()
        self.late.setRange(0, 30)
        self.late.setSuffix(" min")
        self.appeal_days = QSpinBox()
        self.appeal_days.setRange(1, 365)
        self.appeal_days.setSuffix(" dagen")
        self.appeal_body = QLineEdit()
        form.addRow("Naam instelling", self.name)
        form.addRow("BRIN-nummer", self.brin)
        form.addRow("Examencommissie", self.commission)
        form.addRow("Plaats", self.place)
        form.addRow("Te laat toegelaten tot", self.late)
        form.addRow("Beroepstermijn", self.appeal_days)
        form.addRow("Beroep bij", self.appeal_body)
        form_box = QWidget()
        form_box.setLayout(form)
        form_box.setMaximumWidth(760)
        layout.addWidget(form_box)
        hint = QLabel("Toelating te laat: hoogstens 30 minuten na de start (examenprotocol, punt 13). "
                      "Deze waarde is de standaard bij het plannen van een afname.")
        hint.setObjectName("Hint")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.save = QPushButton("Opslaan")
        self.save.setDefault(True)
        self.save.clicked.connect(self._save)
        self.status = QLabel("")
        row = QHBoxLayout()
        row.addWidget(self.save)
        row.addWidget(self.status, 1)
        layout.addLayout(row)
        layout.addStretch(1)

    def refresh(self) -> None:
        inst = self.service.get()
        self.name.setText(inst.name)
        self.brin.setText(inst.brin)
        self.commission.setText(inst.commission_name)
        self.place.setText(inst.place)
        self.late.setValue(inst.late_admission_minutes)
        self.appeal_days.setValue(inst.appeal_term_days)
        self.appeal_body.setText(inst.appeal_body)
        self.status.setText("")

    def _save(self) -> None:
        inst = Institution(self.name.text(), self.brin.text(), self.commission.text(), self.place.text(),
                           self.late.value(), self.appeal_days.value(), self.appeal_body.text())
        try:
            self.service.update(inst)
        except ExamDeskError as exc:
            self.status.setObjectName("ErrorText")
            self.status.setText(exc.message)
            self.status.style().polish(self.status)
            return
        self.status.setObjectName("Hint")
        self.status.setText("Opgeslagen.")
        self.status.style().polish(self.status)


class _RoleBoxes(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.boxes = {role: QCheckBox(role.label) for role in Role}
        for box in self.boxes.values():
            layout.addWidget(box)

    def roles(self) -> frozenset[Role]:
        return frozenset(r for r, box in self.boxes.items() if box.isChecked())

    def set_roles(self, roles: frozenset[Role]) -> None:
        for role, box in self.boxes.items():
            box.setChecked(role in roles)


def _same_passwords(first: QLineEdit, second: QLineEdit) -> str:
    if first.text() != second.text():
        raise ValidationError("De twee wachtwoorden zijn niet gelijk.")
    return first.text()


class NewUserDialog(FormDialog):
    def __init__(self, service: UserService, parent: QWidget | None = None):
        super().__init__(parent, "Nieuwe gebruiker", ok_text="Toevoegen")
        self.setMinimumWidth(460)
        self.service = service
        self.created: User | None = None
        self.username = self.field("Gebruikersnaam")
        self.full_name = self.field("Volledige naam")
        self.function = self.field("Functie")
        self.phone = self.field("Telefoon")
        self.email = self.field("E-mail")
        self.password = self.field("Wachtwoord", password=True, placeholder=PASSWORD_HINT)
        self.password2 = self.field("Herhaal wachtwoord", password=True)
        self.roles = _RoleBoxes()
        self.form.addRow("Rollen", self.roles)

    def submit(self) -> None:
        password = _same_passwords(self.password, self.password2)
        self.created = self.service.add(self.username.text(), self.full_name.text(), password, self.roles.roles(),
                                        self.function.text(), self.phone.text(), self.email.text())


class PasswordDialog(FormDialog):
    def __init__(self, service: UserService, user: User, parent: QWidget | None = None):
        super().__init__(parent, f"Wachtwoord opnieuw instellen – {user.full_name}", ok_text="Instellen")
        self.service = service
        self.user = user
        self.password = self.field("Nieuw wachtwoord", password=True, placeholder=PASSWORD_HINT)
        self.password2 = self.field("Herhaal wachtwoord", password=True)

    def submit(self) -> None:
        self.service.reset_password(self.user.username, _same_passwords(self.password, self.password2))


class UsersTab(QWidget):
    COLUMNS = [
        ("Gebruikersnaam", lambda u: u.username),
        ("Naam", lambda u: u.full_name),
        ("Rollen", lambda u: u.roles_label),
        ("Functie", lambda u: u.function),
        ("Status", lambda u: "actief" if u.active else "gedeactiveerd"),
    ]

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.service = UserService(ctx)
        self.current: User | None = None
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText("Zoek op naam, gebruikersnaam of rol…")
        self.search.setClearButtonEnabled(True)
        self.add_button = QPushButton("Nieuwe gebruiker…")
        self.add_button.clicked.connect(self._add)
        top.addWidget(self.search, 1)
        top.addWidget(self.add_button)
        layout.addLayout(top)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        self.model = ListTableModel(self.COLUMNS, self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(-1)
        self.search.textChanged.connect(self.proxy.setFilterFixedString)
        self.table = list_view(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(1, Qt.SortOrder.AscendingOrder)
        self.table.selectionModel().currentRowChanged.connect(self._select)
        splitter.addWidget(self.table)

        panel = QGroupBox("Geselecteerde gebruiker")
        panel_layout = QVBoxLayout(panel)
        form = QFormLayout()
        self.d_username = QLabel("")
        self.d_name = QLineEdit()
        self.d_function = QLineEdit()
        self.d_phone = QLineEdit()
        self.d_email = QLineEdit()
        self.d_roles = _RoleBoxes()
        form.addRow("Gebruikersnaam", self.d_username)
        form.addRow("Naam", self.d_name)
        form.addRow("Functie", self.d_function)
        form.addRow("Telefoon", self.d_phone)
        form.addRow("E-mail", self.d_email)
        form.addRow("Rollen", self.d_roles)
        panel_layout.addLayout(form)
        self.save_button = QPushButton("Wijzigingen opslaan")
        self.save_button.clicked.connect(self._save)
        self.password_button = QPushButton("Wachtwoord opnieuw instellen…")
        self.password_button.clicked.connect(self._password)
        self.active_button = QPushButton("Deactiveren")
        self.active_button.clicked.connect(self._toggle_active)
        for button in (self.save_button, self.password_button, self.active_button):
            panel_layout.addWidget(button)
        note = QLabel("Gebruikers worden nooit verwijderd: een gedeactiveerd account blijft zichtbaar in het "
                      "auditlogboek en in de documenten waarin het voorkomt.")
        note.setObjectName("Hint")
        note.setWordWrap(True)
        panel_layout.addWidget(note)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        panel_layout.addWidget(self.message)
        panel_layout.addStretch(1)
        self.panel = panel
        splitter.addWidget(panel)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout.addWidget(splitter, 1)
        self._show(None)

    def refresh(self, keep: str | None = None) -> None:
        keep = keep or (self.current.username if self.current else None)
        self.model.set_rows(self.service.list_users())
        self.table.resizeColumnsToContents()
        if keep:
            self.select_username(keep)
        elif self.proxy.rowCount():
            self.table.setCurrentIndex(self.proxy.index(0, 0))

    def select_username(self, username: str) -> None:
        for row, user in enumerate(self.model.rows):
            if user.username == username:
                index = self.proxy.mapFromSource(self.model.index(row, 0))
                self.table.setCurrentIndex(index)
                return

    def _select(self, current, _previous=None) -> None:
        if not current.isValid():
            self._show(None)
            return
        self._show(self.model.record(self.proxy.mapToSource(current).row()))

    def _show(self, user: User | None) -> None:
        self.current = user
        self.panel.setEnabled(user is not None)
        self.d_username.setText(user.username if user else "")
        self.d_name.setText(user.full_name if user else "")
        self.d_function.setText(user.function if user else "")
        self.d_phone.setText(user.phone if user else "")
        self.d_email.setText(user.email if user else "")
        self.d_roles.set_roles(user.roles if user else frozenset())
        self.active_button.setText("Activeren" if user and not user.active else "Deactiveren")
        self.message.setText("")

    def _report(self, text: str, error: bool = False) -> None:
        self.message.setObjectName("ErrorText" if error else "Hint")
        self.message.style().polish(self.message)
        self.message.setText(text)

    def _save(self) -> None:
        user = self.current
        try:
            self.service.update_profile(user.username, self.d_name.text(), self.d_function.text(),
                                        self.d_phone.text(), self.d_email.text())
            if self.d_roles.roles() != user.roles:
                self.service.set_roles(user.username, self.d_roles.roles())
        except ExamDeskError as exc:
            self._report(exc.message, error=True)
            return
        self.refresh(user.username)
        self._report("Opgeslagen.")

    def _password(self) -> None:
        dialog = PasswordDialog(self.service, self.current, self)
        if dialog.exec():
            self._report(f"Het wachtwoord van {self.current.full_name} is opnieuw ingesteld.")

    def _toggle_active(self) -> None:
        user = self.current
        if user.active:
            answer = QMessageBox.question(
                self, "Deactiveren", f"{user.full_name} deactiveren? Het account kan daarna niet meer inloggen, "
                "maar blijft bewaard en kan later weer worden geactiveerd.")
            if answer != QMessageBox.StandardButton.Yes:
                return
        try:
            self.service.set_active(user.username, not user.active)
        except ExamDeskError as exc:
            self._report(exc.message, error=True)
            return
        self.refresh(user.username)

    def _add(self) -> None:
        dialog = NewUserDialog(self.service, self)
        if dialog.exec() and dialog.created:
            self.refresh(dialog.created.username)


def _summary_text(entry: AuditEntry) -> str:
    def show(value: object) -> str:
        if isinstance(value, list | tuple):
            return ", ".join(str(v) for v in value)
        return str(value)

    return "; ".join(f"{k}: {show(v)}" for k, v in entry.summary.items())


class AuditTab(QWidget):
    COLUMNS = [
        ("Nr.", lambda e: e.seq),
        ("Tijdstip", lambda e: format_datetime(from_iso(e.at))),
        ("Gebruiker", lambda e: e.username),
        ("Actie", lambda e: e.action),
        ("Object", lambda e: f"{e.entity} {e.entity_id}"),
        ("Details", _summary_text),
    ]

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.service = AuditService(ctx)
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText("Zoek in het logboek…")
        self.search.setClearButtonEnabled(True)
        self.action = QComboBox()
        self.use_dates = QCheckBox("Periode")
        self.date_from = QDateEdit()
        self.date_to = QDateEdit()
        for edit in (self.date_from, self.date_to):
            edit.setDisplayFormat("dd-MM-yyyy")
            edit.setCalendarPopup(True)
            edit.setDate(QDate.currentDate())
        self.date_from.setDate(QDate.currentDate().addMonths(-1))
        self.verify_button = QPushButton("Keten controleren")
        bar.addWidget(self.search, 2)
        bar.addWidget(QLabel("Actie"))
        bar.addWidget(self.action, 1)
        bar.addWidget(self.use_dates)
        bar.addWidget(self.date_from)
        bar.addWidget(QLabel("t/m"))
        bar.addWidget(self.date_to)
        bar.addWidget(self.verify_button)
        layout.addLayout(bar)
        self.count = QLabel("")
        self.count.setObjectName("Hint")
        layout.addWidget(self.count)
        self.model = PagedTableModel(self.COLUMNS, self._count, self._fetch, self)
        self.table = list_view(self.model)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        layout.addWidget(self.table, 1)
        note = QLabel("Het auditlogboek is alleen-lezen: regels kunnen niet worden gewijzigd of verwijderd. Elke "
                      "regel is met de vorige verbonden door een SHA-256-keten.")
        note.setObjectName("Hint")
        layout.addWidget(note)
        self.search.textChanged.connect(self.reload)
        self.action.currentIndexChanged.connect(self.reload)
        self.use_dates.toggled.connect(self.reload)
        self.date_from.dateChanged.connect(self.reload)
        self.date_to.dateChanged.connect(self.reload)
        self.verify_button.clicked.connect(self._verify)

    def _filter(self) -> AuditFilter:
        action = self.action.currentData() or ""
        if self.use_dates.isChecked():
            d_from = self.date_from.date().toPython().isoformat()
            d_to = self.date_to.date().toPython().isoformat()
        else:
            d_from = d_to = ""
        return AuditFilter(self.search.text().strip(), action, "", d_from, d_to)

    def _count(self) -> int:
        return self.service.count(self._filter())

    def _fetch(self, offset: int, limit: int) -> list[AuditEntry]:
        return self.service.page(self._filter(), offset, limit)

    def refresh(self) -> None:
        current = self.action.currentData()
        self.action.blockSignals(True)
        self.action.clear()
        self.action.addItem("alle", "")
        for name in self.service.actions():
            self.action.addItem(name, name)
        index = self.action.findData(current)
        self.action.setCurrentIndex(max(index, 0))
        self.action.blockSignals(False)
        self.reload()

    def reload(self) -> None:
        self.model.reload()
        self.count.setText(f"{self.model.total} regels")
        if self.model.rows:
            self.table.resizeColumnsToContents()

    def _verify(self) -> None:
        verdict = self.service.verify()
        if verdict.ok:
            QMessageBox.information(self, "Auditketen", f"De auditketen klopt: {verdict.checked} regels gecontroleerd.")
        else:
            show_error(self, f"De auditketen is verbroken. {verdict.reason}", "Auditketen")


class AdminScreen(QWidget):
    """Tabs shown by role: a commission member sees the audit log only."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        self.tabs = QTabWidget()
        self.tab_keys: list[str] = []
        if ctx.can(Action.EDIT_INSTITUTION):
            self.institution = InstitutionTab(ctx)
            self._add("instelling", self.institution, "Instelling")
        if ctx.can(Action.MANAGE_USERS):
            self.users = UsersTab(ctx)
            self._add("gebruikers", self.users, "Gebruikers")
        if ctx.can(Action.VIEW_AUDIT):
            self.audit = AuditTab(ctx)
            self._add("audit", self.audit, "Auditlogboek")
        if ctx.can(Action.MANAGE_BACKUPS):
            from examdesk.ui.backup_panel import BackupPanel

            self.backups = BackupPanel(ctx)
            self.backups.restored.connect(self._restored)
            self._add("backups", self.backups, "Back-ups")
            from examdesk.ui.keys_panel import KeysPanel

            self.keys = KeysPanel(ctx)
            self._add("sleutels", self.keys, "Sleutels")
        if ctx.can(Action.TRUST_EXCHANGE_KEY):
            from examdesk.ui.exchange_keys_panel import ExchangeKeysPanel

            self.exchange_keys = ExchangeKeysPanel(ctx)
            self._add("uitwisselsleutels", self.exchange_keys, "Uitwisselsleutels")
        layout.addWidget(self.tabs)
        self.tabs.currentChanged.connect(lambda _i: self.refresh())

    def _restored(self, _result: object) -> None:
        QMessageBox.information(self, "Opnieuw inloggen",
                                "De gegevens zijn teruggezet uit een back-up. Log opnieuw in om verder te werken.")
        window = self.window()
        if hasattr(window, "request_relogin"):
            window.request_relogin()

    def _add(self, key: str, widget: QWidget, label: str) -> None:
        self.tab_keys.append(key)
        self.tabs.addTab(widget, label)

    def refresh(self) -> None:
        widget = self.tabs.currentWidget()
        if widget is not None and hasattr(widget, "refresh"):
            widget.refresh()

    def apply_filter(self, filter: dict) -> None:
        key = filter.get("tab")
        if key in self.tab_keys:
            self.tabs.setCurrentIndex(self.tab_keys.index(key))


