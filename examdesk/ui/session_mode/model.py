"""Session mode's candidate table: workstation, name, status, personal end time, accommodations — the
end times coloured as they near and pass, and everything but the times blank while the screen is locked."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QObject

from examdesk.domain.clock import format_time
from examdesk.domain.session_state import CandidateStatus
from examdesk.domain.sessions import CandidateState
from examdesk.ui.style import MUTED, WARN
from examdesk.ui.table_model import CENTER, Column, TableModel

# shown in the warning colour in the status column
_WARNING_STATUSES = (CandidateStatus.AFWEZIG, CandidateStatus.GEWEIGERD, CandidateStatus.ONWEL)

class CandidateModel(TableModel[CandidateState]):
    """Per candidate: workstation, name, status, personal end time, accommodations. With the screen
    locked the names, statuses and accommodations are blank."""

    END_COLUMN = 3

    def __init__(self, parent: QObject | None = None):
        self.now: datetime | None = None
        self.hidden = False
        super().__init__([
            Column("pc", lambda c: f"{c.entry.workstation:02d}", align=CENTER),
            Column("kandidaat", lambda c: "" if self.hidden else c.entry.name),
            Column("status", lambda c: "" if self.hidden else c.status_label,
                   colour=lambda c: WARN if c.status in _WARNING_STATUSES and not self.hidden else None),
            Column("eindtijd", _end_time_text, colour=self._end_colour, bold=True, align=CENTER),
            Column("voorzieningen", lambda c: "" if self.hidden else c.entry.accommodations),
        ], parent)

    def show_rows(self, rows: tuple[CandidateState, ...], now: datetime) -> None:
        self.now = now
        self.set_rows(rows)

    def update_end_times(self, rows: tuple[CandidateState, ...], now: datetime) -> None:
        """Repaints only the rows whose end time, its colour or the status text changed."""
        before = [self._signature(c, self.now) for c in self.rows]
        self.rows = list(rows)
        self.now = now
        for row, c in enumerate(self.rows):
            if row >= len(before) or before[row] != self._signature(c, now):
                self.dataChanged.emit(self.index(row, 2), self.index(row, self.END_COLUMN))

    @staticmethod
    def _signature(c: CandidateState, now: datetime | None) -> tuple[Any, ...]:
        return c.end_time, c.paused, c.status, _band(c, now)

    def _end_colour(self, c: CandidateState) -> str | None:
        return {2: MUTED, 1: WARN}.get(_band(c, self.now))

    def set_hidden(self, hidden: bool) -> None:
        self.beginResetModel()
        self.hidden = hidden
        self.endResetModel()


def _band(c: CandidateState, now: datetime | None) -> int:
    """0 working, 1 five minutes or less left, 2 time is up."""
    if c.end_time is None or now is None:
        return 0
    left = (c.end_time - now).total_seconds()
    return 2 if left <= 0 else 1 if left <= 300 else 0


def _end_time_text(c: CandidateState) -> str:
    if c.end_time is None:
        return "—"
    return format_time(c.end_time) + (" ▸" if c.paused else "")
