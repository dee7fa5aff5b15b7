"""Column titles and the sort arrow (issue 14): the arrow a click on a title draws never covers a short title
('Nr.', 'Niv.', 'F/S') nor leaves a long one shorter than its first letters — on every sortable list of every
screen, whichever column is sorted. The status line keeps who is logged in in view when it is too long."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QTableView

from examdesk.services.auth import AuthService
from examdesk.services.context import AppContext
from examdesk.ui.common import ElidingHeader
from examdesk.ui.main_window import MainWindow


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
