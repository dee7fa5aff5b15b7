"""What a person sees as clipped, measured on a live widget tree (issue 14): a control lying outside what its
parent shows, a button whose words do not fit, a header or label cut off mid-word without an ellipsis and
the full text as a tooltip, two controls of one layout drawn over each other, a check box whose text is cut, a
window larger than the screen, a control squeezed below the height it needs, a list that shows no whole row.
Used by tests/ui/test_layout.py in each screen mode it runs."""

from __future__ import annotations

from itertools import combinations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QApplication,
    QCheckBox,
    QComboBox,
    QHeaderView,
    QLabel,
    QLayout,
    QLineEdit,
    QListView,
    QRadioButton,
    QScrollArea,
    QStackedLayout,
    QStyle,
    QStyleOptionSpinBox,
    QTabBar,
    QTableView,
    QTreeView,
    QWidget,
)

from examdesk.ui.common import ElidingHeader

# Qt's own parts of compound widgets (a combo's popup, a table's corner, a tab bar's scroll arrows) are laid
# out by Qt and may legitimately sit outside their parent; ExamDesk's layouts are what is checked.
_INTERNAL = ("qt_", "QComboBox", "QAbstractSpinBox")


def describe(widget: QWidget) -> str:
    text = ""
    for getter in ("text", "title", "windowTitle", "placeholderText"):
        value = getattr(widget, getter, None)
        if callable(value):
            try:
                text = value() or ""
            except TypeError:
                continue
            if text:
                break
    name = widget.objectName()
    return f"{type(widget).__name__}{'#' + name if name else ''}{' ' + repr(text[:40]) if text else ''}"


def path_of(widget: QWidget) -> str:
    parts = []
    while widget is not None:
        parts.append(describe(widget))
        widget = widget.parentWidget()
    return " < ".join(parts[:4])


def _scrolled(widget: QWidget) -> bool:
    """The content of a scroll area (a form, a screen): it may be taller than the view and scroll."""
    parent = widget.parentWidget()
    grand = parent.parentWidget() if parent is not None else None
    return isinstance(grand, QAbstractScrollArea) and grand.viewport() is parent


def _qt_internal(widget: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QComboBox | QTabBar | QHeaderView):
            return True
        parent = parent.parentWidget()
    return widget.objectName().startswith("qt_")


