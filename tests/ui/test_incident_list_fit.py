"""The Incidenten list on a laptop (tour 3): its columns share the list's pane — no sideways scrolling, a status
read whole, long text elided with the whole text as its tooltip — and the filters other than the search and
the status chips fold away behind "Meer filters", which opens for a filter set behind it, counts them, is
reached with Tab and is remembered on this PC."""

from __future__ import annotations

from layout_support import commission_screen
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from examdesk.domain.incident_desk import IncidentFilter
from examdesk.services.navigation import IncidentsTarget, ScreenKey
from examdesk.ui.incidents.model import IncidentTableModel
from examdesk.ui.incidents.screen import IncidentsScreen


def _screen(qtbot, store, width: int = 1366) -> IncidentsScreen:
    _window, screen = commission_screen(qtbot, store, ScreenKey.INCIDENTS, width)
    assert isinstance(screen, IncidentsScreen)
    qtbot.waitUntil(lambda: screen.table.viewport().width() > 0)
    QApplication.processEvents()
    return screen


def _cell(screen: IncidentsScreen, row: int, column: int, role=Qt.ItemDataRole.DisplayRole) -> str:
    return screen.model.data(screen.model.index(row, column), role)


def test_the_columns_share_the_pane_and_a_status_reads_whole(qtbot, store):
    screen = _screen(qtbot, store)
    table = screen.table
    assert [screen.model.headerData(c, Qt.Orientation.Horizontal) for c in range(screen.model.columnCount())] == [
        "Datum en tijd", "Categorie", "Afname", "Status"]
    assert not table.horizontalScrollBar().isVisible()
    assert table.horizontalHeader().length() <= table.viewport().width()
    metrics = table.fontMetrics()
    status = IncidentTableModel.STATUS
    reported = [r for r in range(screen.model.rowCount()) if _cell(screen, r, status).endswith("· te melden")]
    assert reported, "the demo has an incident to report"
    for row in range(screen.model.rowCount()):           # 'in behandeling · te melden' whole, not 'te …'
        assert metrics.horizontalAdvance(_cell(screen, row, status)) < table.columnWidth(status)
        assert metrics.horizontalAdvance(_cell(screen, row, 0)) < table.columnWidth(0)
    where = IncidentTableModel.WHERE
    long = max(range(screen.model.rowCount()), key=lambda r: len(_cell(screen, r, where)))
    assert metrics.horizontalAdvance(_cell(screen, long, where)) > table.columnWidth(where)   # elided …
    assert _cell(screen, long, where, Qt.ItemDataRole.ToolTipRole) == _cell(screen, long, where)  # … read whole
    record = screen.model.rows[long]
    assert record.session_title in _cell(screen, long, where) and record.room_name in _cell(screen, long, where)


def test_the_route_and_id_left_out_of_the_list_are_in_the_file(qtbot, store):
    from PySide6.QtWidgets import QLabel

    screen = _screen(qtbot, store)
    row = screen.case.row
    heading = " ".join(label.text() for label in screen.detail.findChildren(QLabel))
    assert row.handler_label in heading and f"id {row.incident_id[:8]}" in heading


def test_the_filters_behind_the_toggle_fold_away_and_open_for_a_link(qtbot, store):
    screen = _screen(qtbot, store)
    bar = screen.filters
    assert bar.search.isVisible() and all(chip.isVisible() for chip in screen.chips.values())
    assert bar.more.text() == "Meer filters" and not bar.more.isChecked()
    folded = (bar.category, bar.route, bar.location, bar.session, bar.candidate, bar.date_from, bar.date_to,
              bar.appeal, bar.to_report, bar.without_letter, bar.reset)
    assert not any(widget.isVisible() for widget in folded)

    # the Overzicht's "te melden bij de Inspectie" card: the list is narrowed by a filter behind the toggle
    screen.window().navigate(IncidentsTarget(IncidentFilter(to_report=True, without_letter=True)))
    QApplication.processEvents()
    assert bar.more.isChecked() and bar.to_report.isVisible() and bar.to_report.isChecked()
    assert bar.more.text() == "Meer filters (2)"
    bar.more.click()                                         # folded again by the user: the count still tells
    assert not bar.to_report.isVisible() and bar.more.text() == "Meer filters (2)"
    bar.more.click()
    bar.without_letter.click()                               # the user clears one
    assert bar.more.text() == "Meer filters (1)"
    screen.window().navigate(IncidentsTarget(IncidentFilter(text="kandidaat")))   # only the search
    assert bar.more.text() == "Meer filters"


def test_the_toggle_is_reached_with_tab_and_remembered(qtbot, store):
    screen = _screen(qtbot, store)
    bar = screen.filters
    assert bar.more.focusPolicy() & Qt.FocusPolicy.TabFocus
    screen.window().activateWindow()
    qtbot.waitActive(screen.window())
    bar.search.setFocus()
    qtbot.waitUntil(bar.search.hasFocus)
    qtbot.keyClick(bar.search, Qt.Key.Key_Tab)
    assert bar.more.hasFocus()
    qtbot.keyClick(bar.more, Qt.Key.Key_Space)               # opened from the keyboard
    assert bar.more.isChecked() and bar.category.isVisible()
    qtbot.keyClick(bar.more, Qt.Key.Key_Tab)
    assert bar.category.hasFocus()                           # on to what it opened

    again = _screen(qtbot, store)                            # the next Incidenten on this PC: as it was left
    assert again.filters.more.isChecked() and again.filters.category.isVisible()
    again.filters.more.click()
    assert not _screen(qtbot, store).filters.more.isChecked()
