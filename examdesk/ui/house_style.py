"""Qt's Fusion style with what a style sheet cannot say: a spin box's arrows as wide as its text is high.

Fusion draws a spin box's up and down buttons 14 px wide whatever the font; beside 20 pt text (200 %) they were
slivers to aim at. A style sheet can size them only by taking over their drawing entirely (border, background,
arrow images), so the buttons are widened here and Fusion still draws them; the text field gives up the room."""

from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtWidgets import QProxyStyle, QStyle, QStyleOptionComplex, QWidget

SPIN_BUTTON_EM = 1.25    # the buttons' width in lines of the spin box's text


class HouseStyle(QProxyStyle):
    def __init__(self) -> None:
        super().__init__("Fusion")

    def subControlRect(self, control: QStyle.ComplexControl, option: QStyleOptionComplex,  # noqa: N802 (Qt API)
                       sub: QStyle.SubControl, widget: QWidget | None = None) -> QRect:
        rect = super().subControlRect(control, option, sub, widget)
        if control != QStyle.ComplexControl.CC_SpinBox or sub not in (
                QStyle.SubControl.SC_SpinBoxUp, QStyle.SubControl.SC_SpinBoxDown, QStyle.SubControl.SC_SpinBoxEditField):
            return rect
        fusion = super().subControlRect(control, option, QStyle.SubControl.SC_SpinBoxUp, widget).width()
        if fusion <= 0:           # no buttons (QAbstractSpinBox.NoButtons)
            return rect
        wider = max(0, round(SPIN_BUTTON_EM * option.fontMetrics.height()) - fusion)
        if sub == QStyle.SubControl.SC_SpinBoxEditField:
            rect.setRight(rect.right() - wider)
        else:
            rect.setLeft(rect.left() - wider)
        return rect
