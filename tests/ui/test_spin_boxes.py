"""Spin boxes (tour 3): as tall as a line edit beside them, with up and down buttons as wide as the text is high
— the style sheet's padding made them 7 px taller than a line edit, and Fusion's 14 px buttons were slivers
beside 20 pt text. Every spin box on every screen and dialog is checked by the layout probe
(tests/layout_support.py `_spin_buttons`)."""

from __future__ import annotations

import pytest
from layout_support import spin_part
from PySide6.QtWidgets import (
    QDateEdit,
    QHBoxLayout,
    QLineEdit,
    QSpinBox,
    QStyle,
    QTimeEdit,
    QWidget,
)

from examdesk.ui import style
from examdesk.ui.house_style import house_spin


def _row(qtbot, scale: float) -> tuple[QWidget, QLineEdit, list[QSpinBox]]:
    """A line edit and spin boxes as the application styles them (`launch.create_application`) at a text size."""
    row = QWidget()
    qtbot.addWidget(row)
    row.setStyleSheet(style.scaled(style.STYLESHEET, scale=scale))
    layout = QHBoxLayout(row)
    edit = QLineEdit("30")
    spin = house_spin(QSpinBox())
    spin.setSuffix(" dagen")
    spins = [spin, house_spin(QDateEdit()), house_spin(QTimeEdit())]
    for widget in (edit, *spins):
        layout.addWidget(widget)
    row.show()
    qtbot.waitExposed(row)
    return row, edit, spins


@pytest.mark.parametrize("scale", [1.0, 2.0])
def test_a_spin_box_is_as_tall_as_a_line_edit_with_buttons_to_aim_at(qtbot, scale):
    _row_kept, edit, spins = _row(qtbot, scale)
    for spin in spins:
        assert abs(spin.height() - edit.height()) <= 2, f"{type(spin).__name__} {spin.height()} beside {edit.height()}"
        for button in (QStyle.SubControl.SC_SpinBoxUp, QStyle.SubControl.SC_SpinBoxDown):
            rect = spin_part(spin, button)
            assert rect.width() >= spin.fontMetrics().height(), f"{type(spin).__name__}: {rect.width()} px wide"
        field = spin_part(spin, QStyle.SubControl.SC_SpinBoxEditField)
        assert field.right() <= spin_part(spin).left()       # the text keeps clear of the buttons
        assert spin.width() >= spin.sizeHint().width() - 1   # and its whole value fits


def test_in_the_application_a_house_spin_box_has_the_buttons(qtbot):
    """Under the application's style sheet a spin box made with `house_spin` gets the wide buttons (the
    application's own style is Fusion: tests/ui/test_launch_first_paint.py)."""
    from PySide6.QtWidgets import QApplication

    from examdesk.ui.launch import create_application

    app = QApplication.instance()
    before = app.style().name()
    sheet = app.styleSheet()
    try:
        create_application()
        for spin in (house_spin(QSpinBox()), house_spin(QDateEdit())):
            qtbot.addWidget(spin)
            spin.show()
            assert spin_part(spin).width() >= spin.fontMetrics().height()
    finally:
        app.setStyle(before)
        app.setStyleSheet(sheet)


def test_the_arrows_are_drawn_as_large_as_the_buttons_allow(qtbot):
    """Fusion's arrows stay 8 px at most; at 200 % they are drawn in proportion to the text."""
    _row_kept, _edit, spins = _row(qtbot, 2.0)
    spin = spins[0]
    up = spin_part(spin)
    image = spin.grab().toImage()
    dark = [x for x in range(up.left() + 2, up.right()) for y in range(up.top(), up.bottom())
            if image.pixelColor(x, y).lightness() < 100]
    assert dark, "no arrow drawn"
    assert max(dark) - min(dark) + 1 >= 0.35 * spin.fontMetrics().height()


def test_a_spin_box_with_the_focus_has_the_ring(qtbot):
    """The ring of the house (tests/ui/test_focus_ring.py), drawn by the house style: a style sheet border
    would hand the drawing of its buttons back to bevelled boxes."""
    from PySide6.QtWidgets import QApplication

    from tests.ui.test_focus_ring import _ring

    row, edit, spins = _row(qtbot, 1.0)
    spin = spins[0]
    row.activateWindow()
    qtbot.waitActive(row)
    edit.setFocus()
    QApplication.processEvents()
    assert not _ring(spin.grab().toImage())
    spin.setFocus()
    QApplication.processEvents()
    assert spin.hasFocus() and _ring(spin.grab().toImage())
