"""Appeals in view on screen (issue 13 follow-up): the Overzicht's Beroep card for the commission, a line of it
opening the Incidenten list filtered on it with the case on show, and the filter box "beroep loopt"."""

from __future__ import annotations

import os
from datetime import timedelta

from PySide6.QtCore import Qt

from examdesk.domain.incident_desk import IncidentFilter
from examdesk.services.auth import AuthService
from examdesk.services.context import AppContext
from examdesk.services.navigation import ScreenKey
from examdesk.ui.incidents.screen import IncidentsScreen
from examdesk.ui.main_window import MainWindow
from examdesk.ui.overview_screen import OverviewScreen
from tests.services.test_casework import _sent, casework
from tests.session_support import DAY, Clock, at


def test_the_appeal_card_opens_the_case_and_the_filter_says_what_it_shows(qtbot, store):
    clock = Clock(at(8, 30))
    incident, _ids, d = _sent(store, clock, "ui")
    _i2, _ids2, d2 = _sent(store, clock, "u2")
    clock.advance(days=3)
    casework(store, clock).lodge_appeal(d2.id, DAY + timedelta(days=6), "de kandidaat")
    window = MainWindow(AppContext(store, AuthService(store, clock).login("commissie", "demo"), clock=clock))
    qtbot.addWidget(window)
    window.resize(1400, 900)
    window.show()
    overview = window.show_screen(ScreenKey.OVERVIEW)
    assert isinstance(overview, OverviewScreen)
    if os.environ.get("EXAMDESK_PNG"):
        qtbot.wait(100)
        window.grab().save(os.path.join(os.environ["EXAMDESK_PNG"], "overview_appeals.png"))
    texts = [label.text() for label in overview.links]
    assert "▸ 1 beroep zonder uitspraak" in texts and "▸ 1 beroepstermijn loopt" in texts
    link = next(label for label in overview.links if f"Besluit {d.number} (" in label.text())
    qtbot.mouseClick(link, Qt.MouseButton.LeftButton)
    screen = window.current_screen()
    assert isinstance(screen, IncidentsScreen)
    assert screen.filters.appeal.isChecked() and screen.filters.appeal.text() == "beroepstermijn loopt"
    assert [r.incident_id for r in screen.model.rows] == [incident]
    assert screen.case is not None and screen.case.row.incident_id == incident
    if os.environ.get("EXAMDESK_PNG"):
        qtbot.wait(100)
        window.grab().save(os.path.join(os.environ["EXAMDESK_PNG"], "incidents_appeal_filter.png"))
    screen.filters.appeal.setChecked(False)            # the user's own box: either kind
    screen.filters.appeal.setChecked(True)
    assert screen.filters.appeal.text() == "beroep loopt"
    assert screen.filters.current("").appeal == "loopt"
    qtbot.waitUntil(lambda: len(screen.model.rows) == 2)
    assert screen.filters.current("") == IncidentFilter(appeal="loopt")
