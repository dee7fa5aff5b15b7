"""Column titles and the sort arrow (issue 14): the arrow a click on a title draws never covers a short title
('Nr.', 'Niv.', 'F/S') nor leaves a long one shorter than its first letters — on every sortable list of every
screen, whichever column is sorted. The status line keeps who is logged in in view when it is too long."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QTableView

from examdesk.domain.roles import Role
from examdesk.services.auth import AuthService
from examdesk.services.context import AppContext
from examdesk.services.navigation import AdminTab, AdminTarget
from examdesk.ui.admin.screen import AdminScreen
from examdesk.ui.common import ElidingHeader, list_view
from examdesk.ui.main_window import MainWindow
from examdesk.ui.table_model import Column, TableModel


def _window(qtbot, store, username: str) -> MainWindow:
    window = MainWindow(AppContext(store, AuthService(store).login(username, "demo")))
    qtbot.addWidget(window)
    window.resize(1366, 740)
    window.show()
    return window


@pytest.mark.parametrize("username", ["commissie", "beheerder", "bureau"])
def test_the_sort_arrow_never_covers_a_title(qtbot, store, username):
    window = _window(qtbot, store, username)
    checked = 0
    for spec in window.specs:
        screen = window.show_screen(spec.key)
        QApplication.processEvents()
        for table in screen.findChildren(QTableView):
            header = table.horizontalHeader()
            if not table.isVisible() or not table.isSortingEnabled() or not isinstance(header, ElidingHeader):
                continue
            for column in range(header.count()):
                title = header.title(column)
                if header.isSectionHidden(column) or not title:
                    continue
                table.sortByColumn(column, Qt.SortOrder.AscendingOrder)
                QApplication.processEvents()
                shown = header.elided(column, header.sectionSize(column)).split("\n")
                for line, painted in zip(title.split("\n"), shown, strict=True):
                    whole = len(line) <= 4                      # 'Nr.', 'Niv.', 'F/S', 'Tijd'
                    assert painted == line if whole else painted.startswith(line[:3]), \
                        f"{spec.label}: {title!r} sorted shows {painted!r}"
                checked += 1
    assert checked > 5


def test_the_status_line_keeps_who_is_logged_in_in_view(qtbot, store):
    window = _window(qtbot, store, "commissie")
    who = window.who
    font = who.font()
    font.setPointSizeF(font.pointSizeF() * 2)                           # 200 % font
    who.setFont(font)
    window.resize(900, 600)                                             # a laptop's share of the screen
    QApplication.processEvents()
    whole = who.text()
    assert who.fontMetrics().horizontalAdvance(whole) > who.width()      # too long for the line …
    shown = who.shown_text()
    assert shown.startswith("…") and shown.endswith("ingelogd: Marieke de Vries (examencommissie)")
    assert whole in who.toolTip()                                        # … and whole on hovering


def _whole_titles(table: QTableView) -> dict[str, str]:
    """Each column's title as painted, where it is not the whole title (the stretching last column aside)."""
    header = table.horizontalHeader()
    last = header.count() - 1
    return {header.title(c): header.elided(c, header.sectionSize(c)) for c in range(header.count())
            if not (c == last and header.stretchLastSection()) and header.elided(c, header.sectionSize(c))
            != header.title(c)}


def test_an_empty_list_shows_its_column_titles_whole(qtbot, ctx_for):
    """Beheer → Privacy with no candidate due: the lists are sized on their rows and have none; the titles
    showed 'studentn…' and 'bewaard t…' beside a wide empty 'status'."""
    screen = AdminScreen(ctx_for(Role.BEHEERDER))
    qtbot.addWidget(screen)
    screen.apply_filter(AdminTarget(AdminTab.PRIVACY))
    screen.refresh()
    screen.resize(1100, 800)
    screen.show()
    QApplication.processEvents()
    panel = screen.privacy
    assert panel.model.rowCount() == 0 and panel.account_model.rowCount() == 0
    assert _whole_titles(panel.table) == {} and _whole_titles(panel.account_table) == {}


def test_a_list_keeps_whole_titles_as_its_rows_come_and_the_font_grows(qtbot):
    rows: list[str] = []
    model: TableModel[str] = TableModel([Column("studentnummer", str), Column("bewaard t/m", str),
                                         Column("status", str)], count=lambda: len(rows),
                                        fetch=lambda start, n: rows[start:start + n])
    table = list_view(model, sortable=True)
    qtbot.addWidget(table)
    table.resize(700, 300)
    table.show()
    model.reload()
    assert _whole_titles(table) == {}
    rows.extend(["1", "2"])
    model.reload()                                      # Qt's reset forgets the widths: fitted again
    assert model.rowCount() == 2 and _whole_titles(table) == {}
    font = table.horizontalHeader().font()
    font.setPointSizeF(font.pointSizeF() * 2)           # 200 %
    table.horizontalHeader().setFont(font)
    QApplication.processEvents()
    assert _whole_titles(table) == {}


def test_a_width_the_user_chose_is_kept(qtbot):
    model: TableModel[str] = TableModel([Column("studentnummer", str), Column("status", str)])
    table = list_view(model)
    qtbot.addWidget(table)
    table.show()
    header = table.horizontalHeader()
    header.resizeSection(0, header.minimum_width(0))    # dragged narrower: elided, as the user wanted
    header.fit_titles()
    assert header.sectionSize(0) == header.minimum_width(0)
