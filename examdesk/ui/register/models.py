"""Table models of the Register screen: kwalificaties (with a badge of instruments not valid today),
instruments and suppliers. Each holds the rows the service computed; sorting happens in the model."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QPainter, QPixmap

from examdesk.domain.clock import format_date
from examdesk.domain.register import Status, Supplier
from examdesk.services.register import InstrumentLine, QualificationLine
from examdesk.ui.style import MUTED, WARN

T = TypeVar("T")
Index = QModelIndex | QPersistentModelIndex
RecordRole = Qt.ItemDataRole.UserRole
_DISPLAY = int(Qt.ItemDataRole.DisplayRole.value)
_DECORATION = int(Qt.ItemDataRole.DecorationRole.value)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole.value)
_FONT = int(Qt.ItemDataRole.FontRole.value)
_ALIGN = int(Qt.ItemDataRole.TextAlignmentRole.value)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole.value)
_RECORD = int(Qt.ItemDataRole.UserRole.value)
_ROLES = frozenset({_DISPLAY, _DECORATION, _TOOLTIP, _FONT, _ALIGN, _FOREGROUND, _RECORD})
_RIGHT = int((Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter).value)


@dataclass(frozen=True)
class Col(Generic[T]):
    header: str
    value: Callable[[T], Any]
    sort_key: Callable[[T], Any] | None = None
    warn: Callable[[T], bool] | None = None
    tooltip: Callable[[T], str] | None = None
    align_right: bool = False
    muted: Callable[[T], bool] | None = None
    badge: bool = False


class RowsModel(QAbstractTableModel, Generic[T]):
    """Rows of records with sortable columns; the sort order survives a new set of rows."""

    BADGE_WIDTH = 48

    def __init__(self, columns: Sequence[Col[T]], parent: Any = None):
        super().__init__(parent)
        self.columns = list(columns)
        self.rows: list[T] = []
        self._sort: tuple[int, Qt.SortOrder] | None = None
        self._warn_brush = QBrush(QColor(WARN))
        self._muted_brush = QBrush(QColor(MUTED))
        self._bold = QFont()
        self._bold.setBold(True)
        self._badges: dict[int, QPixmap] = {}

    def set_rows(self, rows: Sequence[T]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        if self._sort is not None:
            self._apply_sort(*self._sort)
        self.endResetModel()

    def rowCount(self, parent: Index | None = None) -> int:  # noqa: N802 (Qt API)
        return 0 if parent is not None and parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index | None = None) -> int:  # noqa: N802 (Qt API)
        return 0 if parent is not None and parent.isValid() else len(self.columns)

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
                return self._warn_brush
            if column.muted is not None and column.muted(record):
                return self._muted_brush
            return None
        if role == _FONT:
            return self._bold if column.warn is not None and column.warn(record) else None
        if role == _ALIGN:
            return _RIGHT if column.align_right else None
        if role == _DECORATION:
            return self._badge(column.value(record)) if column.badge else None
        if role == _TOOLTIP:
            if column.tooltip is not None:
                return column.tooltip(record)
            value = column.value(record)
            return "" if value is None else str(value)
        return record  # RecordRole

    def _badge(self, count: int) -> QPixmap | None:
        """A count drawn as a rounded badge in the warning colour (nothing for zero); one pixmap per number."""
        if not count:
            return None
        if count not in self._badges:
            self._badges[count] = badge_pixmap(str(count), self.BADGE_WIDTH)
        return self._badges[count]

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 (Qt API)
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.columns[section].header
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.layoutAboutToBeChanged.emit()
        self._sort = (column, order)
        self._apply_sort(column, order)
        self.layoutChanged.emit()

    def _apply_sort(self, column: int, order: Qt.SortOrder) -> None:
        spec = self.columns[column]
        key = spec.sort_key or (lambda r: str(spec.value(r) or "").lower())
        self.rows.sort(key=key, reverse=order == Qt.SortOrder.DescendingOrder)

    def record(self, row: int) -> T:
        return self.rows[row]

    def row_of(self, match: Callable[[T], bool]) -> int:
        return next((i for i, r in enumerate(self.rows) if match(r)), -1)


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
    painter.setPen(QColor("white"))
    painter.setFont(font)
    painter.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), text)
    painter.end()
    return pixmap


def _route_choice_text(q: QualificationLine) -> str:
    if q.route_choice is not None:
        return q.route_choice.routes_label
    return "ontbreekt" if q.instrument_count else ""


def qualification_model(school_year: str, parent: Any = None) -> RowsModel[QualificationLine]:
    return RowsModel([
        Col("Crebo", lambda q: q.qualification.crebo),
        Col("Kwalificatie", lambda q: q.qualification.name,
            tooltip=lambda q: (f"{q.qualification.crebo} {q.qualification.name}\nDossier: {q.qualification.dossier}"
                               f"\n{q.qualification.kind.label}, niveau {q.qualification.niveau_label}")),
        Col("Niv.", lambda q: q.qualification.niveau, sort_key=lambda q: q.qualification.niveau, align_right=True,
            tooltip=lambda q: f"Niveau {q.qualification.niveau_label}"),
        Col("Instr.", lambda q: q.instrument_count or "", sort_key=lambda q: q.instrument_count, align_right=True,
            tooltip=lambda q: f"{q.instrument_count} instrumenten in het register"),
        Col("Niet\nvalide", lambda q: q.invalid_count, sort_key=lambda q: q.invalid_count, badge=True,
            tooltip=lambda q: f"{q.invalid_count} instrumenten niet valide vandaag"),
        Col("Routes", _route_choice_text, warn=lambda q: q.needs_route_choice,
            tooltip=lambda q: (f"Geen routekeuze voor {school_year}, terwijl er instrumenten zijn."
                               if q.needs_route_choice else _route_choice_text(q))),
    ], parent)


def supplier_label(s: Supplier | None, on: date) -> str:
    if s is None:
        return ""
    if s.certified_on(on):
        return s.name
    return f"{s.name} ({s.certificate_sentence(on)})"


def validity_text(x: InstrumentLine) -> str:
    if x.verdict.provisional:
        return "onder voorbehoud"
    return "valide" if x.verdict.valid else "niet valide"


def instrument_model(on: date, parent: Any = None) -> RowsModel[InstrumentLine]:
    return RowsModel([
        Col("Code", lambda x: x.instrument.code),
        Col("Titel", lambda x: x.instrument.title),
        Col("Onderdeel", lambda x: x.instrument.part),
        Col("F/S", lambda x: "F" if x.instrument.formative else "S",
            tooltip=lambda x: x.instrument.purpose_label),
        Col("Route", lambda x: f"{x.instrument.route}{' ⚑' if x.mismatch else ''}",
            sort_key=lambda x: x.instrument.route, warn=lambda x: x.mismatch is not None,
            tooltip=lambda x: x.mismatch or f"Route {x.instrument.route}"),
        Col("Leverancier", lambda x: supplier_label(x.supplier, on),
            warn=lambda x: x.supplier is not None and not x.supplier.certified_on(on)),
        Col("Status", lambda x: x.status.label, sort_key=lambda x: x.status.label,
            muted=lambda x: x.status in (Status.CONCEPT, Status.WITHDRAWN)),
        Col("Vandaag", validity_text, warn=lambda x: not x.verdict.valid, tooltip=lambda x: x.verdict.sentence),
    ], parent)


def supplier_model(on: date, counts: dict[str, int], parent: Any = None) -> RowsModel[Supplier]:
    return RowsModel([
        Col("Leverancier", lambda s: s.name),
        Col("Certificerende instelling", lambda s: s.authority),
        Col("Certificaatnummer", lambda s: s.certificate_number),
        Col("Gecertificeerd van", lambda s: format_date(s.certified_from),
            sort_key=lambda s: s.certified_from or date.min),
        Col("Gecertificeerd tot", lambda s: format_date(s.certified_until),
            sort_key=lambda s: s.certified_until or date.min, warn=lambda s: not s.certified_on(on)),
        Col("Certificaat", lambda s: s.certificate_sentence(on),
            warn=lambda s: not s.certified_on(on) or s.expires_within(on, 90)),
        Col("Instrumenten", lambda s: counts.get(s.id, 0), sort_key=lambda s: counts.get(s.id, 0), align_right=True),
    ], parent)
