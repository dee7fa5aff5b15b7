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


def _made_before_the_login_paint(tmp_path) -> set[str]:
    env = {"QT_QPA_PLATFORM": "offscreen", "EXAMDESK_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    made = set(subprocess.run([sys.executable, "-c", FIRST_PAINT], check=True, capture_output=True, text=True,
                              env=env).stdout.split())
    assert made, "the probe saw no enum being made at all"
    return made


def test_the_login_is_painted_without_the_qt_namespace(tmp_path):
    made = _made_before_the_login_paint(tmp_path)
    # enums only the Qt namespace has: any one of them means all 93 were built before the paint
    assert made & {"GlobalColor", "FocusPolicy", "FocusReason", "AlignmentFlag", "Key"} == set()


def test_the_login_is_painted_without_the_widget_classes_it_does_not_hold(tmp_path):
    """The login holds two line edits and two buttons; the classes every dialog asks about (text edits, lists,
    tables, combo boxes, spin boxes, tabs, scroll areas) are asked by Qt's name (`ui.qt_classes`), so their
    PySide6 classes and enums (~25 ms) are not built before the paint."""
    made = _made_before_the_login_paint(tmp_path)
    # one enum each that only those classes declare: QAbstractItemView, QComboBox, QTextEdit/QPlainTextEdit,
    # QTabWidget, QAbstractSpinBox, QListView, QDateTimeEdit, QAbstractScrollArea
    assert made & {"EditTrigger", "InsertPolicy", "LineWrapMode", "TabPosition", "StepType", "ViewMode",
                   "Section", "SizeAdjustPolicy"} == set()


def test_the_login_is_drawn_without_python_in_qts_drawing(tmp_path):
    """The application's style is Fusion itself (spin boxes get theirs as they are made, `ui.house_style`): as a
    Python style it was asked every size and drawing of the login's labels, fields and buttons, converting Qt's
    option classes and their enums (~15 ms before the paint, ~35-50 ms of a whole start). And it is chosen by
    Qt's own `-style` option: naming it in Python built QStyle's enums (~12 ms)."""
    made = _made_before_the_login_paint(tmp_path)
    # declared by the QStyleOption classes only: made when a style method written in Python receives one
    assert made & {"StyleOptionType", "StyleOptionVersion"} == set()
    assert made & {"PixelMetric", "StandardPixmap", "SubElement", "PrimitiveElement"} == set()   # QStyle's


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
from examdesk.ui.launch import create_application
from examdesk.ui.warm_up import WARM_UP
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
    """`warm_up.WARM_UP` (imported while the login waits) holds everything of ExamDesk the main window and a
    filled Overzicht need: after *Inloggen* nothing of ExamDesk is left to import on the GUI thread."""
    import os

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, "-c", AFTER_WARM_UP, str(demo_db)], capture_output=True, text=True,
                          env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == []


AFTER_READY = """
import sys, time
from examdesk.ui import launch, warm_up
from examdesk.ui.launch import create_application
app = create_application()
from examdesk.services.auth import AuthService
from examdesk.services.context import AppContext
from examdesk.services.database import open_database
from examdesk.ui.main_window import MainWindow
store = open_database(sys.argv[1])
window = MainWindow(AppContext(store, AuthService(store).login(sys.argv[2], "demo")))
window.show()
overview = next(iter(window.screens.values()))
warm_up.warm_up_when_ready(window)
modules = warm_up.after_ready_modules(window)
deadline = time.monotonic() + 60
while not (overview.complete and all(m in sys.modules for m in modules)) and time.monotonic() < deadline:
    app.processEvents()
    time.sleep(0.005)
assert overview.complete, "the Overzicht was never complete"
for spec in window.specs[1:]:
    warm = set(sys.modules)
    window.show_screen(spec.key)
    app.processEvents()
    print(spec.key, " ".join(sorted(m for m in set(sys.modules) - warm if m.startswith("examdesk"))))
"""


def _first_opens(demo_db, user: str) -> dict[str, list[str]]:
    """screen → the modules of ExamDesk its first open imported, once the warm-up after *ready* is done."""
    import os

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, "-c", AFTER_READY, str(demo_db), user], capture_output=True, text=True,
                          env=env)
    assert done.returncode == 0, done.stderr
    return {line.split()[0]: line.split()[1:] for line in done.stdout.splitlines()}


def test_once_the_overzicht_is_complete_the_first_open_of_every_screen_imports_nothing_of_examdesk(demo_db):
    """`warm_up.WARM_AFTER_READY`, imported while the main window is idle after *ready* (`warm_up_when_ready`, from
    the launcher once the first screen is filled): the first visit to Incidenten, the Register, Afnames, Rapporten
    and Beheer then imports nothing of ExamDesk on the GUI thread (issue 16: Incidenten 60-100 ms of imports at the
    click, the Register 30-55 ms)."""
    opened = _first_opens(demo_db, "commissie")
    assert set(opened) == {"register", "afnames", "incidenten", "rapporten", "beheer"}
    assert opened == {screen: [] for screen in opened}


