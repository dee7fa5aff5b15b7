from __future__ import annotations

import typing

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

from examdesk.data.db import open_store
from examdesk.domain.roles import Role
from examdesk.services.auth import AuthService
from examdesk.services.context import AppContext
from examdesk.services.navigation import AdminTab, AdminTarget, ScreenKey, Target
from examdesk.ui.admin.screen import AdminScreen
from examdesk.ui.admin.users import NewUserDialog
from examdesk.ui.auth_dialogs import LoginDialog, SetupDialog
from examdesk.ui.main_window import MainWindow
from examdesk.ui.overview_screen import OverviewScreen


def _window(qtbot, store, username: str) -> MainWindow:
    window = MainWindow(AppContext(store, AuthService(store).login(username, "demo")))
    qtbot.addWidget(window)
    window.show()
    return window


def _sidebar(window: MainWindow) -> list[str]:
    return [window.sidebar.item(i).text() for i in range(window.sidebar.count())]


def test_setup_dialog_on_an_empty_database(qtbot, empty_db):
    store = open_store(empty_db)
    dialog = SetupDialog(AuthService(store))
    qtbot.addWidget(dialog)
    dialog.name.setText("ROC Zuid")
    dialog.brin.setText("30XY")
    dialog.commission.setText("Examencommissie Economie")
    dialog.username.setText("admin")
    dialog.full_name.setText("Ayla Yılmaz")
    dialog.password.setText("uil op de kerktoren")
    dialog.password2.setText("anders")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert "niet gelijk" in dialog.error.text()
    assert AuthService(store).needs_setup()
    dialog.password2.setText("uil op de kerktoren")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.user is not None and dialog.user.full_name == "Ayla Yılmaz"
    assert not AuthService(store).needs_setup()


def test_login_dialog_shows_the_reason_and_clears_the_password(qtbot, store):
    dialog = LoginDialog(AuthService(store), "ROC Midden-Holland (25PZ)", "demo.sqlite")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.username, "commissie")
    qtbot.keyClicks(dialog.password, "fout")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert "onjuist wachtwoord" in dialog.error.text()
    assert dialog.password.text() == ""
    qtbot.keyClicks(dialog.password, "demo")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.user is not None and dialog.user.username == "commissie"


def test_every_screen_of_a_role_opens(qtbot, store):
    """From the sidebar and through a link with each screen's plain target (every screen takes its own)."""
    targets = {target.screen: target for target in typing.get_args(Target)}
    for username in ("beheerder", "commissie", "bureau", "surveillant"):
        window = _window(qtbot, store, username)
        for spec in window.specs:
            widget = window.show_screen(spec.key)
            assert window.current_screen() is widget
            assert window.title.text() == spec.label
            window.show_screen(window.specs[-1].key if spec is window.specs[0] else window.specs[0].key)
            assert window.navigate(targets[spec.key]()) is widget and window.current_screen() is widget


def test_sidebar_follows_the_roles(qtbot, store):
    assert _sidebar(_window(qtbot, store, "beheerder")) == ["Overzicht", "Register", "Beheer"]
    commission = _sidebar(_window(qtbot, store, "commissie"))
    assert commission[:2] == ["Overzicht", "Register"] and "Incidenten" in commission
    invigilator = _sidebar(_window(qtbot, store, "surveillant"))
    assert "Beheer" not in invigilator and "Register" not in invigilator


def test_status_bar_names_the_database_and_the_user(qtbot, store):
    window = _window(qtbot, store, "commissie")
    text = window.who.text()
    assert store.path.name in text and "25PZ" in text and "Marieke de Vries (examencommissie)" in text
    window.statusBar().showMessage("Afnamepakket of verslag maken of inlezen")   # a menu item's tip
    window.statusBar().clearMessage()                                            # the pointer left the menu
    assert window.who.isVisibleTo(window) and "ingelogd: Marieke de Vries" in window.who.text()


def test_overview_link_opens_the_filtered_list(qtbot, store):
    window = _window(qtbot, store, "beheerder")
    overview = window.show_screen(ScreenKey.OVERVIEW)
    assert isinstance(overview, OverviewScreen)
    link = next(label for label in overview.links if "actieve gebruikers" in label.text())
    assert "7 actieve gebruikers" in link.text()
    qtbot.mouseClick(link, Qt.MouseButton.LeftButton)
    admin = window.screens["beheer"]
    assert window.current_screen() is admin
    assert admin.tabs.tabText(admin.tabs.currentIndex()) == "Gebruikers"


