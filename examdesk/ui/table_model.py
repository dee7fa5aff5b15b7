"""Table models shared by the screens."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

T = TypeVar("T")
Index = QModelIndex | QPersistentModelIndex


class ListTableModel(QAbstractTableModel, Generic[T]):
    """A small list of records shown as rows; columns are (header, value-of-record) pairs."""

    def __init__(self, columns: Sequence[tuple[str, Callable[[T], Any]]], parent: Any = None):
        super().__init__(parent)
        self.columns = list(columns)
        self.rows: list[T] = []

    def set_rows(self, rows: Sequence[T]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802,B008 (Qt API)
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802,B008 (Qt API)
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            value = self.columns[index.column()][1](self.rows[index.row()])
            return "" if value is None else str(value)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.columns[section][0]
        return None

    def record(self, row: int) -> T:
        return self.rows[row]


class PagedTableModel(ListTableModel[T]):
    """Fetches rows a page at a time as the view scrolls: a list of 200,000 opens as fast as one of 20."""

    PAGE = 200

    def __init__(self, columns: Sequence[tuple[str, Callable[[T], Any]]],
                 count: Callable[[], int], fetch: Callable[[int, int], list[T]], parent: Any = None):
        super().__init__(columns, parent)
        self._count = count
        self._fetch = fetch
        self.total = 0

    def reload(self) -> None:
        self.beginResetModel()
        self.total = self._count()
        self.rows = self._fetch(0, self.PAGE) if self.total else []
        self.endResetModel()

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: N802,B008 (Qt API)
        return not parent.isValid() and len(self.rows) < self.total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: N802,B008 (Qt API)
        more = self._fetch(len(self.rows), self.PAGE)
        if not more:
            self.total = len(self.rows)
            return
        self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(more) - 1)
        self.rows.extend(more)
        self.endInsertRows()
