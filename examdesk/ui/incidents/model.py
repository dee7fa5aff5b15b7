"""The Incidenten list: paged, and sorted by the service, because it grows with the years."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Qt

from examdesk.domain.clock import format_datetime
from examdesk.domain.incident_desk import IncidentFilter, IncidentRow
from examdesk.services.incident_desk import IncidentDeskService
from examdesk.ui.style import WARN
from examdesk.ui.table_model import Column, TableModel


def where_cell(r: IncidentRow) -> str:
    return f"{r.session_title} · {r.location_name} · {r.room_name}"


def status_cell(r: IncidentRow) -> str:
    return r.status + (" · te melden" if r.to_report else "")


class IncidentTableModel(TableModel[IncidentRow]):
    # a page a little over a screenful: each key reads and builds these rows (200 took 30 ms of a key on ten
    # years); scrolling fetches the next page (issue 16)
    PAGE = 60
    SORT_KEYS = ["tijd", "categorie", "afname", "status"]
    # what a commission member reads in the list, beside each other on a laptop without scrolling sideways
    # (tour item 19): when, what, where, how far. The route, the candidates and the short id are in the
    # incident's file beside it (`services.incident_file`'s heading and Kandidaten), the search finds a
    # candidate's incidents; long text is elided in the list with the whole text as the cell's tooltip.
    DATE, CATEGORY, WHERE, STATUS = range(4)

    def __init__(self, service: IncidentDeskService, parent: Any = None):
        names = service.category_names

        def closed(r: IncidentRow) -> bool:
            return r.status == "afgesloten"

        columns = [
            Column("Datum en tijd", lambda r: format_datetime(r.occurred_at), muted=closed),
            # the mark first: an elided name would take it with it
            Column("Categorie", lambda r: ("* " if r.reclassified else "") + names.get(r.category, r.category),
                   muted=closed),
            Column("Afname", where_cell, muted=closed),
            Column("Status", status_cell, colour=lambda r: WARN if r.to_report else None, muted=closed),
        ]
        self.service = service
        self.filter = IncidentFilter()
        self.sort_key = "tijd"
        self.descending = True
        super().__init__(columns, parent, count=lambda: service.count(self.filter),   # count: `TableModel`'s
                         fetch=lambda offset, limit: service.page(self.filter, offset, limit, self.sort_key,
                                                                  self.descending))

    # --- paging without a count (issue 16) ----------------------------------------------------------------
    # A page is read with one row more than it shows: whether there is more to fetch is known without counting
    # the list (a count of a broad search costs more than the keystroke's budget). `total` is None until the
    # screen has the counts (`set_total`), or the first page holds the whole list.
    more = False

    def reload(self) -> None:
        self.beginResetModel()
        found = self._fetch(0, self.PAGE + 1)
        self.more = len(found) > self.PAGE
        self.rows = found[:self.PAGE]
        self.total = None if self.more else len(self.rows)
        self.endResetModel()

    @property
    def complete(self) -> bool:
        """Whether the rows read so far are the whole list."""
        return not self.more

    def set_total(self, total: int) -> None:
        self.total = total

    def canFetchMore(self, parent: QModelIndex = QModelIndex()) -> bool:  # noqa: N802,B008 (Qt API)
        return not parent.isValid() and self.more

    def fetchMore(self, parent: QModelIndex = QModelIndex()) -> None:  # noqa: N802,B008 (Qt API)
        if parent.isValid() or not self.more:
            return
        found = self._fetch(len(self.rows), self.PAGE + 1)
        self.more = len(found) > self.PAGE
        found = found[:self.PAGE]
        if found:
            self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(found) - 1)
            self.rows.extend(found)
            self.endInsertRows()
        if not self.more:
            self.total = len(self.rows)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.sort_key = self.SORT_KEYS[column]
        self.descending = order == Qt.SortOrder.DescendingOrder
        total = self.total
        self.reload()
        if self.more:
            self.total = total     # another order, the same list: its count stays

    def row_of_incident(self, incident_id: str) -> int:
        return self.row_of(lambda r: r.incident_id == incident_id)