def test_beheer_adds_a_user_changes_roles_and_deactivates(qtbot, store, monkeypatch):
    window = _window(qtbot, store, "beheerder")
    admin: AdminScreen = window.navigate(AdminTarget(AdminTab.USERS))
    users = admin.users

    def fill(dialog: NewUserDialog):
        dialog.username.setText("n.nguyen")
        dialog.full_name.setText("Nguyễn Thị Lan")
        dialog.password.setText("lampion-in-de-regen")
        dialog.password2.setText("lampion-in-de-regen")
        dialog.roles.boxes[Role.SURVEILLANT].setChecked(True)
        dialog.ok()
        return dialog.result()

    monkeypatch.setattr(NewUserDialog, "exec", fill)
    users.add_button.click()
    assert users.current.username == "n.nguyen"
    assert any(u.full_name == "Nguyễn Thị Lan" for u in users.model.rows)

    users.d_roles.boxes[Role.BUREAU].setChecked(True)
    users.save_button.click()
    assert users.current.roles == {Role.SURVEILLANT, Role.BUREAU}

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    users.active_button.click()
    assert not users.current.active
    assert users.active_button.text() == "Activeren"
    row = next(u for u in users.model.rows if u.username == "n.nguyen")
    assert not row.active  # still listed: never deleted


def test_beheer_refuses_deactivating_yourself_with_a_message(qtbot, store, monkeypatch):
    window = _window(qtbot, store, "beheerder")
    users = window.navigate(AdminTarget(AdminTab.USERS)).users
    users.select_username("beheerder")
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    users.active_button.click()
    assert "eigen account" in users.message.text()
    assert users.current.active


def test_institution_tab_validates_and_saves(qtbot, store):
    window = _window(qtbot, store, "beheerder")
    tab = window.navigate(AdminTarget(AdminTab.INSTITUTION)).institution
    tab.refresh()
    tab.brin.setText("XYZ1")
    tab.save.click()
    assert "BRIN" in tab.status.text()
    tab.brin.setText("25pz")
    tab.place.setText("Alphen aan den Rijn")
    tab.save.click()
    assert tab.status.text() == "Opgeslagen."
    assert "Alphen aan den Rijn" in store.query_one("SELECT place FROM institution")[0]


def test_audit_log_is_read_only_and_filters_as_you_type(qtbot, store):
    window = _window(qtbot, store, "commissie")
    admin = window.show_screen(ScreenKey.ADMIN)
    assert [admin.tabs.tabText(i) for i in range(admin.tabs.count())] == ["Auditlogboek"]
    audit = admin.audit
    total = audit.model.total
    assert total >= 8
    qtbot.keyClicks(audit.search, "Samira")
    assert 0 < audit.model.total < total
    assert all("Samira" in str(line.entry.summary) or "Samira" in line.entry.username for line in audit.model.rows)
    assert not any(hasattr(audit, name) for name in ("delete_button", "edit_button"))


def test_window_geometry_is_remembered(qtbot, store):
    window = _window(qtbot, store, "commissie")
    window.resize(761, 555)
    window.close()
    again = _window(qtbot, store, "commissie")
    assert (again.width(), again.height()) == (761, 555)


def test_beheer_has_backups_and_a_restore_asks_to_log_in_again(qtbot, store, monkeypatch):
    window = _window(qtbot, store, "beheerder")
    admin = window.navigate(AdminTarget(AdminTab.BACKUPS))
    assert admin.tabs.tabText(admin.tabs.currentIndex()) == "Back-ups"
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: QMessageBox.StandardButton.Ok)
    admin.backups.restored.emit(object())
    assert window.relogin_requested
    assert not window.isVisible()


