"""Input typed into a screen is never lost without asking: Beheer → Instelling edits survive a switch of
screen or tab, or are saved or thrown away after a question; closing the window asks too. The main
window never comes back smaller than a usable size."""

from __future__ import annotations

from PySide6.QtCore import QByteArray

from examdesk.services.auth import AuthService
from examdesk.services.context import AppContext
from examdesk.services.institution import InstitutionService
from examdesk.services.navigation import ScreenKey
from examdesk.services.window_settings import MAIN_WINDOW_GEOMETRY
from examdesk.ui.common import remember
from examdesk.ui.main_window import MainWindow
from tests.dialog_support import answer_next_question


def _admin(qtbot, store):
    ctx = AppContext(store, AuthService(store).login("beheerder", "demo"))
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    screen = window.show_screen(ScreenKey.ADMIN)
    tab = screen.institution
    screen.tabs.setCurrentWidget(tab)
    return ctx, window, screen, tab


def test_switching_screens_with_edited_institution_fields_asks_and_annuleren_keeps_them(qtbot, store):
    ctx, window, screen, tab = _admin(qtbot, store)
    stored = tab.name.text()
    tab.name.setText("ROC Nieuwe Naam")
    asked = answer_next_question("Annuleren")
    assert window.show_screen(ScreenKey.OVERVIEW) is None
    assert asked and "de gegevens van de instelling gewijzigd maar nog niet opgeslagen" in asked[0]
    assert window.current_screen() is screen and tab.name.text() == "ROC Nieuwe Naam"

    asked = answer_next_question("Niet opslaan")
    assert window.show_screen(ScreenKey.OVERVIEW) is not None
    assert asked and InstitutionService(ctx).get().name == stored
    window.show_screen(ScreenKey.ADMIN)
    assert tab.name.text() == stored


def test_leaving_the_tab_asks_and_opslaan_saves(qtbot, store):
    ctx, window, screen, tab = _admin(qtbot, store)
    tab.place.setText("Gouda-Noord")
    asked = answer_next_question("Opslaan")
    screen.tabs.setCurrentIndex(screen.tabs.indexOf(screen.tabs.widget(1)))
    assert asked and InstitutionService(ctx).get().place == "Gouda-Noord"
    assert not tab.unsaved.changed()


def test_closing_the_window_with_edits_asks_first(qtbot, store):
    ctx, window, screen, tab = _admin(qtbot, store)
    tab.commission.setText("Examencommissie Zorg")
    asked = answer_next_question("Annuleren")
    window.close()
    assert asked and window.isVisible()
    asked = answer_next_question("Opslaan")
    window.close()
    assert asked and not window.isVisible()
    assert InstitutionService(ctx).get().commission_name == "Examencommissie Zorg"


def test_the_main_window_never_restores_smaller_than_usable(qtbot, store):
    ctx = AppContext(store, AuthService(store).login("beheerder", "demo"))
    tiny = MainWindow(ctx)
    qtbot.addWidget(tiny)
    tiny.resize(518, 289)
    remember(MAIN_WINDOW_GEOMETRY, QByteArray(tiny.saveGeometry()))
    again = MainWindow(ctx)
    qtbot.addWidget(again)
    available = again.screen().availableGeometry()
    assert again.width() >= min(760, available.width()) and again.height() >= min(520, available.height())
    assert again.width() > 518 and again.height() > 289
