"""Incidenten: the commission's desk. Counts per status on top (each a filter), the list with its
filters on the left, the selected incident's file on the right with the actions it allows now."""

from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, QTimer
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from examdesk.domain.clock import format_date, format_datetime, format_time, parse_date
from examdesk.domain.errors import ExamDeskError
from examdesk.domain.incident_desk import (
    HANDLER_FILTERS,
    REPORT_SUBJECTS,
    STATUSES,
    Decision,
    IncidentFilter,
    IncidentRow,
)
from examdesk.domain.roles import Action
from examdesk.domain.sessions import CENTRAL_EXAMS
from examdesk.services.context import AppContext
from examdesk.services.ids import short_id
from examdesk.services.incident_desk import IncidentCase, IncidentDeskService, correction_note
from examdesk.services.users import UserService
from examdesk.ui.common import SearchPicker
from examdesk.ui.decision_letter_dialogs import dispatch_button, ensure_minor_answered, letter_line
from examdesk.ui.document_panel import DocumentPanel, DocumentTexts
from examdesk.ui.document_view import DocumentViewer
from examdesk.ui.incident_correction_dialog import correct_incident
from examdesk.ui.incident_dialogs import (
    AnswerDialog,
    DecisionDialog,
    ReasonDialog,
    ReclassifyDialog,
    ReportDialog,
)
from examdesk.ui.incident_overview import IncidentOverviewActions
from examdesk.ui.incident_withdraw import withdraw_incident
from examdesk.ui.profile_dialog import CONTACT_NEEDED, MyDetailsDialog
from examdesk.ui.style import ACCENT, MUTED, RULE, WARN
from examdesk.ui.table_models import PagedTableModel

Index = QModelIndex | QPersistentModelIndex
STATUS_LABELS = {s: s[0].upper() + s[1:] for s in STATUSES}

FORM_TEXTS = DocumentTexts(
    button="Inspectieformulier…",
    tooltip="Maak het Aanvraagformulier opnieuw afnemen centraal examen voor dit incident, met u als indiener",
    outdated="Na het maken van het formulier zijn gegevens gewijzigd — maak een nieuw formulier.",
    renew="Nieuw formulier",
    current="Het aanvraagformulier is actueel.",
    stale="Het aanvraagformulier is niet meer actueel.",
    none="Nog geen aanvraagformulier gemaakt.",
    busy="Aanvraagformulier maken…",
)
LETTER_TEXTS = DocumentTexts(
    button="Besluitbrief…",
    tooltip="Maak de brief aan de kandidaat over dit besluit (met afschrift voor de wettelijk vertegenwoordigers "
            "als de kandidaat minderjarig was)",
    outdated="Na het maken van de brief zijn gegevens gewijzigd — maak een nieuwe brief.",
    renew="Nieuwe brief",
    current="Brief gemaakt en actueel.",
    stale="Brief niet meer actueel.",
    none="Nog geen brief.",
    busy="Besluitbrief maken…",
)


class IncidentTableModel(PagedTableModel[IncidentRow]):
    SORT_KEYS = ["tijd", "categorie", "route", "status", "afname", "locatie", "kandidaten", "id"]

    def __init__(self, service: IncidentDeskService, parent: Any = None):
        names = service.category_names
        columns = [
            ("Datum en tijd", lambda r: format_datetime(r.occurred_at)),
            ("Categorie", lambda r: names.get(r.category, r.category) + (" *" if r.reclassified else "")),
            ("Route", lambda r: r.handler_label),
            ("Status", lambda r: r.status + (" · te melden" if r.to_report else "")),
            ("Afname", lambda r: r.session_title),
            ("Locatie", lambda r: f"{r.location_name} · {r.room_name}"),
            ("Kandidaten", lambda r: _candidates_cell(r)),
            ("Id", lambda r: short_id(r.incident_id)),   # what `examdesk report inspectie` accepts
        ]
        self.service = service
        self.filter = IncidentFilter()
        self.sort_key = "tijd"
        self.descending = True
        super().__init__(columns, count=lambda: service.count(self.filter),
                         fetch=lambda offset, limit: service.page(self.filter, offset, limit, self.sort_key,
                                                                  self.descending), parent=parent)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.sort_key = self.SORT_KEYS[column]
        self.descending = order == Qt.SortOrder.DescendingOrder
        self.reload()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if index.isValid() and role == Qt.ItemDataRole.ForegroundRole:
            row = self.rows[index.row()]
            if index.column() == 3 and row.to_report:
                return QColor(WARN)
            if row.status == "afgesloten":
                return QColor(MUTED)
            return None
        return super().data(index, role)

    def row_of(self, incident_id: str) -> int:
        return next((n for n, r in enumerate(self.rows) if r.incident_id == incident_id), -1)