def _log_in_when_ready(qtbot, monkeypatch, shown: list, user: str = "commissie", password: str = "demo") -> None:
    """The launcher's real login: once *Inloggen* is enabled (the startup check passed), type and click; the
    main window it makes is kept in `shown`."""
    from PySide6.QtWidgets import QApplication

    from examdesk.ui import launch

    real = launch._main_window

    def main_window(store, user_):
        window = real(store, user_)
        qtbot.addWidget(window)
        shown.append(window)
        return window

    monkeypatch.setattr(launch, "_main_window", main_window)

    def attempt() -> None:
        dialog = next((w for w in QApplication.topLevelWidgets() if isinstance(w, LoginDialog) and w.isVisible()
                       and w.ok_button.isEnabled()), None)
        if dialog is None:
            QTimer.singleShot(10, attempt)
            return
        dialog.username.setText(user)
        dialog.password.setText(password)
        dialog.ok_button.click()

    QTimer.singleShot(0, attempt)


def test_a_second_examdesk_on_the_same_file_is_refused(qtbot, demo_db, monkeypatch):
    from examdesk.services.backup import claim_database
    from examdesk.ui import common, launch

    shown: list[str] = []
    monkeypatch.setattr(common, "show_error", lambda parent, error, title="": shown.append(str(error)))
    lock = claim_database(demo_db)
    try:
        assert launch.launch_gui(demo_db) == 1
    finally:
        lock.release()
    assert shown and "ExamDesk" in shown[0]


def test_first_start_opens_the_main_window_filling_the_screen(qtbot, demo_db, monkeypatch):
    """The launcher's whole path after login: no saved geometry yet → the window fills the screen."""
    from examdesk.ui import launch

    shown: list[MainWindow] = []

    _log_in_when_ready(qtbot, monkeypatch, shown)
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    def close_when_shown() -> None:
        if shown and shown[0].isVisible():
            shown[0].close()
        else:
            QTimer.singleShot(20, close_when_shown)

    QTimer.singleShot(0, close_when_shown)
    assert launch.launch_gui(demo_db) == 0
    window = shown[0]
    assert window.first_start
    available = window.screen().availableGeometry()
    assert window.width() >= available.width() - 20
    assert QApplication.instance() is not None
    backups = list((demo_db.parent / "home" / "backups").rglob("*.sqlite"))
    assert backups, "closing ExamDesk makes a backup"


def test_qt_own_buttons_speak_dutch(qtbot):
    from examdesk.ui.launch import create_application

    create_application()
    box = QMessageBox(QMessageBox.Icon.Question, "Deactiveren", "Zeker?",
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    qtbot.addWidget(box)
    assert sorted(b.text().replace("&", "") for b in box.buttons()) == ["Ja", "Nee"]


@pytest.mark.parametrize("user, expected", [
    ("commissie", [("controle", True)]),     # runs no sessions: nothing to resume, the session mode not even imported
    ("surveillant", [("hervatten", True), ("sessiemodus", True), ("controle", True)]),
])
def test_the_background_check_and_a_resumed_session_follow_the_filled_overzicht(qtbot, demo_db, monkeypatch,
                                                                                 user, expected):
    """The full check holds the one Python thread for minutes on ten years: it starts once the first screen is
    filled, not while it fills (issue 16) — and it still starts, once, on every start. After a crash or power cut
    an invigilator who logs in again is back in the running session, through the real launcher, once the
    Overzicht is filled and before the check; a role that runs no sessions has none to resume (issue 16)."""
    from examdesk.ui import launch, recovery_dialog
    from examdesk.ui.session_mode import window as session_window

    shown: list[MainWindow] = []
    seen: list[tuple[str, bool]] = []

    def filled() -> bool:
        overview = shown[0].screens.get(ScreenKey.OVERVIEW)
        return overview is not None and bool(overview.links)

    real_resume = session_window.resume_running_session

    def resume(window):
        seen.append(("hervatten", filled()))
        mode = real_resume(window)
        seen.append(("sessiemodus", mode is not None and mode.isVisible()
                     and mode.state.plan.status == "bezig"))
        if mode is not None:                         # seen: put away without its leave question, as a test must
            mode.hide()
            mode.deleteLater()
        return mode

    real_check = recovery_dialog.BackgroundCheck

    def check(window, path):
        seen.append(("controle", filled()))
        QTimer.singleShot(0, window.close)
        return real_check(window, path)

    _log_in_when_ready(qtbot, monkeypatch, shown, user=user)
    monkeypatch.setattr(session_window, "resume_running_session", resume)
    monkeypatch.setattr(recovery_dialog, "BackgroundCheck", check)
    assert launch.launch_gui(demo_db) == 0
    assert seen == expected
