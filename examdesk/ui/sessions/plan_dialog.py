"""Planning a session (examenbureau): kind, instrument or central exam, date and times, room, variant and
afnameperiode, the late-admission limit, invigilators, and the candidates with their workstations."""

from __future__ import annotations

from datetime import date, time
from typing import Any

from PySide6.QtCore import QDate, Qt, QTime
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTimeEdit,
    QWidget,
)

from examdesk.domain.candidates import Candidate
from examdesk.domain.errors import ExamDeskError, ValidationError
from examdesk.domain.planning import PlanWarning
from examdesk.domain.sessions import CENTRAL_EXAMS, PlanDraft, SessionPlan, duration_between
from examdesk.services.candidates import CandidateService
from examdesk.services.context import AppContext
from examdesk.services.sessions import LocationService, SessionService
from examdesk.ui.common import elide_headers, wrap_lines
from examdesk.ui.dialogs import FormDialog, mark_search_field
from examdesk.ui.fields import calendar_date, select_on_focus
from examdesk.ui.house_style import house_spin


class PlanDialog(FormDialog):
    """Planning a session (examenbureau): every field of the issue; workstations automatic or typed."""

    def __init__(self, ctx: AppContext, plan: SessionPlan | None, parent: QWidget | None = None):
        super().__init__(parent, "Afname wijzigen" if plan else "Nieuwe afname")
        self.ctx = ctx
        self.plan = plan
        self.service = SessionService(ctx)
        self.people = CandidateService(ctx)
        form = self.form

        kind_row = QHBoxLayout()
        self.central = QRadioButton("centraal examen")
        self.institution = QRadioButton("instellingsexamen (instrument uit het register)")
        kind_row.addWidget(self.central)
        kind_row.addWidget(self.institution)
        form.addRow("Soort", kind_row)
        self.exam = QComboBox()
        for code, name in CENTRAL_EXAMS.items():
            self.exam.addItem(f"{name} ({code})", code)
        form.addRow("Centraal examen", self.exam)
        self.instrument = QComboBox()
        self.instrument.setEditable(True)
        self.instrument.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for choice in self.service.instrument_choices():
            self.instrument.addItem(choice.label, choice.id)
        self.instrument.completer().setFilterMode(Qt.MatchFlag.MatchContains)
        self.instrument.completer().setCompletionMode(self.instrument.completer().CompletionMode.PopupCompletion)
        form.addRow("Instrument", self.instrument)

        self.date = calendar_date()
        today = ctx.clock().date()
        self.date.setDate(QDate(today.year, today.month, today.day))
        self.start = house_spin(QTimeEdit(QTime(9, 0)))
        self.start.setDisplayFormat("HH:mm")
        self.end = house_spin(QTimeEdit(QTime(11, 0)))
        self.end.setDisplayFormat("HH:mm")
        for edit in (self.start, self.end):
            select_on_focus(edit)   # typed digits go in at once, as in session mode's time fields
        times = QHBoxLayout()
        times.addWidget(self.date)
        times.addWidget(QLabel("van"))
        times.addWidget(self.start)
        times.addWidget(QLabel("tot"))
        times.addWidget(self.end)
        times.addStretch(1)
        form.addRow("Datum en tijd", times)

        self.room = QComboBox()
        for room in LocationService(ctx).rooms():
            self.room.addItem(f"{room.label} · {room.workstations} werkplekken", room.id)
        form.addRow("Lokaal", self.room)
        self.variant = QLineEdit()
        self.period = QLineEdit()
        form.addRow("Examenvariant", self.variant)
        form.addRow("Afnameperiode", self.period)
        self.late = house_spin(QSpinBox())
        self.late.setRange(0, 30)
        self.late.setSuffix(" min na de start")
        self.late.setValue(self.service.default_late_limit())
        form.addRow("Te laat toelaten tot", self.late)

        self.invigilators = QListWidget()
        self.invigilators.setMaximumHeight(110)
        for user in self.service.invigilator_choices():
            item = QListWidgetItem(user.full_name)
            item.setData(Qt.ItemDataRole.UserRole, user.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.invigilators.addItem(item)
        form.addRow("Surveillanten", self.invigilators)

        pick = QHBoxLayout()
        crebos, cohorts = self.people.filters()
        self.crebo = QComboBox()
        self.crebo.addItem("alle kwalificaties", "")
        for c in crebos:
            self.crebo.addItem(c, c)
        self.cohort = QComboBox()
        self.cohort.addItem("alle cohorten", "")
        for c in cohorts:
            self.cohort.addItem(c, c)
        self.candidate_search = QLineEdit()
        self.candidate_search.setPlaceholderText("naam of studentnummer; Enter gaat naar de gevonden kandidaten")
        mark_search_field(self.candidate_search, self._to_found)
        add_all = QPushButton("Alle gevonden toevoegen")
        pick.addWidget(self.crebo)
        pick.addWidget(self.cohort)
        pick.addWidget(self.candidate_search, 1)
        pick.addWidget(add_all)
        form.addRow("Kandidaten zoeken", pick)
        self.found = wrap_lines(QListWidget())   # at 200 % a line is wider than the field
        self.found.setMaximumHeight(120)
        form.addRow("Gevonden (Enter of dubbelklik voegt toe)", self.found)
        self.roster = elide_headers(QTableWidget(0, 3))
        self.roster.setHorizontalHeaderLabels(["pc", "kandidaat", "studentnummer"])
        self.roster.horizontalHeaderItem(0).setToolTip("Werkplek; leeg laten en ExamDesk nummert zelf")
        self.roster.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.roster.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.roster.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.roster.verticalHeader().setVisible(False)
        form.addRow("In deze afname\n(pc leeg = automatisch;\nDelete haalt weg)", self.roster)

        self.central.toggled.connect(self._kind_changed)
        self.crebo.currentIndexChanged.connect(self._search)
        self.cohort.currentIndexChanged.connect(self._search)
        self.candidate_search.textChanged.connect(self._search)
        self.found.itemActivated.connect(lambda item: self._add([item.data(Qt.ItemDataRole.UserRole)]))
        add_all.clicked.connect(lambda: self._add([self.found.item(i).data(Qt.ItemDataRole.UserRole)
                                                   for i in range(self.found.count())]))
        self.central.setChecked(True)
        self._period_suggested = False
        self.period.textEdited.connect(lambda _t: setattr(self, "_period_suggested", False))
        self.date.dateChanged.connect(lambda _d: self._suggest_period())
        self.exam.currentIndexChanged.connect(lambda _i: self._suggest_period())
        self.central.toggled.connect(lambda _on: self._suggest_period())
        if plan is not None:
            self._load(plan)
        else:
            self._suggest_period()
        self._search()
        self.resize(900, 820)   # fitted to the screen when shown

    def keyPressEvent(self, event: Any) -> None:  # noqa: N802 (Qt API)
        if event.key() == Qt.Key.Key_Delete and self.roster.hasFocus():
            for row in sorted({i.row() for i in self.roster.selectedIndexes()}, reverse=True):
                self.roster.removeRow(row)
            return
        super().keyPressEvent(event)

    def _kind_changed(self, central: bool) -> None:
        self.exam.setEnabled(central)
        self.instrument.setEnabled(not central)
        self.period.setPlaceholderText("verplicht bij een centraal examen" if central else "")

    def _search(self) -> None:
        self.found.clear()
        try:
            found = self.people.search(self.candidate_search.text(), self.crebo.currentData() or "",
                                       self.cohort.currentData() or "")
        except ExamDeskError:
            return
        taken = self._roster_ids()
        for c in found[:300]:
            if c.id in taken:
                continue
            item = QListWidgetItem(f"{c.sort_name} ({c.student_number}) · {c.crebo} · {c.cohort} · {c.group_label}")
            item.setData(Qt.ItemDataRole.UserRole, c)
            self.found.addItem(item)

    def _roster_ids(self) -> set[int]:
        return {self.roster.item(r, 1).data(Qt.ItemDataRole.UserRole) for r in range(self.roster.rowCount())}

    def _add(self, candidates: list[Candidate], stations: dict[int, int] | None = None) -> None:
        taken = self._roster_ids()
        for c in candidates:
            if c.id in taken:
                continue
            row = self.roster.rowCount()
            self.roster.insertRow(row)
            pc = QTableWidgetItem(str(stations[c.id]) if stations and c.id in stations else "")
            name = QTableWidgetItem(c.full_name)
            name.setData(Qt.ItemDataRole.UserRole, c.id)
            name.setFlags(name.flags() & ~Qt.ItemFlag.ItemIsEditable)
            number = QTableWidgetItem(c.student_number)
            number.setFlags(number.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.roster.setItem(row, 0, pc)
            self.roster.setItem(row, 1, name)
            self.roster.setItem(row, 2, number)
        self._search()

    def _load(self, plan: SessionPlan) -> None:
        (self.central if plan.exam_kind == "centraal" else self.institution).setChecked(True)
        if plan.central_exam:
            self.exam.setCurrentIndex(self.exam.findData(plan.central_exam))
        if plan.instrument_id:
            self.instrument.setCurrentIndex(self.instrument.findData(plan.instrument_id))
        d = plan.session_date
        self.date.setDate(QDate(d.year, d.month, d.day))
        self.start.setTime(QTime(plan.starts_at.hour, plan.starts_at.minute))
        end = plan.planned_end
        self.end.setTime(QTime(end.hour, end.minute))
        self.room.setCurrentIndex(self.room.findData(plan.room_id))
        self.variant.setText(plan.variant)
        self.period.setText(plan.period)
        self.late.setValue(plan.late_limit_minutes)
        chosen = {uid for uid, _ in plan.invigilators}
        for i in range(self.invigilators.count()):
            item = self.invigilators.item(i)
            if item.data(Qt.ItemDataRole.UserRole) in chosen:
                item.setCheckState(Qt.CheckState.Checked)
        roster = self.service.roster(plan.id)
        found = self.people.by_ids([r.candidate_id for r in roster])    # list lines, not files: not audited
        self._add(list(found.values()), {r.candidate_id: r.workstation for r in roster})

    def draft(self) -> PlanDraft:
        start = self.start.time()
        end = self.end.time()
        duration = duration_between(time(start.hour(), start.minute()), time(end.hour(), end.minute()))
        candidates = []
        for r in range(self.roster.rowCount()):
            text = self.roster.item(r, 0).text().strip() if self.roster.item(r, 0) else ""
            if text and not text.isdigit():
                raise ValidationError(f"Werkplek '{text}' is geen nummer.")
            candidates.append((self.roster.item(r, 1).data(Qt.ItemDataRole.UserRole), int(text) if text else None))
        qd = self.date.date()
        central = self.central.isChecked()
        return PlanDraft(
            exam_kind="centraal" if central else "instelling", session_date=date(qd.year(), qd.month(), qd.day()),
            start=time(start.hour(), start.minute()), duration_minutes=duration,
            room_id=self.room.currentData() or 0, late_limit_minutes=self.late.value(),
            central_exam=self.exam.currentData() if central else None,
            instrument_id=None if central else self.instrument.currentData(), variant=self.variant.text(),
            period=self.period.text(),
            invigilator_ids=tuple(self.invigilators.item(i).data(Qt.ItemDataRole.UserRole)
                                  for i in range(self.invigilators.count())
                                  if self.invigilators.item(i).checkState() == Qt.CheckState.Checked),
            candidates=tuple(candidates))

    def submit(self) -> SessionPlan:
        """Checks first; warnings (a start in the past, outside the afnameperiode, extra time capped, …)
        are shown and planned only when the planner confirms them."""
        session_id = self.plan.id if self.plan else None
        draft = self.draft()
        warnings = self.service.check_plan(draft, session_id)
        if warnings and not self.ask(warnings):
            raise ValidationError("Niet opgeslagen: " + " ".join(w.text for w in warnings))
        self.saved = self.service.plan(draft, session_id, confirmed=warnings)
        return self.saved

    def _to_found(self) -> None:
        """Enter in the search: to the first candidate found, where Enter adds it."""
        if self.found.count():
            self.found.setCurrentRow(0)
            self.found.setFocus()

    def ask(self, warnings: tuple[PlanWarning, ...]) -> bool:
        box = QMessageBox(QMessageBox.Icon.Warning, "Afname plannen",
                          "Let op bij deze afname:\n\n" + "\n\n".join(f"• {w.text}" for w in warnings)
                          + "\n\nToch plannen? De waarschuwingen worden bij de afname bewaard.", parent=self)
        yes = box.addButton("Toch plannen", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("Terug", QMessageBox.ButtonRole.RejectRole)
        box.exec()
        return box.clickedButton() is yes

    def _suggest_period(self) -> None:
        """A central exam's afnameperiode from the known periods, unless the planner typed one."""
        if not self.central.isChecked() or (self.period.text().strip() and not self._period_suggested):
            return
        qd = self.date.date()
        try:
            text = self.service.suggested_period(self.exam.currentData(), date(qd.year(), qd.month(), qd.day()))
        except ExamDeskError:
            return
        self.period.setText(text)
        self._period_suggested = True
