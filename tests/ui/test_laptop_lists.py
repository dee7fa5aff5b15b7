"""The lists a GUI tour found scrolling sideways on a 1366×768 laptop (tour2 items 14–17): the Register's
instruments and kwalificaties, the Afnames list, Beheer's Gebruikers and the Auditlogboek — each at 100 % (and
where the tour saw it, 200 %) font, as the user sees it in the main window on the demo database."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QTableView
from test_privacy_ui import font_scale  # noqa: F401 (the fixture: the application at 100 % and 200 % font)

from examdesk.services.auth import AuthService
from examdesk.services.context import AppContext
from examdesk.services.navigation import ScreenKey


@pytest.fixture
def at_100():
    """The application at 100 % font with the house style sheet as ExamDesk starts it (whatever an earlier test
    left behind): the sheet, for the window."""
    from PySide6.QtGui import QFont

    from examdesk.ui import style

    app = QApplication.instance()
    before = QFont(app.font())
    normal = QFont(before)
    normal.setPointSizeF(style.BASE_POINT_SIZE)
    app.setFont(normal)
    yield style.scaled(style.STYLESHEET, scale=1.0)
    app.setFont(before)


def _settle() -> None:
    for _ in range(5):
        QApplication.processEvents()


def _window(qtbot, store, username: str, sheet: str = "", width: int = 1362, height: int = 764):
    from examdesk.ui import style
    from examdesk.ui.main_window import MainWindow

    window = MainWindow(AppContext(store, AuthService(store).login(username, "demo")))
    window.setStyleSheet(sheet or style.scaled(style.STYLESHEET))       # the house style, as ExamDesk starts
    qtbot.addWidget(window)
    window.resize(width, height)                                    # maximised on 1366×768
    window.show()
    _settle()
    return window


def _cell_width(table: QTableView, row: int, column: int) -> int:
    """The width the cell's whole text takes in the list's font, with the cell's padding."""
    text = str(table.model().index(row, column).data() or "")
    return table.fontMetrics().horizontalAdvance(text) + 6        # Qt's cell margins: 3 px each side


def _shows_whole_title(table: QTableView, column: int) -> bool:
    header = table.horizontalHeader()
    return header.elided(column, header.sectionSize(column)) == header.title(column)


def test_the_register_shows_every_instrument_column_on_a_laptop(qtbot, store, at_100):
    """The instruments scrolled sideways with 'Leveranc…' cut: now every column is in view, the code, part,
    purpose, route, status and verdict whole with their titles, the title and the supplier sharing the rest
    (eliding, their whole text the tooltip) and each still readable, not 'Prak…'."""
    window = _window(qtbot, store, "commissie", at_100)
    screen = window.show_screen(ScreenKey.REGISTER)
    _settle()
    table = screen.instr_table
    header = table.horizontalHeader()
    assert table.model().rowCount() >= 3
    assert table.horizontalScrollBar().maximum() == 0
    assert header.length() <= table.viewport().width()
    for column in (0, 2, 3, 4, 6, 7):             # code, onderdeel, F/S, route, status, vandaag
        assert _shows_whole_title(table, column), header.title(column)
        for row in range(table.model().rowCount()):
            assert header.sectionSize(column) >= _cell_width(table, row, column), (column, row)
    letters = table.fontMetrics().averageCharWidth()
    for column in (1, 5):                          # titel, leverancier: readable, whole in the tooltip
        assert _shows_whole_title(table, column), header.title(column)
        assert header.sectionSize(column) >= 14 * letters, header.title(column)
    index = table.model().index(0, 1)
    assert index.data(Qt.ItemDataRole.ToolTipRole) == index.data()


def test_kwalificatie_names_are_whole_where_the_pane_has_room(qtbot, store, at_100):
    """On a laptop the kwalificaties keep their columns and the 'Kwalificatie' title whole, the names eliding
    with the whole name as tooltip; on a wide screen the pane has room and every name is whole."""
    window = _window(qtbot, store, "commissie", at_100)
    screen = window.show_screen(ScreenKey.REGISTER)
    _settle()
    table = screen.qual_table
    assert table.horizontalScrollBar().maximum() == 0
    for column in range(table.model().columnCount()):
        assert _shows_whole_title(table, column), table.horizontalHeader().title(column)
    routes = [row for row in range(table.model().rowCount()) if table.model().index(row, 5).data() == "ontbreekt"]
    assert routes and all(table.columnWidth(5) >= _cell_width(table, row, 5) for row in routes)
    for row in range(table.model().rowCount()):
        index = table.model().index(row, 1)
        assert index.data() in index.data(Qt.ItemDataRole.ToolTipRole)

    wide = _window(qtbot, store, "commissie", at_100, width=1916, height=1076)
    screen = wide.show_screen(ScreenKey.REGISTER)
    _settle()
    table = screen.qual_table
    for row in range(table.model().rowCount()):
        assert table.columnWidth(1) >= _cell_width(table, row, 1), (table.model().index(row, 1).data(), table.columnWidth(1), _cell_width(table, row, 1), screen.splitter.sizes(), screen.width())



