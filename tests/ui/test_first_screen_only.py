"""Only the first screen is built before the main window's first paint (issue 16): the others — and their
modules — follow when they are first shown, and the keyboard reaches them all the same."""

from __future__ import annotations

import subprocess
import sys

from PySide6.QtCore import Qt

from examdesk.services.auth import AuthService
from examdesk.services.context import AppContext
from examdesk.services.navigation import ScreenKey
from examdesk.ui.main_window import MainWindow


def test_only_the_overzicht_is_built_and_ctrl_number_builds_the_others(qtbot, store):
    window = MainWindow(AppContext(store, AuthService(store).login("beheerder", "demo")))
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    assert list(window.screens) == [ScreenKey.OVERVIEW]
    for number, spec in enumerate(window.specs, start=1):
        qtbot.keyClick(window.focusWidget() or window, Qt.Key(Qt.Key.Key_0.value + number), Qt.KeyboardModifier.ControlModifier)
        assert window.title.text() == spec.label
        assert window.current_screen() is window.screens[spec.key]
    assert list(window.screens) == [s.key for s in window.specs]       # each built once, on first show


def test_the_main_window_module_loads_no_other_screen():
    """Importing the main window (done while the password is checked) does not load the screens it does not
    show first: their modules load when they are first opened."""
    code = ("import sys; import examdesk.ui.main_window; "
            "print(' '.join(m for m in sys.modules if m.startswith('examdesk.ui.')))")
    loaded = set(subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout.split())
    screens = {"examdesk.ui.register.screen", "examdesk.ui.sessions.screen", "examdesk.ui.incidents.screen",
               "examdesk.ui.reports.screen", "examdesk.ui.admin.screen", "examdesk.ui.overview_screen"}
    assert loaded & screens == set()
