"""The Incidenten list's columns fitted to its pane (tour item 19): the date and the status as wide as their
longest text in the font on show, the category and the session with its place and room sharing what is left, so on a
1366×768 laptop the list does not scroll sideways and a status ('in behandeling · te melden') is never cut.

Widths come from the font and a handful of known texts, never from the rows: sizing to the contents measures
every row on show at each keystroke of the search, which ten years of incidents cannot afford (issue 16). A
cell too narrow for its text is elided by the view; its tooltip is the whole text (`TableModel`)."""

from __future__ import annotations

from PySide6.QtWidgets import QHeaderView, QTableView

from examdesk.domain.incident_desk import STATUSES
from examdesk.ui.columns import RefitsOnResize
from examdesk.ui.common import header_width
from examdesk.ui.incidents.model import IncidentTableModel

# the share of what is left that the category takes; the session and its room the rest
CATEGORY_SHARE = 0.55
LEAST_EM = 6            # a shared column is never narrower than this many lines of text: below, the list scrolls
CELL_PADDING = 14       # the view's margins round a cell's text


class FitsColumns(RefitsOnResize):
    """The Incidenten list's four columns, laid out again whenever its width or font changes."""

    def __init__(self, table: QTableView):
        header = table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        super().__init__(table)
        self.table = table

    def text_width(self, texts: list[str], column: int) -> int:
        metrics = self.table.fontMetrics()
        return max(header_width(self.table, column),
                   max(metrics.horizontalAdvance(text) for text in texts) + CELL_PADDING)

    def fit(self) -> None:
        table = self.table
        m = IncidentTableModel
        digit = max("0123456789", key=table.fontMetrics().horizontalAdvance)
        date = self.text_width([f"{digit * 2}-{digit * 2}-{digit * 4} {digit * 2}:{digit * 2}"], m.DATE)
        status = self.text_width(list(STATUSES) + [f"{s} · te melden" for s in STATUSES], m.STATUS)
        least = LEAST_EM * table.fontMetrics().height()
        left = table.viewport().width() - date - status
        category = max(least, round(left * CATEGORY_SHARE), header_width(table, m.CATEGORY))
        where = max(least, left - category, header_width(table, m.WHERE))
        for column, width in ((m.DATE, date), (m.CATEGORY, category), (m.WHERE, where), (m.STATUS, status)):
            if table.columnWidth(column) != width:
                table.setColumnWidth(column, width)