def _plain(text: str) -> str:
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def layout_problems(top: QWidget) -> list[str]:
    """Every clipped thing visible in `top`, as sentences naming the widget; empty when all fits."""
    problems: list[str] = _larger_than_screen(top)
    for widget in [top, *top.findChildren(QWidget)]:
        if not widget.isVisible() or widget.isWindow() and widget is not top or _qt_internal(widget):
            continue
        parent = widget.parentWidget()
        # a table may scroll sideways (its headers stay readable); a form, a screen or a list of sentences not
        if isinstance(widget, QAbstractScrollArea) and not isinstance(widget, QTableView) \
                and widget.horizontalScrollBar().isVisible():
            problems.append(f"scrolls sideways (content {widget.horizontalScrollBar().maximum()} px wider): "
                            f"{path_of(widget)}")
        if isinstance(widget, QScrollArea):
            problems.extend(_content_cut(widget))
        if widget is not top and parent is not None and not _scrolled(widget) \
                and not isinstance(parent, QAbstractScrollArea):
            inside = parent.rect()
            if not inside.adjusted(-1, -1, 1, 1).contains(widget.geometry()) and widget.width() > 0 \
                    and widget.height() > 0:
                problems.append(f"outside its parent ({_rect(widget.geometry())} in {_rect(inside)}): "
                                f"{path_of(widget)}")
        problems.extend(_overlapping_children(widget))
        problems.extend(_squeezed(widget))
        if isinstance(widget, QAbstractItemView):
            problems.extend(_no_whole_row(widget))
        if isinstance(widget, QCheckBox | QRadioButton) and widget.text():
            hint = widget.sizeHint()
            if hint.width() > widget.width() or hint.height() > widget.height() + 1:
                problems.append(f"check box text cut ({hint.width()}×{hint.height()} needed, "
                                f"{widget.width()}×{widget.height()} shown): {path_of(widget)}")
        elif isinstance(widget, QAbstractButton) and widget.text():
            need = widget.fontMetrics().horizontalAdvance(_plain(widget.text()))
            if not widget.icon().isNull():
                need += widget.iconSize().width()
            if need > widget.width():
                problems.append(f"button text does not fit ({need} > {widget.width()}): {path_of(widget)}")
        elif isinstance(widget, QLabel) and not widget.wordWrap() and widget.text() \
                and (widget.textFormat() == Qt.TextFormat.PlainText or "<" not in widget.text()):
            need = max(widget.fontMetrics().horizontalAdvance(line) for line in _plain(widget.text()).split("\n"))
            room = widget.contentsRect().width() - 2 * widget.margin() - widget.indent() * (widget.indent() > 0)
            if need > room + 1 and not _elided_with_tooltip(widget):
                problems.append(f"label text cut ({need} > {room}): {path_of(widget)}")
        elif isinstance(widget, QComboBox) and widget.currentText():
            need = widget.fontMetrics().horizontalAdvance(widget.currentText()) + 28
            if widget.width() < min(need, widget.fontMetrics().horizontalAdvance("M") * 8):
                problems.append(f"choice too narrow to read ({widget.width()} for {widget.currentText()!r}): "
                                f"{path_of(widget)}")
        elif isinstance(widget, QHeaderView) and widget.orientation() == Qt.Orientation.Horizontal:
            problems.extend(_header_problems(widget))
        elif isinstance(widget, QAbstractSpinBox):
            problems.extend(_spin_buttons(widget))
    return problems


def spin_part(spin: QAbstractSpinBox, part: QStyle.SubControl = QStyle.SubControl.SC_SpinBoxUp) -> QRect:
    """Where the spin box's style places `part` (its up button unless asked): its button or its text field."""
    option = QStyleOptionSpinBox()
    spin.initStyleOption(option)
    return spin.style().subControlRect(QStyle.ComplexControl.CC_SpinBox, option, part, spin)


def _spin_buttons(spin: QAbstractSpinBox) -> list[str]:
    """A spin box's up and down buttons as wide as its text is high (`ui.house_style.house_spin`): Fusion's own
    14 px were slivers to aim at, at 200 % most of all."""
    if spin.buttonSymbols() == QAbstractSpinBox.ButtonSymbols.NoButtons:
        return []
    up = spin_part(spin)
    if up.width() >= spin.fontMetrics().height():
        return []
    return [f"spin box buttons too narrow to aim at ({up.width()} px beside {spin.fontMetrics().height()} px text; "
            f"made without house_spin?): {path_of(spin)}"]


def _larger_than_screen(top: QWidget) -> list[str]:
    """A window or dialog taller or wider than the screen's available area (without the task bar): its lower
    part, often the buttons, cannot be reached. Qt keeps a window at least its layout's minimum size, so a
    resize to the screen's height is not enough when the minimum is taller (Kandidaten importeren at 200 %)."""
    screen = top.screen()
    if not top.isWindow() or screen is None:
        return []
    available = screen.availableGeometry()
    frame = top.frameGeometry()
    if frame.width() > available.width() or frame.height() > available.height():
        return [f"larger than the screen ({frame.width()}×{frame.height()} on {available.width()}×"
                f"{available.height()}): {path_of(top)}"]
    return []


# controls that are unreadable or cut when given less height than Qt's minimum for them
_HEIGHT_KEPT = (QAbstractButton, QComboBox, QLineEdit, QAbstractSpinBox)


