"""Every dialog that sets a password shows the policy's Dutch refusal and keeps the dialog open."""

from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox

from examdesk.data.db import open_store
from examdesk.domain.roles import Role
from examdesk.services.auth import AuthService
from examdesk.services.users import UserService
from examdesk.ui.admin.users import NewUserDialog, PasswordDialog
from examdesk.ui.auth_dialogs import SetupDialog


def test_setup_dialog_refuses_a_weak_password_for_the_first_beheerder(qtbot, empty_db):
    store = open_store(empty_db)
    dialog = SetupDialog(AuthService(store))
    qtbot.addWidget(dialog)
    assert "10 tekens" in dialog.password.placeholderText()
    for widget, text in ((dialog.name, "ROC Zuid"), (dialog.brin, "30XY"), (dialog.commission, "Commissie"),
                         (dialog.username, "admin"), (dialog.full_name, "Ayla Yılmaz"),
                         (dialog.password, "demo"), (dialog.password2, "demo")):
        widget.setText(text)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert "minstens 10 tekens" in dialog.error.text() and dialog.user is None
    assert AuthService(store).needs_setup()
    store.close()


def test_new_user_and_reset_dialogs_refuse_a_common_password(qtbot, ctx_for):
    ctx = ctx_for(Role.BEHEERDER)
    service = UserService(ctx)
    dialog = NewUserDialog(service)
    qtbot.addWidget(dialog)
    for widget, text in ((dialog.username, "n.nguyen"), (dialog.full_name, "Nguyễn Thị Lan"),
                         (dialog.password, "Welkom2025!"), (dialog.password2, "Welkom2025!")):
        widget.setText(text)
    dialog.roles.boxes[Role.SURVEILLANT].setChecked(True)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert "veelgebruikte wachtwoorden" in dialog.error.text() and dialog.created is None

    user = next(u for u in service.list_users() if u.username == "surveillant")
    reset = PasswordDialog(service, user)
    qtbot.addWidget(reset)
    reset.password.setText("surveillant2025")
    reset.password2.setText("surveillant2025")
    reset.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert "veelgebruikte" in reset.error.text() or "gebruikersnaam" in reset.error.text()
    assert AuthService(ctx.store).login("surveillant", "demo")       # unchanged
