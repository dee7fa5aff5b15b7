"""Pieces every screen uses: errors and questions, the list view, fitting to the screen, window state
of this PC (`remembered`/`remember`, keys declared in services/settings.py) and the search picker."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCompleter,
    QLineEdit,
    QMessageBox,
    QTableView,
    QWidget,
)

from examdesk.domain.errors import ExamDeskError
from examdesk.paths import config_dir
from examdesk.services.settings import WindowSetting


def _window_state() -> QSettings:
    """Window state lives beside the data (EXAMDESK_HOME respected), not in the Windows registry."""
    path = config_dir() / "examdesk.ini"
    path.parent.mkdir(parents=True, exist_ok=True)
    return QSettings(str(path), QSettings.Format.IniFormat)


def remembered(setting: WindowSetting, name: str = "", default: Any = None) -> Any:
    """What this PC remembers for a window setting declared in `examdesk.services.settings`."""
    return _window_state().value(setting.key_for(name), default)


def remember(setting: WindowSetting, value: Any, name: str = "") -> None:
    _window_state().setValue(setting.key_for(name), value)


def show_error(parent: QWidget | None, error: ExamDeskError | str, title: str = "ExamDesk") -> None:
    text = error.message if isinstance(error, ExamDeskError) else str(error)
    QMessageBox.warning(parent, title, text)


def ask(parent: QWidget | None, title: str, text: str, yes: str, no: str) -> bool:
    """A question whose two buttons say what they do ('Weggooien' / 'Terug naar het formulier'); the safe
    answer is the default, so Enter or Escape never throws anything away."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=parent)
    go = box.addButton(yes, QMessageBox.ButtonRole.DestructiveRole)
    back = box.addButton(no, QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(back)
    box.setEscapeButton(back)
    box.exec()
    if parent is not None:
        parent.window().activateWindow()   # back where the user was, the cursor in the same field
    return box.clickedButton() is go


def list_view(model: QAbstractItemModel, sortable: bool = False, name: str = "") -> QTableView:
    """The read-only list every screen uses: whole rows selected, one at a time, keyboard friendly."""
    view = QTableView()
    if name:
        view.setObjectName(name)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().setVisible(False)
    view.horizontalHeader().setStretchLastSection(True)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.setTabKeyNavigation(False)  # Tab moves on to the next control, arrows move within the list
    view.setSortingEnabled(sortable)
    return view


def fit_to_screen(widget: QWidget, width: int, height: int) -> None:
    """At least the size a dialog wants (or what it had), but never larger than the screen it opens
    on: on a 1366×768 exam-room laptop its buttons stay in view."""
    width, height = max(widget.width(), width), max(widget.height(), height)
    screen = widget.screen() or QGuiApplication.primaryScreen()
    if screen is not None:
        available = screen.availableGeometry()
        width = min(width, available.width() - 20)
        height = min(height, available.height() - 40)
    widget.resize(width, height)


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
        self._completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
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
            item.setData(value, Qt.ItemDataRole.UserRole)
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
        self.set_value(index.data(Qt.ItemDataRole.UserRole), index.data(Qt.ItemDataRole.DisplayRole))

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
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
