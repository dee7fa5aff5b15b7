"""Adding and changing exam locations and rooms: one form each, Enter saves, the error stays in view."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox, QLineEdit, QSpinBox, QWidget

from examdesk.services.sessions import LocationService
from examdesk.ui.common import FormDialog


class LocationDialog(FormDialog):
    """A new location (location None) or a change to its name and address."""

    def __init__(self, service: LocationService, location: Any | None = None, parent: QWidget | None = None):
        super().__init__(parent, "Locatie wijzigen" if location else "Nieuwe locatie")
        self.setMinimumWidth(460)
        self.saved_id: int | None = None
        self.service = service
        self.location = location
        self.name = self.field("Naam", location.name if location else "")
        self.address = self.field("Adres", location.address if location else "",
                                  placeholder="straat en huisnummer, postcode, plaats")

    def submit(self) -> None:
        self.saved_id = self.service.save_location(self.location.id if self.location else None, self.name.text(),
                                          self.address.text())


class RoomDialog(FormDialog):
    """A new room (room None) or a change to its location, name and number of workstations."""

    def __init__(self, service: LocationService, room: Any | None = None, parent: QWidget | None = None):
        super().__init__(parent, "Lokaal wijzigen" if room else "Nieuw lokaal")
        self.setMinimumWidth(460)
        self.saved_id: int | None = None
        self.service = service
        self.room = room
        self.location = QComboBox()
        for loc in service.locations():
            self.location.addItem(loc.name, loc.id)
        if room is not None:
            self.location.setCurrentIndex(max(self.location.findData(room.location_id), 0))
        self.name = QLineEdit(room.name if room else "")
        self.name.setPlaceholderText("bijvoorbeeld B2.14")
        self.workstations = QSpinBox()
        self.workstations.setRange(1, 500)
        self.workstations.setValue(room.workstations if room else 20)
        self.form.addRow("Locatie", self.location)
        self.form.addRow("Lokaal", self.name)
        self.form.addRow("Werkplekken", self.workstations)

    def submit(self) -> None:
        self.saved_id = self.service.save_room(self.room.id if self.room else None, self.location.currentData(),
                                      self.name.text(), self.workstations.value())