def _squeezed(widget: QWidget) -> list[str]:
    """A button, choice, text field or check box given less height than its minimumSizeHint: its frame and
    text are cut at top and bottom (the Register's Importeren… in the tab corner at 26 of 28 px, the mapping
    combo boxes of Kandidaten importeren at 200 % font). A pixel is rounding."""
    if not isinstance(widget, _HEIGHT_KEPT) or widget.width() <= 0 or widget.height() <= 0:
        return []
    need = widget.minimumSizeHint().height()
    if widget.height() < need - 1:
        return [f"squeezed below its minimum height ({widget.height()} < {need} px): {path_of(widget)}"]
    return []


def _content_cut(scroll: QScrollArea) -> list[str]:
    """A scroll area that does not scroll one way (its bar turned off) yet holds content wider or taller than
    what it shows: the rest is cut off with no way to reach it (the right side of Nieuwe afname at 200 %
    font: 'instellingsexa', no 'Alle gevonden toevoegen'). The content's own checks do not see it: inside a
    scroll area a widget may lie beyond the view."""
    content, view = scroll.widget(), scroll.viewport()
    if content is None or not content.isVisible():
        return []
    found = []
    if not scroll.horizontalScrollBar().isVisible() and content.width() > view.width() + 1:
        found.append(f"content cut on the right ({content.width()} px in {view.width()}): {path_of(scroll)}")
    if not scroll.verticalScrollBar().isVisible() and content.height() > view.height() + 1:
        found.append(f"content cut at the bottom ({content.height()} px in {view.height()}): {path_of(scroll)}")
    return found


def _row_height(view: QAbstractItemView) -> int:
    """The height of one row as the view draws it: its first row, or for an empty table under a header the
    height a row will get. Zero when the view has neither rows nor a header (nothing to show yet)."""
    model = view.model()
    rows = model.rowCount(view.rootIndex()) if model is not None else 0
    if isinstance(view, QTableView):
        if rows:
            return view.rowHeight(0) or view.verticalHeader().defaultSectionSize()
        return view.verticalHeader().defaultSectionSize() if view.horizontalHeader().isVisible() else 0
    if isinstance(view, QTreeView):
        if rows:
            return view.sizeHintForRow(0)
        return view.fontMetrics().height() + 4 if not view.isHeaderHidden() else 0
    if isinstance(view, QListView) and rows:
        return view.sizeHintForRow(0)
    return 0


def _no_whole_row(view: QAbstractItemView) -> list[str]:
    """A table or list whose visible part is lower than one row: a sliver that shows no readable line (the
    Voorbeeld table of Kandidaten importeren at 200 % font)."""
    if view.width() <= 0 or view.height() <= 0:
        return []
    row = _row_height(view)
    shown = view.viewport().height()
    if row > 0 and shown < row:
        return [f"shows no whole row ({shown} px for a row of {row}): {path_of(view)}"]
    return []


def _laid_out(layout: QLayout) -> list[QWidget]:
    """The widgets `layout` places, through its nested layouts: siblings that must each get their own room.
    A stacked layout shows its pages on top of each other on purpose (a QStackedWidget, a tab's pages)."""
    if isinstance(layout, QStackedLayout):
        return []
    found: list[QWidget] = []
    for index in range(layout.count()):
        item = layout.itemAt(index)
        if item.widget() is not None:
            found.append(item.widget())
        elif item.layout() is not None:
            found.extend(_laid_out(item.layout()))
    return found


def _overlapping_children(parent: QWidget) -> list[str]:
    """Two visible controls of one layout drawn over each other: a layout given less room than its minimum
    squeezes its rows into one another (the role check boxes at 200 % font) while each control still lies
    inside its parent. A shared edge of a pixel (frames) is not an overlap. Only what a layout places is
    compared: a scroll area's viewport, a splitter's panes, overlays and popups are placed by Qt or by hand."""
    layout = parent.layout()
    if layout is None:
        return []
    shown = [w for w in _laid_out(layout) if w.isVisible() and not w.isWindow() and w.width() > 0
             and w.height() > 0 and not w.testAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)]
    found: list[str] = []
    for first, second in combinations(shown, 2):
        common = first.geometry().intersected(second.geometry())
        if common.width() > 1 and common.height() > 1:
            found.append(f"drawn over each other ({_rect(common)}): {path_of(first)} and {describe(second)}")
    return found


