"""Beheer → Uitwisselsleutels and the key confirmation dialog: a beheerder pins an exam PC's key after
comparing its fingerprint, sees it listed with when and by whom, is shown both the old and the new
fingerprint when that PC's key changes, and revokes a key."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialogButtonBox, QLabel

from examdesk.data import exchange_keys, exchange_rows
from examdesk.services.exchange import ExchangeService
from examdesk.services.navigation import AdminTab, AdminTarget
from examdesk.ui.admin.screen import AdminScreen
from tests import exchange_forger as forger
from tests.exchange_support import fingerprint, new_pc, receive_package, run_first_half, send_package
from tests.session_support import Clock, at, context, plan_session


def _record_from_an_exam_pc(store, empty_db: Path, tmp_path: Path) -> tuple[Path, str, str, list[int]]:
    clock = Clock(at(8, 0))
    sid, ids = plan_session(store, clock)
    b = new_pc(empty_db, tmp_path, "examenpc")
    try:
        receive_package(b, clock, send_package(store, clock, [sid], tmp_path / "pakket"))
        run_first_half(b, clock, sid, ids)
        record = ExchangeService(context(b, "surveillant", clock)).export_record([sid], tmp_path / "verslag").path
        return record, fingerprint(b), exchange_rows.database_id(b), ids
    finally:
        b.close()


def _fingerprints(dialog) -> list[str]:
    return [w.text().replace("<br>", " ") for w in dialog.findChildren(QLabel) if w.objectName() == "Fingerprint"]


def _ok(dialog) -> None:
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()


def test_the_beheerder_pins_lists_replaces_and_revokes_exam_pc_keys(qtbot, store, empty_db, tmp_path, ctx_for):
    from examdesk.domain.roles import Role

    record, exam_pc, exam_pc_id, _ = _record_from_an_exam_pc(store, empty_db, tmp_path)
    screen = AdminScreen(ctx_for(Role.BEHEERDER))
    qtbot.addWidget(screen)
    screen.apply_filter(AdminTarget(AdminTab.EXCHANGE_KEYS))
    panel = screen.exchange_keys
    assert panel.table.rowCount() == 0 and fingerprint(store) in panel.own.text()

    panel.trust_file(record)
    dialog = panel.key_dialog
    assert dialog.username is None                       # the beheerder is logged in: no password asked again
    assert _fingerprints(dialog) == [exam_pc, fingerprint(store)]   # the file's, and this computer's own
    assert "alleen de beheerder" in dialog.findChild(QLabel, "WhoConfirms").text()
    _ok(dialog)
    assert dialog.isVisible() and "Vink eerst aan" in dialog.error.text()
    dialog.compared.setChecked(True)
    dialog.name.setText("laptop 3")
    _ok(dialog)
    qtbot.waitUntil(lambda: panel.table.rowCount() == 1)
    row = [panel.table.item(0, c).text() for c in range(panel.table.columnCount())]
    assert row[:3] == ["een examenpc", "laptop 3", "actief"] and row[4].startswith("beheerder, ") and row[5] == exam_pc
    screen.grab().save(str(tmp_path / "uitwisselsleutels.png"))

    # the same exam PC (its database) now signs with another key: both fingerprints are shown
    other = forger.Key.new(exam_pc_id)
    changed = forger.write(tmp_path / "andere-sleutel.examdesk", "afnameverslag", {"sessions": [], "users": []}, [],
                           signer=other, recipients=[forger.sender_of(tmp_path / "pakket.examdesk")])
    panel.trust_file(changed)
    dialog = panel.key_dialog
    assert "andere sleutel" in dialog.windowTitle().lower()
    assert _fingerprints(dialog) == [other.fingerprint, exam_pc, fingerprint(store)]
    dialog.grab().save(str(tmp_path / "sleutel-gewijzigd.png"))
    dialog.compared.setChecked(True)
    _ok(dialog)
    qtbot.waitUntil(lambda: panel.table.rowCount() == 2)
    by_print = {k.display: k for k in exchange_keys.pinned(store)}
    assert by_print[other.fingerprint].active and by_print[other.fingerprint].label == "laptop 3"   # the same PC
    assert not by_print[exam_pc].active and by_print[exam_pc].revoked_reason.startswith("vervangen door")

    panel.revoke(by_print[other.fingerprint], "laptop gestolen")
    assert not exchange_keys.by_fingerprint(store, other.key_id).active
    assert not panel.revoke_button.isEnabled()
    status = next(panel.table.item(r, 2) for r in range(panel.table.rowCount())
                  if panel.table.item(r, 5).text() == other.fingerprint)
    assert status.text().startswith("ingetrokken ")
    assert "laptop gestolen" in status.toolTip() and "door beheerder" in status.toolTip()


def test_only_the_beheerder_sees_the_key_list(qtbot, ctx_for):
    from examdesk.domain.roles import Role

    for role in (Role.BUREAU, Role.SURVEILLANT, Role.COMMISSIE):
        screen = AdminScreen(ctx_for(role))
        qtbot.addWidget(screen)
        assert "uitwisselsleutels" not in screen.tab_keys
