"""The incident overview from where the user is: the Incidenten screen's filters as they stand become a
PDF (issued, in the preview) or an XLSX/CSV with the same rows; the Rapporten screen takes any period."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

from openpyxl import load_workbook
from pypdf import PdfReader
from PySide6.QtWidgets import QLabel

from examdesk.domain.catalogue import default_catalogue
from examdesk.domain.incident_desk import IncidentFilter
from examdesk.services.auth import AuthService
from examdesk.services.context import AppContext
from examdesk.services.doc_incidenten import filter_of
from examdesk.services.navigation import IncidentsTarget, ReportsTarget, ScreenKey
from examdesk.ui.incidents.screen import IncidentsScreen
from examdesk.ui.main_window import MainWindow
from examdesk.ui.reports.screen import FREE_PERIOD, ReportsScreen

CODES = {c.code for c in default_catalogue().categories}


def _screen(qtbot, store) -> IncidentsScreen:
    window = MainWindow(AppContext(store, AuthService(store).login("commissie", "demo")))
    qtbot.addWidget(window)
    window.resize(1500, 900)
    window.show()
    screen = window.show_screen(ScreenKey.INCIDENTS)
    assert isinstance(screen, IncidentsScreen)
    return screen


def _pdf_text(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)


def _listed(screen: IncidentsScreen) -> list:
    while screen.model.canFetchMore():
        screen.model.fetchMore()
    return sorted(screen.model.rows, key=lambda r: r.occurred_at)


def screen_rows(store) -> list:
    from examdesk.data import incident_desk
    from examdesk.domain.incident_desk import IncidentFilter

    return incident_desk.page(store, IncidentFilter(), 0, 10_000)


def _gouda(screen: IncidentsScreen) -> int:
    return next(i for i, name in screen.service.filter_choices()["locations"] if "Gouda" in name)


def test_overview_of_the_filtered_list_as_pdf_and_xlsx_with_the_same_rows(qtbot, store, tmp_path):
    screen = _screen(qtbot, store)
    everything = screen.model.total
    screen.apply_filter(IncidentsTarget(IncidentFilter(text="onwel", location_id=_gouda(screen))))   # search + location, no period
    rows = _listed(screen)
    assert 0 < len(rows) < everything
    overview = screen.overview
    assert overview.isVisible() and overview.button.text() == "Overzicht afdrukken/exporteren…"

    overview.pdf_action.trigger()
    qtbot.waitUntil(lambda: overview.last_viewer is not None, timeout=15000)
    viewer = overview.last_viewer
    assert viewer.page_count() >= 1 and viewer.record.kind == "incidenten"
    f = filter_of(viewer.record.subject_id)
    assert (f.text, f.location_id) == ("onwel", _gouda(screen))
    first = rows[0].occurred_at.date()
    assert f.date_from == first and f.date_to >= rows[-1].occurred_at.date()
    text = _pdf_text(viewer.pdf)
    assert f"{len(rows)} incidenten, in volgorde van tijd" in text
    assert "Zoekterm onwel" in text and "Bodegraafsestraatweg" in text
    assert {c for c in CODES if re.search(rf"\b{c}\b", text)} == {r.category for r in rows}
    for r in rows:
        assert r.occurred_at.strftime("%d-%m-%Y") in text and r.occurred_at.strftime("%H:%M") in text
    assert overview.status.text() == "Overzicht geopend als voorbeeld: afdrukken of opslaan geeft het uit."
    assert viewer.issue()
    assert overview.status.text() == "Overzicht uitgegeven (afgedrukt of opgeslagen)."

    overview.ask_path = lambda _parent, suggested, file_filter: str(tmp_path / "analyse")   # no suffix typed
    overview.xlsx_action.trigger()
    qtbot.waitUntil(lambda: overview.last_saved is not None, timeout=15000)
    assert overview.last_saved == tmp_path / "analyse.xlsx"
    sheet = load_workbook(overview.last_saved).active
    table = list(sheet.iter_rows(values_only=True))
    assert table[0][0] == "Datum" and table[0][-1] == "Incident-id"
    assert [line[-1] for line in table[1:]] == [r.incident_id for r in rows]
    assert [line[5] for line in table[1:]] == [r.category for r in rows]
    assert overview.status.text() == f"{len(rows)} incidenten opgeslagen in analyse.xlsx."
    assert overview.status.toolTip() == str(tmp_path / "analyse.xlsx")
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".examdesk-")]   # no temporary left


def test_csv_with_a_period_and_a_status_and_an_empty_selection_writes_nothing(qtbot, store, tmp_path):
    screen = _screen(qtbot, store)
    every = _listed(screen)
    day = next(r for r in every if r.status == "open").occurred_at.date()
    screen.apply_filter(IncidentsTarget(IncidentFilter(status="open", date_from=day, date_to=day)))
    rows = _listed(screen)
    assert rows and all(r.status == "open" and r.occurred_at.date() == day for r in rows)
    asked: list[str] = []

    def answer(_parent, suggested: str, file_filter: str) -> str:
        asked.append(suggested)
        return str(tmp_path / "open.csv")

    screen.overview.ask_path = answer
    screen.overview.csv_action.trigger()
    qtbot.waitUntil(lambda: screen.overview.last_saved is not None, timeout=15000)
    assert asked[0] == f"incidentenoverzicht-{day:%Y-%m-%d}-tot-{day:%Y-%m-%d}.csv"
    lines = list(csv.reader(io.StringIO((tmp_path / "open.csv").read_text(encoding="utf-8-sig")), delimiter=";"))
    # the rows on screen, in the list's order; incidents logged in the same minute (late at night the
    # demo's run logs them all at once) may come in either order
    assert sorted(line[-1] for line in lines[1:]) == sorted(r.incident_id for r in rows)
    assert [line[0] for line in lines[1:]] == sorted((line[0] for line in lines[1:]), reverse=True)
    assert {line[9] for line in lines[1:]} == {"open"}

    screen.overview.last_saved = None
    asked.clear()
    screen.apply_filter(IncidentsTarget(IncidentFilter(text="hier staat geen enkel incident op")))
    assert screen.model.total == 0
    screen.overview.csv_action.trigger()
    assert asked == [] and screen.overview.last_saved is None
    assert screen.overview.status.text().startswith("Geen incidenten bij deze filters")
    screen.overview.pdf_action.trigger()
    assert screen.overview.last_viewer is None

    screen.filters.date_from.setText("31-02-2026")                            # a date that cannot be read
    screen.overview.xlsx_action.trigger()
    assert asked == [] and "Verbeter eerst de datum" in screen.overview.status.text()


def test_rapporten_makes_the_overview_for_a_free_period(qtbot, ctx_for, store):
    from examdesk.domain.roles import Role

    screen = ReportsScreen(ctx_for(Role.COMMISSIE))
    qtbot.addWidget(screen)
    screen.show()
    screen.refresh()
    screen.apply_filter(ReportsTarget("procesverbaal"))
    assert not screen.period_box.isVisible()
    screen.apply_filter(ReportsTarget("incidenten"))
    assert screen.period_box.isVisible()
    offered = screen.subject.search("")
    assert offered[-1][0] == FREE_PERIOD                               # offered last, after the ready-made ones
    preset = filter_of(screen.subject.value())                  # a ready-made period shows its dates
    assert screen.period_from.date().toPython() == preset.date_from
    assert screen.period_to.date().toPython() == preset.date_to
    assert re.fullmatch(r"\d{2}-\d{2}-\d{4}", screen.period_from.text())

    rows = sorted(screen_rows(store), key=lambda r: r.occurred_at)   # demo dates follow today
    days = sorted({r.occurred_at.date() for r in rows})
    assert len(days) >= 3
    start, end = days[0] + timedelta(days=1), days[-2]
    inside = [r for r in rows if start <= r.occurred_at.date() <= end]
    screen.set_period(start, end)
    assert screen.subject.value() == FREE_PERIOD
    screen.make_button.click()
    qtbot.waitUntil(lambda: screen.last_viewer is not None, timeout=15000)
    record = screen.last_viewer.record
    assert record.subject_id == f"van={start.isoformat()};tot={end.isoformat()}"
    text = _pdf_text(screen.last_viewer.pdf)
    assert f"Periode {start:%d-%m-%Y} tot en met {end:%d-%m-%Y}" in text
    assert f"{len(inside)} incidenten, in volgorde van tijd" in text
    assert f"{days[0]:%d-%m-%Y}" not in text                         # the first day lies outside
    for r in inside:
        assert f"{r.occurred_at:%d-%m-%Y}" in text and f"{r.occurred_at:%H:%M}" in text


def test_the_short_id_people_can_type_is_on_show(qtbot, store):
    """The incident's id in its file's heading (the list keeps its columns for what a laptop fits, tour 3),
    each decision's on its card, a session's in the Afnames list."""
    from PySide6.QtCore import Qt

    screen = _screen(qtbot, store)
    screen.apply_filter(IncidentsTarget(IncidentFilter(category="FRAUDE_KANDIDAAT")))
    shown = " ".join(w.text() for w in screen.detail.findChildren(QLabel))
    assert f"id {screen.model.rows[0].incident_id[:8]}" in shown
    decision = next(d for d in screen.case.decisions if d.current)
    assert f"id {decision.id[:8]}" in shown

    sessions = screen.window().show_screen(ScreenKey.SESSIONS)
    assert sessions.model.headerData(sessions.model.columnCount() - 1, Qt.Orientation.Horizontal,
                                     Qt.ItemDataRole.DisplayRole) == "id"
    first = sessions.model.rows[0]
    assert sessions.model.data(sessions.model.index(0, sessions.model.columnCount() - 1)) == first.id[:8]
