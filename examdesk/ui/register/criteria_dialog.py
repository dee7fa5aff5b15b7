"""The five criteria of bijlage 2 A and the expertise of 2 B for a route-2 instrument, recorded before
the commission adopts it."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QWidget

from examdesk.domain.clock import format_date
from examdesk.domain.register import Criterion, CriterionCheck, Instrument, latest_checks
from examdesk.services.register import RegisterService
from examdesk.ui.dialogs import FormDialog
from examdesk.ui.fields import date_edit, pydate


class CriteriaDialog(FormDialog):
    """The five criteria of bijlage 2 A and the expertise of 2 B for a route-2 instrument: per criterion
    met or not, who checked it, when, and a note. Each change is recorded as a new check (nothing is
    overwritten); the commission can adopt the instrument once all six are met."""

    def __init__(self, parent: QWidget | None, service: RegisterService, instrument: Instrument,
                 checks: list[CriterionCheck]):
        super().__init__(parent, f"Criteria bijlage 2 · {instrument.code}", ok_text="Vastleggen")
        self.setMinimumWidth(760)
        self.service = service
        self.instrument = instrument
        today = service.today()
        intro = QLabel(f"<b>{instrument.code}</b> – {instrument.title} (route 2, zelf geconstrueerd).<br>Vóór de "
                       "vaststelling legt u per criterium vast of het is voldaan, wie dat heeft getoetst, wanneer, en "
                       "waaruit het blijkt. Een nieuwe toetsing vervangt de vorige; de geschiedenis blijft bewaard.")
        intro.setWordWrap(True)
        self.form.addRow(intro)
        latest = latest_checks(checks, today)
        self.checked_by = QLineEdit(next(iter(latest.values())).checked_by if latest else "")
        self.checked_by.setPlaceholderText("naam en functie van wie toetste (bijvoorbeeld de vaststeller)")
        self.on = date_edit(today, today)
        self.form.addRow("Getoetst &door", self.checked_by)
        self.form.addRow("&Datum", self.on)
        self.rows: dict[Criterion, tuple[QComboBox, QLineEdit, dict[str, Any]]] = {}
        for criterion in Criterion:
            current = latest.get(criterion)
            state = QComboBox()
            state.addItem("— niet getoetst —", None)
            state.addItem("voldaan", True)
            state.addItem("niet voldaan", False)
            state.setCurrentIndex(0 if current is None else (1 if current.met else 2))
            note = QLineEdit(current.note if current else "")
            note.setPlaceholderText("waaruit blijkt het / wat ontbreekt")
            row = QWidget()
            line = QHBoxLayout(row)
            line.setContentsMargins(0, 0, 0, 0)
            line.addWidget(state)
            line.addWidget(note, 1)
            label = QLabel(f"{criterion.value} {criterion.label}")
            label.setWordWrap(True)
            label.setToolTip(criterion.source)
            since = (f"laatst: {'voldaan' if current.met else 'niet voldaan'}, {format_date(current.checked_on)}, "
                     f"{current.checked_by}") if current else "nog niet getoetst"
            row.setToolTip(f"{criterion.source}\n\n{since}")
            self.form.addRow(label, row)
            self.rows[criterion] = (state, note, {"met": current.met if current else None,
                                                  "note": current.note if current else ""})

    def changed(self) -> list[tuple[Criterion, bool, str]]:
        """The criteria whose state or note the user changed (only those are recorded again)."""
        result = []
        for criterion, (state, note, before) in self.rows.items():
            met = state.currentData()
            if met is None:
                continue
            if met != before["met"] or note.text().strip() != before["note"]:
                result.append((criterion, bool(met), note.text()))
        return result

    def submit(self) -> list[CriterionCheck]:
        recorded = []
        for criterion, met, note in self.changed():
            recorded.append(self.service.record_criterion(self.instrument.id, criterion, met, self.checked_by.text(),
                                                          pydate(self.on.date()), note))
        return recorded
