"""A row of controls that wraps onto the next line when the window is narrow (issue 14): status chips,
filters and action buttons stay whole and in view on a 1366×768 laptop, at 150 % and at 200 % font size,
instead of pushing the screen wider than the window. Qt has no such layout; this is its documented
'Flow Layout' example, reduced to what ExamDesk uses (left to right, reading order kept)."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import QEvent, QMargins, QObject, QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QHBoxLayout, QLayout, QLayoutItem, QSizePolicy, QWidget


class FlowLayout(QLayout):
    """Items left to right, wrapping; each item keeps its size hint, a stretching item (`stretch=True` in
    `add`) takes what is left of its line."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 6):
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._stretching: set[int] = set()
        self._heights: dict[int, int] = {}   # width → height, until an item changes (`invalidate`)
        self.setContentsMargins(QMargins(0, 0, 0, 0))
        self.setSpacing(spacing)

    def add(self, widget: QWidget, stretch: bool = False) -> None:
        if stretch:
            self._stretching.add(len(self._items))
        self.addWidget(widget)

    # --- QLayout ------------------------------------------------------------------------------------------
    def addItem(self, item: QLayoutItem) -> None:  # noqa: N802 (Qt API)
        self._items.append(item)
        self._heights.clear()

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 (Qt API)
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 (Qt API)
        if not 0 <= index < len(self._items):
            return None
        self._stretching = {i - (i > index) for i in self._stretching if i != index}
        self._heights.clear()
        return self._items.pop(index)

    def expandingDirections(self) -> Qt.Orientation:  # noqa: N802 (Qt API)
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt API)
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 (Qt API)
        """Kept per width as QBoxLayout keeps its own: Qt asks it some 200 times as a screen opens (the
        Register's filters and buttons: 25-45 ms), each answer a walk over every item's size hint."""
        height = self._heights.get(width)
        if height is None:
            height = self._heights[width] = self._arrange(QRect(0, 0, width, 0), apply=False)
        return height

    def invalidate(self) -> None:
        """An item was added, shown, hidden or changed its size hint (Qt calls this for each): measured again."""
        self._heights.clear()
        super().invalidate()

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802 (Qt API)
        super().setGeometry(rect)
        self._arrange(rect, apply=True)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        return self.minimumSize()

    def minimumSize(self) -> QSize:  # noqa: N802 (Qt API)
        """As narrow as the widest single item: the rest wraps."""
        size = QSize()
        for item in self._visible():
            size = size.expandedTo(item.minimumSize().expandedTo(item.sizeHint()))
        margins = self.contentsMargins()
        return size + QSize(margins.left() + margins.right(), margins.top() + margins.bottom())

    # --- placing ------------------------------------------------------------------------------------------
    def _visible(self) -> list[QLayoutItem]:
        return [i for i in self._items if not (i.widget() is not None and i.widget().isHidden())]

    def _arrange(self, rect: QRect, apply: bool) -> int:
        margins = self.contentsMargins()
        area = rect.adjusted(margins.left(), margins.top(), -margins.right(), -margins.bottom())
        lines: list[list[tuple[int, QLayoutItem]]] = [[]]
        x = 0
        for index, item in enumerate(self._items):
            if item.widget() is not None and item.widget().isHidden():
                continue
            width = item.sizeHint().width()
            if lines[-1] and x + width > area.width():
                lines.append([])
                x = 0
            lines[-1].append((index, item))
            x += width + self.spacing()
        y = area.y()
        for line in lines:
            if not line:
                continue
            height = max(item.sizeHint().height() for _, item in line)
            spare = area.width() - sum(i.sizeHint().width() for _, i in line) - self.spacing() * (len(line) - 1)
            growing = [i for i, _ in line if i in self._stretching]
            x = area.x()
            for index, item in line:
                width = item.sizeHint().width()
                if index in growing and spare > 0:
                    width += spare // len(growing)
                width = min(width, area.width())
                if apply:
                    item.setGeometry(QRect(QPoint(x, y + (height - item.sizeHint().height()) // 2),
                                           QSize(width, item.sizeHint().height())))
                x += width + self.spacing()
            y += height + self.spacing()
        return y - self.spacing() - area.y() + margins.top() + margins.bottom()


_W = TypeVar("_W", bound=QWidget)


class _KeepsWrappedHeight(QObject):
    """Watches one widget's resizes for keep_wrapped_height."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.Resize and isinstance(watched, QWidget):
            needed = watched.heightForWidth(watched.width())
            if needed > 0 and needed != watched.minimumHeight():
                watched.setMinimumHeight(needed)
        return False


def keep_wrapped_height(widget: _W) -> _W:
    """`widget` never shorter than its layout needs at the width it gets. Qt sizes a splitter's pane, and a
    column of a box layout, by minimum sizes that leave out wrapping (word-wrapped labels, FlowLayout rows):
    at a large font such a pane got less height than its wrapped lines need and its layout squeezed the
    controls into each other (the role check boxes of Beheer → Gebruikers at 200 %, the Register's
    instruments over their buttons). With its minimum raised, the screen's scroll area scrolls instead."""
    widget.installEventFilter(_KeepsWrappedHeight(widget))
    return widget


def together(*widgets: QWidget) -> QWidget:
    """Controls that read as one — a label and its field, 'Periode [van] t/m [tot]' — on one line that a
    `FlowLayout` moves as a whole: added one by one, the Auditlogboek's period wrapped after its first date
    and left 't/m [tot]' alone on the next line."""
    unit = QWidget()
    row = QHBoxLayout(unit)
    row.setContentsMargins(0, 0, 0, 0)
    row.setSpacing(6)
    for widget in widgets:
        row.addWidget(widget)
    return unit


def flow_row(parent: QWidget | None = None) -> tuple[QWidget, FlowLayout]:
    """A widget holding a wrapping row, sized by its height for the width it gets."""
    holder = QWidget(parent)
    keep_wrapped_height(holder)             # never squeezed to one line, the controls that wrapped cut off
    policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
    policy.setHeightForWidth(True)
    holder.setSizePolicy(policy)
    return holder, FlowLayout(holder)
