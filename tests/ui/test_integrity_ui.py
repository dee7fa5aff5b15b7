"""The trust work as the beheerder meets it: keys missing at startup, Beheer → Sleutels, rebuilding a
damaged index from the recovery dialog, and the full check in the background after the start."""

from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from examdesk.domain.backups import DatabaseState
from examdesk.domain.cancel import Cancelled
from examdesk.domain.roles import Role
from examdesk.services.backup import check_database
from examdesk.services.keys import KeyService
from examdesk.ui.admin.keys import ExportKeysDialog, ImportKeysDialog, KeysPanel
from examdesk.ui.admin.screen import AdminScreen
from examdesk.ui.recovery_dialog import BackgroundCheck, RecoveryDialog, startup_recovery
from tests import forger
from tests.services.test_index_damage import garble_index_page

PASS = "lang genoeg wachtwoord"


@pytest.fixture
def no_popups(monkeypatch):
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text, *a: shown.append(text))
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: shown.append(text))
    return shown


def test_keys_tab_shows_the_fingerprint_and_exports(qtbot, ctx_for, tmp_path, no_popups, monkeypatch):
    screen = AdminScreen(ctx_for(Role.BEHEERDER))
    qtbot.addWidget(screen)
    assert "sleutels" in screen.tab_keys
    panel: KeysPanel = screen.keys
    fingerprint = KeyService(ctx_for(Role.BEHEERDER)).info().fingerprint
    assert panel.fingerprint.text().replace("  ", " ") == fingerprint
    assert "config/keys" in panel.where.text().replace("\\", "/")
    target = tmp_path / "sleutels.examdesk-sleutels"

    def fill(dialog: ExportKeysDialog):
        dialog.path.setText(str(target))
        dialog.passphrase.setText("kort")
        dialog.repeated.setText("kort")
        dialog.ok()
        assert "minstens 12" in dialog.error.text() and not target.exists()
        dialog.passphrase.setText(PASS)
        dialog.repeated.setText(PASS)
        dialog.ok()
        return dialog.result()

    monkeypatch.setattr(ExportKeysDialog, "exec", fill)
    panel.export_button.click()
    assert target.exists() and str(target) in no_popups[-1]


def test_commission_members_have_no_keys_tab(qtbot, ctx_for):
    screen = AdminScreen(ctx_for(Role.COMMISSIE))
    qtbot.addWidget(screen)
    assert "sleutels" not in screen.tab_keys


def test_startup_with_missing_keys_asks_for_the_key_file(qtbot, ctx_for, store, demo_db, tmp_path, monkeypatch):
    key_file = KeyService(ctx_for(Role.BEHEERDER)).export(tmp_path / "k.examdesk-sleutels", PASS, PASS)
    store.close()
    monkeypatch.setenv("EXAMDESK_HOME", str(tmp_path / "andere-pc"))
    asked: list[str] = []

    def declined(dialog: ImportKeysDialog):
        asked.append(dialog.windowTitle())
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(ImportKeysDialog, "exec", declined)
    assert startup_recovery(None, demo_db) is False
    assert asked == ["ExamDesk: sleutels ontbreken"]

    def wrong_then_right(dialog: ImportKeysDialog):
        dialog.path.setText(str(key_file))
        dialog.passphrase.setText("verkeerd wachtwoord")
        dialog.ok()
        assert "klopt niet" in dialog.error.text()
        dialog.passphrase.setText(PASS)
        dialog.ok()
        return dialog.result()

    monkeypatch.setattr(ImportKeysDialog, "exec", wrong_then_right)
    assert startup_recovery(None, demo_db) is True
    assert check_database(demo_db).state is DatabaseState.OK