def test_the_warm_up_after_ready_is_only_of_the_screens_the_user_may_open(demo_db):
    """A surveillant's sidebar has no Register: its modules are not imported for nothing (memory, issue 16), and
    the screens it has open without importing."""
    from examdesk.ui import warm_up
    from examdesk.ui.main_window import SCREENS

    class Window:       # what `after_ready_modules` reads of a main window: its sidebar's screens
        specs = [spec for spec in SCREENS if spec.key in ("overzicht", "afnames")]

    modules = warm_up.after_ready_modules(Window())
    assert "examdesk.ui.sessions.screen" in modules
    assert "examdesk.ui.session_mode.window" in modules
    assert not [m for m in modules if m.startswith(("examdesk.ui.register", "examdesk.ui.incidents"))]
    opened = _first_opens(demo_db, "surveillant")
    assert "register" not in opened
    assert opened == {screen: [] for screen in opened}


def test_the_warm_up_after_ready_waits_for_the_overzicht_to_be_complete(qtbot, demo_db, monkeypatch):
    """Nothing is imported while a card is still being counted: an import would hold the one Python thread the
    cards report to, and *ready* would wait for it."""
    from PySide6.QtWidgets import QWidget

    from examdesk.services.auth import AuthService
    from examdesk.services.context import AppContext
    from examdesk.services.database import open_database
    from examdesk.ui import warm_up
    from examdesk.ui.main_window import MainWindow

    store = open_database(demo_db)
    window = MainWindow(AppContext(store, AuthService(store).login("commissie", "demo")))
    qtbot.addWidget(window)
    overview = window.current_screen()
    qtbot.waitUntil(lambda: overview.complete and bool(overview.links), timeout=20_000)
    imported: list[str] = []
    monkeypatch.setattr(warm_up, "import_in_turns", lambda modules, then=None: imported.extend(modules))
    placeholder = QWidget()
    overview._waiting["nog een kaart"] = (placeholder, (9, 0))     # a card still being counted
    warm_up.warm_up_when_ready(window, ["examdesk.ui.flow_layout"])
    qtbot.wait(150)
    assert imported == []
    overview._waiting.clear()                                    # its count arrived
    qtbot.waitUntil(lambda: imported == ["examdesk.ui.flow_layout"], timeout=5000)
    window.close()
    store.close()


def test_the_full_check_waits_for_the_overzicht_to_be_complete(qtbot, demo_db, monkeypatch):
    """The background check's reading holds the Python thread the cards report to: it starts once the
    Overzicht is complete, not at its first fill (issue 16: it started while the cards were counted)."""
    from PySide6.QtWidgets import QWidget

    from examdesk.services.auth import AuthService
    from examdesk.services.context import AppContext
    from examdesk.services.database import open_database
    from examdesk.ui import launch, recovery_dialog
    from examdesk.ui.main_window import MainWindow

    store = open_database(demo_db)
    window = MainWindow(AppContext(store, AuthService(store).login("commissie", "demo")))
    qtbot.addWidget(window)
    overview = window.current_screen()
    qtbot.waitUntil(lambda: overview.complete and bool(overview.links), timeout=20_000)
    started: list = []
    monkeypatch.setattr(recovery_dialog, "BackgroundCheck", lambda parent, path: started.append(path))
    monkeypatch.setattr(launch, "warm_up_when_ready", lambda *a: None)
    overview._waiting["nog een kaart"] = (QWidget(), (9, 0))     # a card still being counted
    checked = {"done": False}
    launch._after_first_screen(window, demo_db, checked)
    qtbot.wait(150)
    assert started == [] and checked["done"]
    overview._waiting.clear()                                    # its count arrived
    qtbot.waitUntil(lambda: started == [demo_db], timeout=5000)
    launch._after_first_screen(window, demo_db, checked)         # once per start
    qtbot.wait(50)
    assert started == [demo_db]
    window.close()
    store.close()


def test_what_the_check_left_of_the_warm_up_is_imported_while_the_password_is_verified(qtbot, demo_db):
    """*Inloggen* right after the check: the login's `warm_up` (run while argon2 works on its own thread) imports
    the rest of `WARM_UP` and hands over the main window, so nothing of it waits until after the verdict."""
    from examdesk.ui import launch, warm_up
    from examdesk.ui.main_window import MainWindow

    start = launch.FirstStart(demo_db)
    qtbot.addWidget(start.login)
    assert start.pending == list(warm_up.WARM_UP)
    start.pending.pop(0)                      # what the check's turns imported
    assert start.login.warm_up() is MainWindow
    assert start.pending == []


