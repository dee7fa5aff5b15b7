"""Adding and changing exam locations and rooms: one form each, Enter saves, the error stays in view."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from examdesk.domain.errors import ExamDeskError
from examdesk.services.sessions import LocationService
from examdesk.ui.common import BaseDialog


class _Form(BaseDialog):
    def __init__(self, parent: QWidget | None, title: str):
        super().__init__(parent, title)
        self.layout_ = QVBoxLayout(self)
        self.form = QFormLayout()
        self.layout_.addLayout(self.form)
        self.error = QLabel("")
        self.error.setObjectName("ErrorText")
        self.error.setWordWrap(True)
        self.layout_.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Opslaan")
        buttons.button(QDialogButtonBox.StandardButton.Ok).setDefault(True)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Annuleren")
        buttons.accepted.connect(self._submit)
        buttons.rejected.connect(self.reject)
        self.layout_.addWidget(buttons)
        self.setMinimumWidth(460)
        self.saved_id: int | None = None

    def _submit(self) -> None:
        try:
            self.saved_id = self.save()
        except ExamDeskError as exc:
            self.error.setText(exc.message)
            return
        self.accept()

    def save(self) -> int:
        raise NotImplementedError


class LocationDialog(_Form):
    """A new location (location None) or a change to its name and address."""

    def __init__(self, service: LocationService, location: Any | None = None, parent: QWidget | None = None):
        super().__init__(parent, "Locatie wijzigen" if location else "Nieuwe locatie")
        self.service = service
        self.location = location
        self.name = QLineEdit(location.name if location else "")
        self.address = QLineEdit(location.address if location else "")
        self.address.setPlaceholderText("straat en huisnummer, postcode, plaats")
        self.form.addRow("Naam", self.name)
        self.form.addRow("Adres", self.address)

    def save(self) -> int:
        return self.service.save_location(self.location.id if self.location else None, self.name.text(),
                                          self.address.text())


class RoomDialog(_Form):
    """A new room (room None) or a change to its location, name and number of workstations."""

    def __init__(self, service: LocationService, room: Any | None = None, parent: QWidget | None = None):
        super().__init__(parent, "Lokaal wijzigen" if room else "Nieuw lokaal")
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

    def save(self) -> int:
        return self.service.save_room(self.room.id if self.room else None, self.location.currentData(),
                                      self.name.text(), self.workstations.value())
