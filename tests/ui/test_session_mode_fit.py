"""Session mode on an exam-room laptop (1366×768): the candidates take the screen, every row and log
entry shown is shown whole, each key stays beside what it does, and the forms keep the form's large type.
(The same checks at 200 % font run in the layout probe, tests/ui/layout_probe.py.)"""

from __future__ import annotations

import pytest
from layout_support import check_indicator_height
from PySide6.QtWidgets import QLabel, QRadioButton

from examdesk.ui.session_mode.window import KEYS, SessionModeWindow
from tests.session_support import Clock, at, context, plan_session
from tests.ui.test_session_mode_ui import wait_dialog

REMARK = "Raam op de gang open gezet: het is warm in het lokaal"


@pytest.fixture
def clock() -> Clock:
    return Clock(at(9, 30))


def laptop_window(qtbot, store, clock, count: int) -> SessionModeWindow:
    sid, _ = plan_session(store, clock, count=count)
    window = SessionModeWindow(context(store, "surveillant", clock), sid)
    window.timer.stop()
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    return window


def whole_rows(window: SessionModeWindow) -> list[int]:
    table = window.table
    room = table.viewport().height()
    return [row for row in range(window.model.rowCount())
            if 0 <= table.rowViewportPosition(row) and table.rowViewportPosition(row) + table.rowHeight(row) <= room]


def test_a_laptop_shows_fourteen_candidates_and_none_cut_in_half(qtbot, store, clock):
    window = laptop_window(qtbot, store, clock, count=28)
    qtbot.waitUntil(lambda: len(whole_rows(window)) >= 14)
    shown = whole_rows(window)
    table = window.table
    # the rows shown fill the table to the pixel: nothing of the next candidate peeps in at the foot
    assert sum(table.rowHeight(row) for row in shown) == table.viewport().height()
    assert all(table.rowHeight(row) >= table.fontMetrics().height() for row in shown)   # the large text fits


def test_the_log_shows_whole_entries_only(qtbot, store, clock):
    window = laptop_window(qtbot, store, clock, count=3)
    for minute in range(6):
        clock.at = at(9, 31 + minute)
        window.service.remark(f"{REMARK} ({minute}).")
    window.refresh()
    log = window.log

    def cut() -> list[int]:
        room = log.viewport().height()
        return [row for row in range(log.count())
                if log.visualItemRect(log.item(row)).top() < room < log.visualItemRect(log.item(row)).bottom()]

    qtbot.waitUntil(lambda: log.viewportMargins().bottom() > 0)   # entries of two lines do not fill it exactly
    assert cut() == []
    assert log.visualItemRect(log.item(0)).height() > 0   # the newest entry is shown


def test_each_key_stays_beside_what_it_does(qtbot, store, clock):
    window = laptop_window(qtbot, store, clock, count=3)
    texts = [label.text() for label in window.key_labels]
    assert texts == [f"{key} {action}" for key, action in KEYS]
    for label in window.key_labels:
        assert not label.wordWrap()
        box = label.parentWidget().rect()
        assert box.contains(label.geometry()), f"{label.text()} runs out of the key legend"
        assert label.width() >= label.sizeHint().width(), f"{label.text()} is cut"
    legend = window.key_labels[0].parentWidget()
    assert legend.mapTo(window, legend.rect().bottomRight()).y() < window.height()


def test_the_pause_form_shows_its_choices_in_the_forms_large_type(qtbot, store, clock):
    window = laptop_window(qtbot, store, clock, count=3)
    window.table.selectRow(0)
    window.actions.pause_or_resume()
    dialog = wait_dialog(qtbot, window)
    radios = dialog.findChildren(QRadioButton)
    field_label = next(label for label in dialog.findChildren(QLabel) if label.text() == "Reden")
    assert radios and all(r.fontInfo().pointSizeF() == field_label.fontInfo().pointSizeF() for r in radios)
    dialog.reject()


def test_the_incident_form_keeps_duration_apart_and_its_lists_to_their_entries(qtbot, store, clock):
    window = laptop_window(qtbot, store, clock, count=8)
    window.actions.incident()
    dialog = wait_dialog(qtbot, window)
    label = next(label for label in dialog.findChildren(QLabel) if label.text() == "Duur")
    assert label.buddy() is dialog.duration
    gap = dialog.duration.mapTo(dialog, dialog.duration.rect().topLeft()).x() - label.mapTo(
        dialog, label.rect().topRight()).x()
    assert gap >= 6, f"'Duur' {gap} px from its field"

    dialog.filter.setText("onwel")
    categories = dialog.categories
    assert categories.count() == 1
    qtbot.waitUntil(lambda: categories.height() < 2 * categories.sizeHintForRow(0))

    people = dialog.people   # eight candidates: five rows shown, whole, the rest a scroll away
    assert people.height() == sum(people.sizeHintForRow(r) for r in range(5)) + 2 * people.frameWidth()
    dialog.discard_without_asking()
    dialog.reject()


def test_on_a_large_screen_the_log_takes_the_room_the_candidates_do_not_need(qtbot, store, clock):
    """1920×1080 with sixteen candidates: the table ended in a band of empty rows over a log of three lines.
    Now the table is as high as its candidates (each still whole) and the log below shows the rest."""
    window = laptop_window(qtbot, store, clock, count=16)
    for minute in range(12):
        clock.at = at(9, 31 + minute)
        window.service.remark(f"{REMARK} ({minute}).")
    window.refresh()
    window.resize(1920, 1080)
    qtbot.waitUntil(lambda: len(whole_rows(window)) == 16)
    table, log = window.table, window.log
    qtbot.waitUntil(lambda: table.viewport().height() - sum(table.rowHeight(r) for r in range(16))
                    < table.fontMetrics().height())          # no empty row under the last candidate
    line = log.fontMetrics().lineSpacing()
    assert log.viewport().height() >= 8 * line, f"the log shows {log.viewport().height() // line} lines"


def _indicator(widget, metric) -> int:
    from PySide6.QtWidgets import QStyleOptionButton

    option = QStyleOptionButton()
    option.initFrom(widget)
    return widget.style().pixelMetric(metric, option, widget)


def test_the_forms_choices_have_boxes_as_large_as_their_text(qtbot, store, clock):
    """The radio and check boxes of session mode's forms stayed some 13 px beside 15 pt text (the house
    style's 1.15 em reckons with the application's font, not the form's)."""
    from PySide6.QtWidgets import QStyle

    window = laptop_window(qtbot, store, clock, count=3)
    window.table.selectRow(0)
    window.actions.pause_or_resume()
    dialog = wait_dialog(qtbot, window)
    radios = dialog.findChildren(QRadioButton)
    assert radios
    for radio in radios:
        assert _indicator(radio, QStyle.PixelMetric.PM_ExclusiveIndicatorHeight) >= 0.9 * radio.fontMetrics().height()
    dialog.reject()
    qtbot.waitUntil(lambda: window.dialog is None)

    window.actions.incident()
    form = wait_dialog(qtbot, window)
    people = form.people
    assert check_indicator_height(people) >= 0.9 * people.fontMetrics().height()
    form.discard_without_asking()
    form.reject()
