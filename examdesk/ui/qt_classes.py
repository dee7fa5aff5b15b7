"""Asking which Qt class a widget is without naming the PySide6 class in Python.

Naming a PySide6 widget class (`from PySide6.QtWidgets import QTableView`, or `isinstance(w, QComboBox)`) builds
the Python class and every enum it declares the first time — a text edit's, a list's, a combo box's: ~25 ms for
the classes a dialog may hold. The login window is the first thing a start draws (issue 16) and every dialog
(the login too) sorts its fields and names its controls before its paint, so those questions are asked by Qt's
class name, which Qt answers in C++."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtCore import QObject


def is_a(thing: QObject | None, *classes: str) -> bool:
    """Whether `thing` is (a subclass of) one of Qt's `classes`, named as Qt names them ('QComboBox')."""
    return thing is not None and any(thing.inherits(name) for name in classes)