def _elided_with_tooltip(label: QLabel) -> bool:
    return bool(label.property("elided")) and bool(label.toolTip())


def _header_problems(header: QHeaderView) -> list[str]:
    """A section whose title does not fit must end in an ellipsis (drawn in the font it is painted in:
    QHeaderView elides with its own font, so a bold section style on a plain header overflows and is cut
    at both ends, 'Kwalificatie' → '(walificati') and carry the whole title as its tooltip."""
    model = header.model()
    found: list[str] = []
    if model is None:
        return found
    drawn = QFont(header.font())
    drawn.setBold(True)                        # ExamDesk's headers are bold (style.py)
    painted = QFontMetrics(drawn)
    for section in range(header.count()):
        size = header.sectionSize(section)
        if header.isSectionHidden(section) or size == 0:
            continue
        text = str(model.headerData(section, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole) or "")
        if not text:
            continue
        # the arrow's room where it is drawn: a click on another title sorts there and widens that column
        # (`ElidingHeader`; tests/ui/test_headers.py sorts on every column of every list and looks again)
        sorted_here = header.isSortIndicatorShown() and header.sortIndicatorSection() == section
        room = size - 12 - (header.fontMetrics().height() if sorted_here else 0)
        lines = text.split("\n")
        short = [line for line in lines if len(line) <= 4]
        if short and max(painted.horizontalAdvance(line) for line in short) > room:
            found.append(f"short header {text!r} does not fit beside the sort arrow ({size} px wide): "
                         f"{path_of(header)}")
            continue
        if max(painted.horizontalAdvance(line) for line in lines) <= room:
            continue
        tooltip = model.headerData(section, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
        mode = header.textElideMode()
        elided = [header.fontMetrics().elidedText(line, mode, room) for line in lines]
        if mode == Qt.TextElideMode.ElideNone or max(painted.horizontalAdvance(e) for e in elided) > room + 1:
            found.append(f"header {text!r} cut mid-word ({size} px wide): {path_of(header)}")
        elif str(tooltip or "").replace("\n", " ") != text.replace("\n", " ") and not isinstance(header, ElidingHeader):
            found.append(f"header {text!r} elided without the whole title as tooltip: {path_of(header)}")
        elif room < painted.horizontalAdvance(text[:2] + "…"):
            found.append(f"header {text!r} too narrow to read even elided ({size} px): {path_of(header)}")
    return found


def _rect(rect: QRect) -> str:
    return f"{rect.x()},{rect.y()} {rect.width()}×{rect.height()}"


def shown(qtbot, widget: QWidget) -> QWidget:
    """A small widget shown as the probe shows a screen: exposed, and the layout requests a resize posts handled."""
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    for _ in range(4):
        QApplication.processEvents()
    return widget


def commission_screen(qtbot, store, key, width: int = 1366, height: int = 740):
    """A commission member's main window at a laptop's size with the house style sheet (at the test's text size),
    showing screen `key`: (window, screen)."""
    from examdesk.services.auth import AuthService
    from examdesk.services.context import AppContext
    from examdesk.ui import style
    from examdesk.ui.main_window import MainWindow

    window = MainWindow(AppContext(store, AuthService(store).login("commissie", "demo")))
    qtbot.addWidget(window)
    window.setStyleSheet(style.scaled(style.STYLESHEET))
    window.resize(width, height)
    window.show()
    return window, window.show_screen(key)


def check_indicator_height(view, row: int = 0) -> int:
    """How high the check box a list draws in row `row` is (`QAbstractItemView::indicator`), in pixels."""
    from PySide6.QtWidgets import QStyle, QStyleOptionViewItem

    option = QStyleOptionViewItem()
    option.initFrom(view)
    option.rect = view.visualItemRect(view.item(row))
    option.features |= QStyleOptionViewItem.ViewItemFeature.HasCheckIndicator
    return view.style().subElementRect(QStyle.SubElement.SE_ItemViewItemCheckIndicator, option, view).height()
