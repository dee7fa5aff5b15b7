"""The containers a screen's parts sit in: tabs sized by the page on show and detail panels laid out at one width
(issue 14: nothing wider than a laptop; issue 16: no whole-screen repaints or second layouts as a screen opens).
`examdesk.ui.common` offers these too."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from PySide6 import QtCore  # `QtCore.Qt` where used, not imported by name: see `examdesk.ui.dialogs`
from PySide6.QtCore import QSize
from PySide6.QtWidgets import QApplication, QSizePolicy, QStyle, QTabBar, QTabWidget, QWidget

if TYPE_CHECKING:
    from PySide6.QtWidgets import QAbstractScrollArea

_Area = TypeVar("_Area", bound="QAbstractScrollArea")


class _AllTabsInView(QTabBar):
    """The tab bar of every tabbed screen. It shows every tab: when the names do not all fit (Beheer's seven at
    200 % on a laptop), only the longest are shortened, each to the same width, their ends replaced by '…' (the
    whole name is the tooltip, `SizedByCurrentTab.addTab`). Qt itself would either hide tabs behind scroll
    arrows ('Uitwisselsleut' cut mid-word, Privacy hidden) or shorten every tab alike.

    And its tabs are at least as tall as the buttons in the tab widget's corner: Qt gives a corner widget no
    more height than the tab bar, which cut the Register's Importeren…/Exporteren… to 26 of the 28 pixels a
    button needs."""

    def __init__(self) -> None:
        super().__init__()
        self._room = -1

    def watch(self, tabs: QWidget) -> None:
        """Measures the tabs again whenever the tab widget's width changes (Qt keeps their sizes until then)."""
        tabs.installEventFilter(self)

    def eventFilter(self, watched: QtCore.QObject, event: QtCore.QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() == QtCore.QEvent.Type.Resize and isinstance(watched, QWidget) \
                and watched.width() != self._room:
            self._room = watched.width()
            QApplication.sendEvent(self, QtCore.QEvent(QtCore.QEvent.Type.FontChange))   # measured again
        return False

    def _whole_widths(self) -> list[int]:
        """Each tab's width with its name whole."""
        return [super(_AllTabsInView, self).tabSizeHint(i).width() for i in range(self.count())]

    def natural_width(self) -> int:
        """The bar's width with every name whole."""
        return sum(self._whole_widths())

    def room(self) -> int:
        """What the tab widget leaves the tabs: its width less its frame and a corner widget beside them."""
        tabs = self.parentWidget()
        if not isinstance(tabs, QTabWidget):
            return self.width()
        corner = tabs.cornerWidget(QtCore.Qt.Corner.TopRightCorner)
        beside = corner.sizeHint().width() if corner is not None and not corner.isHidden() else 0
        return tabs.width() - 4 - beside

    def tabSizeHint(self, index: int) -> QSize:  # noqa: N802 (Qt API)
        hint = super().tabSizeHint(index)
        tabs = self.parentWidget()
        if isinstance(tabs, QTabWidget) and self.shape() in (QTabBar.Shape.RoundedNorth, QTabBar.Shape.TriangularNorth):
            for corner in (QtCore.Qt.Corner.TopLeftCorner, QtCore.Qt.Corner.TopRightCorner):
                widget = tabs.cornerWidget(corner)
                if widget is not None and not widget.isHidden():   # the corner gets the bar less its base line
                    base = self.style().pixelMetric(QStyle.PixelMetric.PM_TabBarBaseHeight, None, tabs)
                    hint.setHeight(max(hint.height(), widget.sizeHint().height() + base))
        room = self.room()
        widths = sorted(self._whole_widths())
        if not widths or sum(widths) <= room:
            return hint
        # the widest width that every tab may keep so that all of them fit: the narrow ones keep theirs
        cap, left = room, room
        for done, width in enumerate(widths):
            share = left // (len(widths) - done)
            if width > share:
                cap = share
                break
            left -= width
        hint.setWidth(min(hint.width(), cap))
        return hint


class SizedByCurrentTab(QTabWidget):
    """Tabs whose size is that of the tab on show. A plain QTabWidget is as wide as its widest page,
    hidden ones included: one wide tab (a list of backups, the audit log) kept the whole screen wider
    than a laptop at a large font. Hidden pages are laid out when shown, as Qt does anyway."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        bar = _AllTabsInView()
        self.setTabBar(bar)
        bar.watch(self)
        self.setUsesScrollButtons(False)
        self.setElideMode(QtCore.Qt.TextElideMode.ElideRight)
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
        if not self.tabToolTip(index):         # the whole name, where a narrow bar shortens it
            self.setTabToolTip(index, self.tabText(index).replace("&&", "\0").replace("&", "").replace("\0", "&"))
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


def steady_width(area: _Area) -> _Area:
    """A detail panel (an incident's file, an instrument's facts) or a list that pages through the years
    (Incidenten, Afnames, the audit log) laid out at one width: its vertical scroll bar always there, instead of
    appearing once the contents turn out longer than the view — which narrowed the panel and laid every rich-text
    paragraph out a second time as the screen opened (the Incidenten file 20-60 ms, issue 16), and made a search
    that filled an empty list move its columns under the reader's eye and paint every row once more. Sideways a
    panel never scrolls: the text wraps."""
    area.setVerticalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
    return area
