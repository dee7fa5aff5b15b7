"""Issue 14: the time fields of *Nieuwe afname* take typed digits at once — no double-click first — like
session mode's time fields, through the one helper (`ui.fields.select_on_focus`)."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QWidget

from examdesk.domain.roles import Role
from examdesk.ui.session_mode.forms import TimeField
from examdesk.ui.sessions.plan_dialog import PlanDialog


def _open(qtbot, ctx):
    dialog = PlanDialog(ctx, None)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def _click_minutes(qtbot, edit) -> None:
    """A click on the minutes, where Qt would put the cursor and swallow the digits without the helper."""
    line = edit.lineEdit()
    qtbot.mouseClick(line, Qt.MouseButton.LeftButton, pos=QPoint(line.width() * 3 // 4, line.height() // 2))
    qtbot.waitUntil(lambda: edit.hasFocus() and edit.currentSectionIndex() == 0 and line.hasSelectedText())


def test_a_click_in_the_start_and_end_time_then_digits_sets_the_times(qtbot, ctx_for):
    dialog = _open(qtbot, ctx_for(Role.BUREAU))
    _click_minutes(qtbot, dialog.start)
    qtbot.keyClicks(dialog.start, "1030")
    _click_minutes(qtbot, dialog.end)
    qtbot.keyClicks(dialog.end, "1245")
    assert dialog.start.time().toString("HH:mm") == "10:30"
    assert dialog.end.time().toString("HH:mm") == "12:45"


def test_tabbing_into_the_start_time_then_digits_sets_it(qtbot, ctx_for):
    dialog = _open(qtbot, ctx_for(Role.BUREAU))
    dialog.start.setFocus(Qt.FocusReason.TabFocusReason)   # the date edit's own Tab walks its day, month, year
    qtbot.waitUntil(lambda: dialog.start.hasFocus() and dialog.start.lineEdit().hasSelectedText())
    qtbot.keyClicks(dialog.start, "0815")
    assert dialog.start.time().toString("HH:mm") == "08:15"


def test_session_modes_time_field_still_takes_digits_after_a_click(qtbot):
    holder = QWidget()
    layout = QHBoxLayout(holder)
    layout.addWidget(QLineEdit())
    field = TimeField(datetime(2026, 11, 18, 9, 41))
    layout.addWidget(field)
    qtbot.addWidget(holder)
    holder.show()
    holder.activateWindow()
    qtbot.waitExposed(holder)
    qtbot.mouseClick(field, Qt.MouseButton.LeftButton, pos=QPoint(field.width() - 5, field.height() // 2))
    shown = field.text()   # the moment in the school's time zone
    qtbot.waitUntil(lambda: field.hasFocus() and field.selectedText() == shown)
    qtbot.keyClicks(field, "0935")
    assert field.text() == "09:35" and field.value().minute == 35   # the typed time counts, not the moment
