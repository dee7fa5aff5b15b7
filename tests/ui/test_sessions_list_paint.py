"""A key in Afnames' search that fills an empty list lays the list out as the rows arrive (issue 16): laid out in
its first paint, its scroll bar appeared after it, narrowed the rows and every row on screen was painted a second
time (the first broad key after one that matched nothing: 52 ms on ten years)."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from examdesk.services.auth import AuthService
from examdesk.services.context import AppContext
from examdesk.ui.sessions.screen import SessionsScreen


def _settle() -> None:
    for _ in range(5):
        QApplication.processEvents()


def test_an_empty_list_that_fills_has_its_scroll_bar_before_it_is_painted(qtbot, store):
    screen = SessionsScreen(AppContext(store, AuthService(store).login("bureau", "demo")))
    qtbot.addWidget(screen)
    screen.resize(1400, 900)
    screen.table.setMaximumHeight(110)        # fewer rows fit than the demo plans: the list scrolls
    screen.show()
    qtbot.waitExposed(screen)
    screen.date_filter.setCurrentIndex(screen.date_filter.findData(""))      # alle datums
    screen.status_filter.setCurrentIndex(screen.status_filter.findData("gepland"))    # none running: none selected
    _settle()
    screen.search.setText("zzzq")             # nothing matches
    _settle()
    assert screen.model.rowCount() == 0 and not screen.table.verticalScrollBar().isVisible()
    screen.search.setText("")                  # every planned one again: laid out before anything is painted
    assert screen.table.verticalScrollBar().maximum() > 0        # the scroll bar's range known with the rows
    _settle()
    assert screen.table.verticalScrollBar().isVisible() and screen.current() is None
