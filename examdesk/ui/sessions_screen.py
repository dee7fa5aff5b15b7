"""The Afnames screen: sessions by date with status and filters (detail on the right), the candidates
with their import, and the locations and rooms. Session mode opens from here for invigilators."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from PySide6.QtCore import QDate, Qt, QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from examdesk.domain.candidates import FACILITIES, TARGET_GROUPS, Candidate
from examdesk.domain.clock import format_date, format_time
from examdesk.domain.errors import ExamDeskError, ValidationError
from examdesk.domain.planning import PlanWarning
from examdesk.domain.roles import Action
from examdesk.domain.session_state import (
    SessionAction,
    SessionFacts,
    SessionStatus,
    available_session_actions,
)
from examdesk.domain.sessions import (
    CENTRAL_EXAMS,
    PlanDraft,
    SessionFilter,
    SessionPlan,
    duration_between,
)
from examdesk.services.candidates import CandidateService, read_table
from examdesk.services.context import AppContext
from examdesk.services.ids import short_id
from examdesk.services.incident_desk import IncidentDeskService
from examdesk.services.session_mode import SessionModeService
from examdesk.services.sessions import LocationService, SessionService
from examdesk.ui.candidate_import_dialog import ImportDialog
from examdesk.ui.common import BaseDialog, fit_to_screen, list_view, show_error
from examdesk.ui.end_time_dialog import EndTimeDialog
from examdesk.ui.exam_periods_tab import ExamPeriodsTab
from examdesk.ui.grade_determination_dialog import GradeDeterminationButton
from examdesk.ui.location_dialogs import LocationDialog, RoomDialog
from examdesk.ui.procesverbaal_panel import ProcesverbaalPanel
from examdesk.ui.table_models import ListTableModel

DATE_FILTERS = (("alle datums", ""), ("vandaag", "vandaag"), ("vanaf vandaag", "toekomst"),
                ("voor vandaag", "verleden"))


class SessionsScreen(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.sessions = SessionService(ctx)
        self.mode_window: QWidget | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        self.tabs = QTabWidget()
        layout.addWidget(self.tabs)

        # --- sessions ---
        page = QWidget()
        page_layout = QVBoxLayout(page)
        filters = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText("zoek op afname, lokaal, variant of periode")
        self.date_filter = QComboBox()
        for label, value in DATE_FILTERS:
            self.date_filter.addItem(label, value)
        self.status_filter = QComboBox()
        self.status_filter.addItem("alle statussen", "")
        for status in SessionStatus:
            self.status_filter.addItem(status.label, status.value)
        self.flagged_only = QCheckBox("alleen ⚠ instrument niet valide")
        self.flagged_only.setToolTip("Geplande afnames waarvan het instrument na het plannen is ingetrokken, gewijzigd "
                                     "of onder voorbehoud staat, of waarvan het certificaat van de leverancier verloopt")
        filters.addWidget(self.search, 1)
        filters.addWidget(self.date_filter)
        filters.addWidget(self.status_filter)
        filters.addWidget(self.flagged_only)
        page_layout.addLayout(filters)
        self.flags: dict[str, str] = {}

        self.model: ListTableModel[SessionPlan] = ListTableModel([
            ("datum", lambda p: format_date(p.session_date)),
            ("tijd", lambda p: f"{format_time(p.starts_at)}–{format_time(p.planned_end)}"),
            ("status", lambda p: SessionStatus(p.status).label),
            ("afname", lambda p: ("⚠ " if p.id in self.flags else "") + p.title
             + (f" · variant {p.variant}" if p.variant else "")),
            ("soort", lambda p: "centraal" if p.exam_kind == "centraal" else "instelling"),
            ("lokaal", lambda p: p.room_label.removeprefix("lokaal ").split(" (")[0]),
            ("kand.", lambda p: p.candidate_count),
            ("surveillanten", lambda p: p.invigilator_names),
            ("id", lambda p: short_id(p.id)),   # what the exchange and report commands accept
        ])
        self.table = list_view(self.model)
        head = self.table.horizontalHeader()
        head.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        for column, width in ((3, 260), (7, 150)):  # the exam and the names stay legible; long ones elide
            head.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            head.resizeSection(column, width)
        head.setStretchLastSection(True)
        self.table.doubleClicked.connect(lambda _i: self.open_session_mode())
        self.table.activated.connect(lambda _i: self.open_session_mode())

        detail = QWidget()
        detail_layout = QVBoxLayout(detail)
        detail_layout.setContentsMargins(12, 0, 0, 0)
        self.detail_title = QLabel("")
        self.detail_title.setObjectName("ScreenTitle")
        self.detail_title.setWordWrap(True)
        self.detail = QLabel("Kies een afname.")
        self.detail.setWordWrap(True)
        self.detail.setTextFormat(Qt.TextFormat.PlainText)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.detail_log = QListWidget()
        detail_layout.addWidget(self.detail_title)
        detail_layout.addWidget(self.detail)
        detail_layout.addWidget(QLabel("Verslag"))
        detail_layout.addWidget(self.detail_log, 1)
        self.procesverbaal = ProcesverbaalPanel(ctx)
        detail_layout.addWidget(self.procesverbaal)
        buttons = QHBoxLayout()
        self.run_button = QPushButton("Sessiemodus openen (Enter)")
        self.plan_button = QPushButton("Nieuwe afname…")
        self.edit_button = QPushButton("Wijzigen…")
        self.cancel_button = QPushButton("Annuleren…")
        self.reopen_button = QPushButton("Heropenen…")
        self.end_time_button = QPushButton("Eindtijd verlengen…")
        self.end_time_button.setToolTip("Besluit van de examencommissie: meer tijd voor een (te laat gekomen) "
                                        "kandidaat (examenprotocol, punt 14)")
        for button, action in ((self.run_button, Action.RUN_SESSION), (self.plan_button, Action.PLAN_SESSION),
                               (self.edit_button, Action.PLAN_SESSION), (self.cancel_button, Action.PLAN_SESSION),
                               (self.reopen_button, Action.REOPEN_SESSION),
                               (self.end_time_button, Action.DECIDE_INCIDENT)):
            button.setVisible(ctx.can(action))
            buttons.addWidget(button)
        self.results_button = GradeDeterminationButton(ctx, self, on_saved=self._show_detail)
        buttons.addWidget(self.results_button)
        buttons.addStretch(1)
        detail_layout.addLayout(buttons)
        self.run_button.clicked.connect(self.open_session_mode)
        self.plan_button.clicked.connect(lambda: self.plan_dialog(None))
        self.edit_button.clicked.connect(lambda: self.plan_dialog(self.current()))
        self.cancel_button.clicked.connect(self.cancel_session)
        self.reopen_button.clicked.connect(self.reopen_session)
        self.end_time_button.clicked.connect(self.extend_end_time)

        split = QSplitter()
        split.addWidget(self.table)
        split.addWidget(detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([1000, 460])
        page_layout.addWidget(split, 1)
        self.tabs.addTab(page, "Afnames")

        # An invigilator sees their own sessions only: no candidate files, no school-wide lists (issue 11).
        self.candidates_tab = CandidatesTab(ctx) if ctx.can(Action.VIEW_CANDIDATES) else None
        self.locations_tab = LocationsTab(ctx) if ctx.can(Action.VIEW_ALL_SESSIONS) else None
        if self.candidates_tab is not None:
            self.tabs.addTab(self.candidates_tab, "Kandidaten")
        if self.locations_tab is not None:
            self.tabs.addTab(self.locations_tab, "Locaties en lokalen")

        # the planners' reference; an invigilator runs the sessions they are given and needs none of it
        self.periods_tab = ExamPeriodsTab(ctx) if ctx.can(Action.VIEW_ALL_SESSIONS) else None
        if self.periods_tab is not None:
            self.tabs.addTab(self.periods_tab, "Afnameperiodes")

        self.search.textChanged.connect(self.refresh)
        self.date_filter.currentIndexChanged.connect(self.refresh)
        self.status_filter.currentIndexChanged.connect(self.refresh)
        self.flagged_only.toggled.connect(lambda _on: self.refresh())
        self.table.selectionModel().currentRowChanged.connect(lambda _a, _b: self._show_detail())
        self.tabs.currentChanged.connect(lambda _i: self._refresh_tab())

    # --- extension-point API -----------------------------------------------------------------
    def refresh(self) -> None:
        today = self.ctx.clock().date()
        which = self.date_filter.currentData()
        f = SessionFilter(
            date_from=today.isoformat() if which in ("vandaag", "toekomst") else "",
            date_to=today.isoformat() if which == "vandaag" else (
                (today - timedelta(days=1)).isoformat() if which == "verleden" else ""),
            status=self.status_filter.currentData() or "", text=self.search.text().strip())
        try:
            plans = self.sessions.list(f)
        except ExamDeskError as exc:
            show_error(self, exc)
            return
        if which == "toekomst":
            plans = [p for p in plans if p.status != SessionStatus.AFGESLOTEN]
        try:
            self.flags = self.sessions.instrument_flags(plans)
        except ExamDeskError:
            self.flags = {}
        if self.flagged_only.isChecked():
            plans = [p for p in plans if p.id in self.flags]
        current = self.current()
        self.model.set_rows(plans)
        keep = current.id if current is not None else next((p.id for p in plans if p.status == SessionStatus.BEZIG), None)
        for row, p in enumerate(plans):
            if p.id == keep:
                self.table.selectRow(row)
        self._show_detail()

    def apply_filter(self, filter: dict[str, Any]) -> None:
        """From the Overzicht card: {'datum': 'vandaag'|'toekomst', 'status': 'bezig'|…,
        'instrument_niet_valide': True}."""
        self.tabs.setCurrentIndex(0)
        self.flagged_only.blockSignals(True)
        self.flagged_only.setChecked(bool(filter.get("instrument_niet_valide")))
        self.flagged_only.blockSignals(False)
        date_value = filter.get("datum", "")
        for i in range(self.date_filter.count()):
            if self.date_filter.itemData(i) == date_value:
                self.date_filter.setCurrentIndex(i)
        status = filter.get("status", "")
        for i in range(self.status_filter.count()):
            if self.status_filter.itemData(i) == status:
                self.status_filter.setCurrentIndex(i)
        self.refresh()

    def _refresh_tab(self) -> None:
        widget = self.tabs.currentWidget()
        if hasattr(widget, "refresh"):
            widget.refresh()
        if widget is self.tabs.widget(0):
            self.refresh()

    # --- detail --------------------------------------------------------------------------------
    def current(self) -> SessionPlan | None:
        index = self.table.currentIndex() if hasattr(self, "table") else None
        if index is None or not index.isValid() or index.row() >= len(self.model.rows):
            return None
        return self.model.record(index.row())

    def _show_detail(self) -> None:
        plan = self.current()
        self.detail_log.clear()
        if plan is None:
            self.detail_title.setText("")
            self.detail.setText("Kies een afname.")
            for b in (self.run_button, self.edit_button, self.cancel_button, self.reopen_button,
                      self.end_time_button):
                b.setEnabled(False)
            self.procesverbaal.show_session(None)
            self.results_button.show_session(None)
            return
        self.detail_title.setText(plan.title)
        lines = [
            f"{plan.kind_label} · {format_date(plan.session_date)} · {format_time(plan.starts_at)}–"
            f"{format_time(plan.planned_end)} ({plan.duration_minutes} min)",
            f"{plan.room_label}",
            f"Variant: {plan.variant or '—'} · afnameperiode: {plan.period or '—'}",
            f"Te laat toegelaten tot {plan.late_limit_minutes} minuten na de start",
            f"Surveillanten: {plan.invigilator_names or '—'}",
            f"Kandidaten: {plan.candidate_count} · status: {SessionStatus(plan.status).label}",
        ]
        if plan.id in self.flags:
            lines.append(f"⚠ Het instrument is op de datum van de afname niet valide: {self.flags[plan.id]}")
        try:
            notes = self.sessions.planning_notes(plan.id)
        except ExamDeskError:
            notes = []
        for kind, text, _at, by in notes:
            lines.append(("Bij het plannen bevestigd" if kind == "waarschuwing" else "Afwijking") + f" ({by}): {text}")
        self.detail.setText("\n".join(lines))
        try:
            mode = SessionModeService(self.ctx, plan.id)
            state = mode.state()
        except ExamDeskError:
            state = None
        if state is not None:
            for line in state.log:
                text = f"{format_time(line.at)}  {line.text} — {mode.display_name(line.username)}"
                if line.corrected:
                    text += " (gecorrigeerd)"
                if line.voided:
                    text += " (vervallen)"
                self.detail_log.addItem(text)
        mine = self.ctx.user is not None and self.ctx.user.id in {uid for uid, _ in plan.invigilators}
        actions = available_session_actions(SessionFacts(
            SessionStatus(plan.status), has_events=state is not None and bool(state.log),
            started=state is not None and state.started_at is not None, invigilator=mine))
        for button, action in ((self.run_button, SessionAction.RUN), (self.edit_button, SessionAction.EDIT),
                               (self.cancel_button, SessionAction.CANCEL), (self.reopen_button, SessionAction.REOPEN),
                               (self.end_time_button, SessionAction.DECIDE_END_TIME)):
            button.setEnabled(action in actions)
            button.setToolTip(actions.why_not.get(action, ""))
        self.procesverbaal.show_session(plan.id, plan.status)
        self.results_button.show_session(plan)

    # --- actions -------------------------------------------------------------------------------
    def open_session_mode(self) -> None:
        plan = self.current()
        if plan is None or not self.ctx.can(Action.RUN_SESSION):
            return
        if self.ctx.user.id not in {uid for uid, _ in plan.invigilators}:
            show_error(self, "U bent geen surveillant van deze afname.")
            return
        from examdesk.ui.session_mode import SessionModeWindow

        try:
            window = SessionModeWindow(self.ctx, plan.id)
        except ExamDeskError as exc:
            show_error(self, exc)
            return
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        window.destroyed.connect(lambda *_: self.refresh())
        self.mode_window = window
        window.show_full()

    def plan_dialog(self, plan: SessionPlan | None) -> None:
        dialog = PlanDialog(self.ctx, plan, self)
        if dialog.exec():
            self.refresh()

    def cancel_session(self) -> None:
        plan = self.current()
        if plan is None:
            return
        reason, ok = QInputDialog.getText(self, "Afname annuleren", f"Reden om '{plan.title}' te annuleren:")
        if not ok:
            return
        try:
            self.sessions.cancel(plan.id, reason)
        except ExamDeskError as exc:
            show_error(self, exc)
        self.refresh()

    def extend_end_time(self) -> None:
        plan = self.current()
        if plan is None:
            return
        mode = SessionModeService(self.ctx, plan.id)
        if EndTimeDialog(mode, mode.state(), self).exec():
            self.refresh()

    def reopen_session(self) -> None:
        plan = self.current()
        if plan is None:
            return
        reason, ok = QInputDialog.getText(self, "Afname heropenen",
                                          "Reden (komt in het verslag van de afname):")
        if not ok:
            return
        try:
            SessionModeService(self.ctx, plan.id).reopen(reason)
        except ExamDeskError as exc:
            show_error(self, exc)
        self.refresh()


class PlanDialog(BaseDialog):
    """Planning a session (examenbureau): every field of the issue; workstations automatic or typed."""

    def __init__(self, ctx: AppContext, plan: SessionPlan | None, parent: QWidget | None = None):
        super().__init__(parent, "Afname wijzigen" if plan else "Nieuwe afname")
        self.ctx = ctx
        self.plan = plan
        self.service = SessionService(ctx)
        self.people = CandidateService(ctx)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        layout.addLayout(form)

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

        self.date = QDateEdit()
        self.date.setDisplayFormat("dd-MM-yyyy")
        self.date.setCalendarPopup(True)
        today = ctx.clock().date()
        self.date.setDate(QDate(today.year, today.month, today.day))
        self.start = QTimeEdit(QTime(9, 0))
        self.start.setDisplayFormat("HH:mm")
        self.end = QTimeEdit(QTime(11, 0))
        self.end.setDisplayFormat("HH:mm")
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
        self.late = QSpinBox()
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
        self.candidate_search.setPlaceholderText("naam of studentnummer")
        add_all = QPushButton("Alle gevonden toevoegen")
        pick.addWidget(self.crebo)
        pick.addWidget(self.cohort)
        pick.addWidget(self.candidate_search, 1)
        pick.addWidget(add_all)
        form.addRow("Kandidaten zoeken", pick)
        self.found = QListWidget()
        self.found.setMaximumHeight(120)
        form.addRow("Gevonden (dubbelklik voegt toe)", self.found)
        self.roster = QTableWidget(0, 3)
        self.roster.setHorizontalHeaderLabels(["pc", "kandidaat", "studentnummer"])
        self.roster.horizontalHeaderItem(0).setToolTip("Werkplek; leeg laten en ExamDesk nummert zelf")
        self.roster.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.roster.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.roster.verticalHeader().setVisible(False)
        form.addRow("In deze afname\n(pc leeg = automatisch;\nDelete haalt weg)", self.roster)
        self.error = QLabel("")
        self.error.setObjectName("ErrorText")
        self.error.setWordWrap(True)
        layout.addWidget(self.error)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        cancel = QPushButton("Annuleren")
        cancel.clicked.connect(self.reject)
        save = QPushButton("Opslaan")
        save.setDefault(True)
        save.clicked.connect(self.save)
        buttons.addWidget(cancel)
        buttons.addWidget(save)
        layout.addLayout(buttons)

        self.central.toggled.connect(self._kind_changed)
        self.crebo.currentIndexChanged.connect(self._search)
        self.cohort.currentIndexChanged.connect(self._search)
        self.candidate_search.textChanged.connect(self._search)
        self.found.itemDoubleClicked.connect(lambda item: self._add([item.data(Qt.ItemDataRole.UserRole)]))
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
        fit_to_screen(self, 900, 820)

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
        from datetime import date, time

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

    def save(self) -> None:
        """Checks first; warnings (a start in the past, outside the afnameperiode, extra time capped, …)
        are shown and planned only when the planner confirms them."""
        session_id = self.plan.id if self.plan else None
        try:
            draft = self.draft()
            warnings = self.service.check_plan(draft, session_id)
            if warnings and not self.ask(warnings):
                self.error.setText("Niet opgeslagen: " + " ".join(w.text for w in warnings))
                return
            self.saved = self.service.plan(draft, session_id, confirmed=warnings)
        except ExamDeskError as exc:
            self.error.setText(exc.message)
            return
        self.accept()

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
        from datetime import date

        try:
            text = self.service.suggested_period(self.exam.currentData(), date(qd.year(), qd.month(), qd.day()))
        except ExamDeskError:
            return
        self.period.setText(text)
        self._period_suggested = True


class CandidatesTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.service = CandidateService(ctx)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText("zoek op naam of studentnummer")
        top.addWidget(self.search, 1)
        self.resit_only = QCheckBox("kandidaten met een herkansing")
        self.resit_only.setToolTip("Kandidaten van wie een examen ongeldig is verklaard (besluit van de "
                                   "examencommissie of de Inspectie) en die het opnieuw moeten afleggen.")
        top.addWidget(self.resit_only)
        self.import_button = QPushButton("Importeren…")
        self.new_button = QPushButton("Nieuwe kandidaat…")
        self.edit_button = QPushButton("Wijzigen…")
        for b in (self.import_button, self.new_button, self.edit_button):
            b.setVisible(ctx.can(Action.MANAGE_CANDIDATES))
            top.addWidget(b)
        layout.addLayout(top)
        on = ctx.clock().date()
        self.model: ListTableModel[Candidate] = ListTableModel([
            ("studentnummer", lambda c: c.student_number),
            ("naam", lambda c: c.sort_name),
            ("geboortedatum", lambda c: format_date(c.birth_date) + (" (minderjarig)" if c.is_minor_on(on) else "")),
            ("crebo", lambda c: c.crebo),
            ("cohort", lambda c: c.cohort),
            ("doelgroep", lambda c: c.group_label),
            ("passend examineren", lambda c: c.accommodations_label()),
            ("herkansing", lambda c: self.resits.get(c.id, "")),
        ])
        self.resits: dict[int, str] = {}
        self.table = list_view(self.model)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.table, 1)
        self.count = QLabel("")
        self.count.setObjectName("Hint")
        layout.addWidget(self.count)
        self.search.textChanged.connect(self.refresh)
        self.resit_only.toggled.connect(lambda _on: self.refresh())
        self.import_button.clicked.connect(self.import_file)
        self.new_button.clicked.connect(lambda: self.edit(None))
        self.edit_button.clicked.connect(lambda: self.edit(self.current()))
        self.table.doubleClicked.connect(lambda _i: self.edit(self.current()) if ctx.can(Action.MANAGE_CANDIDATES)
                                         else None)

    def refresh(self) -> None:
        """With 'kandidaten met een herkansing': only those with an open *herkansing nodig* item, each
        naming the exam and the decision that voided it (from the incident desk)."""
        try:
            rows = self.service.search(self.search.text())
            items = IncidentDeskService(self.ctx).candidates_with_resit()
        except ExamDeskError as exc:
            show_error(self, exc)
            return
        resits: dict[int, list[str]] = {}
        for item in items:
            resits.setdefault(item.candidate_id, []).append(
                f"{item.exam_title} ({format_date(item.original_date)}), {item.source_label}: {item.status_label}")
        self.resits = {cid: "; ".join(texts) for cid, texts in resits.items()}
        if self.resit_only.isChecked():
            rows = [c for c in rows if c.id in self.resits]
        self.model.set_rows(rows)
        self.count.setText(f"{len(rows)} kandidaten")

    def current(self) -> Candidate | None:
        index = self.table.currentIndex()
        return self.model.record(index.row()) if index.isValid() else None

    def edit(self, candidate: Candidate | None) -> None:
        if candidate is not None:
            try:
                candidate = self.service.get(candidate.id)    # the whole file (audited), not the list line
            except ExamDeskError as exc:
                show_error(self, exc)
                return
        dialog = CandidateDialog(self.ctx, candidate, self)
        if dialog.exec():
            self.refresh()

    def import_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Kandidatenlijst importeren", "",
                                              "Kandidatenlijsten (*.csv *.txt *.xlsx)")
        if not path:
            return
        from pathlib import Path

        try:
            table = read_table(Path(path))
        except ExamDeskError as exc:
            show_error(self, exc)
            return
        dialog = ImportDialog(self.ctx, table, Path(path).stem, self)
        if dialog.exec():
            self.refresh()
            QMessageBox.information(self, "Kandidaten importeren", dialog.result_sentence)


class CandidateDialog(BaseDialog):
    def __init__(self, ctx: AppContext, candidate: Candidate | None, parent: QWidget | None = None):
        super().__init__(parent, "Kandidaat wijzigen" if candidate else "Nieuwe kandidaat")
        self.service = CandidateService(ctx)
        self.candidate = candidate
        c = candidate or Candidate("", "")
        form = QFormLayout(self)
        self.number = QLineEdit(c.student_number)
        self.number.setReadOnly(candidate is not None)
        self.first = QLineEdit(c.first_name)
        self.prefix = QLineEdit(c.prefix)
        self.last = QLineEdit(c.last_name)
        self.birth = QLineEdit(format_date(c.birth_date))
        self.birth.setPlaceholderText("dd-mm-jjjj")
        self.crebo = QLineEdit(c.crebo)
        self.cohort = QLineEdit(c.cohort)
        self.group = QComboBox()
        for key, label in TARGET_GROUPS.items():
            self.group.addItem(label, key)
        self.group.setCurrentIndex(self.group.findData(c.target_group))
        self.extra = QSpinBox()
        self.extra.setRange(0, 240)
        self.extra.setSuffix(" min")
        self.extra.setValue(c.extra_minutes)
        self.reason = QLineEdit(c.extra_reason)
        self.reason.setPlaceholderText("verplicht bij meer dan 30 minuten (alleen instellingsexamens)")
        self.facilities = QListWidget()
        self.facilities.setMaximumHeight(130)
        for key, label in FACILITIES.items():
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if key in c.facilities else Qt.CheckState.Unchecked)
            self.facilities.addItem(item)
        self.other = QLineEdit(c.facility_other)
        for label, widget in (("Studentnummer", self.number), ("Voornaam / roepnaam", self.first),
                              ("Tussenvoegsel", self.prefix), ("Achternaam", self.last),
                              ("Geboortedatum", self.birth), ("Kwalificatie (crebo)", self.crebo),
                              ("Cohort", self.cohort), ("Doelgroep", self.group), ("Extra tijd", self.extra),
                              ("Reden extra tijd", self.reason), ("Voorzieningen", self.facilities),
                              ("Overige voorziening", self.other)):
            form.addRow(label, widget)
        self.error = QLabel("")
        self.error.setObjectName("ErrorText")
        self.error.setWordWrap(True)
        form.addRow(self.error)
        row = QHBoxLayout()
        row.addStretch(1)
        cancel = QPushButton("Annuleren")
        cancel.clicked.connect(self.reject)
        save = QPushButton("Opslaan")
        save.setDefault(True)
        save.clicked.connect(self.save)
        row.addWidget(cancel)
        row.addWidget(save)
        form.addRow(row)

    def save(self) -> None:
        from examdesk.domain.clock import parse_date

        try:
            try:
                birth = parse_date(self.birth.text()) if self.birth.text().strip() else None
            except ValueError:
                raise ValidationError(f"'{self.birth.text()}' is geen datum; schrijf dd-mm-jjjj.") from None
            facilities = tuple(self.facilities.item(i).data(Qt.ItemDataRole.UserRole)
                               for i in range(self.facilities.count())
                               if self.facilities.item(i).checkState() == Qt.CheckState.Checked)
            self.service.save(Candidate(
                id=self.candidate.id if self.candidate else None, student_number=self.number.text(),
                last_name=self.last.text(), prefix=self.prefix.text(), first_name=self.first.text(),
                birth_date=birth, crebo=self.crebo.text(), cohort=self.cohort.text(),
                target_group=self.group.currentData(), extra_minutes=self.extra.value(),
                extra_reason=self.reason.text(), facilities=facilities, facility_other=self.other.text()))
        except ExamDeskError as exc:
            self.error.setText(exc.message)
            return
        self.accept()


class LocationsTab(QWidget):
    """Locations with their rooms; double-click (or Enter on) a row to change it."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.service = LocationService(ctx)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.add_location = QPushButton("Nieuwe locatie…")
        self.add_room = QPushButton("Nieuw lokaal…")
        self.edit_location = QPushButton("Locatie wijzigen…")
        self.edit_room = QPushButton("Lokaal wijzigen…")
        for b in (self.add_location, self.add_room, self.edit_location, self.edit_room):
            b.setVisible(ctx.can(Action.PLAN_SESSION))
            top.addWidget(b)
        top.addStretch(1)
        layout.addLayout(top)
        self.model: ListTableModel[Any] = ListTableModel([
            ("locatie", lambda r: r.location_name), ("lokaal", lambda r: r.name),
            ("werkplekken", lambda r: r.workstations)])
        self.table = list_view(self.model)
        layout.addWidget(self.table, 1)
        self.addresses = QPlainTextEdit()
        self.addresses.setReadOnly(True)
        self.addresses.setMaximumHeight(90)
        layout.addWidget(self.addresses)
        self.add_location.clicked.connect(lambda: self._open(LocationDialog(self.service, None, self)))
        self.add_room.clicked.connect(self.new_room)
        self.edit_location.clicked.connect(self.change_location)
        self.edit_room.clicked.connect(self.change_room)
        if ctx.can(Action.PLAN_SESSION):
            self.table.activated.connect(lambda _i: self.change_room())

    def refresh(self) -> None:
        self.model.set_rows(self.service.rooms())
        self.addresses.setPlainText("\n".join(f"{loc.name}: {loc.address}" for loc in self.service.locations()))

    def current_room(self) -> Any | None:
        index = self.table.currentIndex()
        return self.model.record(index.row()) if index.isValid() else None

    def _open(self, dialog: BaseDialog) -> bool:
        saved = bool(dialog.exec())
        if saved:
            self.refresh()
        return saved

    def new_room(self) -> None:
        if not self.service.locations():
            show_error(self, "Maak eerst een locatie.")
            return
        self._open(RoomDialog(self.service, None, self))

    def change_room(self) -> None:
        room = self.current_room()
        if room is None:
            show_error(self, "Kies eerst een lokaal in de lijst.")
            return
        self._open(RoomDialog(self.service, room, self))

    def change_location(self) -> None:
        room = self.current_room()
        if room is None:
            show_error(self, "Kies eerst een lokaal van de locatie in de lijst.")
            return
        location = next(loc for loc in self.service.locations() if loc.id == room.location_id)
        self._open(LocationDialog(self.service, location, self))
