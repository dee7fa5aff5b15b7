"""The Overzicht's first fill (issue 16): the quick cards at once, the slow ones — every instrument's validity,
the beheerder's retention check over every candidate, the Afnames card's judgement of every planned session's
instrument — counted on a thread of their own, a placeholder until
they arrive; the same cards as a fill in one go, and once per state of the database."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication, QLabel

from examdesk.services.auth import AuthService
from examdesk.services.context import AppContext
from examdesk.services.navigation import ScreenKey
from examdesk.services.overview import OverviewService
from examdesk.ui.main_window import MainWindow
from examdesk.ui.overview_screen import OverviewScreen


def _texts(overview: OverviewScreen) -> list[str]:
    return [label.text() for label in overview.links]


def _placeholders(overview: OverviewScreen) -> list[QLabel]:
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)   # the cards of the fill before: gone
    return [label for label in overview.body.findChildren(QLabel) if label.text() == "Wordt geteld…"]


def _placeholder_titles(overview: OverviewScreen) -> list[str]:
    """The titles of the cards still being counted (a placeholder's title sits above its 'Wordt geteld…')."""
    return sorted(label.parentWidget().findChildren(QLabel)[0].text() for label in _placeholders(overview))


def _overview(qtbot, store, username: str) -> tuple[MainWindow, OverviewScreen]:
    window = MainWindow(AppContext(store, AuthService(store).login(username, "demo")))
    qtbot.addWidget(window)
    window.show()
    overview = window.screens[ScreenKey.OVERVIEW]
    qtbot.waitUntil(lambda: overview.complete and bool(overview.links), timeout=20_000)
    store.memo.clear()       # as on a fresh start: nothing counted yet
    return window, overview


def test_slow_cards_arrive_after_the_others_with_what_a_fill_in_one_go_shows(qtbot, store):
    window, overview = _overview(qtbot, store, "beheerder")
    overview.refresh_after_paint()
    assert not overview.complete
    shown = _texts(overview)
    assert any("actieve gebruikers" in t for t in shown)                   # a quick card: there at once
    assert not any("niet valide vandaag" in t for t in shown)              # the register: still being counted
    assert _placeholder_titles(overview) == ["Privacy (bewaartermijnen)", "Register"]   # no sessions for a beheerder
    qtbot.waitUntil(lambda: overview.complete, timeout=20_000)
    arrived = sorted(_texts(overview))
    assert any("niet valide vandaag" in t for t in arrived) and any("bewaartermijn" in t for t in arrived)
    overview.refresh_completely()                                            # everything at once
    assert sorted(_texts(overview)) == arrived
    cards = OverviewService(window.ctx).cards()
    assert arrived == sorted(("▸ " if line.target else "") + line.text for card in cards for line in card.lines)


def test_the_afnames_card_is_counted_off_the_gui_thread_too(qtbot, store):
    window, overview = _overview(qtbot, store, "commissie")
    overview.refresh_after_paint()
    assert "Afnames" in _placeholder_titles(overview)
    assert not any("nog te beginnen vandaag" in t for t in _texts(overview))
    qtbot.waitUntil(lambda: overview.complete, timeout=20_000)
    arrived = sorted(_texts(overview))
    assert any("nog te beginnen vandaag" in t for t in arrived)
    cards = OverviewService(window.ctx).cards()
    assert arrived == sorted(("▸ " if line.target else "") + line.text for card in cards for line in card.lines)


def test_counted_once_per_state_of_the_database(qtbot, store):
    _window, overview = _overview(qtbot, store, "commissie")
    overview.refresh_after_paint()
    qtbot.waitUntil(lambda: overview.complete, timeout=20_000)
    overview.refresh_after_paint()
    assert overview.complete                     # nothing changed: the register's count is remembered
    store.write("UPDATE institution SET place = place")       # any change counts anew
    overview.refresh_after_paint()
    assert not overview.complete
    qtbot.waitUntil(lambda: overview.complete, timeout=20_000)


def test_a_user_without_the_register_gets_no_placeholder_for_it(qtbot, store):
    _window, overview = _overview(qtbot, store, "surveillant")
    overview.refresh_after_paint()
    assert _placeholder_titles(overview) == ["Afnames"]        # their own sessions: counted, not the register
    qtbot.waitUntil(lambda: overview.complete, timeout=20_000)
    assert any("nog te beginnen vandaag" in t for t in _texts(overview))