def test_nothing_is_imported_while_the_startup_check_reads_and_all_of_it_once_inloggen_is_enabled(qtbot, demo_db,
                                                                                                   monkeypatch):
    """Each of the check's reads waits for the one Python thread an import holds (issue 16: the check took 90 ms
    beside the warm-up, 30 ms alone): `WARM_UP` is untouched when the verdict arrives, and imported in turns once
    *Inloggen* is enabled, while the user types."""
    from examdesk.ui import launch, warm_up

    start = launch.FirstStart(demo_db)
    qtbot.addWidget(start.login)
    left_at_verdict: list[list[str]] = []
    checked = start._checked

    def watched(verdict):
        left_at_verdict.append(list(start.pending))
        checked(verdict)

    monkeypatch.setattr(start, "_checked", watched)
    try:
        start._check()
        qtbot.waitUntil(lambda: bool(left_at_verdict), timeout=20_000)
        assert left_at_verdict == [list(warm_up.WARM_UP)]
        assert start.login.auth is not None                   # *Inloggen* is enabled
        qtbot.waitUntil(lambda: start.pending == [], timeout=20_000)
    finally:
        if start.lock is not None:
            start.lock.release()
        if start.store is not None:
            start.store.close()


FEATURE_SCAN = """
import linecache, sys
import examdesk.ui
feature = sys.modules["shibokensupport.feature"]
import json
from examdesk.domain import grade_determination    # its `from … import` lines pass PySide's import hook
print(json.dumps([sorted(k for k in linecache.cache if "examdesk" in k),
                  feature.pyside_feature_dict.get("examdesk.domain.session_state"),
                  feature.pyside_feature_dict.get("zoneinfo")]))
"""


def test_pyside_does_not_read_the_source_of_each_module_imported_after_it():
    """PySide6 reads every module's source after its import to find out whether it may use `from __feature__
    import …` (~170 files, ~25 ms on a start, issue 16). ExamDesk uses no feature: the answer is given without
    reading — "no feature" (0) for ExamDesk's modules, "ignore" (-1) for the others — and no source is read."""
    import json
    import os

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, "-c", FEATURE_SCAN], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    read, ours, other = json.loads(done.stdout)
    assert read == []
    assert (ours, other) == (0, -1)


BEFORE_INLOGGEN = """
import sys, time
from examdesk.ui import auth_dialogs, launch, warm_up
app = launch.create_application()
enabled = []
ready = auth_dialogs.LoginDialog.ready
def watched(self, *args):
    ready(self, *args)
    enabled.append(set(sys.modules))     # *Inloggen* is enabled here
auth_dialogs.LoginDialog.ready = watched
start = launch.FirstStart(sys.argv[1])
start.login.show()
deadline = time.monotonic() + 60
# everything imported before the user can click: the check's, `_checked`'s and the whole of WARM_UP
while not (enabled and all(m in sys.modules for m in warm_up.WARM_UP)) and time.monotonic() < deadline:
    app.processEvents()
    time.sleep(0.002)
assert enabled, "Inloggen was never enabled"
print(" ".join(sorted(m for m in sys.modules if m.startswith("examdesk"))))
start.lock.release()
"""

# Heavy modules neither the main window's first paint nor the Overzicht's cards use (issue 16): imported where they
# are used, or after *ready* (`warm_up.WARM_AFTER_READY`). A module-level import that drags one of them back in
# before *Inloggen* fails the test below; move that import into the function that uses it.
NOT_BEFORE_INLOGGEN = (
    "examdesk.ui.session_mode.window", "examdesk.services.session_mode", "examdesk.services.session_views",
    "examdesk.domain.planning", "examdesk.data.planning",
    "examdesk.ui.incidents.screen", "examdesk.ui.register.screen", "examdesk.ui.sessions.screen",
    "examdesk.ui.reports.screen", "examdesk.ui.admin.screen",
    "examdesk.services.documents", "examdesk.services.incident_file", "examdesk.services.spreadsheet_export",
    "examdesk.services.register_imports", "examdesk.services.tabular", "examdesk.services.doc_procesverbaal",
    "examdesk.services.doc_jaarverslag", "examdesk.services.doc_besluit", "examdesk.services.audit",
)


def test_before_inloggen_is_enabled_nothing_heavy_the_overzicht_does_not_use_is_imported(demo_db):
    """The real first start (`FirstStart`: the login, the startup check on its thread, `WARM_UP` meanwhile) up to
    *Inloggen* enabled and the warm-up done: the session mode, planning's rules, the other screens, the document
    builders and the exports are not among what it imported."""
    import os

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, "-c", BEFORE_INLOGGEN, str(demo_db)], capture_output=True, text=True,
                          env=env)
    assert done.returncode == 0, done.stderr
    imported = set(done.stdout.split())
    assert {"examdesk.ui.main_window", "examdesk.services.backup", "examdesk.services.sessions"} <= imported
    assert sorted(imported & set(NOT_BEFORE_INLOGGEN)) == []
