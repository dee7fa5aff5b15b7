"""Register: kwalificaties left (with a badge of instruments not valid today), the instruments of the
selected one right, and below them the selected instrument's verdict for today and its status
history. Filters narrow all three as you type. A second tab lists the examenleveranciers.

The pieces: `filters.RegisterFilterBar`, `models` (the three tables), `detail.InstrumentDetailPanel`
(laying out `services.register_detail`), `suppliers.SuppliersTab`, the dialogs in `dialogs.py` and
`import_dialog.py`; this module joins them and runs the actions.
Keyboard: Ctrl+F search, Enter from the search field to the list, Alt+letter for every button,
Ctrl+N new instrument, F2 edit, Tab moves through filters, lists and buttons."""

from __future__ import annotations

from contextlib import suppress
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from examdesk.domain.errors import ExamDeskError
from examdesk.domain.plural import counted
from examdesk.domain.register import RegisterFilter, Status, school_year_of
from examdesk.domain.roles import Action
from examdesk.services.context import AppContext
from examdesk.services.navigation import RegisterTarget
from examdesk.services.register import InstrumentLine, QualificationLine, RegisterService, RegisterView
from examdesk.services.register_detail import instrument_detail, qualification_header, user_names
from examdesk.ui.common import SizedByCurrentTab, fit_columns, show_error
from examdesk.ui.flow_layout import flow_row, keep_wrapped_height
from examdesk.ui.register.actions import InstrumentActions
from examdesk.ui.register.detail import InstrumentDetailPanel
from examdesk.ui.register.filters import RegisterFilterBar
from examdesk.ui.register.models import instrument_model, qualification_model, register_table, select_row
from examdesk.ui.register.reflow import reflow, share_width
from examdesk.ui.register.suppliers import SuppliersTab
from examdesk.ui.rich_text import plain_label
from examdesk.ui.style import ACCENT, MUTED, PANEL, RULE, WARN, scaled

STYLE = f"""
#RegisterDetail {{ background: {PANEL}; border: 1px solid {RULE}; border-radius: 6px; }}
#DetailTitle {{ font-size: 11pt; font-weight: bold; }}
#VerdictValid {{ color: {ACCENT}; font-weight: bold; font-size: 10.5pt; }}
#VerdictInvalid {{ color: {WARN}; font-weight: bold; font-size: 10.5pt; }}
#QualTitle {{ font-size: 11pt; font-weight: bold; }}
#RouteOk {{ color: {MUTED}; }} #RouteMissing {{ color: {WARN}; font-weight: bold; }}
#SectionLabel {{ color: {MUTED}; font-weight: bold; font-size: 9pt; text-transform: uppercase; }}
"""


