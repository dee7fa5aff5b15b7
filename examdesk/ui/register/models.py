"""The Register screen's columns: kwalificaties (with a badge of instruments not valid today),
instruments and suppliers, each a `TableModel` of the rows the service computed."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QTableView

from examdesk.domain.clock import format_date
from examdesk.domain.plural import counted
from examdesk.domain.register import Status, Supplier
from examdesk.services.register import InstrumentLine, QualificationLine
from examdesk.ui.common import list_view
from examdesk.ui.style import WARN
from examdesk.ui.table_model import RIGHT, Column, TableModel


def select_row(table: QTableView, row: int) -> None:
    """Selects and shows `row` of a register list; none selected when it is not in the list (-1)."""
    model = table.model()
    if row < 0 or row >= model.rowCount():
        table.selectionModel().clearSelection()
        table.selectionModel().setCurrentIndex(model.index(-1, -1), QItemSelectionModel.SelectionFlag.Clear)
        return
    index = model.index(row, 0)
    table.selectionModel().setCurrentIndex(
        index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
    table.scrollTo(index)


def register_table(model: TableModel, name: str) -> QTableView:
    """The register's lists: sortable, sorted on the first column, compact rows, no stretched last column."""
    view = list_view(model, sortable=True, name=name)
    view.horizontalHeader().setStretchLastSection(False)
    view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    view.verticalHeader().setDefaultSectionSize(24)
    QBrush(QColor(WARN))     # the process's first brush (7-30 ms: PySide creates QGradient's enum types then) made
    return view              # as the screen is built while idle, not in the first paint of a warned row (issue 16)


def _route_choice_text(q: QualificationLine) -> str:
    if q.route_choice is not None:
        return q.route_choice.routes_label
    return "ontbreekt" if q.instrument_count else ""


def qualification_model(school_year: str, parent: Any = None) -> TableModel[QualificationLine]:
    return TableModel([
        Column("Crebo", lambda q: q.qualification.crebo),
        Column("Kwalificatie", lambda q: q.qualification.name,
            tooltip=lambda q: (f"{q.qualification.crebo} {q.qualification.name}\nDossier: {q.qualification.dossier}"
                               f"\n{q.qualification.kind.label}, niveau {q.qualification.niveau_label}")),
        Column("Niv.", lambda q: q.qualification.niveau, sort_key=lambda q: q.qualification.niveau, align=RIGHT,
            tooltip=lambda q: f"Niveau {q.qualification.niveau_label}"),
        Column("Instr.", lambda q: q.instrument_count or "", sort_key=lambda q: q.instrument_count, align=RIGHT,
            tooltip=lambda q: f"{counted(q.instrument_count, 'instrument')} in het register"),
        Column("Niet\nvalide", lambda q: q.invalid_count, sort_key=lambda q: q.invalid_count, badge=True,
            tooltip=lambda q: f"{counted(q.invalid_count, 'instrument')} niet valide vandaag"),
        Column("Routes", _route_choice_text, warn=lambda q: q.needs_route_choice,
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


def instrument_model(on: date, parent: Any = None) -> TableModel[InstrumentLine]:
    return TableModel([
        Column("Code", lambda x: x.instrument.code),
        Column("Titel", lambda x: x.instrument.title),
        Column("Onderdeel", lambda x: x.instrument.part),
        Column("F/S", lambda x: "F" if x.instrument.formative else "S",
            tooltip=lambda x: x.instrument.purpose_label),
        Column("Route", lambda x: f"{x.instrument.route}{' ⚑' if x.mismatch else ''}",
            sort_key=lambda x: x.instrument.route, warn=lambda x: x.mismatch is not None,
            tooltip=lambda x: x.mismatch or f"Route {x.instrument.route}"),
        Column("Leverancier", lambda x: supplier_label(x.supplier, on),
            warn=lambda x: x.supplier is not None and not x.supplier.certified_on(on)),
        Column("Status", lambda x: x.status.label, sort_key=lambda x: x.status.label,
            muted=lambda x: x.status in (Status.CONCEPT, Status.WITHDRAWN)),
        Column("Vandaag", validity_text, warn=lambda x: not x.verdict.valid, tooltip=lambda x: x.verdict.sentence),
    ], parent)


def supplier_model(on: date, counts: dict[str, int], parent: Any = None) -> TableModel[Supplier]:
    return TableModel([
        Column("Leverancier", lambda s: s.name),
        Column("Certificerende instelling", lambda s: s.authority),
        Column("Certificaatnummer", lambda s: s.certificate_number),
        Column("Gecertificeerd van", lambda s: format_date(s.certified_from),
            sort_key=lambda s: s.certified_from or date.min),
        Column("Gecertificeerd tot", lambda s: format_date(s.certified_until),
            sort_key=lambda s: s.certified_until or date.min, warn=lambda s: not s.certified_on(on)),
        Column("Certificaat", lambda s: s.certificate_sentence(on),
            warn=lambda s: not s.certified_on(on) or s.expires_within(on, 90)),
        Column("Instrumenten", lambda s: counts.get(s.id, 0), sort_key=lambda s: counts.get(s.id, 0), align=RIGHT),
    ], parent)