def test_the_afnames_list_fits_a_laptop_with_whole_surveillant_names(qtbot, store, at_100):
    """The Afnames list scrolled sideways and cut the surveillants ('Elif Şahi'): now every column is in view,
    each surveillant's name whole (two on a row may elide, the tooltip has both), the exam's title keeping some
    twenty letters, sized from the rows in view (never every row: issue 16)."""
    for username in ("bureau", "surveillant"):
        window = _window(qtbot, store, username, at_100)
        screen = window.show_screen(ScreenKey.SESSIONS)
        _settle()
        table = screen.table
        header = table.horizontalHeader()
        assert table.model().rowCount() >= 3
        assert table.horizontalScrollBar().maximum() == 0, username
        assert header.length() <= table.viewport().width()
        assert header.sectionResizeMode(3) == header.ResizeMode.Stretch    # sized from nothing but the room left
        assert all(header.sectionResizeMode(c) != header.ResizeMode.ResizeToContents for c in range(header.count()))
        metrics = table.fontMetrics()
        for row in range(table.model().rowCount()):
            plan = table.model().record(row)
            for _, name in plan.invigilators:
                assert header.sectionSize(7) >= metrics.horizontalAdvance(name) + 6, (username, name)
        assert header.sectionSize(3) >= 18 * metrics.averageCharWidth(), username
        for column in (0, 1, 2, 4, 5, 6, 8):
            assert _shows_whole_title(table, column), header.title(column)


def test_gebruikers_fits_a_laptop_and_keeps_names_whole_at_200_percent(qtbot, store, font_scale):  # noqa: F811
    """Gebruikers scrolled sideways at 100 % with 'Functie' cut; at 200 % the header read 'Na' and the names were
    cut. At 100 % every column is in view; at 200 % the name comes first, its title and every name whole (the
    other columns are reached by scrolling the list sideways)."""
    from examdesk.services.navigation import AdminTab, AdminTarget

    scale, sheet = font_scale
    window = _window(qtbot, store, "beheerder", sheet)
    screen = window.show_screen(ScreenKey.ADMIN, AdminTarget(AdminTab.USERS))
    _settle()
    table = screen.users.table
    header = table.horizontalHeader()
    assert header.title(0) == "Naam" and _shows_whole_title(table, 0)
    for row in range(table.model().rowCount()):
        assert header.sectionSize(0) >= _cell_width(table, row, 0), table.model().index(row, 0).data()
    assert header.sectionViewportPosition(0) == 0
    if scale == 1:
        assert table.horizontalScrollBar().maximum() == 0
        assert header.length() <= table.viewport().width()
        for column in range(header.count()):
            assert _shows_whole_title(table, column), header.title(column)


def test_the_audit_period_stays_on_one_line(qtbot, store, font_scale):  # noqa: F811
    """'Periode [01-11-2026]' on one line and 't/m [01-12-2026]' alone on the next: the period is one unit that
    flows as a whole, at every width and font size."""
    from PySide6.QtWidgets import QLabel

    from examdesk.services.navigation import AdminTab, AdminTarget

    _scale, sheet = font_scale
    window = _window(qtbot, store, "beheerder", sheet)
    screen = window.show_screen(ScreenKey.ADMIN, AdminTarget(AdminTab.AUDIT))
    _settle()
    audit = screen.audit
    until = next(label for label in audit.findChildren(QLabel) if label.text() == "t/m")
    for width in (1362, 1100, 900):
        window.resize(width, 764)
        _settle()
        parts = (audit.use_dates, audit.date_from, until, audit.date_to)
        middles = {part.mapTo(window, part.rect().center()).y() for part in parts}
        assert max(middles) - min(middles) <= 2, (width, middles)
        lefts = [part.mapTo(window, part.rect().topLeft()).x() for part in parts]
        assert lefts == sorted(lefts), (width, lefts)          # in reading order, side by side


def test_the_audit_log_shows_every_column_on_a_laptop(qtbot, store, at_100):
    """The Object column, sized to its longest text, ran off the right edge and Details could only be read by
    scrolling sideways. On a 1366×768 laptop every column is in view, the short ones whole, Object and Details
    sharing what is left — elided, each cell's whole text its tooltip."""
    from examdesk.services.navigation import AdminTab, AdminTarget

    window = _window(qtbot, store, "beheerder", at_100)
    screen = window.show_screen(ScreenKey.ADMIN, AdminTarget(AdminTab.AUDIT))
    _settle()
    table = screen.audit.table
    header = table.horizontalHeader()
    assert [header.title(c) for c in (4, 5)] == ["Object", "Details"]
    assert table.horizontalScrollBar().maximum() == 0
    assert header.length() <= table.viewport().width()
    for column in range(header.count()):
        assert _shows_whole_title(table, column), header.title(column)
    for row in range(5):
        for column in (0, 1, 2, 3):
            assert header.sectionSize(column) >= _cell_width(table, row, column), \
                table.model().index(row, column).data()
        long = table.model().index(row, 4)
        assert long.data(Qt.ItemDataRole.ToolTipRole) == long.data()
