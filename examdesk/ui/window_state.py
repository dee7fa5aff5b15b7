"""This PC's window state and a window's fit to its screen: what every dialog needs as it opens, kept apart
from `examdesk.ui.common` (tables, headers, tabs, message boxes) so the login dialog — the first thing a start
draws — loads none of those before its paint (issue 16). `examdesk.ui.common` offers these too."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6 import (
    QtCore,  # `QtCore.Qt` where used, not imported by name: see `examdesk.ui.dialogs`
    QtWidgets,  # the scroll area's classes as `QtWidgets.X`: see `examdesk.ui.qt_classes`
)
from PySide6.QtCore import QObject, QSettings
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

from examdesk.paths import config_dir

if TYPE_CHECKING:
    from PySide6.QtWidgets import QScrollArea

    from examdesk.services.window_settings import WindowSetting


def _window_state() -> QSettings:
    """Window state lives beside the data (EXAMDESK_HOME respected), not in the Windows registry."""
    path = config_dir() / "examdesk.ini"
    path.parent.mkdir(parents=True, exist_ok=True)
    return QSettings(str(path), QSettings.Format.IniFormat)


def remembered(setting: WindowSetting, name: str = "", default: Any = None) -> Any:
    """What this PC remembers for a window setting declared in `examdesk.services.window_settings`."""
    return _window_state().value(setting.key_for(name), default)


def remember(setting: WindowSetting, value: Any, name: str = "") -> None:
    _window_state().setValue(setting.key_for(name), value)


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


def scrolling_form(content: QWidget) -> QScrollArea:
    """`content` (a form) in a frameless scroll area on the dialog's own background: when the window is lower
    than the form (a 1366×768 laptop, 200 % font) the form scrolls and what is below it — a preview, the error
    line, the buttons — stays in view, instead of the window growing past the screen. Tab goes to the fields
    (the view follows them), not to the scroll area."""
    if not content.objectName():
        content.setObjectName("FormBox")
    scroll = QtWidgets.QScrollArea()
    scroll.setWidget(content)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QtWidgets.QFrame.Shape.NoFrame)
    scroll.setFocusPolicy(QtCore.Qt.FocusPolicy.NoFocus)
    scroll.setStyleSheet(f"QScrollArea, #{content.objectName()} {{ background: transparent; }}")
    scroll.viewport().setAutoFillBackground(False)
    # up and down only: as wide as the form needs beside a vertical scroll bar, which otherwise takes its width
    # from the form and makes it scroll sideways too
    scroll.setHorizontalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    content.installEventFilter(_KeepsFormWidth(scroll))
    return scroll


class _KeepsFormWidth(QObject):
    """For scrolling_form: the scroll area never narrower than its form plus a vertical scroll bar."""

    def __init__(self, scroll: QScrollArea):
        super().__init__(scroll)
        self.scroll = scroll

    def eventFilter(self, watched: QObject, event: QtCore.QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() in (QtCore.QEvent.Type.Show, QtCore.QEvent.Type.LayoutRequest) and isinstance(watched, QWidget):
            scroll = self.scroll
            need = watched.minimumSizeHint().width() + scroll.verticalScrollBar().sizeHint().width() \
                + 2 * scroll.frameWidth()
            if need != scroll.minimumWidth():
                scroll.setMinimumWidth(need)
        return False
