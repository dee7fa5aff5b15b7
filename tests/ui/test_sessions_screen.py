"""The Afnames screen in the main window, its filters, the import mapping dialog, and the way back
into a running session after a restart."""

from __future__ import annotations

from examdesk.data.sessions import candidate_by_number
from examdesk.domain.session_state import SessionStatus
from examdesk.services.auth import AuthService
from examdesk.services.candidates import read_table
from examdesk.services.context import AppContext
from examdesk.services.navigation import ScreenKey, SessionDates, SessionsTarget
from examdesk.ui.main_window import MainWindow
from examdesk.ui.session_mode.window import SessionModeWindow, resume_running_session
from examdesk.ui.sessions.candidate_import import ImportDialog
from examdesk.ui.sessions.screen import SessionsScreen


def _window(qtbot, store, username):
    window = MainWindow(AppContext(store, AuthService(store).login(username, "demo")))
    qtbot.addWidget(window)
    window.show()
    return window


def test_afnames_screen_is_registered_and_filters_from_the_overview(qtbot, store):
    window = _window(qtbot, store, "bureau")
    screen = window.navigate(SessionsTarget(status=SessionStatus.BEZIG))
    assert isinstance(screen, SessionsScreen)
    assert [p.status for p in screen.model.rows] == ["bezig"]
    screen.apply_filter(SessionsTarget(SessionDates.FUTURE, SessionStatus.GEPLAND))
    assert screen.model.rows and all(p.status == "gepland" for p in screen.model.rows)
    screen.apply_filter(SessionsTarget())
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
    assert dialog.preview.item(0, 0).text() == "2" and dialog.preview.item(0, 2).text() == "Noël"
    dialog.columns["student_number"].setCurrentIndex(0)
    assert "Studentnummer" in dialog.error.text() and not dialog.check.isEnabled()
    dialog.columns["student_number"].setCurrentIndex(1)
    dialog.run_check()
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == 1, timeout=5000)
    assert dialog.summary.text() == "Controle: 1 kandidaat in het bestand: 1 nieuw, 0 gewijzigd, 0 ongewijzigd."
    assert dialog.go.isEnabled() and dialog.go.text() == "&Importeren (1 wijziging)"
    dialog.run()
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == 2, timeout=5000)
    assert dialog.result_sentence == "1 kandidaat geïmporteerd met koppeling 'Osiris': 1 nieuw, 0 gewijzigd, 0 ongewijzigd."
    again = ImportDialog(ctx, read_table(path), "Osiris")
    qtbot.addWidget(again)
    assert again.mapping()["student_number"] == "Studentnr"


def test_import_preview_shows_what_a_reimport_changes_and_keeps(qtbot, store, tmp_path):
    """An Eduarte-style re-import with names only: the accommodations and birth date stay, a changed name is
    shown field by field, and a bad line blocks the import with its line number."""
    ctx = AppContext(store, AuthService(store).login("bureau", "demo"))
    known = candidate_by_number(store, "2024148")   # Loïs van den Berg in the demo: +30 min, vergroting
    assert known.extra_minutes == 30 and known.facilities == ("vergroting",)
    path = tmp_path / "eduarte.csv"
    path.write_bytes(("Studentnummer;Achternaam;Voorvoegsels;Roepnaam\r\n"
                      "2024148;Berg;van den;Loïs Noë\r\n"
                      "9100;Hendriks;;Chloë\r\n"
                      "9101;Smit\r\n").encode("cp1252"))
    dialog = ImportDialog(ctx, read_table(path), "Eduarte")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.run_check()
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == 1, timeout=5000)
    assert [dialog.errors.item(i).text() for i in range(dialog.errors.count())] == [
        "Regel 4: deze regel heeft 2 velden en de kopregel 4; controleer de scheidingstekens."]
    assert not dialog.go.isEnabled() and dialog.errors.isVisible()
    rows = [[dialog.changes.item(r, c).text() for c in range(5)] for r in range(dialog.changes.rowCount())]
    assert rows == [["2", "2024148", "Loïs Noë van den Berg", "gewijzigd", "voornaam: Loïs → Loïs Noë"],
                    ["3", "9100", "Chloë Hendriks", "nieuw", "achternaam: (leeg) → Hendriks\nvoornaam: (leeg) → Chloë\ndoelgroep: (leeg) → regulier"]]
    assert "Geboortedatum" in dialog.kept.text() and "Extra tijd (minuten)" in dialog.kept.text()
    dialog.show_mapping()
    path.write_bytes(path.read_bytes().replace(b"9101;Smit\r\n", b""))
    dialog.table = read_table(path)
    dialog.run_check()
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == 1 and dialog.go.isEnabled(), timeout=5000)
    dialog.run()
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == 2, timeout=5000)
    lois = candidate_by_number(store, "2024148")
    assert lois.first_name == "Loïs Noë" and lois.extra_minutes == 30 and lois.facilities == ("vergroting",)
    assert lois.birth_date == known.birth_date


