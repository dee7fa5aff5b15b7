"""The input fields several screens share: dates typed as dd-mm-jjjj (also optional ones), a list of
choices to tick, the search picker for lists that grow with the years, and fields that take typed digits
at once (`select_on_focus`)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6 import QtCore
from PySide6.QtCore import QDate, QModelIndex, QObject, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QCheckBox,
    QCompleter,
    QDateEdit,
    QDateTimeEdit,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QWidget,
)

from examdesk.ui.house_style import house_spin


class _SelectOnFocus(QObject):
    def eventFilter(self, watched: QObject, event: QtCore.QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() == QtCore.QEvent.Type.FocusIn:
            QTimer.singleShot(0, lambda: _select_whole(watched))   # after Qt placed the cursor for a click
        return False


def _select_whole(widget: QObject) -> None:
    try:
        if isinstance(widget, QDateTimeEdit):   # selecting all text there swallows digits; its first part takes them
            first = widget.sectionAt(0)
            widget.setCurrentSection(first)
            widget.setSelectedSection(first)
        elif isinstance(widget, QLineEdit):
            widget.selectAll()
    except RuntimeError:   # the widget was deleted before the timer fired (a form closed on the same key)
        pass


def select_on_focus(widget: QLineEdit | QDateTimeEdit) -> None:
    """Whatever way a time field gets the focus (Tab, a click), its value is selected so typed digits replace it
    at once: '1030' makes 10:30 without a double-click first. A line edit selects all; a time edit selects its
    first part (hours), from where typed digits run on into the minutes."""
    widget.installEventFilter(_SelectOnFocus(widget))


class _TabLeaves(QObject):
    def eventFilter(self, watched: QObject, event: QtCore.QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() == QtCore.QEvent.Type.KeyPress and event.key() in (QtCore.Qt.Key.Key_Tab, QtCore.Qt.Key.Key_Backtab) \
                and not event.modifiers() & ~(QtCore.Qt.KeyboardModifier.ShiftModifier | QtCore.Qt.KeyboardModifier.KeypadModifier):
            forward = event.key() == QtCore.Qt.Key.Key_Tab and not event.modifiers() & QtCore.Qt.KeyboardModifier.ShiftModifier
            QWidget.focusNextPrevChild(watched, forward)
            return True
        return False


def tab_leaves(widget: QDateTimeEdit) -> None:
    """Tab leaves a date or time field for the next field, as everywhere else. Qt's own Tab walks day, month
    and year first, so a form with a date took three Tabs to pass it and the next field seemed out of reach;
    the arrow keys still move between the parts, and typed digits run on from day to month to year."""
    if not widget.property("tab_leaves"):
        widget.setProperty("tab_leaves", True)
        widget.installEventFilter(_TabLeaves(widget))


def qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def pydate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def calendar_date(value: date | None = None) -> QDateEdit:
    """A date as the Netherlands writes it (dd-MM-yyyy), with a calendar to pick from and the house's spin buttons;
    `value` or Qt's own first date until one is set."""
    edit = house_spin(QDateEdit(qdate(value)) if value is not None else QDateEdit())
    edit.setDisplayFormat("dd-MM-yyyy")
    edit.setCalendarPopup(True)
    return edit


def date_edit(value: date, maximum: date | None = None) -> QDateEdit:
    """A form's date (`calendar_date`) that Tab leaves; not after `maximum` when given."""
    edit = calendar_date(value)
    tab_leaves(edit)
    if maximum is not None:
        edit.setMaximumDate(qdate(maximum))
    return edit


class OptionalDate(QWidget):
    """A date that may be left empty: a checkbox switches the date field on."""

    def __init__(self, label: str, value: date | None, default: date, maximum: date | None = None):
        super().__init__()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.check = QCheckBox(label)
        self.edit = date_edit(value or default, maximum)
        self.check.setChecked(value is not None)
        self.edit.setEnabled(value is not None)
        self.check.toggled.connect(self.edit.setEnabled)
        layout.addWidget(self.check)
        layout.addWidget(self.edit)
        layout.addStretch(1)

    def value(self) -> date | None:
        return pydate(self.edit.date()) if self.check.isChecked() else None


