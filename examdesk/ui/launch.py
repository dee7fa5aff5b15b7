"""Starting the GUI: a screen to draw on, the database, setup or login, then the main window."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from examdesk.domain.errors import ExamDeskError
from examdesk.ui.warm_up import WARM_UP, import_in_turns, warm_up_when_ready, when_screen_complete

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

    app = QApplication.instance()
    if app is None:   # Fusion by Qt's own option: naming a style in Python builds QStyle's ~20 enums (~12 ms)
        app = QApplication([*sys.argv[:1], "-style", "Fusion"])
    elif app.style().name().lower() != "fusion":
        app.setStyle("Fusion")
    # spin boxes get the house's style as they are made (`ui.house_style.house_spin`)
    app.setApplicationName("ExamDesk")
    app.setApplicationDisplayName("ExamDesk")
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
    """Setup on an empty database, then login; returns the main window or None when cancelled (a login
    after a restore: the first one is `FirstStart`'s)."""
    from examdesk.services.auth import AuthService
    from examdesk.ui.auth_dialogs import LoginDialog

    auth = AuthService(store)
    user = None
    if auth.needs_setup():
        user, done = _setup(auth, parent)
        if not done:
            return None
    if user is None:
        login = LoginDialog(auth, _institution_line(store), str(store.path), parent, warm_up=_load_main_window)
        if not login.exec():
            return None
        user = login.user
    return _main_window(store, user)


def _setup(auth, parent=None) -> tuple[object, bool]:
    """(the first beheerder or None when an exam PC was set up from a package and logs in next, done)."""
    from examdesk.ui.auth_dialogs import SetupDialog

    setup = SetupDialog(auth, parent)
    if not setup.exec():
        return None, False
    return setup.user, True


def _institution_line(store) -> str:
    from examdesk.services.context import AppContext
    from examdesk.services.institution import InstitutionService

    inst = InstitutionService(AppContext(store)).get()
    return f"{inst.name} ({inst.brin})"


def _main_window(store, user):
    from examdesk.services.context import AppContext

    return _load_main_window()(AppContext(store, user))


def _load_main_window() -> type:
    from examdesk.ui.main_window import MainWindow

    return MainWindow


def _after_first_screen(window, db_path: Path, checked: dict[str, bool]) -> None:
    """What follows the first screen, not precedes it: an invigilator's running session is resumed, and the
    full check (once per start) runs in the background — it would otherwise hold the Python thread while
    the Overzicht fills (issue 16)."""
    if window.closed:
        return
    from examdesk.domain.roles import Action

    if window.ctx.can(Action.RUN_SESSION):    # only then is there a session to resume: the others never import it
        from examdesk.ui.session_mode.window import resume_running_session

        resume_running_session(window)
    if not checked["done"]:
        checked["done"] = True

        def full_check() -> None:
            from examdesk.ui.recovery_dialog import BackgroundCheck

            BackgroundCheck(window, db_path)

        when_screen_complete(window, full_check)   # its reading holds the Python thread the cards report to
    warm_up_when_ready(window)


class FirstStart:
    """The first login of a start (issue 16): the login window is drawn before anything else — the startup
    check, the database and their imports follow its first paint. *Inloggen* is enabled only when the check
    passed and the database is open; a check that finds a problem hides the login and shows the recovery
    dialog as before. `run()` returns the logged-in user or None; `store`, `lock` and `code` tell the rest."""

    def __init__(self, db_path: Path):
        from PySide6.QtCore import QTimer

        from examdesk.ui.auth_dialogs import LoginDialog

        self.db_path = Path(db_path)
        self.lock = None
        self.store = None
        self.code = 0                 # the exit code when nobody logged in
        self.needs_setup = False
        self.pending = list(WARM_UP)   # imported one per turn once *Inloggen* is enabled; the rest at the click
        self.login = LoginDialog(None, "", str(self.db_path), warm_up=self._warm_rest)
        self.login.painted.connect(lambda: QTimer.singleShot(0, self._check))

    def run(self):
        if self.login.exec():
            return self.login.user
        if not self.needs_setup:
            return None
        from examdesk.services.auth import AuthService

        user, done = _setup(AuthService(self.store))
        if not done:
            return None
        if user is None:          # an exam PC set up from a package: its invigilators log in now
            login = self._plain_login()
            return login.user if login.exec() else None
        return user

    def _warm_rest(self) -> type:
        """While argon2 verifies the password on its thread (it lets go of the Python thread): what `WARM_UP`
        has not imported yet — a click soon after *Inloggen* was enabled would otherwise import it after the verdict."""
        import importlib

        while self.pending:
            importlib.import_module(self.pending.pop(0))
        return _load_main_window()

    def _plain_login(self):
        from examdesk.services.auth import AuthService
        from examdesk.ui.auth_dialogs import LoginDialog

        return LoginDialog(AuthService(self.store), _institution_line(self.store), str(self.db_path),
                           warm_up=_load_main_window)

    def _end(self, code: int) -> None:
        self.code = code
        self.login.done(0)          # not reject(): nothing typed is asked about, the start ends here

    def _check(self) -> None:
        """Right after the login is painted: one ExamDesk per file, then the startup check on a thread (the
        window stays responsive while a first start here reads every page)."""
        from examdesk.services.backup import check_database, claim_database
        from examdesk.ui.common import show_error
        from examdesk.ui.worker import run_in_background

        try:
            self.lock = claim_database(self.db_path)
        except ExamDeskError as exc:
            self.login.hide()
            show_error(None, exc, "ExamDesk is al geopend")
            self._end(1)
            return
        # nothing imported meanwhile: each of the check's ~70 reads waits for the one Python thread an import
        # holds (issue 16: the check took 90 ms beside the warm-up, 30 ms alone)
        run_in_background(self.login, lambda: check_database(self.db_path, record=True), self._checked,
                          self._check_failed, label="Database controleren", quiet=True)

    def _check_failed(self, exc: Exception) -> None:
        if not isinstance(exc, ExamDeskError):
            raise exc
        from examdesk.ui.common import show_error

        self.login.hide()
        show_error(None, exc, "ExamDesk kan de database niet openen")
        self._end(1)

    def _checked(self, verdict) -> None:
        from examdesk.domain.backups import DatabaseState
        from examdesk.services.auth import AuthService
        from examdesk.services.database import open_database
        from examdesk.ui.common import show_error

        if verdict.state not in (DatabaseState.OK, DatabaseState.NEW):
            from examdesk.ui.recovery_dialog import startup_recovery

            self.login.hide()          # the recovery (or the key import) as before, without a login beside it
            if not startup_recovery(None, self.db_path, verdict):
                self._end(1)
                return
            self.login.show()
        try:
            self.store = open_database(self.db_path)
        except ExamDeskError as exc:
            self.login.hide()
            show_error(None, exc, "ExamDesk kan de database niet openen")
            self._end(1)
            return
        auth = AuthService(self.store)
        if auth.needs_setup():
            self.needs_setup = True
            self.login.hide()
            self._end(0)
            return
        self.login.ready(auth, _institution_line(self.store))
        import_in_turns(self.pending)      # while the user types; a quicker click imports the rest in `_warm_rest`


def launch_gui(db_path: Path) -> int:
    """The whole GUI life: the login window first, then one ExamDesk per file and the startup check (and
    recovery), login, the main window with automatic backups, a backup on closing; after a restore the user
    logs in again. Closing cancels the background work that can be cancelled instead of waiting for it."""
    if not has_display():
        print(NO_DISPLAY, file=sys.stderr)  # noqa: T201 (the one message before any window exists)
        return 1
    app = create_application()
    start = FirstStart(db_path)
    try:
        user = start.run()
        store = start.store
        if user is None or store is None:
            if store is not None:
                store.close()
            return start.code
        checked = {"done": False}    # the full check in the background, once per start
        try:
            window = _main_window(store, user)
            while True:
                from examdesk.ui.admin.backups import backup_on_close, start_automatic_backups

                automatic = start_automatic_backups(window, store)
                if window.first_start:
                    screen = window.screen()
                    if screen is not None:  # also without a window manager that honours "maximised"
                        window.setGeometry(screen.availableGeometry())
                    window.showMaximized()
                else:
                    window.show()
                window.activateWindow()   # the keyboard in the new window, also without a window manager
                window.after_first_fill(lambda w=window: _after_first_screen(w, db_path, checked))
                code = app.exec()
                from examdesk.ui.worker import finish_background_work

                finish_background_work()   # the cancellable work stops; what the user asked for completes
                automatic.timer.stop()
                if not window.relogin_requested:
                    backup_on_close(None, store)
                    return code
                window = login_and_open(store)
                if window is None:
                    return 0
        finally:
            store.close()
    finally:
        if start.lock is not None:
            start.lock.release()