def test_surveillant_returns_to_the_running_session_after_a_restart(qtbot, store):
    window = _window(qtbot, store, "surveillant")
    mode = resume_running_session(window)
    assert isinstance(mode, SessionModeWindow)
    qtbot.addWidget(mode)
    assert mode.state.plan.status == "bezig" and mode.state.started_at is not None
    assert _window(qtbot, store, "commissie") and resume_running_session(_window(qtbot, store, "commissie")) is None


def test_the_plan_dialog_shows_the_warnings_and_plans_only_when_confirmed(qtbot, store, monkeypatch):
    """A central exam in the past, with a candidate whose extra time is above the half hour: the planner
    sees both and decides."""
    from datetime import timedelta

    from PySide6.QtCore import QDate, Qt, QTime

    from examdesk.ui.sessions.plan_dialog import PlanDialog

    ctx = AppContext(store, AuthService(store).login("bureau", "demo"))
    dialog = PlanDialog(ctx, None)
    qtbot.addWidget(dialog)
    day = ctx.clock().date() - timedelta(days=60)
    dialog.date.setDate(QDate(day.year, day.month, day.day))
    dialog.start.setTime(QTime(7, 0))
    dialog.end.setTime(QTime(8, 0))
    dialog.period.setText("eerdere periode")
    dialog.invigilators.item(0).setCheckState(Qt.CheckState.Checked)
    dialog._add([c for c in dialog.people.search("Wit")])   # Nina de Wit: 45 minutes (for institution exams)
    seen: list[tuple[str, ...]] = []
    monkeypatch.setattr(PlanDialog, "ask", lambda self, warnings: seen.append(tuple(w.text for w in warnings)) or False)
    before = len(dialog.service.list())
    dialog.ok()
    assert len(seen[0]) == 3
    assert seen[0][0].startswith("De afname begint in het verleden")
    assert "heeft 45 minuten extra tijd; bij een centraal examen is dat ten hoogste een half uur" in seen[0][2]
    assert dialog.error.text().startswith("Niet opgeslagen: De afname begint in het verleden")
    assert len(dialog.service.list()) == before and dialog.result() == 0
    monkeypatch.setattr(PlanDialog, "ask", lambda self, warnings: True)
    dialog.ok()
    assert dialog.result() == 1
    notes = dialog.service.planning_notes(dialog.saved.id)
    assert [text for _kind, text, _at, _by in notes] == list(seen[0])
    assert dialog.service.roster(dialog.saved.id)[0].extra_minutes == 30


def test_the_bureau_adds_an_afnameperiode(qtbot, store):
    from PySide6.QtCore import QDate

    from examdesk.ui.sessions.exam_periods import PeriodDialog

    window = _window(qtbot, store, "bureau")
    screen = window.show_screen(ScreenKey.SESSIONS)
    screen.tabs.setCurrentWidget(screen.periods_tab)
    tab = screen.periods_tab
    tab.year.setCurrentIndex(tab.year.findData("2014-2015"))
    assert len(tab.model.rows) == 28
    dialog = PeriodDialog(tab.service, "2040-2041", tab)
    qtbot.addWidget(dialog)
    dialog.period.setValue(2)
    dialog.starts_on.setDate(QDate(2040, 10, 22))
    dialog.ends_on.setDate(QDate(2040, 12, 1))
    dialog.exam.setCurrentIndex(dialog.exam.findData("Rek3F"))
    dialog.weeks.setText("47, 4x")
    dialog.ok()
    assert dialog.error.text() == "'47, 4x' zijn geen weeknummers; schrijf bijvoorbeeld 44, 45."
    dialog.weeks.setText("47; 48")
    dialog.ok()
    assert dialog.result() == 1 and [w.week for w in dialog.added] == [47, 48]
    tab.refresh()
    tab.year.setCurrentIndex(tab.year.findData("2040-2041"))
    assert [(w.exam, w.week) for w in tab.model.rows] == [("Rek3F", 47), ("Rek3F", 48)]


def test_only_flagged_instruments_shows_every_flagged_session_and_no_other(qtbot, store):
    """The paged list (issue 16) still narrows to the planned sessions whose instrument is no longer valid."""
    from examdesk.data.users import by_username
    from examdesk.services.context import AppContext
    from examdesk.services.navigation import ScreenKey, SessionsTarget
    from examdesk.services.sessions import SessionService
    from examdesk.ui.main_window import MainWindow

    ctx = AppContext(store, by_username(store, "commissie"))
    flagged = SessionService(ctx).instrument_flags()
    assert flagged, "the demo has a planned session whose instrument is no longer valid"
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    screen = window.show_screen(ScreenKey.SESSIONS)
    screen.apply_filter(SessionsTarget(instrument_invalid=True))
    assert {p.id for p in screen.model.rows} == set(flagged)
    assert all(screen.model.data(screen.model.index(row, 3)).startswith("⚠ ") for row in range(screen.model.rowCount()))
    screen.flagged_only.setChecked(False)
    assert len(screen.model.rows) > len(flagged)
