"""The Afnameperiodes tab of the Afnames screen: the periods in which the central exams are taken, per
school year, exam and week. The 2014-2015 tijdvakken ship with ExamDesk; the examenbureau adds newer
ones from the Examenblad, by hand or from a CSV/XLSX in the same shape."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from examdesk.domain.clock import format_date
from examdesk.domain.errors import ExamDeskError, ValidationError
from examdesk.domain.exam_periods import EXAM_NAMES, ExamWindow
from examdesk.domain.register import school_year_of
from examdesk.domain.roles import Action
from examdesk.services.context import AppContext
from examdesk.services.exam_periods import ExamPeriodService
from examdesk.ui.common import hint_label, list_view, show_error
from examdesk.ui.dialogs import FormDialog
from examdesk.ui.fields import date_edit, pydate
from examdesk.ui.house_style import house_spin
from examdesk.ui.save_dialog import ask_open_path
from examdesk.ui.table_model import Column, TableModel


class ExamPeriodsTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.service = ExamPeriodService(ctx)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.year = QComboBox()
        top.addWidget(QLabel("Schooljaar"))
        top.addWidget(self.year)
        top.addStretch(1)
        self.import_button = QPushButton("&Importeren…")
        self.new_button = QPushButton("&Nieuwe periode…")
        for button in (self.import_button, self.new_button):
            button.setVisible(ctx.can(Action.PLAN_SESSION))
            top.addWidget(button)
        layout.addLayout(top)
        hint = hint_label("Een centraal examen buiten zijn afnameperiode wordt bij het plannen gemeld. Neem nieuwe periodes "
                      "over van het Examenblad; een CSV heeft de kolommen studiejaar, periode, periode_van, periode_tm, "
                      "week en examen.")
        layout.addWidget(hint)
        self.model: TableModel[ExamWindow] = TableModel([
            Column("schooljaar", lambda w: w.school_year), Column("periode", lambda w: w.period),
            Column("van", lambda w: format_date(w.starts_on)), Column("tot en met", lambda w: format_date(w.ends_on)),
            Column("examen", lambda w: EXAM_NAMES.get(w.exam, w.exam)), Column("week", lambda w: w.week or "hele periode"),
            Column("bron", lambda w: w.source),
        ])
        self.table = list_view(self.model)
        layout.addWidget(self.table, 1)
        self.year.currentIndexChanged.connect(lambda _i: self._fill())
        self.import_button.clicked.connect(self.import_file)
        self.new_button.clicked.connect(self.new_period)

    def refresh(self) -> None:
        try:
            windows = self.service.windows()
        except ExamDeskError as exc:
            show_error(self, exc)
            return
        years = sorted({w.school_year for w in windows} | {school_year_of(self.ctx.clock().date())}, reverse=True)
        current = self.year.currentData() or school_year_of(self.ctx.clock().date())
        self.year.blockSignals(True)
        self.year.clear()
        for y in years:
            self.year.addItem(y, y)
        self.year.setCurrentIndex(max(0, self.year.findData(current)))
        self.year.blockSignals(False)
        self._windows = windows
        self._fill()

    def _fill(self) -> None:
        year = self.year.currentData()
        self.model.set_rows([w for w in getattr(self, "_windows", []) if w.school_year == year])

    def import_file(self) -> None:
        path, _ = ask_open_path(self, "Afnameperiodes importeren", "Afnameperiodes (*.csv *.txt *.xlsx)")
        if not path:
            return
        try:
            result = self.service.import_file(Path(path))
        except ExamDeskError as exc:
            show_error(self, exc)
            return
        self.refresh()
        QMessageBox.information(self, "Afnameperiodes importeren", result.sentence)

    def new_period(self) -> None:
        if PeriodDialog(self.service, self.year.currentData() or school_year_of(self.ctx.clock().date()),
                        self).exec():
            self.refresh()


class PeriodDialog(FormDialog):
    """One exam in one afnameperiode; weeks as the Examenblad lists them ('44, 45'), or empty for the
    whole period."""

    def __init__(self, service: ExamPeriodService, school_year: str, parent: QWidget | None = None):
        super().__init__(parent, "Nieuwe afnameperiode",
                         "Neem de periode over zoals het College voor Toetsen en Examens haar publiceert.")
        self.service = service
        self.school_year = self.field("&Schooljaar", school_year, placeholder="bijvoorbeeld 2026-2027")
        self.period = house_spin(QSpinBox())
        self.period.setRange(1, 9)
        self.form.addRow("&Periode", self.period)
        start = date(int(school_year[:4]), 10, 1) if school_year[:4].isdigit() else date.today()
        self.starts_on = date_edit(start)
        self.ends_on = date_edit(start)
        self.form.addRow("&Van", self.starts_on)
        self.form.addRow("&Tot en met", self.ends_on)
        self.exam = QComboBox()
        for code, name in EXAM_NAMES.items():
            self.exam.addItem(name, code)
        self.form.addRow("&Examen", self.exam)
        self.weeks = QLineEdit()
        self.weeks.setPlaceholderText("weeknummers, bijvoorbeeld 44, 45 (leeg: de hele periode)")
        self.form.addRow("&Weken", self.weeks)
        self.added: list[ExamWindow] = []

    def submit(self) -> None:
        text = self.weeks.text().replace(";", ",").strip()
        parts = [w.strip() for w in text.split(",") if w.strip()]
        if any(not w.isdigit() for w in parts):
            raise ValidationError(f"'{text}' zijn geen weeknummers; schrijf bijvoorbeeld 44, 45.")
        weeks: list[int | None] = [int(w) for w in parts] or [None]
        self.added = self.service.add(*(ExamWindow(
            self.school_year.text().strip(), self.period.value(), pydate(self.starts_on.date()),
            pydate(self.ends_on.date()), self.exam.currentData(), week, "ingevoerd door het examenbureau")
            for week in weeks))
