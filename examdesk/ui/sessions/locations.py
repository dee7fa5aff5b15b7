"""The Locaties en lokalen tab of the Afnames screen, and its two forms: a location, a room."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from examdesk.domain.roles import Action
from examdesk.services.context import AppContext
from examdesk.services.sessions import LocationService
from examdesk.ui.common import list_view, show_error
from examdesk.ui.dialogs import FormDialog
from examdesk.ui.house_style import house_spin
from examdesk.ui.table_model import Column, TableModel


class LocationDialog(FormDialog):
    """A new location (location None) or a change to its name and address."""

    def __init__(self, service: LocationService, location: Any | None = None, parent: QWidget | None = None):
        super().__init__(parent, "Locatie wijzigen" if location else "Nieuwe locatie")
        self.setMinimumWidth(460)
        self.service = service
        self.location = location
        self.name = self.field("Naam", location.name if location else "")
        self.address = self.field("Adres", location.address if location else "",
                                  placeholder="straat en huisnummer, postcode, plaats")

    def submit(self) -> int:
        return self.service.save_location(self.location.id if self.location else None, self.name.text(),
                                          self.address.text())


class RoomDialog(FormDialog):
    """A new room (room None) or a change to its location, name and number of workstations."""

    def __init__(self, service: LocationService, room: Any | None = None, parent: QWidget | None = None):
        super().__init__(parent, "Lokaal wijzigen" if room else "Nieuw lokaal")
        self.setMinimumWidth(460)
        self.service = service
        self.room = room
        self.location = QComboBox()
        for loc in service.locations():
            self.location.addItem(loc.name, loc.id)
        if room is not None:
            self.location.setCurrentIndex(max(self.location.findData(room.location_id), 0))
        self.name = QLineEdit(room.name if room else "")
        self.name.setPlaceholderText("bijvoorbeeld B2.14")
        self.workstations = house_spin(QSpinBox())
        self.workstations.setRange(1, 500)
        self.workstations.setValue(room.workstations if room else 20)
        self.form.addRow("Locatie", self.location)
        self.form.addRow("Lokaal", self.name)
        self.form.addRow("Werkplekken", self.workstations)

    def submit(self) -> int:
        return self.service.save_room(self.room.id if self.room else None, self.location.currentData(),
                                      self.name.text(), self.workstations.value())


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
        self.model: TableModel[Any] = TableModel([
            Column("locatie", lambda r: r.location_name), Column("lokaal", lambda r: r.name),
            Column("werkplekken", lambda r: r.workstations)])
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

    def _open(self, dialog: FormDialog) -> bool:
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
