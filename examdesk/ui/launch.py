"""Starting the GUI: a screen to draw on, the database, setup or login, then the main window."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from examdesk.domain.errors import ExamDeskError

NO_DISPLAY = (
    "ExamDesk heeft een beeldscherm nodig, maar deze computer heeft geen grafische omgeving "
    "(DISPLAY of WAYLAND_DISPLAY ontbreekt); gebruik 'examdesk demo --no-gui', 'examdesk selftest' of start "
    "ExamDesk onder xvfb-run."
)


def has_display() -> bool:
    if sys.platform.startswith("win") or sys.platform == "darwin":
        return True
    if os.environ.get("QT_QPA_PLATFORM"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def create_application():
    from PySide6.QtWidgets import QApplication

    from examdesk.ui.style import STYLESHEET, scaled, set_font_scale

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("ExamDesk")
    app.setApplicationDisplayName("ExamDesk")
    app.setStyle("Fusion")
    set_font_scale(app.font().pointSizeF())
    app.setStyleSheet(scaled(STYLESHEET))
    install_dutch(app)
    return app


def install_dutch(app) -> None:
    """Qt's own words (Ja/Nee, Annuleren, the print and file dialogs) in Dutch, like the rest of ExamDesk."""
    from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator

    from examdesk.ui.qt_dutch import DutchSupplement

    QLocale.setDefault(QLocale(QLocale.Language.Dutch, QLocale.Country.Netherlands))
    if getattr(app, "_examdesk_translator", None) is not None:
        return
    translator = QTranslator(app)
    if translator.load("qtbase_nl", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(translator)
    supplement = DutchSupplement(app)      # installed last, asked first: what qtbase_nl lacks
    app.installTranslator(supplement)
    app._examdesk_translator = (translator, supplement)  # kept alive with the application


def login_and_open(store, parent=None):
    """Setup on an empty database, then login; returns the main window or None when cancelled."""
    from PySide6.QtCore import QTimer

    from examdesk.services.auth import AuthService
    from examdesk.services.context import AppContext
    from examdesk.services.institution import InstitutionService
    from examdesk.ui.auth_dialogs import LoginDialog, SetupDialog

    auth = AuthService(store)
    user = None
    if auth.needs_setup():
        setup = SetupDialog(auth, parent)
        if not setup.exec():
            return None
        user = setup.user
    if user is None:
        inst = InstitutionService(AppContext(store)).get()
        login = LoginDialog(auth, f"{inst.name} ({inst.brin})", str(store.path), parent)
        # the main window's modules load while the password is typed, not before the login is drawn
        QTimer.singleShot(WARM_UP_MS, _load_main_window)
        if not login.exec():
            return None
        user = login.user
    return _load_main_window()(AppContext(store, user))


WARM_UP_MS = 30


def _load_main_window() -> type:
    from examdesk.ui.main_window import MainWindow

    return MainWindow


def _after_first_screen(window, db_path: Path, checked: dict[str, bool]) -> None:
    """What follows the first screen, not precedes it: an invigilator's running session is resumed, and the
    full check (once per start) runs in the background — it would otherwise hold the Python thread while
    the Overzicht fills (issue 16)."""
    if window.closed:
        return
    from examdesk.ui.session_mode.window import resume_running_session

    resume_running_session(window)
    if not checked["done"]:
        from examdesk.ui.recovery_dialog import BackgroundCheck

        BackgroundCheck(window, db_path)
        checked["done"] = True


def launch_gui(db_path: Path) -> int:
    """The whole GUI life: one ExamDesk per file, startup check (and recovery), login, the main
    window with automatic backups, a backup on closing; after a restore the user logs in again."""
    if not has_display():
        print(NO_DISPLAY, file=sys.stderr)  # noqa: T201 (the one message before any window exists)
        return 1
    app = create_application()
    from examdesk.services.backup import claim_database
    from examdesk.services.database import open_database
    from examdesk.ui.common import show_error
    from examdesk.ui.recovery_dialog import startup_recovery

    try:
        lock = claim_database(db_path)
    except ExamDeskError as exc:
        show_error(None, exc, "ExamDesk is al geopend")
        return 1
    try:
        if not startup_recovery(None, db_path):
            return 1
        try:
            store = open_database(db_path)
        except ExamDeskError as exc:
            show_error(None, exc, "ExamDesk kan de database niet openen")
            return 1
        checked = {"done": False}    # the full check in the background, once per start
        try:
            while True:
                window = login_and_open(store)
                if window is None:
                    return 0
                from examdesk.ui.admin.backups import backup_on_close, start_automatic_backups

                automatic = start_automatic_backups(window, store)
                if window.first_start:
                    screen = window.screen()
                    if screen is not None:  # also without a window manager that honours "maximised"
                        window.setGeometry(screen.availableGeometry())
                    window.showMaximized()
                else:
                    window.show()
                window.after_first_fill(lambda w=window: _after_first_screen(w, db_path, checked))
                code = app.exec()
                from PySide6.QtCore import QThreadPool

                QThreadPool.globalInstance().waitForDone()  # no background work outlives its window
                automatic.timer.stop()
                if not window.relogin_requested:
                    backup_on_close(None, store)
                    return code
        finally:
            store.close()
    finally:
        lock.release()
