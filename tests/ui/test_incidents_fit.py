"""The Incidenten screen and its dialogs at the user's text size (tour 2): the search keeps room to be read,
fields are as wide as their placeholders, the screen's actions stand apart from the status chips, the file's
headings grow with the text, list check boxes are as large as their text, the decision form's labels sit
beside their fields."""

from __future__ import annotations

from datetime import date

from layout_support import check_indicator_height, commission_screen
from PySide6.QtCore import QPoint, Qt

from examdesk.services.auth import AuthService
from examdesk.services.navigation import ScreenKey
from examdesk.services.view_text import Span
from examdesk.ui import style
from examdesk.ui.fields import checklist
from examdesk.ui.incidents.case_panel import _section_title
from examdesk.ui.incidents.dialogs import DecisionDialog
from examdesk.ui.incidents.screen import IncidentsScreen
from examdesk.ui.rich_text import span_html


def _screen(qtbot, store, width: int = 1366) -> IncidentsScreen:
    _window, screen = commission_screen(qtbot, store, ScreenKey.INCIDENTS, width)
    assert isinstance(screen, IncidentsScreen)
    qtbot.waitUntil(lambda: screen.filters.search.width() > 0)
    return screen


def test_headings_of_the_file_grow_with_the_text(qtbot):
    try:
        style.set_font_scale(18.0)                      # the user doubled the text size
        assert "font-size:28pt" in span_html(Span("Werkplek vastgelopen", size=14))
        assert "font-size: 18pt" in _section_title("Triage").styleSheet()
    finally:
        style.set_font_scale(style.BASE_POINT_SIZE)
    assert "font-size:14pt" in span_html(Span("Werkplek vastgelopen", size=14))


def test_fields_show_their_whole_placeholder_and_the_search_keeps_room(qtbot, store):
    screen = _screen(qtbot, store)
    bar = screen.filters
    for edit in (bar.candidate, bar.date_from, bar.date_to):
        assert edit.width() >= edit.fontMetrics().horizontalAdvance(edit.placeholderText()), edit.placeholderText()
    assert bar.search.width() >= bar.search.fontMetrics().horizontalAdvance("Zoeken: wat er gebeurde")


def test_the_screen_actions_stand_in_line_apart_from_the_status_chips(qtbot, store):
    screen = _screen(qtbot, store)
    chips_row = screen.chips[""].parentWidget()
    assert screen.found_button.parentWidget() is not chips_row
    assert screen.overview.parentWidget() is not chips_row
    assert not screen.overview.status.isVisible()       # nothing said yet: no empty room beside the button
    left = screen.found_button.mapTo(screen, QPoint(0, 0))
    assert left.x() == screen.chips[""].mapTo(screen, QPoint(0, 0)).x()
    found = screen.found_button.mapTo(screen, QPoint(0, 0))
    overview = screen.overview.button.mapTo(screen, QPoint(0, 0))
    assert overview.y() == found.y()
    assert overview.x() - (found.x() + screen.found_button.width()) <= 12   # next to it, no odd gap
    screen.overview._say("Overzicht opgeslagen.")
    assert screen.overview.status.isVisible()


def test_check_boxes_in_a_list_are_as_large_as_their_text(qtbot):
    names = checklist([(1, "Henk Jansen"), (2, "Marieke de Vries")], {1})
    qtbot.addWidget(names)
    big = names.font()
    big.setPointSizeF(20)
    names.setStyleSheet(style.STYLESHEET)
    names.setFont(big)
    names.show()
    assert check_indicator_height(names) >= 0.9 * names.fontMetrics().height()


def _decision_dialog(qtbot, store, point_size: float | None = None) -> DecisionDialog:
    members = AuthService(store).login("commissie", "demo")
    dialog = DecisionDialog(None, 6, ("ongeldig_opnieuw",), [(1, "Dragan Jovanović")], {1},
                            [members, members], members.id, date(2026, 12, 1), submit=lambda _v: None)
    qtbot.addWidget(dialog)
    dialog.setStyleSheet(style.STYLESHEET)
    if point_size:
        font = dialog.font()
        font.setPointSizeF(point_size)
        dialog.setFont(font)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_decision_labels_sit_beside_their_fields(qtbot, store):
    dialog = _decision_dialog(qtbot, store)
    for field in (dialog.decided_on, dialog.heard_row, dialog.second):
        label = dialog.form.labelForField(field)
        top = field.mapTo(dialog, QPoint(0, 0)).y()
        label_top = label.mapTo(dialog, QPoint(0, 0)).y()
        assert abs(label_top - top) <= 12, label.text()


def test_every_member_to_tick_shows_whole_at_a_large_font(qtbot, store):
    dialog = _decision_dialog(qtbot, store, point_size=20)
    members = dialog.members
    shown = members.viewport().height()
    assert shown >= members.count() * members.sizeHintForRow(0)
    assert members.item(0).checkState() in (Qt.CheckState.Checked, Qt.CheckState.Unchecked)
