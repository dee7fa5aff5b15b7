"""Ctrl+N opens a screen with the keyboard in it (issue 14): the tour under a real X server found focus left on
the sidebar, so the first Tab reached the status bar and the Incidenten list was some twenty-five Tabs away."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from examdesk.services.auth import AuthService
from examdesk.services.context import AppContext
from examdesk.services.navigation import ScreenKey
from examdesk.ui.dialogs import reading_order
from examdesk.ui.main_window import MainWindow


@pytest.mark.parametrize("username", ["commissie", "beheerder"])
def test_ctrl_number_puts_the_keyboard_on_the_screen_it_opens(qtbot, store, username):
    window = MainWindow(AppContext(store, AuthService(store).login(username, "demo")))
    qtbot.addWidget(window)
    window.show()
    checked: list[str] = []
    for number, spec in enumerate(window.specs[:9], start=1):
        if spec.key is ScreenKey.OVERVIEW:
            continue                                # its cards arrive over time; the lists are the point here
        window.activateWindow()                     # the user's window, with the keyboard on the sidebar
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
        window.sidebar.setFocus()
        qtbot.waitUntil(lambda: QApplication.focusWidget() is window.sidebar)
        qtbot.keyClick(window.sidebar, Qt.Key.Key_0 + number, Qt.KeyboardModifier.ControlModifier)
        screen = window.screens[spec.key]
        assert window.current_screen() is screen, spec.label
        qtbot.wait(20)
        if not [w for w in reading_order(screen) if w.isEnabled() and w.isVisibleTo(screen)]:
            continue                                # nothing to operate yet (a beheerder's Overzicht still counting)
        qtbot.waitUntil(lambda s=screen: s.isAncestorOf(window.focusWidget()), timeout=2000)   # the window's own focus
        checked.append(spec.label)
    assert {"Incidenten", "Afnames", "Beheer"} & set(checked), checked