class RegisterScreen(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.service = RegisterService(ctx)
        self.view_data: RegisterView | None = None
        self.setStyleSheet(scaled(STYLE))
        self._selected_crebo: str | None = None
        self._selected_instrument: str | None = None
        self._loading = False
        self._per_crebo: Any = {}                # `services.register.ShownLines`
        self.actions = InstrumentActions(self)

        outer = self.outer_layout = QVBoxLayout(self)
        outer.setContentsMargins(16, 10, 16, 10)
        self.tabs = SizedByCurrentTab()    # the wide Leveranciers list does not widen the register tab
        outer.addWidget(self.tabs)
        self.tabs.addTab(self._build_register_tab(), "&Kwalificaties en instrumenten")
        self.suppliers = SuppliersTab(ctx, self.service)
        self.suppliers.changed.connect(self.refresh)
        self.suppliers.show_instruments.connect(
            lambda supplier_id: self.apply_filter(RegisterTarget(RegisterFilter(supplier_id=supplier_id))))
        self.tabs.addTab(self.suppliers, "Le&veranciers")
        self.import_button = QPushButton("I&mporteren…")
        self.export_button = QPushButton("&Exporteren…")
        self.import_button.clicked.connect(self.actions.import_file)
        self.export_button.clicked.connect(self.actions.export)
        corner = self.corner = QWidget()  # beside the tabs, so the filter rows fit a 1366-pixel laptop screen
        corner_layout = QHBoxLayout(corner)
        corner_layout.setContentsMargins(0, 0, 0, 0)
        corner_layout.setSpacing(6)
        corner_layout.addWidget(self.import_button)
        corner_layout.addWidget(self.export_button)
        self.tabs.setCornerWidget(corner, Qt.Corner.TopRightCorner)

        QShortcut(QKeySequence.StandardKey.Find, self, activated=self._focus_search)
        QShortcut(QKeySequence("Ctrl+N"), self, activated=self.actions.new_instrument)
        QShortcut(QKeySequence("F2"), self, activated=self.actions.edit_instrument)
        self._update_actions()
        with suppress(ExamDeskError):   # read as built (while idle: `warm_up.build_when_idle`) and kept by the service
            self.service.view(ctx.clock().date(), self.school_year)   # until a write: opening only fills (issue 16)

    # --- building ---------------------------------------------------------------------------

    def _build_register_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.setContentsMargins(0, 8, 0, 0)
        today = self.ctx.clock().date()
        self.filters = RegisterFilterBar(today)
        self.filters.connect(self.apply_current_filter, self.refresh)
        self.filters.search.returnPressed.connect(lambda: self.qual_table.setFocus())
        self.filters.clear_button.clicked.connect(self.clear_filters)
        layout.addWidget(self.filters.first_box)
        layout.addWidget(self.filters.second_box)
        self.only_with = QCheckBox("Alleen met instrumenten")
        self.only_with.setChecked(True)
        self.only_with.toggled.connect(self.apply_current_filter)

        splitter = self.splitter = QSplitter(Qt.Orientation.Horizontal)
        left = self.left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.qual_count = QLabel("")
        self.qual_count.setObjectName("Hint")
        self.qual_count.setWordWrap(True)             # beside the check box, on a laptop in two lines
        self.qual_model = qualification_model(school_year_of(today), self)
        self.qual_table = register_table(self.qual_model, "QualificationTable")
        # the crebo, the counts and the routes as wide as what they can hold and their titles, in the font shown
        # (`reflow.fit_left`, no row asked: hundreds of kwalificaties), the name the rest (its tooltip whole)
        self.qual_table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self._qual_font: tuple[str, str] | None = None
        self.qual_table.selectionModel().currentRowChanged.connect(self._qualification_selected)
        count_row = QHBoxLayout()
        count_row.addWidget(self.qual_count, 1)
        count_row.addWidget(self.only_with)
        left_layout.addLayout(count_row)
        left_layout.addWidget(self.qual_table, 1)
        splitter.addWidget(left)

        right = QSplitter(Qt.Orientation.Vertical)
        top = keep_wrapped_height(QWidget())  # a wrapped route choice pushed the instruments over their buttons
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        self.qual_title = plain_label("Kies een kwalificatie")
        self.qual_title.setObjectName("QualTitle")
        self.qual_title.setWordWrap(True)
        choice_row = QHBoxLayout()
        self.route_choice = plain_label()
        self.route_choice.setWordWrap(True)
        self.route_button = QPushButton("&Routekeuze…")
        self.route_button.clicked.connect(self.actions.choose_routes)
        choice_row.addWidget(self.route_choice, 1)
        choice_row.addWidget(self.route_button)
        self.instr_model = instrument_model(today, self)
        self.instr_table = register_table(self.instr_model, "InstrumentTable")
        # the code, part, purpose, route, status and verdict as wide as they and their titles are (a kwalificatie
        # has a handful of instruments: measuring them is free); the title and the supplier share what is left and
        # elide, their whole text the tooltip — fixed widths scrolled sideways on a laptop with 'Leveranc…' cut
        fit_columns(self.instr_table, stretch=(1, 5))
        self.instr_table.selectionModel().currentRowChanged.connect(self._instrument_selected)
        self.instr_table.doubleClicked.connect(lambda _i: self.actions.edit_instrument())
        buttons_box, buttons = flow_row()  # as many per line as fit beside the kwalificaties (200 %: wraps)
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
        a = self.actions
        for button, slot in (
                (self.new_button, a.new_instrument), (self.edit_button, a.edit_instrument),
                (self.adopt_button, a.adopt), (self.criteria_button, a.record_criteria),
                (self.change_button, a.mark_changed), (self.provisional_button, a.mark_provisional),
                (self.exception_button, a.route_exception), (self.withdraw_button, a.withdraw)):
            button.clicked.connect(slot)
            buttons.add(button)
        top_layout.addWidget(self.qual_title)
        top_layout.addLayout(choice_row)
        top_layout.addWidget(self.instr_table, 1)
        top_layout.addWidget(buttons_box)
        right.addWidget(top)
        self.detail = InstrumentDetailPanel()
        right.addWidget(self.detail)
        right.setStretchFactor(0, 1)
        right.setStretchFactor(1, 1)
        right.setSizes([330, 330])
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([430, 900])
        layout.addWidget(splitter, 1)
        return tab

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        reflow(self)                    # a large font: one column instead of two

    # --- data -------------------------------------------------------------------------------

    @property
    def school_year(self) -> str:
        return self.filters.school_year

    def refresh(self) -> None:
        """Reloads the register from the database (after a change, or when the screen is shown) — unless it is
        the register already shown: `RegisterService.view` gives the same view for as long as the database,
        the day and the school year are unchanged, and the lists, filters and suppliers then already hold it,
        so opening the screen is painting it (issue 16: ten years, ~45 ms of filling the lists again)."""
        try:
            view = self.service.view(self.ctx.clock().date(), self.school_year)
        except ExamDeskError as exc:
            show_error(self, exc)
            return
        if view is self.view_data:
            return
        self.view_data = view
        self.qual_model.columns[5] = qualification_model(view.school_year).columns[5]
        self.qual_model.headerDataChanged.emit(Qt.Orientation.Horizontal, 5, 5)
        self.instr_model.columns = instrument_model(view.on).columns
        self.filters.set_suppliers(view.suppliers, view.on)
        self.apply_current_filter()
        self.suppliers.show_view(view)

    fill_out_of_sight = refresh    # built while idle (`warm_up.build_when_idle`): its first open then only paints

    def current_filter(self) -> RegisterFilter:
        return self.filters.current()

    def apply_current_filter(self) -> None:
        """Runs on every keystroke and filter change: pure filtering of the loaded register."""
        if self.view_data is None or self._loading:
            return
        f = self.current_filter()
        shown, per_crebo = self.view_data.filtered(f, with_instruments_only=self.only_with.isChecked())
        self._per_crebo = per_crebo
        self.qual_model.set_rows(shown)
        total = per_crebo.total              # known without reading every kwalificatie's instruments
        self.qual_count.setText(
            f"{counted(len(shown), 'kwalificatie')} · {counted(total, 'instrument')}"
            + ("" if shown or not self.only_with.isChecked() else
               " — zet 'Alleen met instrumenten' uit om alle kwalificaties te doorzoeken"))
        row = self.qual_model.row_of(lambda q: q.qualification.crebo == self._selected_crebo)
        select_row(self.qual_table, row if row >= 0 else (0 if shown else -1))
        if not shown:
            self._show_qualification(None)

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
        self._selected_crebo = line.qualification.crebo
        header = qualification_header(line, self.school_year)
        self.qual_title.setText(header.title)
        self.route_choice.setText(header.route_choice)
        self.route_choice.setObjectName("RouteMissing" if header.route_warning else "RouteOk")
        self.route_choice.style().polish(self.route_choice)
        self.route_choice.setToolTip(header.considerations)
        self.instr_model.set_rows(self._per_crebo.get(line.qualification.crebo, []))
        row = self.instr_model.row_of(lambda x: x.instrument.id == self._selected_instrument)
        select_row(self.instr_table, row if row >= 0 else (0 if self.instr_model.rows else -1))
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
        self._selected_instrument = x.instrument.id if x is not None else None
        on = self.view_data.on if self.view_data else self.ctx.clock().date()
        self.detail.show_detail(instrument_detail(x, on, user_names(self.ctx)) if x is not None else None)
        self._update_actions()

    # --- filters from elsewhere ---------------------------------------------------------------

    def clear_filters(self) -> None:
        self._loading = True
        try:
            self.filters.clear()
            self.only_with.setChecked(True)
            self.suppliers.clear_filters()
        finally:
            self._loading = False
        self.apply_current_filter()
        self.suppliers.fill()

    def apply_filter(self, target: RegisterTarget) -> None:
        """Opens the register narrowed as an Overzicht line (or another screen) asks."""
        if self.view_data is None:
            self.refresh()
        year = target.school_year
        if year:
            self.filters.show_year(year)
        self._loading = True
        try:
            self.clear_filters()
            self._loading = True
            self.filters.set_filter(target.filter)
            if target.crebo:
                self._selected_crebo = target.crebo
            if target.instrument_id:
                self._selected_instrument = target.instrument_id
            self.suppliers.set_certificate_filter(target.certificate_expiring, target.certificate_expired)
        finally:
            self._loading = False
        if year and year != self.school_year:
            self.filters.year.setCurrentIndex(self.filters.year.findData(year))  # refreshes
        else:
            self.apply_current_filter()
            self.suppliers.fill()
        self.tabs.setCurrentIndex(1 if target.suppliers else 0)
        (self.suppliers.table if target.suppliers else self.qual_table).setFocus()

    def _focus_search(self) -> None:
        if self.tabs.currentIndex() == 1:
            self.suppliers.focus_search()
        else:
            self.filters.search.setFocus()
            self.filters.search.selectAll()

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
        if not adopt:
            self.adopt_button.setToolTip("Alleen de examencommissie stelt instrumenten vast.")
        if not self.ctx.can(Action.CHOOSE_ROUTES):
            self.exception_button.setToolTip("Alleen de examencommissie besluit tot een afwijking van de routekeuze.")
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
            select_row(self.qual_table, self.qual_model.row_of(lambda q: q.qualification.crebo == crebo))

    def showEvent(self, event: Any) -> None:  # noqa: N802 (Qt API)
        super().showEvent(event)
        QTimer.singleShot(0, lambda: reflow(self))     # laid out in the font and style sheet it is shown in
        if self.view_data is None:
            QTimer.singleShot(0, self._first_refresh)

    def _first_refresh(self) -> None:
        if self.view_data is None:
            self.refresh()
            share_width(self)           # the kwalificaties' names in view known now
