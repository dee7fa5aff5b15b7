"""The one table model every list uses: rows of records shown through declared columns.

In memory (`set_rows`), sorted in the model by each column's key and kept sorted through a reload; or
paged (`count` and `fetch` given, then `reload`): rows are fetched a page at a time as the view
scrolls, so a list of 200,000 opens as fast as one of 20, and a subclass sorts where the rows come
from. Every cell's tooltip is its whole text unless a column says otherwise, so a narrow column that
elides still reads in full."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QCollator,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    QRectF,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QPainter, QPixmap

from examdesk.ui.style import MUTED, WARN, WHITE

T = TypeVar("T")


def dutch_collator() -> QCollator:
    """Text sorted as a Dutch reader expects: accents with their base letter (Şahin before Wójcik), case
    not counted, numbers by value ('lokaal 9' before 'lokaal 10')."""
    collator = QCollator(QLocale(QLocale.Language.Dutch, QLocale.Country.Netherlands))
    collator.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    collator.setNumericMode(True)
    return collator


COLLATOR = dutch_collator()
Index = QModelIndex | QPersistentModelIndex
_DISPLAY = int(Qt.ItemDataRole.DisplayRole.value)
_DECORATION = int(Qt.ItemDataRole.DecorationRole.value)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole.value)
_FONT = int(Qt.ItemDataRole.FontRole.value)
_ALIGN = int(Qt.ItemDataRole.TextAlignmentRole.value)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole.value)
_RECORD = int(Qt.ItemDataRole.UserRole.value)
_ROLES = frozenset({_DISPLAY, _DECORATION, _TOOLTIP, _FONT, _ALIGN, _FOREGROUND, _RECORD})
RIGHT = int((Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter).value)
CENTER = int(Qt.AlignmentFlag.AlignCenter.value)


@dataclass(frozen=True)
class Column(Generic[T]):
    """A column: its header and how each record shows in it."""

    header: str
    value: Callable[[T], Any]
    sort_key: Callable[[T], Any] | None = None       # default: the shown text, Dutch collation
    tooltip: Callable[[T], str] | None = None        # default: the shown text
    warn: Callable[[T], bool] | None = None          # bold, in the warning colour
    muted: Callable[[T], bool] | None = None         # in the muted colour
    colour: Callable[[T], str | None] | None = None  # another colour the record's state asks for
    bold: bool = False
    align: int | None = None                         # RIGHT, CENTER; None is Qt's default (left)
    badge: bool = False                              # a count drawn as a pill in the warning colour


class TableModel(QAbstractTableModel, Generic[T]):
    """Rows of records with sortable columns; the sort order survives a new set of rows."""

    PAGE = 200
    BADGE_WIDTH = 48

    def __init__(self, columns: Sequence[Column[T]], parent: Any = None, *,
                 count: Callable[[], int] | None = None, fetch: Callable[[int, int], list[T]] | None = None):
        super().__init__(parent)
        self.columns = list(columns)
        self.rows: list[T] = []
        self._count = count
        self._fetch = fetch
        self.total = 0
        self._sort: tuple[int, Qt.SortOrder] | None = None
        self._brushes: dict[str, QBrush] = {}
        self._bold = QFont()
        self._bold.setBold(True)
        self._badges: dict[int, QPixmap] = {}

    @property
    def paged(self) -> bool:
        return self._fetch is not None

    # --- filling -----------------------------------------------------------------------------------------
    def set_rows(self, rows: Sequence[T]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.total = len(self.rows)
        if self._sort is not None:
            self._apply_sort(*self._sort)
        self.endResetModel()

    def reload(self) -> None:
        """Paged: counts again and fetches the first page."""
        assert self._count is not None and self._fetch is not None, "reload() is for a paged model"
        self.beginResetModel()
        self.total = self._count()
        self.rows = self._fetch(0, self.PAGE) if self.total else []
        self.endResetModel()

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: N802,B008 (Qt API)
        return self.paged and not parent.isValid() and len(self.rows) < self.total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: N802,B008 (Qt API)
        if not self.paged:
            return
        more = self._fetch(len(self.rows), self.PAGE)
        if not more:
            self.total = len(self.rows)
            return
        self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(more) - 1)
        self.rows.extend(more)
        self.endInsertRows()

    # --- reading -----------------------------------------------------------------------------------------
    def record(self, row: int) -> T:
        return self.rows[row]

    def row_of(self, match: Callable[[T], bool]) -> int:
        return next((i for i, r in enumerate(self.rows) if match(r)), -1)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802,B008 (Qt API)
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802,B008 (Qt API)
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 (Qt API)
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role in (Qt.ItemDataRole.DisplayRole,
                                                                 Qt.ItemDataRole.ToolTipRole):
            return self.columns[section].header
        return None

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        # Called for every visible cell and role on each paint: plain ints, early exits, no Qt enum lookups.
        if role not in _ROLES or not index.isValid():
            return None
        record = self.rows[index.row()]
        column = self.columns[index.column()]
        if role == _DISPLAY:
            if column.badge:
                return None
            value = column.value(record)
            return "" if value is None else str(value)
        if role == _FOREGROUND:
            if column.warn is not None and column.warn(record):
                return self._brush(WARN)
            if column.colour is not None:
                colour = column.colour(record)
                if colour:
                    return self._brush(colour)
            if column.muted is not None and column.muted(record):
                return self._brush(MUTED)
            return None
        if role == _FONT:
            return self._bold if column.bold or (column.warn is not None and column.warn(record)) else None
        if role == _ALIGN:
            return column.align
        if role == _DECORATION:
            return self._badge(column.value(record)) if column.badge else None
        if role == _TOOLTIP:
            if column.tooltip is not None:
                return column.tooltip(record)
            value = column.value(record)
            return "" if value is None else str(value)
        return record  # RecordRole

    def _brush(self, colour: str) -> QBrush:
        if colour not in self._brushes:
            self._brushes[colour] = QBrush(QColor(colour))
        return self._brushes[colour]

    def _badge(self, count: int) -> QPixmap | None:
        """A count drawn as a rounded badge in the warning colour (nothing for zero); one pixmap per number."""
        if not count:
            return None
        if count not in self._badges:
            self._badges[count] = badge_pixmap(str(count), self.BADGE_WIDTH)
        return self._badges[count]

    # --- sorting -----------------------------------------------------------------------------------------
    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """In memory; a paged model holds only some rows, so its subclass sorts where they come from."""
        if self.paged:
            return
        self.layoutAboutToBeChanged.emit()
        self._sort = (column, order)
        self._apply_sort(column, order)
        self.layoutChanged.emit()

    def _apply_sort(self, column: int, order: Qt.SortOrder) -> None:
        spec = self.columns[column]
        key = spec.sort_key or (lambda r: COLLATOR.sortKey(str(spec.value(r) or "")))
        self.rows.sort(key=key, reverse=order == Qt.SortOrder.DescendingOrder)


def badge_pixmap(text: str, width: int) -> QPixmap:
    """A pill with white bold text, centred in a transparent strip `width` pixels wide."""
    font = QFont()
    font.setBold(True)
    font.setPointSizeF(max(font.pointSizeF() - 1, 7))
    metrics = QFontMetrics(font)
    height = metrics.height() + 2
    pill = max(metrics.horizontalAdvance(text) + 12, height)
    pixmap = QPixmap(max(width, pill), height)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    rect = QRectF((pixmap.width() - pill) / 2, 0, pill, height)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(WARN))
    painter.drawRoundedRect(rect, height / 2, height / 2)
    painter.setPen(QColor(WHITE))
    painter.setFont(font)
    painter.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), text)
    painter.end()
    return pixmap
