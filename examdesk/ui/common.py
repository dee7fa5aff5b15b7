"""Pieces every screen uses: error display, a dialog that remembers its size, settings storage."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QSettings
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from examdesk.domain.errors import ExamDeskError
from examdesk.paths import config_dir


def settings() -> QSettings:
    """Window state lives beside the data (EXAMDESK_HOME respected), not in the Windows registry."""
    path = config_dir() / "examdesk.ini"
    path.parent.mkdir(parents=True, exist_ok=True)
    return QSettings(str(path), QSettings.Format.IniFormat)


def show_error(parent: QWidget | None, error: ExamDeskError | str, title: str = "ExamDesk") -> None:
    text = error.message if isinstance(error, ExamDeskError) else str(error)
    QMessageBox.warning(parent, title, text)


class BaseDialog(QDialog):
    """A dialog that remembers its geometry under its class name."""

    def __init__(self, parent: QWidget | None = None, title: str = ""):
        super().__init__(parent)
        self.setWindowTitle(title)
        geometry = settings().value(f"dialogs/{type(self).__name__}")
        if geometry is not None:
            self.restoreGeometry(geometry)

    def done(self, result: int) -> None:
        settings().setValue(f"dialogs/{type(self).__name__}", self.saveGeometry())
        super().done(result)


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


class FormDialog(BaseDialog):
    """An optional intro, a form, an error line and OK/Annuleren. `submit()` does the work; an
    ExamDeskError keeps the dialog open with its Dutch message, so nothing typed is lost."""

    def __init__(self, parent: QWidget | None, title: str, intro: str = "", ok_text: str = "Opslaan"):
        super().__init__(parent, title)
        self.layout_ = QVBoxLayout(self)
        if intro:
            heading = QLabel(intro)
            heading.setWordWrap(True)
            self.layout_.addWidget(heading)
        self.form = QFormLayout()
        self.layout_.addLayout(self.form)
        self.error = QLabel("")
        self.error.setObjectName("ErrorText")
        self.error.setWordWrap(True)
        self.layout_.addWidget(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setDefault(True)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Annuleren")
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)
        self.layout_.addWidget(self.buttons)

    def field(self, label: str, text: str = "", password: bool = False, placeholder: str = "") -> QLineEdit:
        edit = QLineEdit(text)
        edit.setPlaceholderText(placeholder)
        if password:
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.form.addRow(label, edit)
        return edit

    def _submit(self) -> None:
        try:
            self.submit()
        except ExamDeskError as exc:
            self.error.setText(exc.message)
            return
        self.accept()

    def submit(self) -> None:
        raise NotImplementedError
