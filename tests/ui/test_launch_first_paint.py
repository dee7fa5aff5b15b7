"""The login window is the first thing a start draws (issue 16), so it is drawn without what it does not need:
PySide6 builds the 93 enums of the `Qt` namespace the first time anything touches it (~50 ms, a third of a bare
window's start), and the login dialog is built, arranged and painted without it."""

from __future__ import annotations

import subprocess
import sys

from examdesk.ui.auth_dialogs import LoginDialog
from examdesk.ui.dialogs import reading_order

FIRST_PAINT = """
import enum, sys
made = []
real = enum.EnumType.__call__
def call(cls, value, names=None, **kw):      # PySide6 makes each of its enums with Enum's functional API
    if names is not None:
        made.append(value)
    return real(cls, value, names, **kw)
enum.EnumType.__call__ = call
from examdesk.ui.launch import create_application
app = create_application()
from examdesk.ui.auth_dialogs import LoginDialog
dialog = LoginDialog(None, "", "examdesk.sqlite")
dialog.show()
dialog.repaint()
assert dialog.focusWidget() is dialog.username, dialog.focusWidget()
print(" ".join(made))
"""


def test_the_login_is_painted_without_the_qt_namespace(tmp_path):
    env = {"QT_QPA_PLATFORM": "offscreen", "EXAMDESK_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    made = set(subprocess.run([sys.executable, "-c", FIRST_PAINT], check=True, capture_output=True, text=True,
                              env=env).stdout.split())
    assert made, "the probe saw no enum being made at all"
    # enums only the Qt namespace has: any one of them means all 93 were built before the paint
    assert made & {"GlobalColor", "FocusPolicy", "FocusReason", "AlignmentFlag", "Key"} == set()


def test_the_logins_named_reading_order_is_the_walked_one(qtbot):
    """`LoginDialog.fields` names its order instead of walking the layout: the same order, Tab by Tab."""
    dialog = LoginDialog(None, "", "examdesk.sqlite")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.fields() == reading_order(dialog)
    assert dialog.fields()[:2] == [dialog.username, dialog.password]
    assert dialog.focusWidget() is dialog.username


AFTER_WARM_UP = """
import importlib, sys, time
from examdesk.ui.launch import WARM_UP, create_application
app = create_application()
for name in WARM_UP:
    importlib.import_module(name)
warm = set(sys.modules)
from examdesk.services.auth import AuthService
from examdesk.services.context import AppContext
from examdesk.services.database import open_database
from examdesk.ui.main_window import MainWindow
store = open_database(sys.argv[1])
window = MainWindow(AppContext(store, AuthService(store).login("beheerder", "demo")))
window.show()
overview = next(iter(window.screens.values()))
deadline = time.monotonic() + 60
while not (overview.links and overview.complete) and time.monotonic() < deadline:
    app.processEvents()
    time.sleep(0.005)
assert overview.links and overview.complete
print(" ".join(sorted(m for m in set(sys.modules) - warm if m.startswith("examdesk"))))
"""


def test_after_the_warm_up_the_filled_overzicht_imports_nothing_of_examdesk(demo_db, tmp_path):
    """`launch.WARM_UP` (imported while the login waits) holds everything of ExamDesk the main window and a
    filled Overzicht need: after *Inloggen* nothing of ExamDesk is left to import on the GUI thread."""
    import os

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, "-c", AFTER_WARM_UP, str(demo_db)], capture_output=True, text=True,
                          env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == []


AFTER_READY = """
import sys, time
from examdesk.ui import launch
from examdesk.ui.launch import create_application
app = create_application()
from examdesk.services.auth import AuthService
from examdesk.services.context import AppContext
from examdesk.services.database import open_database
from examdesk.ui.main_window import MainWindow
store = open_database(sys.argv[1])
window = MainWindow(AppContext(store, AuthService(store).login("commissie", "demo")))
window.show()
overview = next(iter(window.screens.values()))
launch.warm_up_when_ready(window)
deadline = time.monotonic() + 60
while not (overview.complete and all(m in sys.modules for m in launch.WARM_AFTER_READY)) and time.monotonic() < deadline:
    app.processEvents()
    time.sleep(0.005)
assert overview.complete, "the Overzicht was never complete"
warm = set(sys.modules)
window.show_screen("incidenten")
app.processEvents()
print(" ".join(sorted(m for m in set(sys.modules) - warm if m.startswith("examdesk"))))
"""


def test_once_the_overzicht_is_complete_the_first_incidenten_open_imports_nothing_of_examdesk(demo_db):
    """`launch.WARM_AFTER_READY`, imported while the main window is idle after *ready* (`warm_up_when_ready`, from
    the launcher once the first screen is filled): the first visit to Incidenten then imports nothing of ExamDesk
    on the GUI thread (issue 16: 60-100 ms of imports at the click)."""
    import os

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, "-c", AFTER_READY, str(demo_db)], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == []


def test_the_warm_up_after_ready_waits_for_the_overzicht_to_be_complete(qtbot, demo_db, monkeypatch):
    """Nothing is imported while a card is still being counted: an import would hold the one Python thread the
    cards report to, and *ready* would wait for it."""
    from PySide6.QtWidgets import QWidget

    from examdesk.services.auth import AuthService
    from examdesk.services.context import AppContext
    from examdesk.services.database import open_database
    from examdesk.ui import launch
    from examdesk.ui.main_window import MainWindow

    store = open_database(demo_db)
    window = MainWindow(AppContext(store, AuthService(store).login("commissie", "demo")))
    qtbot.addWidget(window)
    overview = window.current_screen()
    qtbot.waitUntil(lambda: overview.complete and bool(overview.links), timeout=20_000)
    imported: list[str] = []
    monkeypatch.setattr(launch, "_warm_up", lambda modules: imported.extend(modules))
    placeholder = QWidget()
    overview._waiting["nog een kaart"] = (placeholder, (9, 0))     # a card still being counted
    launch.warm_up_when_ready(window, ["examdesk.ui.flow_layout"])
    qtbot.wait(150)
    assert imported == []
    overview._waiting.clear()                                    # its count arrived
    qtbot.waitUntil(lambda: imported == ["examdesk.ui.flow_layout"], timeout=5000)
    window.close()
    store.close()
