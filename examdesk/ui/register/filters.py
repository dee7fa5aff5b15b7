"""The Register's filters: search, status, route, supplier, signals and school year on the first row;
not valid on a date, expiring within days, outside the route choice, without a choice on the second.
Every change calls the screen's `changed` (it filters the loaded register at once); another school year
calls `year_changed` (the register is read again for that year)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QPushButton, QSpinBox

from examdesk.domain.register import (
    ROUTE_LABELS,
    STATUS_LABELS,
    RegisterFilter,
    Status,
    Supplier,
    adjacent_school_years,
    school_year_of,
)
from examdesk.services.register import EXPIRY_WARNING_DAYS
from examdesk.ui.fields import calendar_date, pydate, qdate
from examdesk.ui.flow_layout import flow_row
from examdesk.ui.house_style import house_spin
from examdesk.ui.register.models import supplier_label


class RegisterFilterBar:
    """Two rows of filter widgets (`first_row`, `second_row`, held by `first_box`, `second_box`), laid out by
    the screen; each wraps when the screen is narrow or the font large."""

    def __init__(self, today: date):
        self.today = today
        self.first_box, self.first_row = flow_row()
        self.second_box, self.second_row = flow_row()
        self.search = QLineEdit()
        self.search.setPlaceholderText("Zoek op crebo, naam of code…  (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(200)
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
        self.invalid_check = QCheckBox("Niet valide op")
        self.invalid_date = calendar_date(today)
        self.expiring_check = QCheckBox("Verloopt binnen")
        self.expiring_days = house_spin(QSpinBox())
        self.expiring_days.setRange(1, 3650)
        self.expiring_days.setValue(EXPIRY_WARNING_DAYS)
        self.expiring_days.setSuffix(" dagen")
        self.mismatch_check = QCheckBox("Buiten gekozen route")
        self.no_choice_check = QCheckBox("Zonder routekeuze")
        self.choice_signal_check = QCheckBox("Routekeuze met signaal")
        self.choice_signal_check.setToolTip("Routekeuzes zonder afwegingen of vastgesteld na de start van het "
                                            "schooljaar")
        self.clear_button = QPushButton("Filters &wissen")
        self.year = QComboBox()
        for year in adjacent_school_years(today):
            self.year.addItem(f"Schooljaar {year}", year)
        self.year.setCurrentIndex(self.year.findData(school_year_of(today)))
        self.first_row.add(self.search, stretch=True)
        for widget in (self.status, self.route, self.supplier, self.choice_signal_check, self.year):
            self.first_row.add(widget)
        for widget in (self.invalid_check, self.invalid_date, self.expiring_check, self.expiring_days,
                       self.mismatch_check, self.no_choice_check, self.clear_button):
            self.second_row.add(widget)
        self.invalid_date.dateChanged.connect(lambda _d: self._switch_on(self.invalid_check))
        self.expiring_days.valueChanged.connect(lambda _v: self._switch_on(self.expiring_check))

    def connect(self, changed: Callable[[], None], year_changed: Callable[[], None]) -> None:
        """`changed()` on every filter change; `year_changed()` when another school year is chosen."""
        self.search.textChanged.connect(lambda _t: changed())
        for combo in (self.status, self.route, self.supplier):
            combo.currentIndexChanged.connect(lambda _i: changed())
        for box in self.boxes():
            box.toggled.connect(lambda _on: changed())
        self._changed = changed
        self.year.currentIndexChanged.connect(lambda _i: year_changed())

    def boxes(self) -> tuple[QCheckBox, ...]:
        return (self.invalid_check, self.expiring_check, self.mismatch_check, self.no_choice_check,
                self.choice_signal_check)

    def _switch_on(self, box: QCheckBox) -> None:
        """Changing the date or the days means the user wants that filter: it switches on (or filters again)."""
        if box.isChecked():
            self._changed()
        else:
            box.setChecked(True)

    @property
    def school_year(self) -> str:
        return self.year.currentData()

    def show_year(self, year: str) -> None:
        if self.year.findData(year) < 0:
            self.year.addItem(f"Schooljaar {year}", year)

    def current(self) -> RegisterFilter:
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

    def set_suppliers(self, suppliers: list[Supplier], on: date) -> None:
        current = self.supplier.currentData()
        self.supplier.blockSignals(True)
        self.supplier.clear()
        self.supplier.addItem("Alle leveranciers", None)
        for s in suppliers:
            self.supplier.addItem(supplier_label(s, on), s.id)
        self.supplier.setCurrentIndex(max(0, self.supplier.findData(current)))
        self.supplier.blockSignals(False)

    def clear(self) -> None:
        self.invalid_date.setDate(qdate(self.today))
        self.expiring_days.setValue(EXPIRY_WARNING_DAYS)
        self.search.clear()
        for combo in (self.status, self.route, self.supplier):
            combo.setCurrentIndex(0)
        for box in self.boxes():
            box.setChecked(False)

    def set_filter(self, f: RegisterFilter) -> None:
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
