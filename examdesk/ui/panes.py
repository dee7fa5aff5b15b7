"""The containers a screen's parts sit in: tabs sized by the page on show and detail panels laid out at one width
(issue 14: nothing wider than a laptop; issue 16: no whole-screen repaints or second layouts as a screen opens).
`examdesk.ui.common` offers these too."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6 import QtCore  # `QtCore.Qt` where used, not imported by name: see `examdesk.ui.dialogs`
from PySide6.QtCore import QSize
from PySide6.QtWidgets import QApplication, QSizePolicy, QStyle, QTabBar, QTabWidget, QWidget

if TYPE_CHECKING:
    from PySide6.QtWidgets import QScrollArea


class _TabBarAsTallAsCorner(QTabBar):
    """Tabs at least as tall as the buttons in their tab widget's corner: Qt gives a corner widget no more
    height than the tab bar, which cut the Register's Importeren…/Exporteren… to 26 of the 28 pixels a
    button needs."""

    def tabSizeHint(self, index: int) -> QSize:  # noqa: N802 (Qt API)
        hint = super().tabSizeHint(index)
        tabs = self.parentWidget()
        if isinstance(tabs, QTabWidget) and self.shape() in (QTabBar.Shape.RoundedNorth, QTabBar.Shape.TriangularNorth):
            for corner in (QtCore.Qt.Corner.TopLeftCorner, QtCore.Qt.Corner.TopRightCorner):
                widget = tabs.cornerWidget(corner)
                if widget is not None and not widget.isHidden():   # the corner gets the bar less its base line
                    base = self.style().pixelMetric(QStyle.PixelMetric.PM_TabBarBaseHeight, None, tabs)
                    hint.setHeight(max(hint.height(), widget.sizeHint().height() + base))
        return hint


class SizedByCurrentTab(QTabWidget):
    """Tabs whose size is that of the tab on show. A plain QTabWidget is as wide as its widest page,
    hidden ones included: one wide tab (a list of backups, the audit log) kept the whole screen wider
    than a laptop at a large font. Hidden pages are laid out when shown, as Qt does anyway."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setTabBar(_TabBarAsTallAsCorner())
        self.currentChanged.connect(self._size_by_current)
        self._laid_out: tuple | None = None
        self._hinted: tuple | None = None

    def event(self, event: QtCore.QEvent) -> bool:
        """A layout request that moves nothing QTabWidget places is not passed on to it. QTabWidget answers every
        one by placing its tab bar and pages again *and repainting itself whole* — every control of the screen —
        for a list filling or a label changing inside a page, which the page's own layout handles: opening Afnames
        or the Register painted the whole screen three times over, 15-60 ms each (issue 16). Where it places
        things follows from its own size, its tabs and its corner (`_placing`); when one of those changed, or it is
        not on show (Qt postpones the work), the request goes to Qt as before. When only the page on show asks
        for another size (`_asking`), the parent is told (`updateGeometry`): a new size comes back as a resize,
        which QTabWidget lays out itself."""
        if event.type() == QtCore.QEvent.Type.LayoutRequest:
            placing, asking = self._placing(), self._asking()
            if placing is not None and placing == self._laid_out:
                if asking != self._hinted:
                    self._hinted = asking
                    self.updateGeometry()
                return True
            self._laid_out, self._hinted = placing, asking
        return super().event(event)

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 (Qt API)
        super().resizeEvent(event)          # QTabWidget places its tabs and pages here too
        self._laid_out, self._hinted = self._placing(), self._asking()

    def showEvent(self, event: Any) -> None:  # noqa: N802 (Qt API)
        super().showEvent(event)            # and here
        self._laid_out, self._hinted = self._placing(), self._asking()

    def _placing(self) -> tuple | None:
        """What QTabWidget's layout places the tab bar, the corner and the pages by (None: not on show)."""
        if not self.isVisible():
            return None
        bar = self.tabBar()
        corner = self.cornerWidget(QtCore.Qt.Corner.TopRightCorner)
        return (self.size(), self.count(), self.currentIndex(), bar.isVisible(), bar.sizeHint(),
                bar.minimumSizeHint(), None if corner is None else (corner.isVisible(), corner.sizeHint(),
                                                                     corner.minimumSizeHint()))

    def _asking(self) -> tuple | None:
        """The sizes the page on show asks for (the hidden ones ask none: `_size_by_current`)."""
        page = self.currentWidget()
        if page is None:
            return None
        stack = page.parentWidget()
        return stack.sizeHint(), stack.minimumSizeHint(), stack.maximumSize()

    def setCornerWidget(self, widget: QWidget | None, corner: QtCore.Qt.Corner | None = None) -> None:  # noqa: N802
        super().setCornerWidget(widget, QtCore.Qt.Corner.TopRightCorner if corner is None else corner)
        QApplication.sendEvent(self.tabBar(), QtCore.QEvent(QtCore.QEvent.Type.FontChange))   # the tabs' heights again

    def addTab(self, page: QWidget, *args: Any) -> int:  # noqa: N802 (Qt API)
        index = super().addTab(page, *args)
        self._size_by_current(self.currentIndex())
        return index

    def size_by_current(self) -> None:
        """Sized by the tab on show again (after a page took another's place)."""
        self._size_by_current(self.currentIndex())

    def _size_by_current(self, current: int) -> None:
        for i in range(self.count()):
            page = self.widget(i)
            ignored = QSizePolicy.Policy.Ignored
            if i == current:
                page.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
            else:
                page.setSizePolicy(ignored, ignored)
            page.updateGeometry()
        self.updateGeometry()


def steady_width(area: QScrollArea) -> QScrollArea:
    """A detail panel (an incident's file, an instrument's facts) whose text is laid out at one width: its
    vertical scroll bar always there, instead of appearing once the text turns out longer than the panel —
    which narrowed the text and laid every rich-text paragraph out a second time as the screen opened (the
    Incidenten file 20-60 ms, issue 16). Sideways it never scrolls: the text wraps."""
    area.setVerticalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
    return area
