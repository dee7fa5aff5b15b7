"""Uitwisselen → Persoonsgegevens: what personal data this PC still holds per session, the commission's
receipt for records it read, and the exam PC reading that receipt to forget those sessions (issue 18)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from examdesk.domain.clock import format_date
from examdesk.domain.errors import ExamDeskError
from examdesk.domain.plural import counted
from examdesk.domain.privacy import HeldSession
from examdesk.services.context import AppContext
from examdesk.services.privacy import ExamPcPrivacyService
from examdesk.ui.common import list_view, show_error
from examdesk.ui.save_dialog import ask_open_path, ask_save_path, file_name
from examdesk.ui.table_model import Column, TableModel


class HeldDataTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.service = ExamPcPrivacyService(ctx)
        layout = QVBoxLayout(self)
        intro = QLabel("Welke persoonsgegevens deze computer nog bewaart. Op een examenpc: lees het "
                       "ontvangstbewijs van de examencommissie in zodra zij het afnameverslag heeft; de "
                       "kandidaatgegevens van die afnames worden dan van deze computer verwijderd. Bij de "
                       "examencommissie: maak het ontvangstbewijs voor de geselecteerde afnames.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.total = QLabel("")
        layout.addWidget(self.total)
        self.model: TableModel[HeldSession] = TableModel([
            Column("datum", lambda h: format_date(date.fromisoformat(h.session_date))),
            Column("afname", lambda h: h.title),
            Column("kandidaten", lambda h: h.candidates),
            Column("gebeurtenissen", lambda h: h.events),
            Column("status", lambda h: f"verwijderd op {format_date(date.fromisoformat(h.forgotten_at[:10]))}"
                   if h.forgotten_at else "aanwezig"),
        ])
        self.table = list_view(self.model, name="heldData")
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.result = QLabel("")
        self.result.setWordWrap(True)
        row.addWidget(self.result, 1)
        self.make_button = QPushButton("Ontvangstbewijs maken…")
        self.read_button = QPushButton("Ontvangstbewijs inlezen…")
        row.addWidget(self.make_button)
        row.addWidget(self.read_button)
        layout.addLayout(row)
        self.make_button.clicked.connect(lambda: self.make_receipt())
        self.read_button.clicked.connect(lambda: self.read_receipt())

    def refresh(self) -> None:
        try:
            sessions, total = self.service.held_here()
        except ExamDeskError as exc:
            show_error(self, exc)
            return
        self.model.set_rows(sessions)
        self.total.setText(f"Op deze computer staan gegevens van {counted(total, 'kandidaat')}.")

    def make_receipt(self, out: Path | None = None) -> None:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        ids = [self.model.record(r).session_id for r in rows]
        if not ids:
            show_error(self, "Selecteer eerst de afnames waarvan het afnameverslag is ingelezen.", "Ontvangstbewijs")
            return
        if out is None:
            name, _ = ask_save_path(self, "Ontvangstbewijs opslaan",
                                    file_name(f"ontvangstbewijs afnames {format_date(self.ctx.clock().date())}",
                                              "ontvangstbewijs"), "Ontvangstbewijs (*.ontvangstbewijs)")
            if not name:
                return
            out = Path(name)
        try:
            path = self.service.export_receipt(ids, out)
        except ExamDeskError as exc:
            show_error(self, exc, "Ontvangstbewijs")
            return
        self.result.setText(f"Ontvangstbewijs gemaakt: {path.name}. Lees het in op de examenpc.")

    def read_receipt(self, path: Path | None = None) -> None:
        if path is None:
            name, _ = ask_open_path(self, "Ontvangstbewijs inlezen", "Ontvangstbewijs (*.ontvangstbewijs)")
            if not name:
                return
            path = Path(name)
        try:
            result = self.service.import_receipt(path)
        except ExamDeskError as exc:
            show_error(self, exc, "Ontvangstbewijs")
            return
        kept = "".join(f" Bewaard: {why}." for _sid, why in result.kept)
        self.result.setText(f"{result.sentence}{kept}")
        self.refresh()