def test_the_recovery_dialog_offers_to_rebuild_a_damaged_index(qtbot, demo_db, no_popups, monkeypatch):
    garble_index_page(demo_db)
    verdict = check_database(demo_db)
    dialog = RecoveryDialog(verdict)
    qtbot.addWidget(dialog)
    assert dialog.repair_button is not None and "Indexen herstellen" in dialog.repair_button.text()

    def choose_repair(self):
        self.repair_button.click()
        return self.result()

    monkeypatch.setattr(RecoveryDialog, "exec", choose_repair)
    assert startup_recovery(None, demo_db) is True
    assert "geen gegevens verloren" in no_popups[-1] and "niet verwijderd" in no_popups[-1]
    assert check_database(demo_db, thorough=True).state is DatabaseState.OK


def test_the_background_check_reports_what_the_start_did_not_read(qtbot, demo_db, no_popups):
    assert check_database(demo_db, record=True).state is DatabaseState.OK
    conn = sqlite3.connect(demo_db)
    decision = conn.execute("SELECT id FROM decisions LIMIT 1").fetchone()[0]
    conn.close()
    forger.run(demo_db, ("UPDATE decisions SET reasoning = 'anders' WHERE id = ?", (decision,)))
    assert check_database(demo_db).state is DatabaseState.OK  # before the checkpoint: not read at start
    window = QWidget()
    qtbot.addWidget(window)
    with qtbot.waitSignal(BackgroundCheck(window, demo_db).finished, timeout=20_000) as done:
        pass
    assert done.args[0].state is DatabaseState.DAMAGED
    assert f"Besluit {decision} (tabel decisions) is gewijzigd buiten ExamDesk" in no_popups[-1]
    assert check_database(demo_db).state is DatabaseState.DAMAGED  # and the next start offers the recovery


def test_beheer_builds_a_tab_when_it_is_first_shown(qtbot, ctx_for):
    """Opening Beheer builds the tab on show only (issue 16: seven tabs, with their imports, key files and
    lists, made opening it take 400 ms); the Sleutels tab appears, filled, when chosen."""
    screen = AdminScreen(ctx_for(Role.BEHEERDER))
    qtbot.addWidget(screen)
    keys_at = screen.tab_keys.index("sleutels")
    assert screen.tabs.tabText(keys_at) == "Sleutels"
    assert not isinstance(screen.tabs.widget(keys_at), KeysPanel)
    screen.tabs.setCurrentIndex(keys_at)
    panel = screen.tabs.widget(keys_at)
    assert isinstance(panel, KeysPanel) and panel is screen.keys
    assert panel.fingerprint.text().replace("  ", " ") == KeyService(ctx_for(Role.BEHEERDER)).info().fingerprint
    assert screen.tabs.currentIndex() == keys_at


def test_closing_while_the_background_check_records_its_verdict_is_no_error(qtbot, demo_db, monkeypatch, no_popups):
    """ExamDesk closed at the moment the full check records its verdict: SQLite stops that read with "interrupted",
    which is the stop all the same — nothing recorded, nothing said (it surfaced as an exception in the Qt event
    loop when a start was closed at once)."""
    import time

    from examdesk.services import integrity

    checks: list[BackgroundCheck] = []
    failures: list[Exception] = []
    def record_while_closing(*args, **kwargs):
        deadline = time.monotonic() + 10
        while not checks and time.monotonic() < deadline:
            time.sleep(0.01)
        checks[0].cancel.cancel()                  # the window closes now, as the verdict is written:
        raise sqlite3.OperationalError("interrupted")          # what SQLite answers the query it stops

    real_failed = BackgroundCheck._failed

    def failed(self, exc):
        failures.append(exc)
        real_failed(self, exc)

    monkeypatch.setattr(integrity, "record_verified", record_while_closing)
    monkeypatch.setattr(BackgroundCheck, "_failed", failed)
    window = QWidget()
    qtbot.addWidget(window)
    checks.append(BackgroundCheck(window, demo_db))
    qtbot.waitUntil(lambda: bool(failures), timeout=20_000)
    assert isinstance(failures[0], Cancelled) and no_popups == []
