"""The Back-ups panel and the startup recovery dialog, as a beheerder would use them."""

from __future__ import annotations

import re

import pytest
from PySide6.QtWidgets import QDialog, QMessageBox

from examdesk.data.db import open_store
from examdesk.domain.backups import DatabaseState
from examdesk.domain.errors import StorageError
from examdesk.domain.roles import Role
from examdesk.paths import backup_dir
from examdesk.services.backup import automatic_backup_if_due, check_database
from examdesk.ui import recovery_dialog
from examdesk.ui.admin.backups import BackupPanel, backup_on_close
from examdesk.ui.recovery_dialog import RecoveryDialog, startup_recovery


@pytest.fixture
def no_popups(monkeypatch):
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text, *a: shown.append(text))
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: shown.append(text))
    return shown


def test_panel_makes_a_backup_and_restores_one(qtbot, ctx_for, store, no_popups, monkeypatch):
    panel = BackupPanel(ctx_for(Role.BEHEERDER))
    qtbot.addWidget(panel)
    assert panel.model.rowCount() == 0 and not panel.restore_button.isEnabled()

    with qtbot.waitSignal(panel.backup_made, timeout=10_000):
        panel.backup_button.click()
    assert panel.model.rowCount() == 1
    row = [panel.model.index(0, c).data() for c in range(panel.model.columnCount())]
    assert row[1] == "minder dan een minuut oud" and row[3] == "handmatig"
    assert row[4] == "dagelijks en wekelijks" and row[5].endswith("_handmatig.sqlite")
    assert re.fullmatch(r"\d+(,\d)? (kB|MB)", row[2]), row[2]     # a size as people read it

    store.write("INSERT INTO settings (key, value) VALUES ('na_backup', 'x')")
    questions: list[str] = []

    def answer(parent, title, text, *args):
        questions.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", answer)
    panel.table.selectRow(0)
    with qtbot.waitSignal(panel.restored, timeout=10_000) as restored:
        panel.restore_button.click()
    assert "Eerst wordt een back-up van de huidige toestand gemaakt" in questions[0]
    assert row[5] in questions[0]
    assert store.query_one("SELECT 1 FROM settings WHERE key = 'na_backup'") is None
    assert restored.args[0].safety_copy is not None
    assert panel.model.rowCount() == 2  # the backup and the copy of the state before the restore
    assert "is teruggezet" in no_popups[-1]


def test_panel_declined_restore_changes_nothing(qtbot, ctx_for, store, no_popups, monkeypatch):
    automatic_backup_if_due(store)
    panel = BackupPanel(ctx_for(Role.BEHEERDER))
    qtbot.addWidget(panel)
    store.write("INSERT INTO settings (key, value) VALUES ('blijft', 'x')")
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.No)
    panel.restore_button.click()
    assert store.query_one("SELECT 1 FROM settings WHERE key = 'blijft'") is not None
    assert len(list(backup_dir().rglob("*.sqlite"))) == 1


def test_panel_retention_setting_is_saved(qtbot, ctx_for, no_popups):
    panel = BackupPanel(ctx_for(Role.BEHEERDER))
    qtbot.addWidget(panel)
    assert (panel.keep_daily.value(), panel.keep_weekly.value()) == (7, 4)
    panel.keep_daily.setValue(10)
    panel.keep_weekly.setValue(2)
    panel.save_retention()
    assert "laatste 10 dagelijkse en 2 wekelijkse" in panel.intro.text()


def test_backup_on_close_makes_one_and_never_raises(qtbot, store, no_popups, monkeypatch):
    assert backup_on_close(None, store) is not None

    def disk_full(*args, **kwargs):
        raise StorageError("De schijf is vol.")

    monkeypatch.setattr("examdesk.ui.admin.backups.automatic_backup_if_due", disk_full)
    assert backup_on_close(None, store) is None
    assert "De schijf is vol." in no_popups[-1]


def _damaged_with_backup(demo_db):
    store = open_store(demo_db)
    good = automatic_backup_if_due(store)
    store.close()
    with open(demo_db, "r+b") as handle:
        handle.truncate(demo_db.stat().st_size // 2)
    return good


def test_recovery_dialog_explains_and_offers_the_newest_good_backup(qtbot, demo_db):
    good = _damaged_with_backup(demo_db)
    verdict = check_database(demo_db)
    dialog = RecoveryDialog(verdict)
    qtbot.addWidget(dialog)
    text = dialog.message.text()
    assert verdict.problem in text
    assert "niet verwijderd, maar opzij gezet als demo.sqlite.beschadigd-" in text
    assert "De nieuwste goede back-up is van" in text and "oud)" in text
    assert dialog.restore_button is not None and good.name in text


def test_startup_recovery_restores_when_the_user_agrees(qtbot, demo_db, no_popups, monkeypatch):
    _damaged_with_backup(demo_db)
    monkeypatch.setattr(RecoveryDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    assert startup_recovery(None, demo_db) is True
    assert check_database(demo_db).state is DatabaseState.OK
    assert any(p.name.startswith("demo.sqlite.beschadigd-") for p in demo_db.parent.iterdir())
    assert "niet verwijderd" in no_popups[-1]


def test_startup_recovery_declined_leaves_the_file_alone(qtbot, demo_db, no_popups, monkeypatch):
    _damaged_with_backup(demo_db)
    before = demo_db.read_bytes()
    monkeypatch.setattr(RecoveryDialog, "exec", lambda self: QDialog.DialogCode.Rejected)
    assert startup_recovery(None, demo_db) is False
    assert demo_db.read_bytes() == before


def test_startup_recovery_without_a_backup_says_so_and_stops(qtbot, demo_db, no_popups):
    with open(demo_db, "r+b") as handle:
        handle.truncate(demo_db.stat().st_size // 2)
    assert startup_recovery(None, demo_db) is False
    assert "Er is geen goede back-up gevonden" in no_popups[-1]


def test_startup_recovery_passes_a_healthy_or_new_database(qtbot, demo_db, tmp_path):
    assert startup_recovery(None, demo_db) is True
    assert startup_recovery(None, tmp_path / "nieuw.sqlite") is True
    assert recovery_dialog.check_database(demo_db).state is DatabaseState.OK
