"""Incidenten: the commission's desk.
(Over 400 lines: one method per action of the desk and the case file, each opening its dialog.)

Counts per status on top (each a filter), the list with its filters on the left, the selected incident's file on the right with the actions it allows now.

The pieces: `filters.IncidentFilterBar`, `model.IncidentTableModel`, `case_panel.CasePanel` (which lays
out `services.incident_file`), the dialogs in `dialogs.py`, `correction_dialog.py` and `letter_dialogs.py`;
this module joins them and runs the actions."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from examdesk.domain.cancel import Cancellation
from examdesk.domain.casework import FoundIncidentInput
from examdesk.domain.clock import format_date
from examdesk.domain.errors import ExamDeskError
from examdesk.domain.incident_desk import REPORT_SUBJECTS, STATUSES, Decision, IncidentFilter
from examdesk.domain.plural import counted
from examdesk.domain.roles import Action
from examdesk.domain.sessions import SessionFilter
from examdesk.services.casework import CaseworkService
from examdesk.services.context import AppContext
from examdesk.services.decision_letters import DecisionLetterService
from examdesk.services.incident_desk import IncidentCase, IncidentDeskService
from examdesk.services.incident_file import incident_file
from examdesk.services.navigation import IncidentsTarget
from examdesk.services.users import user_names
from examdesk.ui.common import list_view
from examdesk.ui.flow_layout import flow_row
from examdesk.ui.incidents.case_panel import CasePanel
from examdesk.ui.incidents.filters import CountSlot, IncidentFilterBar, StatusChip
from examdesk.ui.incidents.list_columns import FitsColumns
from examdesk.ui.incidents.model import IncidentTableModel
from examdesk.ui.incidents.overview import IncidentOverviewActions
from examdesk.ui.worker import run_in_background

if TYPE_CHECKING:
    from examdesk.ui.documents.viewer import DocumentViewer

STATUS_LABELS = {s: s[0].upper() + s[1:] for s in STATUSES}
COUNT_AFTER_MS = 50         # the counts per status begin this long after their page (once it is painted)
FILE_AFTER_TYPING_MS = 300   # typed text: the first row's file once typing has paused this long (after the list)
WITHDRAW_PROMPT = ("Waarom trekt de examencommissie dit incident in? De reden komt in het verslag van de afname en "
                   "op het procesverbaal; herkansingen die een besluit over dit incident gaf, vervallen.")


class IncidentsScreen(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.service = IncidentDeskService(ctx)
        self.can_decide = ctx.can(Action.DECIDE_INCIDENT)
        self.case: IncidentCase | None = None
        self.exec_dialog = lambda dialog: dialog.exec() == QDialog.DialogCode.Accepted
        self.status = ""
        self.last_viewer: DocumentViewer | None = None
        self._counting: Cancellation | None = None   # the count of the list on show, while it runs
        self._counted = 0
        self._file_mark: tuple[Any, ...] | None = None
        self._count_begin: Any = None
        self._count_timer = QTimer(self)
        self._count_timer.setSingleShot(True)
        self._count_timer.setInterval(COUNT_AFTER_MS)
        self._count_timer.timeout.connect(lambda: self._count_begin())

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 10, 16, 10)
        # the screen's actions on a row of their own, above the filters they do not belong to: among the status
        # chips they flowed in between them at 200 % and stood out of line
        action_row, actions = flow_row()
        layout.addWidget(action_row)
        # counts per status, each one a filter: on the search's wrapping line (`IncidentFilterBar`)
        self.chips: dict[str, StatusChip] = {}
        slot = CountSlot()                        # the counts' room, so '…' becoming a number moves nothing
        for status in ("", *STATUSES):
            button = StatusChip(STATUS_LABELS.get(status, "Alle"), slot)
            button.clicked.connect(lambda _=False, s=status: self._choose_status(s))
            self.chips[status] = button
        self.found_button = QPushButton("Achteraf vastgesteld…")
        self.found_button.setToolTip("Een incident vastleggen dat pas na de afname aan het licht kwam")
        self.found_button.clicked.connect(self.record_found_incident)
        self.found_button.setVisible(ctx.can(Action.RECORD_FOUND_INCIDENT))
        actions.addWidget(self.found_button)
        self.overview = IncidentOverviewActions(ctx, self._overview_filter, self)
        actions.addWidget(self.overview)
        action_row.setVisible(not (self.found_button.isHidden() and self.overview.isHidden()))
        self.filters = IncidentFilterBar(self.service, self, chips=list(self.chips.values()))
        layout.addWidget(self.filters)

        split = QSplitter(Qt.Orientation.Horizontal)   # list left, file right
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.model = IncidentTableModel(self.service, self)
        self.table = list_view(self.model, grows=True)
        self.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.DescendingOrder)
        self.table.setSortingEnabled(True)
        FitsColumns(self.table)        # the columns share the pane: no sideways scrolling on a laptop
        left_layout.addWidget(self.table)
        self.total = QLabel("")
        self.total.setObjectName("Hint")
        left_layout.addWidget(self.total)
        split.addWidget(left)
        self.case_panel = CasePanel(ctx)
        self.case_panel.before_form = self.ensure_contact
        self.case_panel.before_letter = self.ask_minor
        split.addWidget(self.case_panel)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([640, 480])
        layout.addWidget(split, 1)

        self.filters.changed.connect(self.reload)
        self.filters.typed.connect(lambda: self.reload(typed=True))
        # typed text: a file not in the new list stays on show until typing pauses; then the first row's file
        self._file_timer = QTimer(self)
        self._file_timer.setSingleShot(True)
        self._file_timer.setInterval(FILE_AFTER_TYPING_MS)
        self._file_timer.timeout.connect(self._show_first)
        self.filters.cleared.connect(lambda: self.apply_filter(IncidentsTarget()))
        self.table.selectionModel().currentRowChanged.connect(self._on_row)
        self.case_panel.action_requested.connect(self._act)
        self.case_panel.revise_requested.connect(self.revise)
        self.case_panel.dispatch_requested.connect(self.record_dispatch)
        self.case_panel.document_previewed.connect(self._document_previewed)
        self.case_panel.document_issued.connect(self._document_issued)
        self.filters.fill_choices()
        self.case_panel.show_notice()
        # the chips as wide as their counts before the screen is first laid out, when the Overzicht's card left
        # them (built while idle: `warm_up.build_when_idle`): counts arriving on the first open widened the chips,
        # wrapped their row and laid the whole screen out again (issue 16)
        known = self.service.known_counts(self.current_filter())
        if known is not None:
            self._show_counts(self.current_filter(), known)

    # --- what the file panel holds (the buttons of the incident on show) ------------------------------------
    @property
    def detail(self) -> QWidget:
        return self.case_panel.detail

    @property
    def action_buttons(self) -> dict[str, QPushButton]:
        return self.case_panel.action_buttons

    @property
    def revise_buttons(self) -> dict[str, QPushButton]:
        return self.case_panel.revise_buttons

    @property
    def form_panel(self) -> Any:
        return self.case_panel.form_panel

    @property
    def letter_panels(self) -> dict[str, Any]:
        return self.case_panel.letter_panels

    # --- filters ---------------------------------------------------------------------------------------------
    def _choose_status(self, status: str) -> None:
        self.status = status
        self.reload()

    def current_filter(self) -> IncidentFilter:
        return self.filters.current(self.status)

    def _overview_filter(self) -> IncidentFilter | None:
        """The filters as they stand, for the overview; None while a date cannot be read."""
        f = self.current_filter()
        return f if self.filters.readable else None

    def apply_filter(self, target: IncidentsTarget) -> None:
        """Shows the list with the target's filters (everything it does not name is cleared) and its
        incident, when it names one."""
        self.status = target.filter.status
        self.filters.set_filter(target.filter)
        self.reload()
        if target.incident_id:
            self.select(target.incident_id)

    # --- list ------------------------------------------------------------------------------------------------
    def refresh(self) -> None:
        self.filters.fill_choices()
        self.reload(reread=True)

    # built while idle (`warm_up.build_when_idle`): the list and its first row's file now, out of sight, so the first
    # open reads the list again and keeps the file when nothing changed (issue 16)
    fill_out_of_sight = refresh

    def reload(self, keep: str | None = None, show_anyway: bool = False, reread: bool = False,
               typed: bool = False) -> None:
        """Re-reads the list and the counts. The incident on show stays selected when it is still in
        the list (or, after an action, stays on show even when the filter now hides it). Its file is read
        again after an action (`show_anyway`) or when the screen is shown again (`reread`); a changed
        filter (a keystroke) leaves a file that stays on show as it is, and reads a newly selected one once.

        The page is read here; the counts per status (and so the total) only when they cost nothing —
        remembered for this state of the database, or tallied from a first page that holds the whole list.
        Otherwise they are counted on a thread of their own (`_count`) while the page is already on screen:
        a broad prefix ("te", 74,000 of ten years' 248,000 incidents) takes 40-150 ms to count however it is
        asked, more than a keystroke's budget (issue 16). Meanwhile the chips and the total say they are
        being counted (never the previous search's number), and a newer keystroke stops the older count.

        `typed` (the search or candidate field, once typing pauses): when the file on show is not in the new
        list (or none is on show), it stays on show with no row selected until the typing has paused `FILE_AFTER_TYPING_MS` more,
        and only then is the first row selected and its file read. Each intermediate word ("t", "te", "tel"…)
        would otherwise build another incident's file that the next key replaces — a file is 20-80 ms of
        queries and widgets on ten years, more than the keystroke's budget with the page and its paint."""
        self._file_timer.stop()
        keep = keep or (self.case.row.incident_id if self.case else None)
        f = self.current_filter()
        self.model.filter = f
        self.model.reload()
        self._stop_counting()
        counts = self.service.known_counts(f, self.model.rows if self.model.complete else None)
        if counts is None:
            job = self.service.counting(f)
            if job is None:
                counts = self.service.status_counts(f)
            else:
                self._count(f, *job)
        self._show_counts(f, counts)
        if keep and (self.model.row_of_incident(keep) >= 0 or show_anyway):
            self.select(keep, show_anyway=show_anyway, reread=reread or show_anyway)
        elif self.model.rows and typed:
            if self.case is None:
                self.case_panel.show_notice()     # not "no incidents": the list has rows, the file follows
            self._file_timer.start()
        elif self.model.rows:
            self.select(self.model.rows[0].incident_id, reread=reread)
        else:
            self.case = None
            self.case_panel.show_notice("Geen incidenten bij deze filters.")

    def _show_first(self) -> None:
        """Typing paused: the first row and its file, unless a row was chosen meanwhile."""
        if self.model.rows and not self.table.selectionModel().hasSelection():
            self.select(self.model.rows[0].incident_id)

    @property
    def file_pending(self) -> bool:
        """Whether the first row's file waits for the typing to pause."""
        return self._file_timer.isActive()

    @property
    def counting(self) -> bool:
        """Whether the counts of the list on show are still being counted (or about to be)."""
        return self._counting is not None

    def _stop_counting(self) -> None:
        self._count_timer.stop()
        if self._counting is not None:
            self._counting.cancel()
            self._counting = None

    def _count(self, f: IncidentFilter, count: Any, keep: Any) -> None:
        """Counts on a thread of its own, begun `COUNT_AFTER_MS` after the page (once it is painted: the count
        does not compete with the paint for the processor; a next key before then starts none)."""
        cancel = Cancellation()
        self._counting = cancel
        self._counted += 1
        self._count_begin = lambda: self._begin_count(f, count, keep, cancel)
        self._count_timer.start()

    def _begin_count(self, f: IncidentFilter, count: Any, keep: Any, cancel: Cancellation) -> None:
        if self._counting is not cancel:
            return

        def arrived(counts: dict[str, int]) -> None:
            if self._counting is not cancel:
                return            # a newer filter is on show: these counts are not its own
            self._counting = None
            keep(counts)
            self._show_counts(f, counts)

        def failed(exc: Exception) -> None:
            if self._counting is not cancel:
                return
            self._counting = None          # e.g. another PC wrote since the page: counted here instead
            self._show_counts(f, self.service.status_counts(f))

        run_in_background(self, lambda: count(cancel), arrived, failed, label=f"Incidenten tellen {self._counted}",
                          quiet=True, cancel=cancel)

    def _show_counts(self, f: IncidentFilter, counts: dict[str, int] | None) -> None:
        """The chips and the total for these counts; None: being counted ('…', the total as far as known)."""
        if counts is not None:
            self.model.set_total(counts.get(f.status, 0) if f.status else sum(counts.values()))
        everything = None if counts is None else sum(counts.values())
        for status, button in self.chips.items():
            n = everything if status == "" else (None if counts is None else counts[status])
            # a chip whose count stays is not set again: each new text lays the chips' row out anew (issue 16)
            button.show_count(n)
            button.setChecked(status == self.status)
        total = self.model.total
        if total is None:
            text = f"meer dan {counted(len(self.model.rows), 'incident')} (wordt geteld…)"
        else:
            text = counted(total, 'incident')
        _set_text(self.total, text + " · * = geherclassificeerd")

    def select(self, incident_id: str, show_anyway: bool = False, reread: bool = True) -> None:
        row = self.model.row_of_incident(incident_id)
        while row < 0 and self.model.canFetchMore():
            self.model.fetchMore()
            row = self.model.row_of_incident(incident_id)
        if row >= 0:
            shown = self.case.row.incident_id if self.case else None
            self.table.selectRow(row)      # shows the file when it is another incident's (`_on_row`)
            self.table.scrollTo(self.model.index(row, 0))
            if (reread and shown == incident_id and self._file_mark != self._mark(incident_id)) or self.case is None \
                    or self.case.row.incident_id != incident_id:
                self.show_incident(incident_id)
        elif show_anyway:
            self.table.clearSelection()
            self.show_incident(incident_id)

    def _on_row(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid() and current.row() < len(self.model.rows):
            incident_id = self.model.record(current.row()).incident_id
            if self.case is None or self.case.row.incident_id != incident_id:
                self.show_incident(incident_id)

    # --- the file --------------------------------------------------------------------------------------------
    def show_incident(self, incident_id: str) -> None:
        try:
            case = self.service.case(incident_id)
        except ExamDeskError as exc:
            self.case = None
            self.case_panel.show_refusal(exc.message)
            return
        self.case = case
        letters = DecisionLetterService(self.ctx)
        states = {d.id: letters.state(d.id) for d in case.decisions if d.candidate_id is not None}
        self.extras = CaseworkService(self.ctx).extras(incident_id)
        self.case_panel.show_file(incident_file(case, self.can_decide, self.ctx.can(Action.PRODUCE_DOCUMENTS),
                                                states, self.extras, user_names(self.ctx)))
        self._file_mark = self._mark(incident_id)

    def _mark(self, incident_id: str) -> tuple[Any, ...]:
        """What the file on show was read for: the incident, the state of the database and today. Showing the
        screen again reads the file again only when one of them moved — the file is the costliest part of
        showing the screen (its widgets are built anew), and coming back to an unchanged desk is common."""
        return incident_id, self.service.written_state(), self.ctx.clock().date()

    def _document_previewed(self, viewer: DocumentViewer) -> None:
        self.last_viewer = viewer

    def _document_issued(self, _record: Any, viewer: DocumentViewer) -> None:
        """After a document is issued (printed or saved from its preview) the file is read again, so the letter
        state and the counts follow at once."""
        self.last_viewer = viewer
        self._after()

    def ensure_contact(self) -> bool:
        """The Inspectie form prints the submitter's phone and e-mail: ask for them first when missing."""
        from examdesk.services.users import UserService
        from examdesk.ui.profile_dialog import CONTACT_NEEDED, MyDetailsDialog

        me = UserService(self.ctx).own_profile()
        if me.phone.strip() and me.email.strip():
            return True
        dialog = MyDetailsDialog(self.ctx, self, reason=CONTACT_NEEDED, require_contact=True)
        if not self.exec_dialog(dialog):
            return False
        me = UserService(self.ctx).own_profile()
        return bool(me.phone.strip() and me.email.strip())

    # --- actions ----------------------------------------------------------------------------------------------
    def _act(self, key: str) -> None:
        {"besluiten": self.decide, "melden": self.record_report, "antwoord": self.record_answer,
         "afsluiten": self.close_incident, "heropenen": self.reopen, "herclassificeren": self.reclassify,
         "twijfelgeval": self.mark_doubtful, "corrigeren": self.correct, "intrekken": self.withdraw,
         "horen": self.record_hearing, "bewijs": self.add_evidence, "beroep": self.appeal,
         "geschiedenis": self.history}[key]()

    def _after(self) -> None:
        incident_id = self.case.row.incident_id if self.case else None
        self.filters.fill_choices()
        self.reload(incident_id, show_anyway=True)

    def _run(self, dialog: QDialog) -> bool:
        accepted = bool(self.exec_dialog(dialog))
        if accepted:
            self._after()
        return accepted

    def reclassify(self) -> bool:
        from examdesk.ui.incidents.dialogs import ReclassifyDialog

        r = self.case.row
        dialog = ReclassifyDialog(self, self.service.catalogue, r.exam_kind, r.category,
                                  lambda code, reason: self.service.reclassify(r.incident_id, code, reason))
        return self._run(dialog)

    def mark_doubtful(self) -> bool:
        from examdesk.ui.dialogs import ReasonDialog

        r = self.case.row
        dialog = ReasonDialog(self, "Twijfelgeval", "Waarom twijfelt de examencommissie of zij dit zelf mag "
                              "afhandelen? Het incident wordt als twijfelgeval bij de Inspectie gemeld.",
                              lambda reason: self.service.mark_doubtful(r.incident_id, reason))
        return self._run(dialog)

    def record_report(self) -> bool:
        from examdesk.ui.incidents.dialogs import ReportDialog

        r = self.case.row
        subject = self.case.actions.report or "melding"
        dialog = ReportDialog(self, REPORT_SUBJECTS[subject], self.ctx.clock().date(),
                              self.service.commission_members(), self.ctx.user.id,
                              lambda on, ref, by, remark: self.service.record_report(r.incident_id, on, ref, by,
                                                                                     remark))
        return self._run(dialog)

    def record_answer(self) -> bool:
        from examdesk.ui.incidents.dialogs import AnswerDialog

        r = self.case.row
        candidates = [(c.candidate_id, c.name) for c in self.case.candidates]
        dialog = AnswerDialog(self, self.ctx.clock().date(), candidates,
                              lambda outcome, on, ref, scope, ids, remark: self.service.record_answer(
                                  r.incident_id, outcome, on, ref, scope, ids, remark))
        return self._run(dialog)

    def decide(self, candidate_id: int | None = None) -> bool:
        from examdesk.ui.incidents.dialogs import DecisionDialog

        case = self.case
        open_ = [(c.candidate_id, f"{c.name} ({c.student_number})") for c in case.candidates if c.decision is None]
        preselected = {candidate_id} if candidate_id else {c for c, _ in open_}
        dialog = DecisionDialog(self, case.row.protocol_point, self.service.allowed_measures(case.row.incident_id),
                                open_, preselected, self.service.commission_members(), self.ctx.user.id,
                                self.ctx.clock().date(),
                                lambda d: self.service.decide(case.row.incident_id, d, dialog.logins()))
        return self._run(dialog)

    def revise(self, decision: Decision) -> bool:
        from examdesk.ui.incidents.dialogs import DecisionDialog

        case = self.case
        dialog = DecisionDialog(self, case.row.protocol_point, self.service.allowed_measures(case.row.incident_id),
                                [], set(), self.service.commission_members(), self.ctx.user.id,
                                self.ctx.clock().date(), lambda d: self.service.revise(decision.id, d, dialog.logins()),
                                revising=decision)
        return self._run(dialog)

    def close_incident(self) -> bool:
        from examdesk.ui.dialogs import ReasonDialog

        r = self.case.row
        dialog = ReasonDialog(self, "Incident afsluiten", "Het incident is afgehandeld. Een opmerking bij het "
                              "afsluiten (optioneel):", lambda note: self.service.close(r.incident_id, note),
                              required=False, ok_text="Afsluiten")
        return self._run(dialog)

    def reopen(self) -> bool:
        from examdesk.ui.dialogs import ReasonDialog

        r = self.case.row
        dialog = ReasonDialog(self, "Incident heropenen", "Waarom wordt het incident heropend?",
                              lambda reason: self.service.reopen(r.incident_id, reason), ok_text="Heropenen")
        return self._run(dialog)

    def correct(self) -> bool:
        """The commission's correction of what was recorded, with its reason."""
        from examdesk.ui.incidents.correction_dialog import IncidentCorrectionDialog

        return self._run(IncidentCorrectionDialog(self, self.service, self.case))

    def withdraw(self) -> bool:
        """The commission withdraws the incident (and the resits its decisions created), with its reason."""
        from examdesk.ui.dialogs import ReasonDialog

        incident_id = self.case.row.incident_id
        dialog = ReasonDialog(self, "Incident intrekken", WITHDRAW_PROMPT,
                              lambda reason: self.service.withdraw(incident_id, reason), ok_text="Intrekken")
        return self._run(dialog)

    # --- the commission's whole case (issue 13) ----------------------------------------------------------------
    def record_found_incident(self) -> bool:
        """An incident found afterwards, against a session that was held; on show once it is recorded."""
        from examdesk.services.sessions import SessionService
        from examdesk.ui.incidents.casework_dialogs import FoundIncidentDialog

        today = self.ctx.clock().date()
        held = [p for p in SessionService(self.ctx).list(SessionFilter(date_to=today.isoformat()))
                if p.status in ("bezig", "afgesloten")]
        held.sort(key=lambda p: p.starts_at, reverse=True)
        sessions = [(p.id, f"{format_date(p.session_date)} · {p.title} · {p.room_label}") for p in held]

        def roster(session_id: str) -> list[tuple[int, str]]:
            return [(r.candidate_id, f"{r.name} ({r.student_number})")
                    for r in SessionService(self.ctx).roster(session_id)]

        found: list[str] = []

        def submit(session_id: str, values: FoundIncidentInput) -> None:
            found.append(CaseworkService(self.ctx).record_found_incident(session_id, values).incident_id)

        dialog = FoundIncidentDialog(self, self.service.catalogue, sessions, roster, today, submit)
        if not self.exec_dialog(dialog):
            return False
        self.filters.fill_choices()
        self.reload(found[0], show_anyway=True)
        return True

    def record_hearing(self) -> bool:
        from examdesk.ui.incidents.casework_dialogs import HearingDialog

        case = self.case
        dialog = HearingDialog(self, [(c.candidate_id, c.name) for c in case.candidates], self.ctx.user.full_name,
                               self.ctx.clock().date(),
                               lambda h: CaseworkService(self.ctx).record_hearing(case.row.incident_id, h))
        return self._run(dialog)

    def add_evidence(self) -> bool:
        from examdesk.ui.incidents.casework_dialogs import EvidenceDialog

        case = self.case
        hearings = [(h.id, f"horen van {self.extras.names.get(h.candidate_id, '')} ({format_date(h.day)})")
                    for h in self.extras.hearings if h.outcome != "niet_gehoord"]
        dialog = EvidenceDialog(self, hearings, lambda name, content, description, hearing: CaseworkService(
            self.ctx).attach(case.row.incident_id, name, content, description, hearing))
        return self._run(dialog)

    def appeal(self) -> bool:
        """A running appeal gets its ruling; otherwise an appeal is lodged against a current decision."""
        from examdesk.ui.incidents.casework_dialogs import AppealDialog, AppealOutcomeDialog

        case = self.case
        service = CaseworkService(self.ctx)
        running = [a for a in self.extras.appeals if a.running]
        if running:
            a = running[0]

            def rule(hearing_on, outcome, decided_on, note, new, logins) -> None:  # noqa: ANN001
                if hearing_on is not None and hearing_on != service.appeals(case.row.incident_id)[0].hearing_on:
                    service.record_appeal_hearing(a.id, hearing_on)
                service.record_appeal_outcome(a.id, outcome, decided_on, note, new, logins)

            dialog = AppealOutcomeDialog(self, a.sentence, self.service.allowed_measures(case.row.incident_id),
                                         self.ctx.clock().date(), rule)
            return self._run(dialog)
        choices = []
        for d in case.decisions:
            if d.current and d.candidate_id is not None:
                sent, until = service.appeal_term(d.id)
                term = (f"termijn tot en met {format_date(until)}" if until else "brief nog niet verzonden")
                choices.append((d, term))
        dialog = AppealDialog(self, choices, self.ctx.clock().date(),
                              lambda decision_id, on, by, late: service.lodge_appeal(decision_id, on, by, late))
        return self._run(dialog)

    def history(self) -> bool:
        from examdesk.ui.incidents.casework_dialogs import HistoryDialog

        service = CaseworkService(self.ctx)
        dialog = HistoryDialog(self, [(c.candidate_id, c.name) for c in self.case.candidates], service.history)
        self.exec_dialog(dialog)
        return True

    # --- the decision letter ------------------------------------------------------------------------------------
    def ask_minor(self, decision_id: str) -> bool:
        """Before a letter is made: when the birth date is unknown, the commission answers first (or nothing is
        made). Someone who may not answer goes on, and the service refuses the letter with the question."""
        from examdesk.ui.incidents.letter_dialogs import MinorDialog

        service = DecisionLetterService(self.ctx)
        question = service.state(decision_id).question
        if not question or not self.can_decide:
            return True
        return bool(self.exec_dialog(MinorDialog(self, service, decision_id, question)))

    def record_dispatch(self, decision: Decision) -> bool:
        """'Brief verzonden…': the day the letter was sent; the decision card then says until when to appeal."""
        from examdesk.ui.incidents.letter_dialogs import DispatchDialog

        dialog = DispatchDialog(self, DecisionLetterService(self.ctx), decision, self.ctx.clock().date())
        return self._run(dialog)


def _set_text(widget: Any, text: str) -> None:
    if widget.text() != text:
        widget.setText(text)