def checklist(items: list[tuple[Any, str]], checked: set[Any]) -> QListWidget:
    """Choices to tick (Space ticks the current one), as tall as a few of them."""
    widget = QListWidget()
    for value, label in items:
        item = QListWidgetItem(label)
        item.setData(QtCore.Qt.ItemDataRole.UserRole, value)
        item.setFlags(item.flags() | QtCore.Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(QtCore.Qt.CheckState.Checked if value in checked else QtCore.Qt.CheckState.Unchecked)
        widget.addItem(item)
    widget.installEventFilter(_ShowsItems(widget, max(2, min(6, len(items)))))
    return widget


class _ShowsItems(QtCore.QObject):
    """A checklist as high as `rows` of its items in the font it is shown in (measured on show, when the style
    sheet's font is known): a height in pixels showed 1.5 names of 'Besloten door' at 200 %."""

    def __init__(self, view: QListWidget, rows: int):
        super().__init__(view)
        self.rows = rows

    def eventFilter(self, watched: QtCore.QObject, event: QtCore.QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() in (QtCore.QEvent.Type.Show, QtCore.QEvent.Type.FontChange, QtCore.QEvent.Type.StyleChange) \
                and isinstance(watched, QListWidget):
            row = watched.sizeHintForRow(0) if watched.count() else -1
            row = row if row > 0 else watched.fontMetrics().height() + 6
            height = self.rows * row + 2 * watched.frameWidth() + 4
            watched.setMaximumHeight(height)
            watched.setMinimumHeight(min(height, 2 * row + 2 * watched.frameWidth() + 4))
        return False


def checked_values(widget: QListWidget) -> list[Any]:
    return [widget.item(i).data(QtCore.Qt.ItemDataRole.UserRole) for i in range(widget.count())
            if widget.item(i).checkState() == QtCore.Qt.CheckState.Checked]


class SearchPicker(QLineEdit):
    """A choice from a list that grows with the years (sessions, decisions, incidents): typing
    fetches the matches on demand, at most `limit` of them, so no widget ever holds thousands of
    items (issue 10). Enter picks the first match and stays in the field, never pressing the
    dialog's default button."""

    chosen = Signal(object)   # the chosen value, or None when the field is emptied

    def __init__(self, fetch: Callable[[str, int], list[tuple[Any, str]]], placeholder: str = "",
                 limit: int = 50, parent: QWidget | None = None):
        super().__init__(parent)
        self._fetch = fetch
        self._limit = limit
        self._value: Any = None
        self._matches: list[tuple[Any, str]] = []
        self.setPlaceholderText(placeholder)
        self.setClearButtonEnabled(True)
        self._model = QStandardItemModel(self)
        self._completer = QCompleter(self._model, self)
        self._completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self._completer.setCaseSensitivity(QtCore.Qt.CaseSensitivity.CaseInsensitive)
        self._completer.setMaxVisibleItems(12)
        self._completer.setWidget(self)
        self._completer.activated[QModelIndex].connect(self._on_activated)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(150)
        self._timer.timeout.connect(lambda: self.search(show_popup=True))
        self.textEdited.connect(self._on_edited)

    def value(self) -> Any:
        return self._value

    def matches(self) -> list[tuple[Any, str]]:
        """What the last search found, in the order offered."""
        return list(self._matches)

    def set_value(self, value: Any, label: str = "") -> None:
        """Chooses programmatically (a filter from another screen); emits `chosen` like a user's pick."""
        self._value = value
        self.setText(label if value is not None else "")
        self.setCursorPosition(0)
        self.chosen.emit(value)

    def clear_value(self) -> None:
        self.set_value(None)

    def search(self, text: str | None = None, show_popup: bool = False) -> list[tuple[Any, str]]:
        self._matches = self._fetch(self.text() if text is None else text, self._limit)
        self._model.clear()
        for value, label in self._matches:
            item = QStandardItem(label)
            item.setData(value, QtCore.Qt.ItemDataRole.UserRole)
            item.setEditable(False)
            self._model.appendRow(item)
        if show_popup and self._matches and self.hasFocus():
            self._completer.complete()
        return self._matches

    def pick_first(self) -> bool:
        matches = self.search()
        if not matches:
            return False
        self.set_value(*matches[0])
        return True

    def _on_edited(self, text: str) -> None:
        if self._value is not None:
            self._value = None
            self.chosen.emit(None)
        if text.strip():
            self._timer.start()
        else:
            self._timer.stop()
            self._completer.popup().hide()

    def _on_activated(self, index: QModelIndex) -> None:
        self.set_value(index.data(QtCore.Qt.ItemDataRole.UserRole), index.data(QtCore.Qt.ItemDataRole.DisplayRole))

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        if event.key() in (QtCore.Qt.Key.Key_Return, QtCore.Qt.Key.Key_Enter):
            if self._completer.popup().isVisible():
                current = self._completer.popup().currentIndex()
                if current.isValid():
                    self._on_activated(current)
                    self._completer.popup().hide()
                    event.accept()
                    return
            if self._value is None and self.text().strip():
                self._timer.stop()
                self.pick_first()
                self._completer.popup().hide()
            event.accept()
            return
        super().keyPressEvent(event)
