"""Register: kwalificaties left (with a badge of instruments not valid today), the instruments of the
selected one right, and below them the selected instrument's verdict for today and its status
history. Filters narrow all three as you type. A second tab lists the examenleveranciers.

Keyboard: Ctrl+F search, Enter from the search field to the list, Alt+letter for every button,
Ctrl+N new instrument, F2 edit, Tab moves through filters, lists and buttons."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from examdesk.domain.clock import format_date, format_datetime, from_iso
from examdesk.domain.errors import ExamDeskError
from examdesk.domain.register import (
    ROUTE_LABELS,
    STATUS_LABELS,
    Criterion,
    RegisterFilter,
    Status,
    Supplier,
    adjacent_school_years,
    latest_checks,
    route_refusal,
    school_year_bounds,
    school_year_of,
)
from examdesk.domain.roles import Action
from examdesk.services.context import AppContext
from examdesk.services.navigation import RegisterTarget
from examdesk.services.register import (
    EXPIRY_WARNING_DAYS,
    InstrumentLine,
    QualificationLine,
    RegisterService,
    RegisterView,
)
from examdesk.ui.common import list_view, show_error
from examdesk.ui.fields import pydate, qdate
from examdesk.ui.register.dialogs import (
    AdoptDialog,
    CriteriaDialog,
    ImportDialog,
    InstrumentDialog,
    RouteChoiceDialog,
    RouteExceptionDialog,
    StatusStepDialog,
    SupplierDialog,
    choose_export_file,
    describe_choice,
)
from examdesk.ui.register.models import (
    instrument_model,
    qualification_model,
    supplier_label,
    supplier_model,
)
from examdesk.ui.style import ACCENT, MUTED, PANEL, RULE, WARN
from examdesk.ui.table_model import TableModel
from examdesk.ui.worker import run_in_background

STYLE = f"""
#RegisterDetail {{ background: {PANEL}; border: 1px solid {RULE}; border-radius: 6px; }}
#DetailTitle {{ font-size: 11pt; font-weight: bold; }}
#VerdictValid {{ color: {ACCENT}; font-weight: bold; font-size: 10.5pt; }}
#VerdictInvalid {{ color: {WARN}; font-weight: bold; font-size: 10.5pt; }}
#QualTitle {{ font-size: 11pt; font-weight: bold; }}
#RouteOk {{ color: {MUTED}; }}
#RouteMissing {{ color: {WARN}; font-weight: bold; }}
#SectionLabel {{ color: {MUTED}; font-weight: bold; font-size: 9pt; text-transform: uppercase; }}
"""


def _table(model: TableModel, name: str) -> QTableView:
    view = list_view(model, sortable=True, name=name)
    view.horizontalHeader().setStretchLastSection(False)
    view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    view.verticalHeader().setDefaultSectionSize(24)
    return view


class RegisterScreen(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.service = RegisterService(ctx)
        self.view_data: RegisterView | None = None
        self.setStyleSheet(STYLE)
        self._selected_crebo: str | None = None
        self._selected_instrument: str | None = None
        self._loading = False
        self._per_crebo: dict[str, list[InstrumentLine]] = {}

        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 10, 16, 10)
        self.tabs = QTabWidget()
        outer.addWidget(self.tabs)
        self.tabs.addTab(self._build_register_tab(), "&Kwalificaties en instrumenten")
        self.tabs.addTab(self._build_supplier_tab(), "Le&veranciers")
        corner = QWidget()  # beside the tabs, so the filter rows fit a 1366-pixel laptop screen
        corner_layout = QHBoxLayout(corner)
        corner_layout.setContentsMargins(0, 0, 0, 0)
        corner_layout.setSpacing(6)
        corner_layout.addWidget(self.import_button)
        corner_layout.addWidget(self.export_button)
        self.tabs.setCornerWidget(corner, Qt.Corner.TopRightCorner)

        QShortcut(QKeySequence.StandardKey.Find, self, activated=self._focus_search)
        QShortcut(QKeySequence("Ctrl+N"), self, activated=self.new_instrument)
        QShortcut(QKeySequence("F2"), self, activated=self.edit_instrument)
        self._update_actions()

    # --- building ---------------------------------------------------------------------------

    def _build_register_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.setContentsMargins(0, 8, 0, 0)

        filters = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText("Zoek op crebo, naam of code…  (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(200)
        self.search.textChanged.connect(self.apply_current_filter)
        self.search.returnPressed.connect(lambda: self.qual_table.setFocus())
        self.status = QComboBox()
        self.status.addItem("Alle statussen", None)
        for status in Status:
            self.status.addItem(STATUS_LABELS[status].capitalize(), status)
        self.route = QComboBox()
        self.route.addItem("Alle routes", None)
        for number in ROUTE_LABELS:
            self.route.addItem(f"Route {number}", number)
        self.supplier = QComboBox()
        self.supplier.addItem("Alle leveranciers", None)
        self.supplier.setMinimumContentsLength(12)
        self.supplier.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        for combo in (self.status, self.route, self.supplier):
            combo.currentIndexChanged.connect(self.apply_current_filter)
        filters.addWidget(self.search, 2)
        filters.addWidget(self.status)
        filters.addWidget(self.route)
        filters.addWidget(self.supplier, 1)
        layout.addLayout(filters)

        more = QHBoxLayout()
        today = self.ctx.clock().date()
        self.invalid_check = QCheckBox("Niet valide op")
        self.invalid_date = QDateEdit(qdate(today))
        self.invalid_date.setDisplayFormat("dd-MM-yyyy")
        self.invalid_date.setCalendarPopup(True)
        self.expiring_check = QCheckBox("Verloopt binnen")
        self.expiring_days = QSpinBox()
        self.expiring_days.setRange(1, 3650)
        self.expiring_days.setValue(EXPIRY_WARNING_DAYS)
        self.expiring_days.setSuffix(" dagen")
        self.mismatch_check = QCheckBox("Buiten gekozen route")
        self.no_choice_check = QCheckBox("Zonder routekeuze")
        self.choice_signal_check = QCheckBox("Routekeuze met signaal")
        self.choice_signal_check.setToolTip("Routekeuzes zonder afwegingen of vastgesteld na de start van het "
                                            "schooljaar")
        self.only_with = QCheckBox("Alleen met instrumenten")
        self.only_with.setChecked(True)
        for box in (self.invalid_check, self.expiring_check, self.mismatch_check, self.no_choice_check,
                    self.choice_signal_check, self.only_with):
            box.toggled.connect(self.apply_current_filter)
        self.invalid_date.dateChanged.connect(self._date_filter_changed)
        self.expiring_days.valueChanged.connect(self._days_filter_changed)
        clear = QPushButton("Filters &wissen")
        clear.clicked.connect(self.clear_filters)
        self.year = QComboBox()
        for year in adjacent_school_years(today):
            self.year.addItem(f"Schooljaar {year}", year)
        self.year.setCurrentIndex(self.year.findData(school_year_of(today)))
        self.year.currentIndexChanged.connect(self.refresh)
        for widget in (self.invalid_check, self.invalid_date, self.expiring_check, self.expiring_days,
                       self.mismatch_check, self.no_choice_check, clear):
            more.addWidget(widget)
        more.addStretch(1)
        filters.addWidget(self.choice_signal_check)
        filters.addWidget(self.year)
        self.import_button = QPushButton("I&mporteren…")
        self.export_button = QPushButton("&Exporteren…")
        self.import_button.clicked.connect(self.import_file)
        self.export_button.clicked.connect(self.export)
        layout.addLayout(more)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.qual_count = QLabel("")
        self.qual_count.setObjectName("Hint")
        self.qual_model = qualification_model(school_year_of(today), self)
        self.qual_table = _table(self.qual_model, "QualificationTable")
        header = self.qual_table.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for column, width in ((0, 58), (2, 36), (3, 46), (4, 56), (5, 80)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            self.qual_table.setColumnWidth(column, width)
        self.qual_table.selectionModel().currentRowChanged.connect(self._qualification_selected)
        count_row = QHBoxLayout()
        count_row.addWidget(self.qual_count, 1)
        count_row.addWidget(self.only_with)
        left_layout.addLayout(count_row)
        left_layout.addWidget(self.qual_table, 1)
        left.setMinimumWidth(320)
        splitter.addWidget(left)

        right = QSplitter(Qt.Orientation.Vertical)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        self.qual_title = QLabel("Kies een kwalificatie")
        self.qual_title.setObjectName("QualTitle")
        self.qual_title.setWordWrap(True)
        choice_row = QHBoxLayout()
        self.route_choice = QLabel("")
        self.route_choice.setWordWrap(True)
        self.route_button = QPushButton("&Routekeuze…")
        self.route_button.clicked.connect(self.choose_routes)
        choice_row.addWidget(self.route_choice, 1)
        choice_row.addWidget(self.route_button)
        self.instr_model = instrument_model(today, self)
        self.instr_table = _table(self.instr_model, "InstrumentTable")
        ih = self.instr_table.horizontalHeader()
        ih.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for column, width in ((0, 104), (2, 88), (3, 36), (4, 56), (5, 140), (6, 92), (7, 96)):
            self.instr_table.setColumnWidth(column, width)
        self.instr_table.selectionModel().currentRowChanged.connect(self._instrument_selected)
        self.instr_table.doubleClicked.connect(lambda _i: self.edit_instrument())
        buttons = QGridLayout()  # two rows of four: fits a laptop screen beside the kwalificaties
        self.new_button = QPushButton("&Nieuw instrument…")
        self.edit_button = QPushButton("&Bewerken…")
        self.adopt_button = QPushButton("Vast&stellen…")
        self.criteria_button = QPushButton("&Criteria…")
        self.criteria_button.setToolTip("Route 2: de vijf criteria van bijlage 2 A en de deskundigheid (2 B), vóór "
                                        "de vaststelling")
        self.change_button = QPushButton("&Gewijzigd…")
        self.change_button.setToolTip("Als gewijzigd markeren: de validiteit eindigt")
        self.provisional_button = QPushButton("Opdracht v&ervangen…")
        self.provisional_button.setToolTip("De school heeft opdrachten vervangen: onder voorbehoud tot de examencommissie "
                                           "het opnieuw vaststelt (alleen bij vervangbare opdrachten)")
        self.exception_button = QPushButton("Af&wijking routekeuze…")
        self.exception_button.setToolTip("Besluit van de examencommissie: dit instrument dit schooljaar toch inzetten "
                                         "buiten de routekeuze, met reden")
        self.withdraw_button = QPushButton("&Intrekken…")
        for number, (button, slot) in enumerate((
                (self.new_button, self.new_instrument), (self.edit_button, self.edit_instrument),
                (self.adopt_button, self.adopt), (self.criteria_button, self.record_criteria),
                (self.change_button, self.mark_changed), (self.provisional_button, self.mark_provisional),
                (self.exception_button, self.route_exception), (self.withdraw_button, self.withdraw))):
            button.clicked.connect(slot)
            buttons.addWidget(button, number // 4, number % 4)
        top_layout.addWidget(self.qual_title)
        top_layout.addLayout(choice_row)
        top_layout.addWidget(self.instr_table, 1)
        top_layout.addLayout(buttons)
        right.addWidget(top)
        right.addWidget(self._build_detail())
        right.setStretchFactor(0, 1)
        right.setStretchFactor(1, 1)
        right.setSizes([330, 330])
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([430, 900])
        layout.addWidget(splitter, 1)
        return tab

    def _build_detail(self) -> QWidget:
        frame = QFrame()
        frame.setObjectName("RegisterDetail")
        frame.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        layout = QVBoxLayout(frame)
        layout.setContentsMargins(14, 10, 14, 10)
        self.detail_title = QLabel("Geen instrument gekozen")
        self.detail_title.setObjectName("DetailTitle")
        self.detail_title.setWordWrap(True)
        self.verdict = QLabel("")
        self.verdict.setWordWrap(True)
        self.verdict.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.mismatch = QLabel("")
        self.mismatch.setObjectName("RouteMissing")
        self.mismatch.setWordWrap(True)
        self.signals = QLabel("")
        self.signals.setObjectName("RouteMissing")
        self.signals.setWordWrap(True)
        self.facts = QLabel("")
        self.facts.setWordWrap(True)
        self.facts.setTextFormat(Qt.TextFormat.RichText)
        self.facts.setAlignment(Qt.AlignmentFlag.AlignTop)
        history_label = QLabel("Statusgeschiedenis")
        history_label.setObjectName("SectionLabel")
        self.history = QLabel("")
        self.history.setTextFormat(Qt.TextFormat.RichText)
        self.history.setWordWrap(True)
        self.history.setAlignment(Qt.AlignmentFlag.AlignTop)
        body = QWidget()
        body_layout = QHBoxLayout(body)
        body_layout.setContentsMargins(0, 0, 0, 0)
        body_layout.addWidget(self.facts, 1, Qt.AlignmentFlag.AlignTop)
        timeline = QVBoxLayout()
        timeline.addWidget(history_label)
        timeline.addWidget(self.history, 1)
        body_layout.addLayout(timeline, 1)
        for widget in (self.detail_title, self.verdict, self.mismatch, self.signals):
            layout.addWidget(widget)
        layout.addWidget(body, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(frame)
        return scroll

    def _build_supplier_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.setContentsMargins(0, 8, 0, 0)
        row = QHBoxLayout()
        self.supplier_search = QLineEdit()
        self.supplier_search.setPlaceholderText("Zoek op naam, instelling of certificaatnummer…")
        self.supplier_search.setClearButtonEnabled(True)
        self.supplier_expiring = QCheckBox(f"Certificaat verloopt binnen {EXPIRY_WARNING_DAYS} dagen")
        self.supplier_expired = QCheckBox("Certificaat verlopen of ontbreekt")
        for widget in (self.supplier_expiring, self.supplier_expired):
            widget.toggled.connect(self._fill_suppliers)
        self.supplier_search.textChanged.connect(self._fill_suppliers)
        row.addWidget(self.supplier_search, 1)
        row.addWidget(self.supplier_expiring)
        row.addWidget(self.supplier_expired)
        layout.addLayout(row)
        self.supplier_model = supplier_model(self.ctx.clock().date(), {}, self)
        self.supplier_table = _table(self.supplier_model, "SupplierTable")
        sh = self.supplier_table.horizontalHeader()
        sh.setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        for column, width in ((0, 250), (1, 270), (2, 150), (3, 145), (4, 145), (6, 110)):
            self.supplier_table.setColumnWidth(column, width)
        self.supplier_table.doubleClicked.connect(lambda _i: self.edit_supplier())
        self.supplier_table.selectionModel().currentRowChanged.connect(lambda *_: self._update_actions())
        layout.addWidget(self.supplier_table, 1)
        buttons = QHBoxLayout()
        self.new_supplier_button = QPushButton("&Nieuwe leverancier…")
        self.edit_supplier_button = QPushButton("&Bewerken…")
        self.show_supplier_button = QPushButton("&Toon instrumenten")
        self.new_supplier_button.clicked.connect(self.new_supplier)
        self.edit_supplier_button.clicked.connect(self.edit_supplier)
        self.show_supplier_button.clicked.connect(self._show_supplier_instruments)
        for button in (self.new_supplier_button, self.edit_supplier_button, self.show_supplier_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.supplier_note = QLabel("")
        self.supplier_note.setObjectName("Hint")
        buttons.addWidget(self.supplier_note)
        layout.addLayout(buttons)
        return tab

    # --- data -------------------------------------------------------------------------------

    @property
    def school_year(self) -> str:
        return self.year.currentData()

    def refresh(self) -> None:
        """Reloads the register from the database (after a change, or when the screen is shown)."""
        try:
            self.view_data = self.service.view(self.ctx.clock().date(), self.school_year)
        except ExamDeskError as exc:
            show_error(self, exc)
            return
        view = self.view_data
        self.qual_model.columns[5] = qualification_model(view.school_year).columns[5]
        self.qual_model.headerDataChanged.emit(Qt.Orientation.Horizontal, 5, 5)
        self.instr_model.columns = instrument_model(view.on).columns
        current = self.supplier.currentData()
        self.supplier.blockSignals(True)
        self.supplier.clear()
        self.supplier.addItem("Alle leveranciers", None)
        for s in view.suppliers:
            self.supplier.addItem(supplier_label(s, view.on), s.id)
        self.supplier.setCurrentIndex(max(0, self.supplier.findData(current)))
        self.supplier.blockSignals(False)
        self.apply_current_filter()
        self._fill_suppliers()

    def current_filter(self) -> RegisterFilter:
        return RegisterFilter(
            text=self.search.text(),
            status=self.status.currentData(),
            route=self.route.currentData(),
            supplier_id=self.supplier.currentData(),
            invalid_on=pydate(self.invalid_date.date()) if self.invalid_check.isChecked() else None,
            expiring_within=self.expiring_days.value() if self.expiring_check.isChecked() else None,
            no_route_choice=self.no_choice_check.isChecked(),
            route_mismatch=self.mismatch_check.isChecked(),
            route_choice_signals=self.choice_signal_check.isChecked(),
        )

    def apply_current_filter(self) -> None:
        """Runs on every keystroke and filter change: pure filtering of the loaded register."""
        if self.view_data is None or self._loading:
            return
        f = self.current_filter()
        shown, per_crebo = self.view_data.filtered(f, with_instruments_only=self.only_with.isChecked())
        self._per_crebo = per_crebo
        self.qual_model.set_rows(shown)
        total = sum(len(v) for v in per_crebo.values())
        self.qual_count.setText(
            f"{len(shown)} {'kwalificatie' if len(shown) == 1 else 'kwalificaties'} · {total} "
            f"{'instrument' if total == 1 else 'instrumenten'}"
            + ("" if shown or not self.only_with.isChecked() else
               " — zet 'Alleen met instrumenten' uit om alle kwalificaties te doorzoeken"))
        row = self.qual_model.row_of(lambda q: q.qualification.crebo == self._selected_crebo)
        self._select_row(self.qual_table, row if row >= 0 else (0 if shown else -1))
        if not shown:
            self._show_qualification(None)

    def _date_filter_changed(self) -> None:
        if self.invalid_check.isChecked():
            self.apply_current_filter()
        else:
            self.invalid_check.setChecked(True)

    def _days_filter_changed(self) -> None:
        if self.expiring_check.isChecked():
            self.apply_current_filter()
        else:
            self.expiring_check.setChecked(True)

    @staticmethod
    def _select_row(table: QTableView, row: int) -> None:
        model = table.model()
        if row < 0 or row >= model.rowCount():
            table.selectionModel().clearSelection()
            table.selectionModel().setCurrentIndex(model.index(-1, -1), QItemSelectionModel.SelectionFlag.Clear)
            return
        index = model.index(row, 0)
        table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        table.scrollTo(index)

    def _qualification_selected(self, current: Any, _previous: Any = None) -> None:
        line = self.qual_model.record(current.row()) if current.isValid() else None
        self._show_qualification(line)

    def _show_qualification(self, line: QualificationLine | None) -> None:
        if line is None:
            self._selected_crebo = None
            self.qual_title.setText("Geen kwalificatie gekozen")
            self.route_choice.setText("")
            self.instr_model.set_rows([])
            self._show_instrument(None)
            self._update_actions()
            return
        q = line.qualification
        self._selected_crebo = q.crebo
        validity = ""
        if q.valid_until:
            validity = f" · geldig tot en met {format_date(q.valid_until)}"
        self.qual_title.setText(f"{q.crebo} {q.name} · niveau {q.niveau_label} · {q.kind.label}"
                                + (f" · dossier {q.dossier}" if q.dossier else "") + validity)
        signals = line.route_choice.signals if line.route_choice else ()
        self.route_choice.setText(describe_choice(line.route_choice, self.school_year)
                                  + ("" if line.route_choice or not line.instrument_count else
                                     " Leg de routekeuze vast vóór de instrumenten worden ingezet.")
                                  + "".join(f" ⚑ {text}" for text in signals))
        self.route_choice.setObjectName("RouteMissing" if line.needs_route_choice or signals else "RouteOk")
        self.route_choice.style().polish(self.route_choice)
        if line.route_choice and line.route_choice.considerations:
            self.route_choice.setToolTip(f"Afwegingen: {line.route_choice.considerations}")
        else:
            self.route_choice.setToolTip("")
        self.instr_model.set_rows(self._per_crebo.get(q.crebo, []))
        row = self.instr_model.row_of(lambda x: x.instrument.id == self._selected_instrument)
        self._select_row(self.instr_table, row if row >= 0 else (0 if self.instr_model.rows else -1))
        if not self.instr_model.rows:
            self._show_instrument(None)
        self._update_actions()

    def _instrument_selected(self, current: Any, _previous: Any = None) -> None:
        self._show_instrument(self.instr_model.record(current.row()) if current.isValid() else None)

    def selected_instrument(self) -> InstrumentLine | None:
        index = self.instr_table.selectionModel().currentIndex()
        return self.instr_model.record(index.row()) if index.isValid() else None

    def selected_qualification(self) -> QualificationLine | None:
        index = self.qual_table.selectionModel().currentIndex()
        return self.qual_model.record(index.row()) if index.isValid() else None

    def _show_instrument(self, x: InstrumentLine | None) -> None:
        if x is None:
            self._selected_instrument = None
            self.detail_title.setText("Geen instrument gekozen")
            for label in (self.verdict, self.mismatch, self.signals, self.facts, self.history):
                label.setText("")
            self.mismatch.hide()
            self.signals.hide()
            self._update_actions()
            return
        i = x.instrument
        self._selected_instrument = i.id
        self.detail_title.setText(f"{i.code} — {i.title}")
        self.verdict.setText(x.verdict.sentence)
        self.verdict.setObjectName("VerdictValid" if x.verdict.valid and not x.verdict.provisional else "VerdictInvalid")
        self.verdict.style().polish(self.verdict)
        self.mismatch.setText(x.mismatch or "")
        self.mismatch.setVisible(bool(x.mismatch))
        self.signals.setText("\n".join(f"⚑ {text}" for text in x.signals))
        self.signals.setVisible(bool(x.signals))
        on = self.view_data.on if self.view_data else self.ctx.clock().date()
        rows = [("Kwalificatie", f"{i.crebo} {x.qualification.name}" if x.qualification else i.crebo),
                ("Onderdeel", i.part or "—"), ("Soort", f"{i.kind}, {i.purpose_label}"),
                ("Route", ROUTE_LABELS[i.route]), ("Opdrachten", i.assignments.label)]
        if i.route == 1 or x.supplier:
            supplier = x.supplier
            text = "—" if supplier is None else f"{supplier.name}<br><span style='color:{WARN if not supplier.certified_on(on) else MUTED}'>{supplier.certificate_sentence(on)}</span>"
            if supplier is not None and supplier.cooperative:
                text += f"<br><span style='color:{MUTED}'>Coöperatie: doelgroepenbeleid van toepassing</span>"
            rows.append(("Leverancier", text))
            rows.append(("Inkoop", format_date(i.purchased_on) if i.purchased_on else "—"))
        if i.route == 2:
            latest = latest_checks(x.criteria, on)
            met = [c for c in Criterion if c in latest and latest[c].met]
            colour = MUTED if len(met) == len(Criterion) else WARN
            detail = ", ".join(f"{c.value} {'✓' if c in met else ('✗' if c in latest else '–')}" for c in Criterion)
            rows.append(("Criteria bijlage 2", f"<span style='color:{colour}'>{len(met)} van {len(Criterion)} "
                                               f"voldaan</span><br>{detail}"))
        if x.exception is not None:
            rows.append(("Afwijking routekeuze", f"{_escape(x.exception.reason)}<br><span style='color:{MUTED}'>"
                                                 f"besluit {format_date(x.exception.decided_on)}, "
                                                 f"{_escape(x.exception.decided_by)}</span>"))
        if i.route == 3:
            rows.append(("Externe validatie", f"{i.validator or '—'}"
                         + (f", {format_date(i.validation_date)}" if i.validation_date else "")))
        rows.append(("Versie", i.version))
        self.facts.setText("<table cellspacing='0' cellpadding='2'>" + "".join(
            f"<tr><td style='color:{MUTED}; padding-right:10px'>{k}</td><td>{v}</td></tr>" for k, v in rows)
            + "</table>")
        items = []
        for entry in reversed(x.history):
            colour = {Status.ADOPTED: ACCENT, Status.CHANGED: WARN, Status.WITHDRAWN: WARN,
                      Status.PROVISIONAL: WARN}.get(entry.status, MUTED)
            detail = ""
            if entry.decision_number:
                detail = f" · besluit {entry.decision_number}"
            if entry.reason:
                detail += f"<br><i>{_escape(entry.reason)}</i>"
            recorded = ""
            if entry.recorded_at:
                recorded = (f"<br><span style='color:{MUTED}; font-size:8.5pt'>vastgelegd door {entry.recorded_by} "
                            f"op {format_datetime(from_iso(entry.recorded_at))}</span>")
            items.append(f"<tr><td style='color:{colour}; padding-right:6px' valign='top'>●</td>"
                         f"<td valign='top' style='padding-right:10px'><b>{format_date(entry.effective_on)}</b></td>"
                         f"<td><b style='color:{colour}'>{entry.status.label}</b>{detail}{recorded}</td></tr>")
        self.history.setText("<table cellspacing='0' cellpadding='3'>" + "".join(items) + "</table>")
        self._update_actions()

    def _fill_suppliers(self) -> None:
        if self.view_data is None:
            return
        view = self.view_data
        counts: dict[str, int] = {}
        for x in view.instrument_lines():
            if x.instrument.supplier_id:
                counts[x.instrument.supplier_id] = counts.get(x.instrument.supplier_id, 0) + 1
        needle = self.supplier_search.text().strip().lower()
        rows: list[Supplier] = []
        for s in view.suppliers:
            if needle and needle not in f"{s.name} {s.authority} {s.certificate_number}".lower():
                continue
            expiring = s.expires_within(view.on, EXPIRY_WARNING_DAYS)
            expired = not s.certified_on(view.on)
            if self.supplier_expiring.isChecked() and self.supplier_expired.isChecked():
                if not (expiring or expired):
                    continue
            elif self.supplier_expiring.isChecked() and not expiring:
                continue
            elif self.supplier_expired.isChecked() and not expired:
                continue
            rows.append(s)
        self.supplier_model.columns = supplier_model(view.on, counts).columns
        self.supplier_model.set_rows(rows)
        bad = sum(1 for s in view.suppliers if not s.certified_on(view.on))
        soon = sum(1 for s in view.suppliers if s.expires_within(view.on, EXPIRY_WARNING_DAYS))
        self.supplier_note.setText(f"{len(view.suppliers)} leveranciers · {bad} zonder geldig certificaat · "
                                   f"{soon} verlopen binnen {EXPIRY_WARNING_DAYS} dagen")
        self._update_actions()

    def selected_supplier(self) -> Supplier | None:
        index = self.supplier_table.selectionModel().currentIndex()
        return self.supplier_model.record(index.row()) if index.isValid() else None

    # --- filters from elsewhere ---------------------------------------------------------------

    def clear_filters(self) -> None:
        self._loading = True
        try:
            self.search.clear()
            for combo in (self.status, self.route, self.supplier):
                combo.setCurrentIndex(0)
            for box in (self.invalid_check, self.expiring_check, self.mismatch_check, self.no_choice_check,
                        self.choice_signal_check):
                box.setChecked(False)
            self.only_with.setChecked(True)
            self.invalid_date.setDate(qdate(self.ctx.clock().date()))
            self.expiring_days.setValue(EXPIRY_WARNING_DAYS)
            self.supplier_search.clear()
            self.supplier_expiring.setChecked(False)
            self.supplier_expired.setChecked(False)
        finally:
            self._loading = False
        self.apply_current_filter()
        self._fill_suppliers()

    def apply_filter(self, target: RegisterTarget) -> None:
        """Opens the register narrowed as an Overzicht line (or another screen) asks."""
        if self.view_data is None:
            self.refresh()
        year = target.school_year
        if year and self.year.findData(year) < 0:
            self.year.addItem(f"Schooljaar {year}", year)
        self._loading = True
        try:
            self.clear_filters()
            self._loading = True
            f = target.filter
            self.search.setText(f.text)
            self.status.setCurrentIndex(max(0, self.status.findData(f.status)) if f.status else 0)
            self.route.setCurrentIndex(max(0, self.route.findData(f.route)) if f.route else 0)
            if f.supplier_id:
                self.supplier.setCurrentIndex(max(0, self.supplier.findData(f.supplier_id)))
            if f.invalid_on:
                self.invalid_date.setDate(qdate(f.invalid_on))
                self.invalid_check.setChecked(True)
            if f.expiring_within:
                self.expiring_days.setValue(f.expiring_within)
                self.expiring_check.setChecked(True)
            self.no_choice_check.setChecked(f.no_route_choice)
            self.mismatch_check.setChecked(f.route_mismatch)
            self.choice_signal_check.setChecked(f.route_choice_signals)
            if target.crebo:
                self._selected_crebo = target.crebo
            if target.instrument_id:
                self._selected_instrument = target.instrument_id
            self.supplier_expiring.setChecked(target.certificate_expiring)
            self.supplier_expired.setChecked(target.certificate_expired)
        finally:
            self._loading = False
        if year and year != self.school_year:
            self.year.setCurrentIndex(self.year.findData(year))  # refreshes
        else:
            self.apply_current_filter()
            self._fill_suppliers()
        self.tabs.setCurrentIndex(1 if target.suppliers else 0)
        (self.supplier_table if target.suppliers else self.qual_table).setFocus()

    def _focus_search(self) -> None:
        if self.tabs.currentIndex() == 1:
            self.supplier_search.setFocus()
            self.supplier_search.selectAll()
        else:
            self.search.setFocus()
            self.search.selectAll()

    def _show_supplier_instruments(self) -> None:
        s = self.selected_supplier()
        if s is not None:
            self.apply_filter(RegisterTarget(RegisterFilter(supplier_id=s.id)))

    # --- actions ----------------------------------------------------------------------------

    def _update_actions(self) -> None:
        edit = self.ctx.can(Action.EDIT_REGISTER)
        adopt = self.ctx.can(Action.ADOPT_INSTRUMENT)
        x = self.selected_instrument() if hasattr(self, "instr_table") else None
        status = x.status if x else None
        self.new_button.setEnabled(edit)
        self.edit_button.setEnabled(edit and x is not None)
        self.adopt_button.setEnabled(adopt and status in (Status.CONCEPT, Status.CHANGED, Status.PROVISIONAL))
        self.change_button.setEnabled(edit and status in (Status.ADOPTED, Status.PROVISIONAL))
        self.provisional_button.setEnabled(edit and status in (Status.ADOPTED, Status.PROVISIONAL) and x is not None
                                           and x.instrument.replaceable)
        self.criteria_button.setEnabled(edit and x is not None and x.instrument.route == 2
                                        and status is not Status.WITHDRAWN)
        self.exception_button.setEnabled(self.ctx.can(Action.CHOOSE_ROUTES) and x is not None
                                         and status is not Status.WITHDRAWN)
        self.withdraw_button.setEnabled(edit and x is not None and status is not Status.WITHDRAWN)
        self.route_button.setEnabled(self.ctx.can(Action.CHOOSE_ROUTES) and self._selected_crebo is not None)
        self.import_button.setEnabled(self.ctx.can(Action.IMPORT_REGISTER))
        self.export_button.setEnabled(self.ctx.can(Action.EXPORT_REGISTER))
        if hasattr(self, "new_supplier_button"):
            self.new_supplier_button.setEnabled(edit)
            supplier = self.selected_supplier()
            self.edit_supplier_button.setEnabled(edit and supplier is not None)
            self.show_supplier_button.setEnabled(supplier is not None)
        if not adopt:
            self.adopt_button.setToolTip("Alleen de examencommissie stelt instrumenten vast.")
        if not self.ctx.can(Action.CHOOSE_ROUTES):
            self.exception_button.setToolTip("Alleen de examencommissie besluit tot een afwijking van de routekeuze.")
        if not self.ctx.can(Action.CHOOSE_ROUTES):
            self.route_button.setToolTip("Alleen de examencommissie legt de routekeuze vast.")

    def _after_change(self, instrument_id: str | None = None, crebo: str | None = None) -> None:
        if instrument_id:
            self._selected_instrument = instrument_id
        if crebo:
            self._selected_crebo = crebo
        self.refresh()
        if crebo and self.qual_model.row_of(lambda q: q.qualification.crebo == crebo) < 0:
            # the change took it out of the current filter; show it anyway
            self.clear_filters()
            self._select_row(self.qual_table, self.qual_model.row_of(lambda q: q.qualification.crebo == crebo))

    def _qualifications(self):
        return [q.qualification for q in self.view_data.qualifications] if self.view_data else []

    def new_instrument(self) -> None:
        if not self.ctx.can(Action.EDIT_REGISTER) or self.view_data is None:
            return
        dialog = InstrumentDialog(self, self.service, self._qualifications(), self.view_data.suppliers,
                                  crebo=self._selected_crebo or "")
        if dialog.exec():
            self._after_change(dialog.result_value.id, dialog.result_value.crebo)

    def edit_instrument(self) -> None:
        x = self.selected_instrument()
        if x is None or not self.ctx.can(Action.EDIT_REGISTER) or self.view_data is None:
            return
        dialog = InstrumentDialog(self, self.service, self._qualifications(), self.view_data.suppliers,
                                  instrument=x.instrument)
        if dialog.exec():
            self._after_change(x.instrument.id, dialog.result_value.crebo)

    def adopt(self) -> None:
        x = self.selected_instrument()
        if x is None or not self.adopt_button.isEnabled():
            return
        if AdoptDialog(self, self.service, x.instrument).exec():
            self._after_change(x.instrument.id)

    def _reason_step(self, title: str, intro: str, ok: str, action) -> None:
        x = self.selected_instrument()
        if x is None:
            return
        dialog = StatusStepDialog(self, self.service, x.instrument, title, intro, ok,
                              lambda iid, reason, on: action(iid, reason, on))
        if dialog.exec():
            self._after_change(x.instrument.id)

    def mark_changed(self) -> None:
        x = self.selected_instrument()
        if x is None or not self.change_button.isEnabled():
            return
        if x.instrument.replaceable:
            intro = ("Een gewijzigd instrument is vanaf deze datum niet meer valide, tot de examencommissie het opnieuw "
                     "vaststelt. Beschrijf wat er is gewijzigd.")
        else:
            intro = ("Dit instrument heeft een vaste examenopdracht: met de wijziging eindigt de validiteit, en opnieuw "
                     "vaststellen alleen maakt het niet weer valide (daarvoor is ook de route opnieuw nodig: "
                     "nieuwe inkoop, de criteria van bijlage 2 opnieuw, of een nieuwe externe validering). "
                     "Beschrijf wat er is gewijzigd.")
        self._reason_step(f"{x.instrument.code} als gewijzigd markeren", intro, "Markeren als gewijzigd",
                          self.service.mark_changed)

    def mark_provisional(self) -> None:
        x = self.selected_instrument()
        if x is None or not self.provisional_button.isEnabled():
            return
        self._reason_step(f"{x.instrument.code}: opdracht vervangen",
                          "De school heeft opdrachten van dit instrument vervangen. Het is vanaf deze datum onder "
                          "voorbehoud en niet valide tot de examencommissie het opnieuw vaststelt; het kan wel worden "
                          "gepland, maar een afnamepakket volgt pas na die vaststelling. Welke opdracht?",
                          "Vastleggen", self.service.mark_provisional)

    def record_criteria(self) -> None:
        x = self.selected_instrument()
        if x is None or not self.criteria_button.isEnabled():
            return
        if CriteriaDialog(self, self.service, x.instrument, list(x.criteria)).exec():
            self._after_change(x.instrument.id)

    def route_exception(self) -> None:
        x = self.selected_instrument()
        if x is None or not self.exception_button.isEnabled() or self.view_data is None:
            return
        year = self.school_year
        on = max(self.view_data.on, school_year_bounds(year)[0])
        line = self.selected_qualification()
        reason = route_refusal(x.instrument, line.route_choice if line else None, None, on) or (
            f"{x.instrument.code} valt binnen de routekeuze voor {year}; een afwijking is niet nodig.")
        if RouteExceptionDialog(self, self.service, x.instrument, year, x.exception, reason).exec():
            self._after_change(x.instrument.id)

    def withdraw(self) -> None:
        x = self.selected_instrument()
        if x is None or not self.withdraw_button.isEnabled():
            return
        self._reason_step(f"{x.instrument.code} intrekken",
                          "Een ingetrokken instrument wordt niet meer gebruikt en kan niet opnieuw worden "
                          "vastgesteld. Waarom wordt het ingetrokken?", "Intrekken", self.service.withdraw)

    def choose_routes(self) -> None:
        line = self.selected_qualification()
        if line is None or not self.ctx.can(Action.CHOOSE_ROUTES):
            return
        dialog = RouteChoiceDialog(self, self.service, line.qualification, self.school_year, line.route_choice)
        if dialog.exec():
            self._after_change(crebo=line.qualification.crebo)

    def new_supplier(self) -> None:
        if self.ctx.can(Action.EDIT_REGISTER) and SupplierDialog(self, self.service).exec():
            self.refresh()

    def edit_supplier(self) -> None:
        s = self.selected_supplier()
        if s is not None and self.ctx.can(Action.EDIT_REGISTER) and SupplierDialog(self, self.service, s).exec():
            self.refresh()

    def import_file(self) -> None:
        if not self.ctx.can(Action.IMPORT_REGISTER):
            return
        dialog = ImportDialog(self, self.service)
        if dialog.exec() and dialog.result is not None:
            self.refresh()
            QMessageBox.information(self, "Importeren", dialog.result.summary)

    def export(self) -> None:
        if not self.ctx.can(Action.EXPORT_REGISTER):
            return
        path = choose_export_file(self, self.ctx.clock().date())
        if path is None:
            return
        run_in_background(self, lambda: self.service.export(path), lambda n: QMessageBox.information(
            self, "Exporteren", f"Het register ({n} instrumenten) is geëxporteerd naar {path}."),
            lambda exc: show_error(self, exc) if isinstance(exc, ExamDeskError) else _raise(exc), "Exporteren…")

    def showEvent(self, event: Any) -> None:  # noqa: N802 (Qt API)
        super().showEvent(event)
        if self.view_data is None:
            QTimer.singleShot(0, self._first_refresh)

    def _first_refresh(self) -> None:
        if self.view_data is None:
            self.refresh()


def _raise(exc: Exception) -> None:
    raise exc


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