def _candidates_cell(r: IncidentRow) -> str:
    if r.candidate_count == 0:
        return "—"
    if r.candidate_count <= 3:
        return r.candidate_names
    return f"{r.candidate_count} kandidaten"


def _section(title: str) -> QLabel:
    label = QLabel(title)
    label.setObjectName("SectionTitle")
    label.setStyleSheet(f"font-weight: bold; color: {MUTED}; text-transform: uppercase; font-size: 9pt;"
                        f" padding-top: 10px; border-bottom: 1px solid {RULE};")
    return label


def _text(html: str) -> QLabel:
    label = QLabel(html)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    return label


class IncidentsScreen(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.service = IncidentDeskService(ctx)
        self.can_decide = ctx.can(Action.DECIDE_INCIDENT)
        self.case: IncidentCase | None = None
        self.exec_dialog = lambda dialog: dialog.exec() == QDialog.DialogCode.Accepted
        self._loading = False

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 10, 16, 10)

        # counts per status: each one a filter
        chips = QHBoxLayout()
        self.chips: dict[str, QPushButton] = {}
        for status in ("", *STATUSES):
            button = QPushButton()
            button.setCheckable(True)
            button.setObjectName("StatusChip")
            button.clicked.connect(lambda _=False, s=status: self._choose_status(s))
            self.chips[status] = button
            chips.addWidget(button)
        chips.addStretch(1)
        self.overview = IncidentOverviewActions(ctx, self._overview_filter, self)
        chips.addWidget(self.overview)
        layout.addLayout(chips)

        # filters
        row1 = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText("Zoeken: wat er gebeurde, categorie, afname, locatie, kandidaat …")
        self.search.setClearButtonEnabled(True)
        self.category = QComboBox()
        self.route = QComboBox()
        self.location = QComboBox()
        # sessions grow with the years: typed and fetched on demand instead of a list of thousands
        self.session = SearchPicker(self.service.session_choices, "Afname (typ titel of datum)")
        for combo, letters in ((self.category, 22), (self.route, 14), (self.location, 14)):
            # long names are cut in the closed box (the list shows them whole), so the screen fits a laptop
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(letters)
        self.session.setMinimumWidth(200)
        row1.addWidget(self.search, 3)
        row1.addWidget(self.category, 2)
        row1.addWidget(self.route, 1)
        layout.addLayout(row1)
        row2 = QHBoxLayout()
        self.candidate = QLineEdit()
        self.candidate.setPlaceholderText("Kandidaat (naam of studentnummer)")
        self.candidate.setClearButtonEnabled(True)
        self.date_from = QLineEdit()
        self.date_from.setPlaceholderText("van dd-mm-jjjj")
        self.date_to = QLineEdit()
        self.date_to.setPlaceholderText("tot en met dd-mm-jjjj")
        for edit in (self.date_from, self.date_to):
            edit.setMaximumWidth(150)
        self.to_report = QCheckBox("te melden bij de Inspectie")
        self.without_letter = QCheckBox("besluit zonder brief")
        self.reset = QPushButton("Filters wissen")
        row2.addWidget(self.location, 2)
        row2.addWidget(self.session, 2)
        row2.addWidget(self.candidate, 2)
        row2.addWidget(self.date_from)
        row2.addWidget(self.date_to)
        row2.addWidget(self.to_report)
        row2.addWidget(self.without_letter)
        row2.addWidget(self.reset)
        layout.addLayout(row2)
        self.filter_error = QLabel("")
        self.filter_error.setObjectName("ErrorText")
        self.filter_error.hide()
        layout.addWidget(self.filter_error)

        # list left, file right
        split = QSplitter(Qt.Orientation.Horizontal)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.model = IncidentTableModel(self.service, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.DescendingOrder)
        self.table.setSortingEnabled(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((128, 220, 140, 150, 150, 190, 160)):
            self.table.setColumnWidth(column, width)
        left_layout.addWidget(self.table)
        self.total = QLabel("")
        self.total.setObjectName("Hint")
        left_layout.addWidget(self.total)
        split.addWidget(left)

        self.detail_scroll = QScrollArea()
        self.detail_scroll.setObjectName("DetailPanel")
        self.detail_scroll.setStyleSheet(f"#DetailPanel, #DetailPanel > QWidget > QWidget {{ background: white; }}"
                                         f" #DetailPanel {{ border-left: 1px solid {RULE}; }}")
        self.detail_scroll.setWidgetResizable(True)
        self.detail_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.detail = QWidget()
        self.detail_layout = QVBoxLayout(self.detail)
        self.detail_layout.setContentsMargins(14, 4, 8, 8)
        self.detail_scroll.setWidget(self.detail)
        self.detail_scroll.setMinimumWidth(430)
        split.addWidget(self.detail_scroll)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([640, 480])
        layout.addWidget(split, 1)

        self.action_buttons: dict[str, QPushButton] = {}
        self.revise_buttons: dict[str, QPushButton] = {}
        self.form_panel: DocumentPanel | None = None           # the Inspectie form, when the route asks for it
        self.letter_panels: dict[str, DocumentPanel] = {}      # decision id → its letter
        self.last_viewer: DocumentViewer | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(200)
        self._timer.timeout.connect(self.reload)
        self.search.textChanged.connect(lambda _: self._timer.start())
        self.candidate.textChanged.connect(self._on_candidate_typed)
        self.date_from.editingFinished.connect(self.reload)
        self.date_to.editingFinished.connect(self.reload)
        for combo in (self.category, self.route, self.location):
            combo.currentIndexChanged.connect(lambda _=0: self._on_filter_changed())
        self.session.chosen.connect(lambda _value: self._on_filter_changed())
        self.to_report.toggled.connect(lambda _: self._on_filter_changed())
        self.without_letter.toggled.connect(lambda _: self._on_filter_changed())
        self.reset.clicked.connect(lambda: self.apply_filter({}))
        self.table.selectionModel().currentRowChanged.connect(self._on_row)
        self.status = ""
        self._fill_choices()
        self._show_empty()

    # --- filters ---------------------------------------------------------------------------------
    def _fill_choices(self) -> None:
        self._loading = True
        choices = self.service.filter_choices()

        def fill(combo: QComboBox, first: str, items: list[tuple[Any, str]]) -> None:
            current = combo.currentData()
            combo.clear()
            combo.addItem(first, None)
            for value, label in items:
                combo.addItem(label, value)
            combo.setCurrentIndex(max(0, combo.findData(current)))

        fill(self.category, "Alle categorieën", choices["categories"])
        fill(self.route, "Alle routes", list(HANDLER_FILTERS.items()))
        fill(self.location, "Alle locaties", choices["locations"])
        self._loading = False

    def _on_candidate_typed(self, _text: str) -> None:
        if not self._loading:
            self._candidate_id = None
            self._timer.start()

    def _on_filter_changed(self) -> None:
        if not self._loading:
            self.reload()

    def _choose_status(self, status: str) -> None:
        self.status = status
        self.reload()

    def current_filter(self) -> IncidentFilter:
        errors = []

        def when(edit: QLineEdit, what: str) -> Any:
            text = edit.text().strip()
            if not text:
                return None
            try:
                return parse_date(text)
            except ValueError:
                errors.append(f"'{text}' is geen datum ({what}); typ dd-mm-jjjj.")
                return None

        f = IncidentFilter(
            status=self.status, category=self.category.currentData() or "", handler=self.route.currentData() or "",
            location_id=self.location.currentData(), date_from=when(self.date_from, "van"),
            date_to=when(self.date_to, "tot en met"), session_id=self.session.value() or "",
            candidate_id=self._candidate_id, candidate=self.candidate.text(), text=self.search.text(),
            to_report=self.to_report.isChecked(), without_letter=self.without_letter.isChecked())
        self.filter_error.setText(" ".join(errors))
        self.filter_error.setVisible(bool(errors))
        return f

    _candidate_id: int | None = None

    def _overview_filter(self) -> IncidentFilter | None:
        """The filters as they stand, for the overview; None while a date cannot be read."""
        f = self.current_filter()
        return None if self.filter_error.text() else f

    def apply_filter(self, filter: dict[str, Any]) -> None:
        """Keys: status, categorie, route, locatie, afname, kandidaat (id or text), van, tot (dd-mm-jjjj),
        zoek, te_melden, zonder_brief, incident (select it). Everything else is cleared."""
        self._loading = True
        self.status = filter.get("status", "")
        for combo, key in ((self.category, "categorie"), (self.route, "route"), (self.location, "locatie")):
            combo.setCurrentIndex(max(0, combo.findData(filter.get(key))) if key in filter else 0)
        session_id = filter.get("afname")
        self.session.set_value(session_id, self.service.session_label(session_id) if session_id else "")
        candidate = filter.get("kandidaat")
        self._candidate_id = candidate if isinstance(candidate, int) else None
        self.candidate.setText(candidate if isinstance(candidate, str) else "")
        self.date_from.setText(filter.get("van", ""))
        self.date_to.setText(filter.get("tot", ""))
        self.search.setText(filter.get("zoek", ""))
        self.to_report.setChecked(bool(filter.get("te_melden")))
        self.without_letter.setChecked(bool(filter.get("zonder_brief")))
        self._loading = False
        self._timer.stop()
        self.reload()
        if filter.get("incident"):
            self.select(filter["incident"])

    # --- list --------------------------------------------------------------------------------------
    def refresh(self) -> None:
        self._fill_choices()
        self.reload()

    def reload(self, keep: str | None = None, show_anyway: bool = False) -> None:
        """Re-reads the list and the counts. The incident on show stays selected when it is still in
        the list (or, after an action, stays on show even when the filter now hides it)."""
        if self._loading:
            return
        keep = keep or (self.case.row.incident_id if self.case else None)
        f = self.current_filter()
        self.model.filter = f
        self.model.reload()
        counts = self.service.status_counts(f)
        everything = sum(counts.values())
        for status, button in self.chips.items():
            n = everything if status == "" else counts[status]
            button.setText(f"{STATUS_LABELS.get(status, 'Alle')}  {n}")
            button.setChecked(status == self.status)
        self.total.setText(f"{self.model.total} {'incident' if self.model.total == 1 else 'incidenten'}"
                           " · * = geherclassificeerd")
        if keep and (self.model.row_of(keep) >= 0 or show_anyway):
            self.select(keep, show_anyway=show_anyway)
        elif self.model.rows:
            self.table.selectRow(0)
            self.show_incident(self.model.rows[0].incident_id)
        else:
            self.case = None
            self._show_empty("Geen incidenten bij deze filters.")

    def select(self, incident_id: str, show_anyway: bool = False) -> None:
        row = self.model.row_of(incident_id)
        while row < 0 and self.model.canFetchMore():
            self.model.fetchMore()
            row = self.model.row_of(incident_id)
        if row >= 0:
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))
            self.show_incident(incident_id)
        elif show_anyway:
            self.table.clearSelection()
            self.show_incident(incident_id)

    def _on_row(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid() and current.row() < len(self.model.rows):
            incident_id = self.model.record(current.row()).incident_id
            if self.case is None or self.case.row.incident_id != incident_id:
                self.show_incident(incident_id)

    # --- the file ----------------------------------------------------------------------------------
    def _clear_detail(self) -> None:
        self.action_buttons = {}
        self.revise_buttons = {}
        self.form_panel = None
        self.letter_panels = {}
        while self.detail_layout.count():
            item = self.detail_layout.takeAt(0)
            widget = item.widget()
            if widget is not None:
                widget.hide()
                widget.setParent(None)
                widget.deleteLater()
            elif item.layout() is not None:
                item.layout().deleteLater()

    def _show_empty(self, text: str = "Kies een incident in de lijst om het dossier te zien.") -> None:
        self._clear_detail()
        notice = QLabel(text)
        notice.setObjectName("Notice")
        notice.setWordWrap(True)
        self.detail_layout.addWidget(notice)
        self.detail_layout.addStretch(1)

    def show_incident(self, incident_id: str) -> None:
        try:
            case = self.service.case(incident_id)
        except ExamDeskError as exc:
            self.case = None
            self._clear_detail()
            self.detail_layout.addWidget(_text(escape(exc.message)))
            return
        self.case = case
        self._clear_detail()
        add = self.detail_layout.addWidget
        r = case.row
        name = case.category_name(r.category)
        head = _text(f"<span style='font-size:14pt; font-weight:bold'>{escape(name)}</span>"
                     f"<br><span style='color:{MUTED}'>{format_datetime(r.occurred_at)} · "
                     f"{escape(r.session_title)} · {escape(r.location_name)}, lokaal {escape(r.room_name)}</span>")
        add(head)
        status_color = WARN if r.to_report else ACCENT
        badge = _text(f"<span style='color:{status_color}; font-weight:bold'>{escape(r.status)}</span>"
                      f"<span style='color:{MUTED}'> · {escape(r.handler_label)}</span>")
        add(badge)
        if case.waiting is not None:
            add(_text(f"<span style='color:{WARN}; font-weight:bold'>{escape(case.waiting.text)}</span>"))
        self._actions(case)
        if r.needs_inspectie_form and self.ctx.can(Action.PRODUCE_DOCUMENTS):
            self.form_panel = self._document_panel("inspectie", FORM_TEXTS, r.incident_id)
            self.form_panel.before_make = self.ensure_contact
            add(self.form_panel)

        add(_section("Triage"))
        triage = f"<b>{escape(case.category_name(r.category))}</b> {escape(r.route.sentence)}<br>"
        triage += escape(case.explanation)
        if r.reclassified or r.doubtful:
            triage += f"<br><span style='color:{MUTED}'>Oorspronkelijk vastgelegd als: {escape(case.recorded_route)}"
            triage += "</span>"
        for t in case.triage:
            when = format_datetime(t.recorded_at)
            if t.kind == "herclassificatie":
                triage += (f"<br>• {when} {escape(t.username)}: geherclassificeerd van "
                           f"{escape(case.category_name(t.previous_category))} naar "
                           f"{escape(case.category_name(t.category))} — <i>{escape(t.reason)}</i>")
            else:
                triage += f"<br>• {when} {escape(t.username)}: twijfelgeval — <i>{escape(t.reason)}</i>"
        add(_text(triage))

        add(_section("Zoals vastgelegd"))
        current = case.current
        payload = case.payload
        recorded = (f"{format_time(current.occurred)} · vastgelegd door {escape(current.username)} om "
                    f"{format_datetime(case.original.recorded)}")
        if payload.duration_minutes:
            recorded += f" · duur {payload.duration_minutes} min"
        recorded += f"<br><b>Wat gebeurde er?</b> {escape(payload.what_happened)}"
        if payload.what_was_done:
            recorded += f"<br><b>Wat is gedaan?</b> {escape(payload.what_was_done)}"
        named = len(payload.candidate_ids)
        scope = "alle kandidaten" if payload.all_candidates else \
            ("geen" if named == 0 else f"{named} {'kandidaat' if named == 1 else 'kandidaten'}")
        recorded += f"<br><span style='color:{MUTED}'>Betrokken volgens de surveillant: {scope}</span>"
        for older, newer in case.corrections:
            recorded += (f"<br><span style='color:{MUTED}'>Gecorrigeerd op {format_datetime(newer.recorded)} door "
                         f"{escape(newer.username)}; eerder: <s>{escape(older.what_happened)}</s>"
                         f"{escape(correction_note(newer))}</span>")
        add(_text(recorded))

        add(_section(f"Kandidaten ({len(case.candidates)})"))
        if case.candidates:
            lines = []
            for c in case.candidates:
                age = f"{c.age} jaar" if c.age is not None else "leeftijd onbekend"
                if c.minor:
                    age += f" <span style='color:{WARN}'>(minderjarig)</span>"
                pc = f"pc {c.workstation:02d} · " if c.workstation else ""
                decided = (f" — besluit {c.decision.number}: {escape(c.decision.summary)}" if c.decision
                           else "" if r.facts.particular or r.facts.withdrawn
                           else f" — <span style='color:{MUTED}'>nog geen besluit</span>")
                lines.append(f"{pc}<b>{escape(c.name)}</b> ({escape(c.student_number)}), {age} op "
                             f"{format_date(r.occurred_at)}{decided}")
            add(_text("<br>".join(lines)))
        else:
            add(_text(f"<span style='color:{MUTED}'>Geen kandidaten betrokken.</span>"))

        add(_section("Afname"))
        plan = case.plan
        what = CENTRAL_EXAMS.get(plan.central_exam or "", plan.title) if plan.exam_kind == "centraal" else plan.title
        session = (f"{escape(plan.kind_label)}: <b>{escape(what)}</b>"
                   + (f" · variant {escape(plan.variant)}" if plan.variant else "")
                   + (f" · {escape(plan.period)}" if plan.period else "")
                   + f"<br>{format_date(plan.session_date)} {format_time(plan.starts_at)} · {escape(plan.room_label)}"
                   + f"<br>Surveillanten: {escape(plan.invigilator_names) or '—'}")
        if case.around:
            session += "<br><b>Rond het incident</b>"
            for line in sorted(case.around, key=lambda x: x.at):
                style = "text-decoration: line-through;" if line.voided else ""
                session += (f"<br><span style='color:{MUTED}'>{format_time(line.at)}</span> "
                            f"<span style='{style}'>{escape(line.text)}</span>")
        add(_text(session))

        if case.reports or case.answers:
            add(_section("Inspectie"))
            lines = []
            for rep in case.reports:
                lines.append(f"{format_date(rep.reported_on)} {escape(rep.subject_label)} door "
                             f"{escape(rep.reported_by_name)}" + (f", kenmerk {escape(rep.reference)}"
                                                                  if rep.reference else "")
                             + (f" — {escape(rep.remark)}" if rep.remark else ""))
            for ans in case.answers:
                who = ""
                if ans.candidate_ids:
                    names = {c.candidate_id: c.name for c in case.candidates}
                    who = ": " + ", ".join(escape(names.get(i, str(i))) for i in ans.candidate_ids)
                lines.append(f"{format_date(ans.answered_on)} antwoord: <b>{escape(ans.outcome_label)}</b>{who}"
                             + (f", kenmerk {escape(ans.reference)}" if ans.reference else "")
                             + (f" — {escape(ans.remark)}" if ans.remark else ""))
            add(_text("<br>".join(lines)))

        if case.decisions:
            add(_section("Besluiten"))
            for d in sorted(case.decisions, key=lambda x: (not x.current, -x.number)):
                add(self._decision_widget(d))

        if case.resits:
            add(_section("Herkansing nodig"))
            add(_text("<br>".join(f"{escape(x.candidate_name)} — {escape(x.source_label)}, {x.scope}, "
                                  f"{escape(x.status_label)}" for x in case.resits)))

        if case.closures:
            add(_section("Afsluiting"))
            add(_text("<br>".join(f"{format_datetime(c.at)} {escape(c.action)} door {escape(c.username)}"
                                  + (f" — {escape(c.note)}" if c.note else "") for c in case.closures)))
        self.detail_layout.addStretch(1)

    def _decision_widget(self, d: Decision) -> QWidget:
        frame = QFrame()
        frame.setObjectName("DecisionCard")
        color = RULE if d.current else "#eceff2"
        frame.setStyleSheet(f"#DecisionCard {{ border: 1px solid {color}; border-radius: 4px; }}")
        box = QVBoxLayout(frame)
        box.setContentsMargins(8, 6, 8, 6)
        muted = "" if d.current else f"color:{MUTED};"
        who = escape(d.candidate_name) if d.candidate_name else "het incident als geheel"
        text = (f"<span style='{muted}'><b>Besluit {d.number}</b> · {format_date(d.decided_on)} · {who}"
                f" <span style='color:{MUTED}'>· id {short_id(d.id)}</span><br>"
                f"{escape(d.summary)}<br><span style='color:{MUTED}'>Grond: {escape(d.ground)} · besloten door "
                f"{escape(', '.join(d.members))}<br>Gehoord: "
                f"{'ja, ' + format_date(d.heard_on) if d.heard and d.heard_on else 'nee'} · "
                f"minderjarig op de besluitdatum: "
                f"{'ja (afschrift aan wettelijk vertegenwoordigers)' if d.minor else 'onbekend' if d.minor is None else 'nee'}"
                f"</span><br><i>{escape(d.reasoning)}</i>")
        if d.revision_reason:
            text += f"<br>Herziening: {escape(d.revision_reason)}"
        text += letter_line(self, d)
        letters = d.candidate_id is not None and self.ctx.can(Action.PRODUCE_DOCUMENTS)
        if d.current and not letters:
            letter = ("brief gemaakt" if d.has_letter
                      else f"<span style='color:{WARN}'>nog geen brief</span>" if d.candidate_id is not None
                      else "geen brief: het besluit gaat over het incident als geheel")
            text += f"<br>{letter}"
        elif not d.current:
            successor = next((x.number for x in self.case.decisions if x.id == d.superseded_by), None)
            text += f"<br><span style='color:{MUTED}'>vervangen door besluit {successor}</span>"
        text += "</span>"
        box.addWidget(_text(text))
        row: QHBoxLayout | None = None
        if letters:
            panel = self._document_panel("besluit", LETTER_TEXTS, d.id)
            panel.before_make = lambda dec=d: ensure_minor_answered(self, dec.id)
            if d.current and not d.has_letter:
                panel.state.setObjectName("CardWarning")    # owed: the Overzicht counts it
            self.letter_panels[d.id] = panel
            box.addWidget(panel)
            row = panel.row                                # revising sits on the letter's line
            if (sent := dispatch_button(self, d)) is not None:
                row.addWidget(sent)
        if d.current and self.can_decide and not self.case.row.closed:
            button = QPushButton(f"Besluit {d.number} herzien")
            button.clicked.connect(lambda _=False, dec=d: self.revise(dec))
            self.revise_buttons[d.id] = button
            if row is None:
                row = QHBoxLayout()
                row.addStretch(1)
                box.addLayout(row)
            row.addWidget(button)
        return frame

    def _document_panel(self, kind: str, texts: DocumentTexts, subject_id: str) -> DocumentPanel:
        """The shared document button with its state and outdated bar (as on the Afnames screen); after a
        new document the file is re-read, so the letter state and the counts follow at once."""
        panel = DocumentPanel(self.ctx, kind, texts)
        panel.show_subject(subject_id)
        panel.issued.connect(self._document_issued)
        return panel

    def _document_issued(self, _record: Any, viewer: DocumentViewer) -> None:
        self.last_viewer = viewer
        self._after()

    def ensure_contact(self) -> bool:
        """The Inspectie form prints the submitter's phone and e-mail: ask for them first when missing."""
        me = UserService(self.ctx).own_profile()
        if me.phone.strip() and me.email.strip():
            return True
        dialog = MyDetailsDialog(self.ctx, self, reason=CONTACT_NEEDED, require_contact=True)
        if not self.exec_dialog(dialog):
            return False
        me = UserService(self.ctx).own_profile()
        return bool(me.phone.strip() and me.email.strip())

    def _actions(self, case: IncidentCase) -> None:
        if not self.can_decide:
            return
        a = case.actions
        wrap = QWidget()
        row = QHBoxLayout(wrap)
        row.setContentsMargins(0, 4, 0, 4)
        buttons: list[tuple[str, str, Any]] = []
        if a.decide:
            buttons.append(("besluiten", "Besluiten", self.decide))
        if a.report:
            label = "Besluit melden bij Inspectie" if a.report == "besluit" else "Melding Inspectie vastleggen"
            buttons.append(("melden", label, self.record_report))
        if a.answer:
            buttons.append(("antwoord", "Antwoord Inspectie", self.record_answer))
        if a.close:
            buttons.append(("afsluiten", "Afsluiten", self.close_incident))
        if a.reopen:
            buttons.append(("heropenen", "Heropenen", self.reopen))
        primary = len(buttons)
        if a.reclassify:
            buttons.append(("herclassificeren", "Herclassificeren", self.reclassify))
        if a.doubtful:
            buttons.append(("twijfelgeval", "Twijfelgeval", self.mark_doubtful))
        if a.correct:
            buttons.append(("corrigeren", "Corrigeren", lambda: correct_incident(self)))
        if a.withdraw:
            buttons.append(("intrekken", "Intrekken", lambda: withdraw_incident(self)))
        for n, (key, label, slot) in enumerate(buttons):
            button = QPushButton(label)
            if n == 0 and primary:
                button.setDefault(True)
            button.clicked.connect(lambda _=False, s=slot: s())
            self.action_buttons[key] = button
            row.addWidget(button)
        row.addStretch(1)
        self.detail_layout.addWidget(wrap)
        if not a.close and a.close_blocker and not a.reopen:
            hint = _text(f"<span style='color:{MUTED}'>Afsluiten kan nog niet: {escape(a.close_blocker)}</span>")
            self.detail_layout.addWidget(hint)

    # --- actions -------------------------------------------------------------------------------------------
    def _after(self) -> None:
        incident_id = self.case.row.incident_id if self.case else None
        self._fill_choices()
        self.reload(incident_id, show_anyway=True)

    def _run(self, dialog: QDialog) -> bool:
        accepted = bool(self.exec_dialog(dialog))
        if accepted:
            self._after()
        return accepted

    def reclassify(self) -> bool:
        r = self.case.row
        dialog = ReclassifyDialog(self, self.service.catalogue, r.exam_kind, r.category,
                                  lambda code, reason: self.service.reclassify(r.incident_id, code, reason))
        return self._run(dialog)

    def mark_doubtful(self) -> bool:
        r = self.case.row
        dialog = ReasonDialog(self, "Twijfelgeval", "Waarom twijfelt de examencommissie of zij dit zelf mag "
                              "afhandelen? Het incident wordt als twijfelgeval bij de Inspectie gemeld.",
                              lambda reason: self.service.mark_doubtful(r.incident_id, reason))
        return self._run(dialog)

    def record_report(self) -> bool:
        r = self.case.row
        subject = self.case.actions.report or "melding"
        dialog = ReportDialog(self, REPORT_SUBJECTS[subject], self.ctx.clock().date(),
                              self.service.commission_members(), self.ctx.user.id,
                              lambda on, ref, by, remark: self.service.record_report(r.incident_id, on, ref, by,
                                                                                     remark))
        return self._run(dialog)

    def record_answer(self) -> bool:
        r = self.case.row
        candidates = [(c.candidate_id, c.name) for c in self.case.candidates]
        dialog = AnswerDialog(self, self.ctx.clock().date(), candidates,
                              lambda outcome, on, ref, scope, ids, remark: self.service.record_answer(
                                  r.incident_id, outcome, on, ref, scope, ids, remark))
        return self._run(dialog)

    def decide(self, candidate_id: int | None = None) -> bool:
        case = self.case
        open_ = [(c.candidate_id, f"{c.name} ({c.student_number})") for c in case.candidates if c.decision is None]
        preselected = {candidate_id} if candidate_id else {c for c, _ in open_}
        dialog = DecisionDialog(self, case.row.protocol_point, self.service.allowed_measures(case.row.incident_id),
                                open_, preselected, self.service.commission_members(), self.ctx.user.id,
                                self.ctx.clock().date(), lambda d: self.service.decide(case.row.incident_id, d))
        return self._run(dialog)

    def revise(self, decision: Decision) -> bool:
        case = self.case
        dialog = DecisionDialog(self, case.row.protocol_point, self.service.allowed_measures(case.row.incident_id),
                                [], set(), self.service.commission_members(), self.ctx.user.id,
                                self.ctx.clock().date(), lambda d: self.service.revise(decision.id, d),
                                revising=decision)
        return self._run(dialog)

    def close_incident(self) -> bool:
        r = self.case.row
        dialog = ReasonDialog(self, "Incident afsluiten", "Het incident is afgehandeld. Een opmerking bij het "
                              "afsluiten (optioneel):", lambda note: self.service.close(r.incident_id, note),
                              required=False, ok_text="Afsluiten")
        return self._run(dialog)

    def reopen(self) -> bool:
        r = self.case.row
        dialog = ReasonDialog(self, "Incident heropenen", "Waarom wordt het incident heropend?",
                              lambda reason: self.service.reopen(r.incident_id, reason), ok_text="Heropenen")
        return self._run(dialog)
