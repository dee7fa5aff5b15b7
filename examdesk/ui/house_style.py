"""The spin boxes of the house: Fusion with what a style sheet cannot say — buttons and arrows that grow with
the text.

Fusion draws a spin box's up and down buttons 14 px wide with arrows of at most 8 px whatever the font; beside
20 pt text (200 %) they were slivers to aim at. A style sheet can size them only by taking over their drawing
entirely (border, background, arrow images), so here the buttons are widened (the text field gives up the
room) and their arrows drawn in proportion; Fusion still draws the frame and the field. The focus ring is
drawn here too: set as a style sheet border, it took the drawing of the buttons from Fusion (bevelled boxes).

Only spin boxes (date and time edits too) get this style, each as it is made (`house_spin`); the application's
style is Fusion itself. As the application's style it sent every scroll bar, header section, button and label
size through Python, converting Qt's option classes of every kind of widget on their first call (issue 16:
~35-50 ms of a start, the login window's ~15 of them).
"""

from __future__ import annotations

from typing import TypeVar

from PySide6 import QtCore  # `QtCore.Qt` where drawn, not imported by name: see `examdesk.ui.dialogs`
from PySide6.QtCore import QPointF, QRect, QRectF, QSize
from PySide6.QtGui import QColor, QPainter, QPalette, QPen, QPolygonF
from PySide6.QtWidgets import QApplication, QProxyStyle, QStyle, QStyleOption, QStyleOptionComplex, QWidget

from examdesk.ui.style import FOCUS

SPIN_BUTTON_EM = 1.25    # the buttons' width in lines of the spin box's text
ARROW_EM = 0.45          # an arrow's width in lines of the text
FRAME = 3                # the text field's distance from the spin box's edge: beyond the 2 px focus ring
LINE_EDIT_CHROME = 10    # a line edit's height beyond its text: the style sheet's 3 px padding twice, its frame

_UP, _DOWN, _FIELD = QStyle.SubControl.SC_SpinBoxUp, QStyle.SubControl.SC_SpinBoxDown, \
    QStyle.SubControl.SC_SpinBoxEditField


S = TypeVar("S", bound=QWidget)


def house_spin(box: S) -> S:
    """`box` — a spin box, date or time edit, just made — sized and drawn by `SpinBoxStyle`; returns it."""
    app = QApplication.instance()
    style = getattr(app, "_examdesk_spin_style", None)
    if style is None:       # one for every spin box, alive as long as the application (a widget does not own it)
        style = app._examdesk_spin_style = SpinBoxStyle()
    box.setStyle(style)
    return box


class SpinBoxStyle(QProxyStyle):
    def __init__(self) -> None:
        super().__init__("Fusion")

    def subControlRect(self, control: QStyle.ComplexControl, option: QStyleOptionComplex,  # noqa: N802 (Qt API)
                       sub: QStyle.SubControl, widget: QWidget | None = None) -> QRect:
        rect = super().subControlRect(control, option, sub, widget)
        if control != QStyle.ComplexControl.CC_SpinBox or sub not in (_UP, _DOWN, _FIELD):
            return rect
        fusion = super().subControlRect(control, option, _UP, widget).width()
        if fusion <= 0:           # no buttons (QAbstractSpinBox.NoButtons)
            return rect
        wider = max(0, round(SPIN_BUTTON_EM * option.fontMetrics.height()) - fusion)
        if sub == _FIELD:
            rect.setRight(rect.right() - wider)
            rect.setLeft(max(rect.left(), option.rect.left() + FRAME))   # clear of the frame and focus ring
        else:
            rect.setLeft(rect.left() - wider)
        return rect

    def sizeFromContents(self, kind: QStyle.ContentsType, option: QStyleOption, size: QSize,  # noqa: N802
                         widget: QWidget | None = None) -> QSize:
        """A spin box as tall as a line edit of the house style (its text, 3 px above and below, the frame)."""
        found = super().sizeFromContents(kind, option, size, widget)
        if kind == QStyle.ContentsType.CT_SpinBox:
            found.setHeight(max(found.height(), option.fontMetrics.height() + LINE_EDIT_CHROME))
        return found

    def drawComplexControl(self, control: QStyle.ComplexControl, option: QStyleOptionComplex,  # noqa: N802
                           painter: QPainter, widget: QWidget | None = None) -> None:
        if control != QStyle.ComplexControl.CC_SpinBox:
            super().drawComplexControl(control, option, painter, widget)
            return
        # the spin box's classes once one is drawn: the login, the first thing a start paints, has none (issue 16)
        from PySide6.QtWidgets import QAbstractSpinBox, QStyleOptionSpinBox

        if not isinstance(option, QStyleOptionSpinBox) \
                or option.buttonSymbols != QAbstractSpinBox.ButtonSymbols.UpDownArrows:
            super().drawComplexControl(control, option, painter, widget)
            return
        frame = QStyleOptionSpinBox(option)       # Fusion's frame and field, its small arrows left out
        frame.buttonSymbols = QAbstractSpinBox.ButtonSymbols.NoButtons
        super().drawComplexControl(control, frame, painter, widget)
        up = self.subControlRect(control, option, _UP, widget)
        down = self.subControlRect(control, option, _DOWN, widget)
        palette = option.palette
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(palette.color(QPalette.ColorRole.Mid))
        left = up.left() + 1                              # beside the text field's own widget, which covers up.left()
        painter.drawLine(left, up.top() + 1, left, down.bottom() - 1)         # the buttons apart from the text
        size = max(5.0, ARROW_EM * option.fontMetrics.height())
        for rect, step, pointing_up in ((up, QAbstractSpinBox.StepEnabledFlag.StepUpEnabled, True),
                                        (down, QAbstractSpinBox.StepEnabledFlag.StepDownEnabled, False)):
            sub = _UP if pointing_up else _DOWN
            if option.activeSubControls & sub and option.state & QStyle.StateFlag.State_Sunken:
                painter.fillRect(rect.adjusted(1, 0, 0, 0), palette.color(QPalette.ColorRole.Midlight))
            enabled = bool(option.stepEnabled & step) and bool(option.state & QStyle.StateFlag.State_Enabled)
            group = QPalette.ColorGroup.Active if enabled else QPalette.ColorGroup.Disabled
            painter.setPen(QtCore.Qt.PenStyle.NoPen)
            painter.setBrush(palette.color(group, QPalette.ColorRole.ButtonText))
            centre = QPointF(rect.center()) + QPointF(0.5, 0.5)
            half, rise = size / 2, size / 4 if pointing_up else -size / 4
            painter.drawPolygon(QPolygonF([QPointF(centre.x() - half, centre.y() + rise),
                                           QPointF(centre.x() + half, centre.y() + rise),
                                           QPointF(centre.x(), centre.y() - rise)]))
        if option.state & QStyle.StateFlag.State_HasFocus:     # the house's focus ring, as a line edit's
            painter.setBrush(QtCore.Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(QColor(FOCUS), 2))
            painter.drawRoundedRect(QRectF(option.rect).adjusted(1, 1, -1, -1), 3, 3)
        painter.restore()
