"""The Leveranciers tab of the Register: the examenleveranciers with their certificates, filtered by
text and by certificates that expire soon or have expired; new, edit, and 'show their instruments'."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from examdesk.domain.plural import counted
from examdesk.domain.register import Supplier
from examdesk.domain.roles import Action
from examdesk.services.context import AppContext
from examdesk.services.register import EXPIRY_WARNING_DAYS, RegisterService, RegisterView
from examdesk.ui.common import fit_columns
from examdesk.ui.register.dialogs import SupplierDialog
from examdesk.ui.register.models import register_table, supplier_model


class SuppliersTab(QWidget):
    changed = Signal()                 # a supplier was added or changed: the register is read again
    show_instruments = Signal(str)     # the supplier id whose instruments to list

    def __init__(self, ctx: AppContext, service: RegisterService, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.service = service
        self.view: RegisterView | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        row = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText("Zoek op naam, instelling of certificaatnummer…")
        self.search.setClearButtonEnabled(True)
        self.expiring = QCheckBox(f"Certificaat verloopt binnen {EXPIRY_WARNING_DAYS} dagen")
        self.expired = QCheckBox("Certificaat verlopen of ontbreekt")
        for widget in (self.expiring, self.expired):
            widget.toggled.connect(self.fill)
        self.search.textChanged.connect(self.fill)
        row.addWidget(self.search, 1)
        row.addWidget(self.expiring)
        row.addWidget(self.expired)
        layout.addLayout(row)
        self.model = supplier_model(ctx.clock().date(), {}, self)
        self.table = register_table(self.model, "SupplierTable")
        # the number, the dates and the count as wide as they and their titles are (a school has tens of suppliers,
        # not thousands: measuring them is free); the two names and the certificate's sentence (its dates stand
        # beside it) share what is left and elide — fixed pixel widths left 'Certificaat' 62 px and cut at
        # 1,366 px, and scrolled sideways at 200 %
        fit_columns(self.table, stretch=(0, 1, 5))
        self.table.doubleClicked.connect(lambda _i: self.edit_supplier())
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self.update_actions())
        layout.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        self.new_button = QPushButton("&Nieuwe leverancier…")
        self.edit_button = QPushButton("&Bewerken…")
        self.show_button = QPushButton("&Toon instrumenten")
        self.new_button.clicked.connect(self.new_supplier)
        self.edit_button.clicked.connect(self.edit_supplier)
        self.show_button.clicked.connect(self._show_instruments)
        for button in (self.new_button, self.edit_button, self.show_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.note = QLabel("")
        self.note.setObjectName("Hint")
        buttons.addWidget(self.note)
        layout.addLayout(buttons)
        self.update_actions()

    def show_view(self, view: RegisterView) -> None:
        self.view = view
        self.fill()

    def fill(self) -> None:
        view = self.view
        if view is None:
            return
        counts = view.supplier_counts
        needle = self.search.text().strip().lower()
        rows: list[Supplier] = []
        for s in view.suppliers:
            if needle and needle not in f"{s.name} {s.authority} {s.certificate_number}".lower():
                continue
            expiring = s.expires_within(view.on, EXPIRY_WARNING_DAYS)
            expired = not s.certified_on(view.on)
            if self.expiring.isChecked() and self.expired.isChecked():
                if not (expiring or expired):
                    continue
            elif self.expiring.isChecked() and not expiring:
                continue
            elif self.expired.isChecked() and not expired:
                continue
            rows.append(s)
        self.model.columns = supplier_model(view.on, counts).columns
        self.model.set_rows(rows)
        bad = sum(1 for s in view.suppliers if not s.certified_on(view.on))
        soon = sum(1 for s in view.suppliers if s.expires_within(view.on, EXPIRY_WARNING_DAYS))
        self.note.setText(f"{counted(len(view.suppliers), 'leverancier')} · {bad} zonder geldig certificaat · "
                          f"{soon} verlopen binnen {EXPIRY_WARNING_DAYS} dagen")
        self.update_actions()

    def set_certificate_filter(self, expiring: bool, expired: bool) -> None:
        for box, on in ((self.expiring, expiring), (self.expired, expired)):
            box.blockSignals(True)
            box.setChecked(on)
            box.blockSignals(False)

    def clear_filters(self) -> None:
        for widget in (self.search, self.expiring, self.expired):
            widget.blockSignals(True)
        self.search.clear()
        self.expiring.setChecked(False)
        self.expired.setChecked(False)
        for widget in (self.search, self.expiring, self.expired):
            widget.blockSignals(False)

    def selected(self) -> Supplier | None:
        index = self.table.selectionModel().currentIndex()
        return self.model.record(index.row()) if index.isValid() else None

    def update_actions(self) -> None:
        edit = self.ctx.can(Action.EDIT_REGISTER)
        supplier = self.selected()
        self.new_button.setEnabled(edit)
        self.edit_button.setEnabled(edit and supplier is not None)
        self.show_button.setEnabled(supplier is not None)

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def new_supplier(self) -> None:
        if self.ctx.can(Action.EDIT_REGISTER) and SupplierDialog(self, self.service).exec():
            self.changed.emit()

    def edit_supplier(self) -> None:
        s = self.selected()
        if s is not None and self.ctx.can(Action.EDIT_REGISTER) and SupplierDialog(self, self.service, s).exec():
            self.changed.emit()

    def _show_instruments(self) -> None:
        s = self.selected()
        if s is not None:
            self.show_instruments.emit(s.id)
