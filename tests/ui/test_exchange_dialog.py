"""Uitwisselen in the GUI: a package from the office, an exam PC set up from it, and the record
read back after the preview has said what it adds."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from examdesk.data import sessions as session_data
from examdesk.data.users import by_username
from examdesk.domain.roles import Role
from examdesk.services.auth import AuthService
from examdesk.services.context import AppContext
from examdesk.ui.auth_dialogs import SetupDialog
from examdesk.ui.exchange_dialog import ExchangeDialog
from examdesk.ui.main_window import MainWindow
from tests.exchange_support import new_pc, run_first_half
from tests.session_support import Clock, at, context, plan_session


@pytest.fixture
def popups(monkeypatch):
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: shown.append(text))
    monkeypatch.setattr(QMessageBox, "question",
                        lambda parent, title, text, *a: shown.append(text) or QMessageBox.StandardButton.Yes)
    return shown


def _tick(dialog_tab, session_id: str) -> None:
    for n in range(dialog_tab.list.count()):
        item = dialog_tab.list.item(n)
        plan = item.data(Qt.ItemDataRole.UserRole)
        if plan is not None and plan.id == session_id:
            item.setCheckState(Qt.CheckState.Checked)


def test_package_setup_run_and_record_back(qtbot, store, empty_db, tmp_path: Path, popups):
    clock = Clock(at(8, 0))
    sid, ids = plan_session(store, clock)
    office = ExchangeDialog(context(store, "bureau", clock))
    qtbot.addWidget(office)
    assert office.tabs.count() == 3
    _tick(office.package_tab, sid)
    package = tmp_path / "pakket.examdesk"
    office.package_tab.export_to(package)
    qtbot.waitUntil(lambda: "Afnamepakket opgeslagen" in office.status.text(), timeout=10_000)

    b = new_pc(empty_db, tmp_path, "examenpc")
    try:
        setup = SetupDialog(AuthService(b))
        qtbot.addWidget(setup)
        setup.from_package(str(package))
        assert setup.result() == SetupDialog.DialogCode.Accepted and setup.user is None
        assert any("Deze gegevens inlezen?" in text for text in popups)
        assert [p.id for p in session_data.list_sessions(b, session_data.SessionFilter())] == [sid]
        run_first_half(b, clock, sid, ids)

        on_b = ExchangeDialog(context(b, "surveillant", clock))
        qtbot.addWidget(on_b)
        assert on_b.package_tab is None and on_b.tabs.count() == 2
        _tick(on_b.record_tab, sid)
        record = tmp_path / "verslag.examdesk"
        on_b.record_tab.export_to(record)
        qtbot.waitUntil(lambda: "Afnameverslag opgeslagen" in on_b.status.text(), timeout=10_000)
        count = len(session_data.events(b, sid))
    finally:
        b.close()

    reading = ExchangeDialog(context(store, "bureau", clock), file=record)
    qtbot.addWidget(reading)
    qtbot.waitUntil(lambda: reading.import_button.isEnabled(), timeout=10_000)
    assert f"{count} nieuwe gebeurtenissen" in reading.preview_text.toPlainText()
    assert session_data.events(store, sid) == []                  # the preview saved nothing
    reading.import_button.click()
    qtbot.waitUntil(lambda: "is ingelezen" in reading.status.text(), timeout=10_000)
    assert len(session_data.events(store, sid)) == count
    assert not reading.import_button.isEnabled()

    again = ExchangeDialog(context(store, "bureau", clock), file=record)
    qtbot.addWidget(again)
    qtbot.waitUntil(lambda: "niets toe" in again.status.text(), timeout=10_000)
    assert not again.import_button.isEnabled()


def test_a_damaged_file_is_shown_as_refused(qtbot, store, tmp_path: Path):
    broken = tmp_path / "kapot.examdesk"
    broken.write_bytes(b"PK\x03\x04 niet echt")
    dialog = ExchangeDialog(AppContext(store, by_username(store, "bureau")), file=broken)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: "geweigerd" in dialog.status.text(), timeout=10_000)
    assert "Er is niets ingelezen." in dialog.preview_text.toPlainText()
    assert not dialog.import_button.isEnabled()


def test_the_main_window_offers_exchange_to_the_roles_that_may(qtbot, ctx_for):
    menus = {}
    for role in (Role.BUREAU, Role.SURVEILLANT, Role.COMMISSIE):
        window = MainWindow(ctx_for(role))
        qtbot.addWidget(window)
        menus[role] = [a.text() for a in window.menuBar().actions()]
    assert "&Bestand" in menus[Role.BUREAU] and "&Bestand" in menus[Role.SURVEILLANT]
    assert "&Bestand" not in menus[Role.COMMISSIE]     # the commission only has Account (Mijn gegevens)
    window = MainWindow(ctx_for(Role.BUREAU))
    qtbot.addWidget(window)
    dialog = window.open_exchange()
    assert isinstance(dialog, ExchangeDialog)
    dialog.close()
