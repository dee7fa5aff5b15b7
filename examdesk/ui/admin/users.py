"""Beheer → Gebruikers: accounts with their roles, never deleted — deactivated, so the audit log and the
documents keep their names; a new user and a password reset as forms."""

from __future__ import annotations

from PySide6.QtCore import QSortFilterProxyModel, Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from examdesk.domain.errors import ExamDeskError, ValidationError
from examdesk.domain.roles import Role
from examdesk.domain.users import PASSWORD_HINT, User
from examdesk.services.context import AppContext
from examdesk.services.users import UserService
from examdesk.ui.common import fit_columns, hint_label, list_view
from examdesk.ui.dialogs import FormDialog
from examdesk.ui.flow_layout import keep_wrapped_height
from examdesk.ui.table_model import Column, TableModel
from examdesk.ui.unsaved import UnsavedInput


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
    COLUMNS = [       # the name first: the list is sorted on it, and at 200 % it is what shows without scrolling
        Column("Naam", lambda u: u.full_name),
        Column("Gebruikersnaam", lambda u: u.username),
        Column("Rollen", lambda u: u.roles_label),
        Column("Functie", lambda u: u.function),
        Column("Status", lambda u: "actief" if u.active else "gedeactiveerd"),
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
        self.model = TableModel(self.COLUMNS, self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(-1)
        self.search.textChanged.connect(self.proxy.setFilterFixedString)
        self.table = list_view(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.selectionModel().currentRowChanged.connect(self._select)
        # the user name, roles and status as wide as they are; the name and the function share the rest and elide
        # (their tooltip whole): sized to all contents, 'Functie' was cut and the list scrolled sideways on a laptop
        fit_columns(self.table, stretch=(0, 3))
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
        note = hint_label("Gebruikers worden nooit verwijderd: een gedeactiveerd account blijft zichtbaar in het "
                      "auditlogboek en in de documenten waarin het voorkomt.")
        panel_layout.addWidget(note)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        panel_layout.addWidget(self.message)
        panel_layout.addStretch(1)
        self.panel = panel
        keep_wrapped_height(panel)      # at 200 % the wrapped note took the role check boxes' room
        splitter.addWidget(panel)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout.addWidget(splitter, 1)
        self.unsaved = UnsavedInput(
            self, lambda: f"de gegevens van {self.current.full_name if self.current else 'de gebruiker'}",
            (self.d_name, self.d_function, self.d_phone, self.d_email, *self.d_roles.boxes.values()), self._store)
        self._show(None)

    def refresh(self, keep: str | None = None) -> None:
        keep = keep or (self.current.username if self.current else None)
        self.model.set_rows(self.service.list_users())
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
        """Another user chosen while this one's fields were changed asks first (ui/unsaved); "Annuleren" goes
        back to the row being edited. The same user again (the list was read anew) keeps what was typed."""
        user = self.model.record(self.proxy.mapToSource(current).row()) if current.isValid() else None
        same = user is not None and self.current is not None and user.username == self.current.username
        if same and self.unsaved.changed():
            self.current = user
            return
        if not same and not self.unsaved.may_leave(self):
            self.table.selectionModel().blockSignals(True)
            self.select_username(self.current.username)
            self.table.selectionModel().blockSignals(False)
            return
        self._show(user)

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
        self.unsaved.loaded()

    def _report(self, text: str, error: bool = False) -> None:
        self.message.setObjectName("ErrorText" if error else "Hint")
        self.message.style().polish(self.message)
        self.message.setText(text)

    def _store(self) -> bool:
        """Saves the fields for the user they show; False (with the message beside them) on a refusal."""
        user = self.current
        if user is None:
            return True
        try:
            self.service.update_profile(user.username, self.d_name.text(), self.d_function.text(),
                                        self.d_phone.text(), self.d_email.text())
            if self.d_roles.roles() != user.roles:
                self.service.set_roles(user.username, self.d_roles.roles())
        except ExamDeskError as exc:
            self._report(exc.message, error=True)
            return False
        QTimer.singleShot(0, self, lambda: self.refresh())   # the list shows the saved name (after a switch too)
        return True

    def _save(self) -> None:
        if self._store():
            self.unsaved.loaded()
            self.refresh(self.current.username)
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
