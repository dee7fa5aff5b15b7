"""A key in a search that fills an empty list (issue 16): the lists that grow with the years — Afnames, Incidenten —
are painted once per key, and their columns stay where the reader's eye is. Laid out in its first paint, the list
was laid out again a turn later and painted twice; and its scroll bar, appearing with the rows, narrowed the list,
moved every column and painted every row on screen once more (the first broad key after one that matched nothing:
52 ms on ten years)."""

from __future__ import annotations

from layout_support import commission_screen
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QTableView

from examdesk.services.auth import AuthService
from examdesk.services.context import AppContext
from examdesk.services.navigation import ScreenKey
from examdesk.ui.incidents.screen import IncidentsScreen
from examdesk.ui.sessions.screen import SessionsScreen


def _settle() -> None:
    for _ in range(5):
        QApplication.processEvents()


class _Paints(QObject):
    def __init__(self, view: QTableView):
        super().__init__(view)
        self.count = 0
        view.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


def _columns(view: QTableView) -> list[int]:
    header = view.horizontalHeader()
    return [header.sectionViewportPosition(c) for c in range(header.count())] + [view.viewport().width()]


def _fills_at_once(view: QTableView, empty, full) -> None:
    """`empty()` leaves the list without rows, `full()` fills it with more than fit: one paint, nothing moves."""
    empty()
    _settle()
    assert view.model().rowCount() == 0
    columns = _columns(view)
    paints = _Paints(view)
    full()
    assert view.verticalScrollBar().maximum() > 0        # laid out with the rows, before anything is painted
    _settle()
    assert view.model().rowCount() > 0
    assert paints.count == 1
    assert _columns(view) == columns                     # no column moved under the reader's eye


def test_afnames_filled_by_a_key_is_painted_once_and_its_columns_stay(qtbot, store):
    screen = SessionsScreen(AppContext(store, AuthService(store).login("bureau", "demo")))
    qtbot.addWidget(screen)
    screen.resize(1400, 900)
    screen.table.setMaximumHeight(110)        # fewer rows fit than the demo plans: the list scrolls
    screen.show()
    qtbot.waitExposed(screen)
    screen.date_filter.setCurrentIndex(screen.date_filter.findData(""))      # alle datums
    screen.status_filter.setCurrentIndex(screen.status_filter.findData("gepland"))    # none running: none selected
    _fills_at_once(screen.table, lambda: screen.search.setText("zzzq"), lambda: screen.search.setText(""))
    assert screen.table.verticalScrollBar().isVisible() and screen.current() is None


def test_incidenten_filled_by_a_key_is_painted_once_and_its_columns_stay(qtbot, store):
    window, screen = commission_screen(qtbot, store, ScreenKey.INCIDENTS, 1500, 900)
    qtbot.waitExposed(window)
    assert isinstance(screen, IncidentsScreen)
    screen.table.setMaximumHeight(110)
    screen.case_panel.hide()                  # the list alone: a file being built paints nothing in it

    place = screen.model.rows[0].location_name.split()[0]        # a word many incidents share
    typed = screen.filters.search

    def search(text: str) -> None:           # typed, and the list read once the typing pauses
        typed.setText(text)
        qtbot.waitUntil(lambda: screen.model.filter.text == text)

    _fills_at_once(screen.table, lambda: search("zzzq"), lambda: search(place))
    qtbot.waitUntil(lambda: not screen.file_pending and not screen.counting, timeout=3000)   # its file, then done
