"""Accessible names (issue 14): what a screen reader says for every control, set once in the bases.

Qt already names a button by its text (without the '&') and a field by the label whose buddy it is; what
it cannot derive is named here: a form row whose label has no buddy (the label stands beside a row of
widgets), a field with only a placeholder or a tooltip, an icon-only button, a list or table (by its column
titles). `name_controls` runs once on a dialog (`BaseDialog.arrange`), on every screen as it is shown
(`MainWindow.show_screen`) and on the session-mode window; `unnamed_controls` is the check the layout probe
runs over every screen and dialog. A name set here is only filled in where nothing better exists, so a
button whose text changes (Pauzeren → Hervatten) keeps being read by its current text."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6 import QtCore
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QFormLayout, QLabel, QWidget

from examdesk.ui.qt_classes import is_a

if TYPE_CHECKING:
    from PySide6.QtWidgets import QAbstractItemView, QLayout

# by Qt's class name, not the PySide6 class: every dialog (the login too) names its controls before its paint
# (`examdesk.ui.qt_classes`)
_CONTROLS = ("QAbstractButton", "QAbstractItemView", "QAbstractSlider", "QAbstractSpinBox", "QComboBox", "QLineEdit",
             "QPlainTextEdit", "QTextEdit", "QTabBar")


def plain_text(text: str) -> str:
    """A label or button text as read aloud: mnemonic '&' gone ('&&' is a real ampersand), one line."""
    return " ".join(text.replace("&&", "\0").replace("&", "").replace("\0", "&").split())


def spoken_name(widget: QWidget) -> str:
    """The name a screen reader gets for the widget: its accessible name, else what Qt derives."""
    if widget.accessibleName():
        return widget.accessibleName()
    interface = QAccessible.queryAccessibleInterface(widget)
    if interface is None or not interface.isValid():
        return ""
    return plain_text(interface.text(QAccessible.Text.Name) or "")


def is_control(widget: QWidget) -> bool:
    """Something a person operates (types in, chooses, presses, moves through) — not Qt's own inner parts
    (a spin box's line edit, a combo's popup list, a scroll area's bars)."""
    if not is_a(widget, *_CONTROLS) or is_a(widget, "QScrollBar"):
        return False
    if widget.objectName().startswith("qt_"):
        return False
    parent = widget.parentWidget()
    while parent is not None:
        if is_a(parent, "QComboBox", "QAbstractSpinBox") or parent.objectName() == "qt_calendar_calendarview":
            return False
        parent = parent.parentWidget()
    return True


def _form_label(widget: QWidget) -> str:
    """The text of the form-layout row the widget sits in (directly or inside the row's own layout)."""
    parent = widget.parentWidget()
    while parent is not None:
        layout = parent.layout()
        if isinstance(layout, QFormLayout):
            for row in range(layout.rowCount()):
                field = layout.itemAt(row, QFormLayout.ItemRole.FieldRole)
                if field is not None and _holds(field.widget() or field.layout(), widget):
                    label = layout.itemAt(row, QFormLayout.ItemRole.LabelRole)
                    if label is not None and isinstance(label.widget(), QLabel):
                        return plain_text(label.widget().text())
            return ""
        if is_a(parent, "QGroupBox") and parent.title():
            return plain_text(parent.title())
        parent = parent.parentWidget()
    return ""


def _beside(widget: QWidget) -> str:
    """The words just before the widget in its row ('t/m' [date], [x] Verloopt binnen [days]): the visible
    label of a control that is not in a form. A plain label there becomes the control's buddy as well."""
    parent = widget.parentWidget()
    layout = _layout_holding(parent.layout(), widget) if parent is not None else None
    if layout is None or isinstance(layout, QFormLayout):
        return ""
    index = layout.indexOf(widget)
    before = layout.itemAt(index - 1).widget() if index > 0 else None
    if isinstance(before, QLabel) and before.text() and before.buddy() in (None, widget):
        before.setBuddy(widget)
        return plain_text(before.text())
    if is_a(before, "QCheckBox", "QRadioButton") and before.text():
        return plain_text(before.text())
    return ""


def _layout_holding(layout: QLayout | None, widget: QWidget) -> QLayout | None:
    if layout is None:
        return None
    for index in range(layout.count()):
        item = layout.itemAt(index)
        if item.widget() is widget:
            return layout
        found = _layout_holding(item.layout(), widget)
        if found is not None:
            return found
    return None


def _holds(item: QWidget | QLayout | None, widget: QWidget) -> bool:
    if item is None:
        return False
    if isinstance(item, QWidget):
        return item is widget or item.isAncestorOf(widget)
    for index in range(item.count()):
        child = item.itemAt(index)
        if _holds(child.widget() or child.layout(), widget):
            return True
    return False


def _view_name(view: QAbstractItemView) -> str:
    """A list or table by its purpose: the title above it, else its column titles."""
    model = view.model()
    if model is None:
        return ""
    if is_a(view, "QTableView"):
        titles = [plain_text(str(model.headerData(c, QtCore.Qt.Orientation.Horizontal) or ""))
                  for c in range(model.columnCount()) if not view.isColumnHidden(c)]
        titles = [t for t in titles if t]
        if titles:
            return "Lijst met " + ", ".join(titles[:4]) + (" …" if len(titles) > 4 else "")
    return "Lijst"


def derived_name(widget: QWidget) -> str:
    """The best name from what the screen shows about the widget, for when Qt derives none."""
    candidates = [_form_label(widget), _beside(widget), plain_text(widget.toolTip())]
    if is_a(widget, "QLineEdit", "QPlainTextEdit", "QTextEdit"):
        candidates.append(plain_text(widget.placeholderText()))
    if is_a(widget, "QComboBox") and widget.isEditable() and widget.lineEdit() is not None:
        candidates.append(plain_text(widget.lineEdit().placeholderText()))
    action = getattr(widget, "defaultAction", lambda: None)()   # a tool button showing an action
    if action is not None:
        candidates.append(plain_text(action.iconText()))
    if is_a(widget, "QAbstractItemView"):
        candidates.append(_view_name(widget))
    return next((c for c in candidates if c), "")


def name_controls(root: QWidget) -> None:
    """Every control under `root` that a screen reader would announce without a name gets one."""
    for widget in [root, *root.findChildren(QWidget)]:
        if is_control(widget) and not spoken_name(widget):
            name = derived_name(widget)
            if name:
                widget.setAccessibleName(name)


def unnamed_controls(root: QWidget) -> list[QWidget]:
    """The visible controls under `root` a screen reader would announce without a name."""
    return [w for w in [root, *root.findChildren(QWidget)]
            if is_control(w) and w.isVisibleTo(root) and not spoken_name(w)]
