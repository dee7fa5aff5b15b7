"""Pieces every screen uses: errors and questions, the list view; fitting to the screen and the window state
of this PC (`remembered`/`remember`, keys declared in services/window_settings.py) live in `ui/window_state.py`
and are offered here too."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6 import QtCore  # `QtCore.Qt` where used, not imported by name: see `examdesk.ui.dialogs`
from PySide6.QtCore import QAbstractItemModel, QObject, QRect, QSize
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QListView,
    QListWidget,
    QMessageBox,
    QSizePolicy,
    QStyle,
    QStyleOptionHeader,
    QTableView,
    QToolTip,
    QWidget,
)

from examdesk.domain.errors import ExamDeskError
from examdesk.ui.columns import fit_columns as fit_columns
from examdesk.ui.panes import SizedByCurrentTab as SizedByCurrentTab
from examdesk.ui.panes import steady_width as steady_width
from examdesk.ui.window_state import fit_to_screen as fit_to_screen
from examdesk.ui.window_state import remember as remember
from examdesk.ui.window_state import remembered as remembered
from examdesk.ui.window_state import scrolling_form as scrolling_form

if TYPE_CHECKING:
    pass


def hint_label(text: str = "") -> QLabel:
    """The muted, wrapping explanation under a form or list (the style sheet's `Hint`)."""
    label = QLabel(text)
    label.setObjectName("Hint")
    label.setWordWrap(True)
    return label


def show_error(parent: QWidget | None, error: ExamDeskError | str, title: str = "ExamDesk") -> None:
    text = error.message if isinstance(error, ExamDeskError) else str(error)
    QMessageBox.warning(parent, title, text)


def ask(parent: QWidget | None, title: str, text: str, yes: str, no: str) -> bool:
    """A question whose two buttons say what they do ('Weggooien' / 'Terug naar het formulier'); the safe
    answer is the default, so Enter or Escape never throws anything away."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=parent)
    go = box.addButton(yes, QMessageBox.ButtonRole.DestructiveRole)
    back = box.addButton(no, QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(back)
    box.setEscapeButton(back)
    box.exec()
    if parent is not None:
        parent.window().activateWindow()   # back where the user was, the cursor in the same field
    return box.clickedButton() is go


class ElidingHeader(QHeaderView):
    """Column titles that end in '…' when the column is narrower than the title, the whole title as its
    tooltip. Qt elides a section before the style sheet's padding is taken off, in a rect wider than the one
    it draws in, so a bold title is cut off at both ends ('Kwalificatie' → '(walificati'); this header
    elides itself, in the font it paints with, to the room left inside the padding and the sort arrow."""

    PADDING = 12            # the style sheets' section padding, both sides, plus a pixel or two

    def __init__(self, orientation: QtCore.Qt.Orientation | None = None, parent: QWidget | None = None):
        super().__init__(QtCore.Qt.Orientation.Horizontal if orientation is None else orientation, parent)
        self._widths: dict[tuple[str, str], int] = {}   # (title, font) → the title's narrowest width
        self._sizes: dict[tuple[int, bool], QSize] = {}  # (section, sorted) → sectionSizeFromContents, until `forget_sizes`
        self._fitted: dict[int, int] = {}     # section → the width `fit_titles` gave it (not the user's, nor code's)
        self.setTextElideMode(QtCore.Qt.TextElideMode.ElideRight)
        self.setSectionsClickable(True)       # as QTableView's own header
        self.setHighlightSections(True)
        self.sectionResized.connect(lambda section, _old, _new: self.keep_minimum(section))
        self.sortIndicatorChanged.connect(self.forget_sizes)
        self.sortIndicatorChanged.connect(lambda section, _order: self.keep_minimum(section))
        self.sectionCountChanged.connect(lambda _old, _new: self.fit_titles())

    def arrow(self) -> int:
        """The room the sort arrow takes where the list can be sorted."""
        return self.fontMetrics().height() if self.isSortIndicatorShown() else 0

    def sorted_here(self, section: int) -> bool:
        return self.isSortIndicatorShown() and self.sortIndicatorSection() == section

    def minimum_width(self, section: int) -> int:
        """The sorted column is never so narrow that its arrow covers its title: a short title ('Nr',
        'Tijd', 'F/S') stays whole beside the arrow, a long one keeps at least three letters and '…'. The
        arrow's room is kept where it is drawn, not on every column of a sortable list: that cost the
        Register's instruments ~100 px on a laptop (the title and the supplier cut to 'Prak…' and 'Le…'); a
        click on another title sorts there and widens that column (`keep_minimum`, or Qt's sizing to
        contents, which asks `sectionSizeFromContents` again)."""
        self.ensurePolished()                 # the style sheet's bold font is applied on polish
        title, font = self.title(section), self.font().key()
        text = self._widths.get((title, font))   # asked ~40 times per column while a screen is laid out
        if text is None:
            metrics = self.fontMetrics()
            text = self._widths[(title, font)] = max(
                (metrics.horizontalAdvance(line) if len(line) <= 4       # a short title whole
                 else min(metrics.horizontalAdvance(line), metrics.horizontalAdvance(line[:3] + "…"))
                 for line in title.split("\n")), default=0)
        return self._room(text, self.sorted_here(section))

    def _room(self, text: int, sorted_here: bool) -> int:
        """A section's width for a title `text` pixels wide: the padding, a pixel for subpixel text, and the sort
        arrow where it is drawn."""
        return text + self.PADDING + 1 + (self.arrow() if sorted_here else 0) if text else 0

    def keep_minimum(self, section: int) -> None:
        if 0 <= section < self.count() and self.sectionResizeMode(section) in (
                QHeaderView.ResizeMode.Interactive, QHeaderView.ResizeMode.Fixed) \
                and self.sectionSize(section) < self.minimum_width(section) and not self.isSectionHidden(section):
            self.resizeSection(section, self.minimum_width(section))

    def fit_titles(self) -> None:
        """A column nobody sized (Qt's fixed default of 100 px, or the width this gave it before the font or style
        changed) is as wide as its whole title: a list sized on the rows shown has no rows to size on while it
        is empty, and Beheer → Privacy showed 'studentn…' and 'bewaard t…' beside a wide empty 'status' (a short
        title keeps Qt's default width, room for the rows to come). A
        column the user dragged or a screen sized (to its rows, or as designed) keeps its width."""
        if self.model() is None:
            return
        last = self.count() - 1
        while last >= 0 and self.isSectionHidden(last):
            last -= 1
        fitted: dict[int, int] = {}
        for section in range(self.count()):
            if self.isSectionHidden(section) or (section == last and self.stretchLastSection()) \
                    or self.sectionResizeMode(section) != QHeaderView.ResizeMode.Interactive:
                continue
            size = self.sectionSize(section)
            if size != self.defaultSectionSize() and size != self._fitted.get(section):
                continue                          # sized by the user or the screen
            want = max(self.defaultSectionSize(), self.sectionSizeHint(section))   # short titles: Qt's width
            fitted[section] = want
            if want != size:
                self.resizeSection(section, want)
        self._fitted = fitted

    def sectionSizeFromContents(self, section: int) -> QSize:  # noqa: N802 (Qt API)
        """The title's size, once until the titles, the font or the sort arrow change: Qt asks it of every
        section on every layout (816 times as the Register opens, 50 ms through the style)."""
        key = (section, self.sorted_here(section))
        size = self._sizes.get(key)
        if size is None:
            metrics = self.fontMetrics()        # the whole title in the room `elided` paints it in
            whole = max((metrics.horizontalAdvance(line) for line in self.title(section).split("\n")), default=0)
            size = self._sizes[key] = self._title_size(section, key[1]).expandedTo(QSize(self._room(whole, key[1]), 0))
        return QSize(size)

    def _title_size(self, section: int, sorted_here: bool) -> QSize:
        """Qt's size of the section (`QHeaderView.sectionSizeFromContents`, through the style and its sheet),
        with room for the sort arrow only where it is drawn: Qt keeps it on every column of a sortable list."""
        if not self.isSortIndicatorShown() or sorted_here:
            return super().sectionSizeFromContents(section)
        option = QStyleOptionHeader()
        self.initStyleOption(option)
        option.section = section
        option.text = self.title(section)
        option.fontMetrics = self.fontMetrics()
        option.sortIndicator = QStyleOptionHeader.SortIndicator.None_
        return self.style().sizeFromContents(QStyle.ContentsType.CT_HeaderSection, option, QSize(), self)

    def forget_sizes(self, *_args: object) -> None:
        """The titles, their font or the sort arrow changed: each section measured again when asked."""
        self._sizes.clear()

    def setModel(self, model: QAbstractItemModel | None) -> None:  # noqa: N802 (Qt API)
        old = self.model()
        if old is not None:
            for signal, slot in ((old.headerDataChanged, self.forget_sizes), (old.modelReset, self.forget_sizes),
                                 (old.layoutChanged, self.forget_sizes), (old.columnsInserted, self.forget_sizes),
                                 (old.columnsRemoved, self.forget_sizes), (old.modelReset, self.fit_titles)):
                try:
                    signal.disconnect(slot)
                except (RuntimeError, TypeError):
                    pass
        super().setModel(model)
        self.forget_sizes()
        if model is not None:
            for signal in (model.headerDataChanged, model.modelReset, model.layoutChanged, model.columnsInserted,
                           model.columnsRemoved):
                signal.connect(self.forget_sizes)
            model.modelReset.connect(self.fit_titles)     # after Qt's own reset, which forgets the widths
        self.fit_titles()

    def showEvent(self, event: QtCore.QEvent) -> None:  # noqa: N802 (Qt API)
        super().showEvent(event)
        self.fit_titles()                         # in the font and style sheet it is shown in
        for section in range(self.count()):
            self.keep_minimum(section)

    def changeEvent(self, event: QtCore.QEvent) -> None:  # noqa: N802 (Qt API)
        if event.type() in (QtCore.QEvent.Type.StyleChange, QtCore.QEvent.Type.FontChange):
            self._sizes.clear()                   # another style sheet's padding or font: measured again
            self._widths.clear()
        super().changeEvent(event)
        if event.type() in (QtCore.QEvent.Type.StyleChange, QtCore.QEvent.Type.FontChange):
            self.fit_titles()

    def title(self, section: int) -> str:
        model = self.model()
        return "" if model is None else str(model.headerData(section, self.orientation()) or "")

    def room(self, section: int, width: int) -> int:
        arrow = self.arrow() if self.sortIndicatorSection() == section else 0
        return max(0, width - self.PADDING - arrow)

    def elided(self, section: int, width: int) -> str:
        room = self.room(section, width)
        return "\n".join(self.fontMetrics().elidedText(line, QtCore.Qt.TextElideMode.ElideRight, room)
                         for line in self.title(section).split("\n"))

    def paintSection(self, painter: QPainter, rect: QRect, section: int) -> None:  # noqa: N802 (Qt API)
        if not rect.isValid():
            return
        option = QStyleOptionHeader()
        self.initStyleOptionForIndex(option, section)
        option.rect = rect
        style = self.style()
        painter.save()
        style.drawControl(QStyle.ControlElement.CE_HeaderSection, option, painter, self)
        # the title in the room left of the sort arrow and the arrow at the right, so they never overlap (Qt's
        # own CE_Header centres the arrow over the title: 'Co˅de', 'Datum˅en tijd')
        sorted_here = option.sortIndicator != QStyleOptionHeader.SortIndicator.None_
        arrow = self.arrow() if sorted_here else 0
        label = QStyleOptionHeader(option)
        label.rect = rect.adjusted(0, 0, -arrow, 0)
        label.text = self.elided(section, rect.width())
        style.drawControl(QStyle.ControlElement.CE_HeaderLabel, label, painter, self)
        if sorted_here:
            indicator = QStyleOptionHeader(option)
            indicator.rect = QRect(rect.right() - arrow - self.PADDING // 2 + 4, rect.top(), arrow, rect.height())
            style.drawPrimitive(QStyle.PrimitiveElement.PE_IndicatorHeaderArrow, indicator, painter, self)
        painter.restore()

    def viewportEvent(self, event: QtCore.QEvent) -> bool:  # noqa: N802 (Qt API)
        """The whole title as tooltip where the model gives none (a QTableWidget's header items)."""
        if event.type() == QtCore.QEvent.Type.ToolTip and self.model() is not None:
            section = self.logicalIndexAt(event.pos())
            own = self.model().headerData(section, self.orientation(), QtCore.Qt.ItemDataRole.ToolTipRole) \
                if section >= 0 else None
            if section >= 0 and not own and self.title(section):
                QToolTip.showText(event.globalPos(), self.title(section), self)
                return True
        return super().viewportEvent(event)


class OneLineWhenRoom(QLabel):
    """A word-wrapped plain-text label that asks for the width of its text on one line: a layout gives it
    that width where the row has room and wraps it only where it does not. Qt's word-wrapped QLabel asks for
    a guessed width, which left 'Typ groep 11 en groep 12 van de vingerafdruk over:' a pixel short of one
    line on a laptop (it depends on the font)."""

    def __init__(self, text: str = "", parent: QWidget | None = None):
        super().__init__(text, parent)
        self.setTextFormat(QtCore.Qt.TextFormat.PlainText)
        self.setWordWrap(True)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        margins = self.contentsMargins()
        width = self.fontMetrics().boundingRect(self.text()).width() + 2 * self.margin() \
            + margins.left() + margins.right() + 1
        return QSize(width, self.heightForWidth(width))


class ElidedLabel(QLabel):
    """One line of plain text that ends (or starts) in '…' when it is narrower than its text, the whole
    text as its tooltip: the status line at 200 % font was cut off mid-word and lost who is logged in.
    `mode` says which end may go (ElideLeft keeps the end of the line in view)."""

    def __init__(self, text: str = "", mode: QtCore.Qt.TextElideMode | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.mode = QtCore.Qt.TextElideMode.ElideRight if mode is None else mode
        self.setTextFormat(QtCore.Qt.TextFormat.PlainText)
        self.setProperty("elided", True)          # what tests/layout_support accepts as cut on purpose
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setText(text)

    def setText(self, text: str) -> None:  # noqa: N802 (Qt API)
        super().setText(text)
        self.setToolTip(text)

    def shown_text(self) -> str:
        """The text as painted at the label's present width."""
        return self.fontMetrics().elidedText(self.text(), self.mode, self.contentsRect().width())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        return QSize(self.fontMetrics().horizontalAdvance("…") * 4, super().minimumSizeHint().height())

    def paintEvent(self, _event: QtCore.QEvent) -> None:  # noqa: N802 (Qt API)
        painter = QPainter(self)
        self.style().drawItemText(painter, self.contentsRect(), int(self.alignment()), self.palette(),
                                  self.isEnabled(), self.shown_text(), self.foregroundRole())


def elide_headers(view: QTableView) -> QTableView:
    """Gives a table the eliding header (before its columns are sized: a new header forgets the sizes) and
    the keys every list has here: arrows move inside it, Tab moves on to the next control. Qt's default
    walks Tab from cell to cell, which kept the keyboard inside the Incidenten list: the incident's
    Besluiten… and the rest of its file could not be reached without the mouse."""
    header = ElidingHeader(QtCore.Qt.Orientation.Horizontal, view)
    old = view.horizontalHeader()
    header.setStretchLastSection(old.stretchLastSection())
    view.setHorizontalHeader(header)
    view.setTabKeyNavigation(False)
    return view


def list_view(model: QAbstractItemModel, sortable: bool = False, name: str = "", grows: bool = False) -> QTableView:
    """The read-only list every screen uses: whole rows selected, one at a time, keyboard friendly. A list read
    anew (each key of a search) is laid out at once: Qt lays it out a turn of the event loop later and paints it
    twice (issue 16: 12-20 ms a paint on ten years). `grows`: a list that pages through the years (`steady_width`)."""
    view = elide_headers(QTableView())
    if name:
        view.setObjectName(name)
    view.setModel(model)
    model.modelReset.connect(view.doItemsLayout)     # after the view's own reset, connected by setModel
    if grows:
        steady_width(view)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().setVisible(False)
    view.horizontalHeader().setStretchLastSection(True)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.setSortingEnabled(sortable)
    # a column sized to its contents measures the rows on show, not the first 1,000 (Qt's default): the
    # Afnames list of 1,000 sessions asked 60,000 cells for their text to size its columns once
    view.horizontalHeader().setResizeContentsPrecision(0)
    return view


def wrap_lines(view: QListWidget) -> QListWidget:
    """A list of sentences (a log, a list of choices) wraps long lines instead of scrolling sideways."""
    view.setWordWrap(True)
    view.setHorizontalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    view.setResizeMode(QListView.ResizeMode.Adjust)
    view.setUniformItemSizes(False)
    return view


def header_width(view: QTableView, column: int) -> int:
    """The width a column needs for its whole title in the header's own (bold, possibly enlarged) font,
    with the section's padding and room for the sort arrow where the list is sorted on it: narrower, the title is
    cut. A click on another title sorts there and widens that column (`ElidingHeader.keep_minimum`)."""
    header = view.horizontalHeader()
    header.ensurePolished()                       # the style sheet's bold font is applied on polish
    text = str(view.model().headerData(column, QtCore.Qt.Orientation.Horizontal) or "")
    metrics = header.fontMetrics()
    sorted_here = view.isSortingEnabled() and header.sortIndicatorSection() == column
    arrow = metrics.height() if sorted_here else 0
    return max(metrics.horizontalAdvance(line) for line in text.split("\n")) + 16 + arrow


def set_column_widths(view: QTableView, widths: dict[int, int]) -> None:
    """Column widths as designed at 100 %, each at least what its title needs (larger fonts, 150 %)."""
    for column, width in widths.items():
        view.setColumnWidth(column, max(width, header_width(view, column)))


class _ShowsRows(QObject):
    """Sizes one table for show_rows whenever it is shown (the font and style sheet are known by then)."""

    def __init__(self, view: QTableView, least: int, most: int):
        super().__init__(view)
        self.least, self.most = least, most

    def eventFilter(self, watched: QObject, event: QtCore.QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() in (QtCore.QEvent.Type.Show, QtCore.QEvent.Type.FontChange, QtCore.QEvent.Type.StyleChange) \
                and isinstance(watched, QTableView):
            row = watched.rowHeight(0) if watched.model() is not None and watched.model().rowCount() else 0
            row = row or watched.verticalHeader().defaultSectionSize()
            header = watched.horizontalHeader()
            chrome = 2 * watched.frameWidth() + (header.sizeHint().height() if not header.isHidden() else 0)
            if watched.horizontalScrollBarPolicy() != QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff:
                chrome += watched.horizontalScrollBar().sizeHint().height()
            watched.setMinimumHeight(chrome + self.least * row)
            watched.setMaximumHeight(chrome + self.most * row)
        return False


def show_rows(view: QTableView, least: int, most: int) -> QTableView:
    """A table in a dialog that is at least `least` rows high and at most `most` (with its header and a
    sideways scroll bar), in the font it is shown in: a fixed pixel height read as five rows at 100 % but
    was crushed to a sliver with no readable row at 200 % (the Voorbeeld of Kandidaten importeren)."""
    view.installEventFilter(_ShowsRows(view, least, most))
    return view
