"""The Afnames screen in the main window, its filters, the import mapping dialog, and the way back
into a running session after a restart."""

from __future__ import annotations

from examdesk.services.auth import AuthService
from examdesk.services.candidates import read_table
from examdesk.services.context import AppContext
from examdesk.ui.main_window import MainWindow
from examdesk.ui.session_mode import SessionModeWindow, resume_running_session
from examdesk.ui.sessions_screen import ImportDialog, SessionsScreen


def _window(qtbot, store, username):
    window = MainWindow(AppContext(store, AuthService(store).login(username, "demo")))
    qtbot.addWidget(window)
    window.show()
    return window


def test_afnames_screen_is_registered_and_filters_from_the_overview(qtbot, store):
    window = _window(qtbot, store, "bureau")
    screen = window.show_screen("afnames", {"status": "bezig"})
    assert isinstance(screen, SessionsScreen)
    assert [p.status for p in screen.model.rows] == ["bezig"]
    screen.apply_filter({"datum": "toekomst", "status": "gepland"})
    assert screen.model.rows and all(p.status == "gepland" for p in screen.model.rows)
    screen.apply_filter({})
    assert {p.status for p in screen.model.rows} >= {"afgesloten", "gepland", "bezig", "geannuleerd"}
    screen.tabs.setCurrentIndex(1)
    assert len(screen.candidates_tab.model.rows) >= 60


def test_import_dialog_guesses_previews_and_remembers_the_mapping(qtbot, store, tmp_path):
    path = tmp_path / "osiris.csv"
    path.write_text("Studentnr,Geslachtsnaam,Roepnaam,Geb.datum\n7001,Noël,Daoudi,01-02-2007\n", encoding="cp1252")
    ctx = AppContext(store, AuthService(store).login("bureau", "demo"))
    dialog = ImportDialog(ctx, read_table(path), "Osiris")
    qtbot.addWidget(dialog)
    assert dialog.mapping() == {"student_number": "Studentnr", "last_name": "Geslachtsnaam",
                                "first_name": "Roepnaam", "birth_date": "Geb.datum"}
    assert dialog.preview.item(0, 1).text() == "Noël"
    dialog.columns["student_number"].setCurrentIndex(0)
    assert "Studentnummer" in dialog.error.text()
    dialog.columns["student_number"].setCurrentIndex(1)
    dialog.run()
    qtbot.waitUntil(lambda: dialog.result() == 1, timeout=5000)
    again = ImportDialog(ctx, read_table(path), "Osiris")
    qtbot.addWidget(again)
    assert again.mapping()["student_number"] == "Studentnr"


def test_surveillant_returns_to_the_running_session_after_a_restart(qtbot, store):
    window = _window(qtbot, store, "surveillant")
    mode = resume_running_session(window)
    assert isinstance(mode, SessionModeWindow)
    qtbot.addWidget(mode)
    assert mode.state.plan.status == "bezig" and mode.state.started_at is not None
    assert _window(qtbot, store, "commissie") and resume_running_session(_window(qtbot, store, "commissie")) is None
