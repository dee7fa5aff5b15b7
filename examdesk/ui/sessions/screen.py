"""The Afnames screen: sessions by date with status and filters (detail on the right), the candidates
with their import, and the locations and rooms. Session mode opens from here for invigilators."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from examdesk.domain.clock import format_date, format_time
from examdesk.domain.errors import ExamDeskError
from examdesk.domain.roles import Action
from examdesk.domain.session_state import (
    SessionAction,
    SessionFacts,
    SessionStatus,
    available_session_actions,
)
from examdesk.domain.sessions import (
    SessionFilter,
    SessionPlan,
)
from examdesk.services.context import AppContext
from examdesk.services.ids import short_id
from examdesk.services.navigation import SessionDates, SessionsTarget
from examdesk.services.session_mode import SessionModeService, sessions_with_draft
from examdesk.services.session_views import DRAFT_WAITING, record_lines, session_detail
from examdesk.services.sessions import SessionService
from examdesk.ui.common import SizedByCurrentTab, list_view, show_error, wrap_lines
from examdesk.ui.dialogs import ReasonDialog
from examdesk.ui.flow_layout import flow_row
from examdesk.ui.sessions.candidates import CandidatesTab
from examdesk.ui.sessions.end_time_dialog import EndTimeDialog
from examdesk.ui.sessions.exam_periods import ExamPeriodsTab
from examdesk.ui.sessions.grade_determination import GradeDeterminationButton
from examdesk.ui.sessions.locations import LocationsTab
from examdesk.ui.sessions.pages import SessionPages, keep_each_name
from examdesk.ui.sessions.plan_dialog import PlanDialog
from examdesk.ui.sessions.procesverbaal_panel import ProcesverbaalPanel
from examdesk.ui.table_model import Column, TableModel


class SessionsScreen(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.sessions = SessionService(ctx)
        self.mode_window: QWidget | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        self.tabs = SizedByCurrentTab()   # a wide hidden tab does not widen the screen
        layout.addWidget(self.tabs)

        # --- sessions ---
        page = QWidget()
        page_layout = QVBoxLayout(page)
        filters_box, filters = flow_row()         # wraps at 200 % font instead of widening the screen
        self.search = QLineEdit()
        self.search.setPlaceholderText("zoek op afname, lokaal, variant of periode")
        self.date_filter = QComboBox()
        for dates in SessionDates:
            self.date_filter.addItem(dates.label, dates.value)
        self.status_filter = QComboBox()
        self.status_filter.addItem("alle statussen", "")
        for status in SessionStatus:
            self.status_filter.addItem(status.label, status.value)
        self.flagged_only = QCheckBox("alleen ⚠ instrument niet valide")
        self.flagged_only.setToolTip("Geplande afnames waarvan het instrument na het plannen is ingetrokken, gewijzigd "
                                     "of onder voorbehoud staat, of waarvan het certificaat van de leverancier verloopt")
        filters.add(self.search, stretch=True)
        filters.add(self.date_filter)
        filters.add(self.status_filter)
        filters.add(self.flagged_only)
        page_layout.addWidget(filters_box)
        self.drafts: frozenset[str] = frozenset()   # sessions with an unsaved incident form of this user
        self.pages = SessionPages(self.sessions)    # the list is paged: a page of plans built as it scrolls
        self.model: TableModel[SessionPlan] = TableModel([
            Column("datum", lambda p: format_date(p.session_date)),
            Column("tijd", self._times),
            Column("status", lambda p: SessionStatus(p.status).label
                   + (f" · {DRAFT_WAITING}" if p.id in self.drafts else ""),
                   warn=lambda p: p.id in self.drafts),
            Column("afname", lambda p: ("⚠ " if p.id in self.pages.flags else "") + p.title
             + (f" · variant {p.variant}" if p.variant else "")),
            Column("soort", lambda p: "centraal" if p.exam_kind == "centraal" else "instelling"),
            Column("lokaal", lambda p: p.room_label.removeprefix("lokaal ").split(" (")[0]),
            Column("kand.", lambda p: p.candidate_count),
            Column("surveillanten", lambda p: p.invigilator_names),
            Column("id", lambda p: short_id(p.id)),   # what the exchange and report commands accept
        ], count=lambda: len(self.pages.ids), fetch=self.pages.page)
        self.model.PAGE = 60       # a little over a screenful per key; scrolling fetches the next
        self.table = list_view(self.model, grows=True)
        head = self.table.horizontalHeader()
        # Sized once, from the rows in view, when the list first has rows: resizing to the contents of every
        # row on each keystroke asked for 49,000 cells per key on a large school (issue 16).
        head.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        head.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)   # the exam takes what is left and elides
        self._columns_sized = False
        head.setStretchLastSection(False)
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
        self.detail_log = wrap_lines(QListWidget())
        detail_layout.addWidget(self.detail_title)
        detail_layout.addWidget(self.detail)
        detail_layout.addWidget(QLabel("Verslag"))
        detail_layout.addWidget(self.detail_log, 1)
        self.procesverbaal = ProcesverbaalPanel(ctx)
        detail_layout.addWidget(self.procesverbaal)
        buttons_box, buttons = flow_row()         # the actions wrap in a narrow detail pane (200 % font)
        self.run_button = QPushButton("Sessiemodus openen (Enter)")
        self.plan_button = QPushButton("Nieuwe afname…")
        self.edit_button = QPushButton("Wijzigen…")
        self.cancel_button = QPushButton("Annuleren…")
        self.reopen_button = QPushButton("Heropenen…")
        self.end_time_button = QPushButton("Eindtijd verlengen…")
        self.end_time_button.setToolTip("Besluit van de examencommissie: meer tijd voor een (te laat gekomen) "
                                        "kandidaat (examenprotocol, punt 14)")
        self.exec_dialog = lambda dialog: bool(dialog.exec())      # a test answers the dialog instead
        self.found_button = QPushButton("Achteraf vastgesteld…")
        self.found_button.setToolTip("Een incident dat pas na de afname aan het licht kwam; het examenbureau legt "
                                     "alleen een administratieve fout vast (werk gewijzigd, onjuist cijfer)")
        for button, action in ((self.run_button, Action.RUN_SESSION), (self.plan_button, Action.PLAN_SESSION),
                               (self.edit_button, Action.PLAN_SESSION), (self.cancel_button, Action.PLAN_SESSION),
                               (self.reopen_button, Action.REOPEN_SESSION),
                               (self.end_time_button, Action.DECIDE_INCIDENT),
                               (self.found_button, Action.RECORD_FOUND_INCIDENT)):
            button.setVisible(ctx.can(action))
            buttons.add(button)
        self.results_button = GradeDeterminationButton(ctx, self, on_saved=self._show_detail)
        buttons.add(self.results_button)
        detail_layout.addWidget(buttons_box)
        self.run_button.clicked.connect(self.open_session_mode)
        self.plan_button.clicked.connect(lambda: self.plan_dialog(None))
        self.edit_button.clicked.connect(lambda: self.plan_dialog(self.current()))
        self.cancel_button.clicked.connect(self.cancel_session)
        self.reopen_button.clicked.connect(self.reopen_session)
        self.end_time_button.clicked.connect(self.extend_end_time)
        self.found_button.clicked.connect(self.record_found_incident)

        split = QSplitter()
        split.addWidget(self.table)
        split.addWidget(detail)
        split.setStretchFactor(0, 5)     # the list's eight short columns and the exam's title on a laptop; the
        split.setStretchFactor(1, 2)     # detail wraps its lines and its buttons in what is left (narrower, they
        split.setSizes([1000, 400])      # wrap to more lines than a laptop's height has)
        page_layout.addWidget(split, 1)
        self.tabs.addTab(page, "Afnames")
        self.tabs.setTabBarAutoHide(True)     # the surveillant has this one page: no tab bar with a single tab

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

    def _times(self, p: SessionPlan) -> str:
        """The planned times until the session starts; then what actually happened (… while running)."""
        try:
            ran = self.pages.ran(p.id)
        except ExamDeskError:      # the account was closed meanwhile: the planned times, the next action says why
            ran = None
        if ran is not None:
            started, ended = ran
            return f"{format_time(started)}–{format_time(ended) if ended else '…'}"
        return f"{format_time(p.starts_at)}–{format_time(p.planned_end)}"

    # --- extension-point API -----------------------------------------------------------------
    def refresh(self) -> None:
        which = SessionDates(self.date_filter.currentData())
        date_from, date_to = which.bounds(self.ctx.clock().date())
        f = SessionFilter(date_from=date_from, date_to=date_to, status=self.status_filter.currentData() or "",
                          text=self.search.text().strip())
        try:
            listed = self.sessions.listed(f)
        except ExamDeskError as exc:
            show_error(self, exc)
            return
        if which is SessionDates.FUTURE:
            listed = [(i, status) for i, status in listed if status != SessionStatus.AFGESLOTEN]
        current = self.current()
        listed = self.pages.reset(listed, self.flagged_only.isChecked())
        self.drafts = sessions_with_draft(self.ctx)
        self.model.reload()
        if self.model.rows and not self._columns_sized:
            self._size_columns()
        keep = current.id if current is not None else next(
            (i for i, status in listed if status == SessionStatus.BEZIG), None)
        self._select(keep)
        self._show_detail()

    def _select(self, session_id: str | None) -> bool:
        """Selects the session's row, fetching the pages before it; False when it is not in the list."""
        if session_id is None or session_id not in self.pages.ids:
            return False
        at = self.pages.ids.index(session_id)
        while len(self.model.rows) <= at and self.model.canFetchMore():
            self.model.fetchMore()
        row = self.model.row_of(lambda p: p.id == session_id)
        if row >= 0:
            self.table.selectRow(row)
        return row >= 0

    def _size_columns(self) -> None:
        """Each column as wide as the rows in view and its title (the surveillants' whole names: 'Elif Şahin-B'
        was cut at a fixed 150 px), once; the exam (stretching) takes what is left and elides, its tooltip the
        whole text, so the list never scrolls sideways (the fixed 260 px of the exam did on a laptop)."""
        self._columns_sized = True
        for column in range(self.model.columnCount()):
            if column != 3:
                self.table.resizeColumnToContents(column)      # the rows in view (`list_view`), not all
        keep_each_name(self.table, self.model.rows)

    def apply_filter(self, target: SessionsTarget) -> None:
        """From an Overzicht line: date and status, only flagged instruments, one session selected."""
        self.tabs.setCurrentIndex(0)
        self.flagged_only.blockSignals(True)
        self.flagged_only.setChecked(target.instrument_invalid)
        self.flagged_only.blockSignals(False)
        for combo, value in ((self.date_filter, target.dates.value),
                             (self.status_filter, target.status.value if target.status else "")):
            combo.blockSignals(True)
            combo.setCurrentIndex(max(0, combo.findData(value)))
            combo.blockSignals(False)
        self.refresh()
        if target.session_id:
            self._select(target.session_id)

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
                      self.end_time_button, self.found_button):
                b.setEnabled(False)
            self.procesverbaal.show_session(None)
            self.results_button.show_session(None)
            return
        self.detail_title.setText(plan.title)
        try:
            notes = self.sessions.planning_notes(plan.id)
        except ExamDeskError:
            notes = []
        text = session_detail(plan, self.pages.flags.get(plan.id), notes)
        if plan.id in self.drafts:
            text += (f"\n\n{DRAFT_WAITING.capitalize()}: een incidentformulier is niet opgeslagen. Open de "
                     "sessiemodus en druk op F2 om het af te maken.")
        self.detail.setText(text)
        try:
            mode = SessionModeService(self.ctx, plan.id)
            state = mode.state()
        except ExamDeskError:
            state = None
        if state is not None:
            self.detail_log.addItems(list(record_lines(state, mode.display_name)))
        mine = self.ctx.user is not None and self.ctx.user.id in {uid for uid, _ in plan.invigilators}
        actions = available_session_actions(SessionFacts(
            SessionStatus(plan.status), has_events=state is not None and bool(state.log),
            started=state is not None and state.started_at is not None, invigilator=mine))
        for button, action in ((self.run_button, SessionAction.RUN), (self.edit_button, SessionAction.EDIT),
                               (self.cancel_button, SessionAction.CANCEL), (self.reopen_button, SessionAction.REOPEN),
                               (self.end_time_button, SessionAction.DECIDE_END_TIME)):
            button.setEnabled(action in actions)
            button.setToolTip(actions.why_not.get(action, ""))
        self.found_button.setEnabled(plan.status in ("bezig", "afgesloten"))
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
        from examdesk.ui.session_mode.window import SessionModeWindow

        existing = self.mode_window
        if (existing is not None and shiboken6.isValid(existing) and existing.isVisible()
                and getattr(existing, "session_id", None) == plan.id):
            # a double-click also activates the row: the second request raises the window already open
            existing.raise_()
            existing.activateWindow()
            return
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
        dialog = ReasonDialog(self, "Afname annuleren", f"Reden om '{plan.title}' te annuleren:",
                              lambda reason: self.sessions.cancel(plan.id, reason), ok_text="Afname annuleren")
        dialog.cancel_button.setText("Terug")
        if dialog.exec():
            self.refresh()

    def extend_end_time(self) -> None:
        plan = self.current()
        if plan is None:
            return
        mode = SessionModeService(self.ctx, plan.id)
        if EndTimeDialog(mode, mode.state(), self).exec():
            self.refresh()

    def record_found_incident(self) -> None:
        """An incident found afterwards against the session on show (issue 13)."""
        from examdesk.domain.casework import BUREAU_LETTERS
        from examdesk.domain.catalogue import default_catalogue
        from examdesk.domain.roles import Role
        from examdesk.services.casework import CaseworkService
        from examdesk.ui.incidents.casework_dialogs import FoundIncidentDialog

        plan = self.current()
        if plan is None:
            return
        roster = [(r.candidate_id, f"{r.name} ({r.student_number})") for r in self.sessions.roster(plan.id)]
        only = None if Role.COMMISSIE in self.ctx.user.roles else BUREAU_LETTERS
        dialog = FoundIncidentDialog(
            self, default_catalogue(), [(plan.id, f"{plan.session_date.strftime('%d-%m-%Y')} · {plan.header}")],
            lambda _sid: roster, self.ctx.clock().date(),
            lambda sid, values: CaseworkService(self.ctx).record_found_incident(sid, values), plan.exam_kind, only)
        if self.exec_dialog(dialog):
            self.refresh()

    def reopen_session(self) -> None:
        plan = self.current()
        if plan is None:
            return
        dialog = ReasonDialog(self, "Afname heropenen", "Reden (komt in het verslag van de afname):",
                              lambda reason: SessionModeService(self.ctx, plan.id).reopen(reason), ok_text="Heropenen")
        if dialog.exec():
            self.refresh()
