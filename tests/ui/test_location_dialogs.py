"""Locations and rooms are added and changed through one form each."""

from __future__ import annotations

from examdesk.domain.roles import Role
from examdesk.services.sessions import LocationService
from examdesk.ui.sessions.locations import LocationDialog, LocationsTab, RoomDialog


def test_add_and_change_a_room_and_a_location(qtbot, ctx_for, monkeypatch):
    ctx = ctx_for(Role.BUREAU)
    tab = LocationsTab(ctx)
    qtbot.addWidget(tab)
    tab.refresh()
    rooms_before = tab.model.rowCount()

    def fill_room(dialog: RoomDialog):
        dialog.name.setText("C3.01")
        dialog.workstations.setValue(24)
        dialog.ok()
        return dialog.result()

    monkeypatch.setattr(RoomDialog, "exec", fill_room)
    tab.add_room.click()
    assert tab.model.rowCount() == rooms_before + 1
    row = next(i for i, r in enumerate(tab.model.rows) if r.name == "C3.01")
    tab.table.selectRow(row)

    def change_room(dialog: RoomDialog):
        assert dialog.name.text() == "C3.01"
        dialog.workstations.setValue(26)
        dialog.ok()
        return dialog.result()

    monkeypatch.setattr(RoomDialog, "exec", change_room)
    tab.edit_room.click()
    assert next(r for r in tab.model.rows if r.name == "C3.01").workstations == 26

    def rename(dialog: LocationDialog):
        dialog.address.setText("Bodegraafsestraatweg 3, 2805 GR Gouda")
        dialog.name.setText("Gouda Noord")
        dialog.ok()
        return dialog.result()

    monkeypatch.setattr(LocationDialog, "exec", rename)
    tab.table.selectRow(next(i for i, r in enumerate(tab.model.rows) if r.name == "C3.01"))
    tab.edit_location.click()
    assert "Gouda Noord: Bodegraafsestraatweg 3" in tab.addresses.toPlainText()


def test_a_room_with_a_name_taken_in_its_location_is_refused_in_the_form(qtbot, ctx_for):
    ctx = ctx_for(Role.BUREAU)
    service = LocationService(ctx)
    existing = service.rooms()[0]
    dialog = RoomDialog(service, None)
    qtbot.addWidget(dialog)
    dialog.location.setCurrentIndex(dialog.location.findData(existing.location_id))
    dialog.name.setText(existing.name)
    dialog.ok()
    assert "al een lokaal" in dialog.error.text()
    assert not dialog.result()
