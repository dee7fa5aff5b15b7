"""The Incidenten screen with pytest-qt: triage → decision → Inspectie report → closing, the way a commission
member clears an incident, with the dialogs filled in as a user would (and refused where the user errs)."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDialog, QLabel

from examdesk.domain.incident_desk import IncidentFilter
from examdesk.services.auth import AuthService
from examdesk.services.context import AppContext
from examdesk.services.navigation import IncidentsTarget, ScreenKey
from examdesk.ui.dialogs import ReasonDialog
from examdesk.ui.incidents.dialogs import DecisionDialog, ReclassifyDialog, ReportDialog
from examdesk.ui.incidents.screen import IncidentsScreen
from examdesk.ui.main_window import MainWindow


def _screen(qtbot, store) -> IncidentsScreen:
    window = MainWindow(AppContext(store, AuthService(store).login("commissie", "demo")))
    qtbot.addWidget(window)
    window.resize(1500, 900)
    window.show()
    screen = window.show_screen(ScreenKey.INCIDENTS)
    assert isinstance(screen, IncidentsScreen)
    return screen


def _chip(screen: IncidentsScreen, status: str) -> int:
    return int(screen.chips[status].text().split()[-1].replace(".", ""))


def test_triage_decision_report_and_closing(qtbot, store, tmp_path):
    screen = _screen(qtbot, store)
    assert screen.model.total == sum(_chip(screen, s) for s in ("open", "in behandeling", "besloten",
                                                                   "gemeld bij Inspectie", "afgesloten",
                                                                   "bijzonderheid", "ingetrokken"))
    assert _chip(screen, "bijzonderheid") > 0
    closed_before = _chip(screen, "afgesloten")
    screen.apply_filter(IncidentsTarget(IncidentFilter(category="STROOMSTORING")))
    assert screen.model.total == 1 and screen.case is not None
    incident = screen.case.row.incident_id
    assert screen.case.row.status == "open"
    assert set(screen.action_buttons) == {"besluiten", "herclassificeren", "twijfelgeval", "intrekken",
                                         "corrigeren", "horen", "bewijs", "geschiedenis"}
    involved = len(screen.case.candidates)
    assert involved > 3

    seen: list[str] = []

    def reclassify(dialog: QDialog) -> bool:
        assert isinstance(dialog, ReclassifyDialog)
        dialog.choose("PLATFORM_STORING")
        assert "protocol 7" in dialog.route.text()
        dialog.ok()                                               # no reason yet
        seen.append(dialog.error.text())
        dialog.reason.setPlainText("De stroom bleef aan; het netwerk van vleugel B viel uit.")
        dialog.ok()
        return dialog.result() == QDialog.DialogCode.Accepted

    screen.exec_dialog = reclassify
    qtbot.mouseClick(screen.action_buttons["herclassificeren"], Qt.MouseButton.LeftButton)
    assert "reden van de herclassificatie" in seen[0]
    assert screen.case.row.incident_id == incident                 # still on show, though the filter hides it
    assert screen.case.row.category == "PLATFORM_STORING" and screen.case.row.status == "in behandeling"
    assert "Oorspronkelijk vastgelegd als: Stroomstoring" in _detail_text(screen)

    def decide(dialog: QDialog) -> bool:
        assert isinstance(dialog, DecisionDialog)
        assert set(dialog.measure_boxes) == {"ongeldig_opnieuw"}   # point 7: voiding and a resit only
        dialog.reasoning.setPlainText("Netwerkstoring van zes minuten; het examen is niet volgens de regels "
                                      "afgenomen.")
        dialog.ok()                                                # neither a measure nor a reason
        seen.append(dialog.error.text())
        dialog.measure_boxes["ongeldig_opnieuw"].setChecked(True)
        dialog.scope.setCurrentIndex(dialog.scope.findData("gedeeltelijk"))
        dialog.ok()
        return dialog.result() == QDialog.DialogCode.Accepted

    screen.exec_dialog = decide
    qtbot.mouseClick(screen.action_buttons["besluiten"], Qt.MouseButton.LeftButton)
    assert "Kies een maatregel" in seen[1]
    case = screen.case
    assert case.row.status == "besloten" and len([d for d in case.decisions if d.current]) == involved
    assert all(c.decision is not None for c in case.candidates)
    assert len(case.resits) == involved
    assert "melden" in screen.action_buttons and "afsluiten" not in screen.action_buttons
    assert "Besluit melden bij Inspectie" == screen.action_buttons["melden"].text()

    def report(dialog: QDialog) -> bool:
        assert isinstance(dialog, ReportDialog)
        tomorrow = dialog.reported_on.date().addDays(1)
        dialog.reported_on.setDate(tomorrow)
        dialog.ok()
        seen.append(dialog.error.text())
        dialog.reported_on.setDate(tomorrow.addDays(-1))
        dialog.reference.setText("EC-2026-040")
        dialog.ok()
        return dialog.result() == QDialog.DialogCode.Accepted

    screen.exec_dialog = report
    qtbot.mouseClick(screen.action_buttons["melden"], Qt.MouseButton.LeftButton)
    assert "in de toekomst" in seen[2]
    assert [r.reference for r in screen.case.reports] == ["EC-2026-040"]
    assert "melding besluit (punt 7)" in _detail_text(screen)

    def close(dialog: QDialog) -> bool:
        assert isinstance(dialog, ReasonDialog)
        dialog.text.setPlainText("Herkansing ingepland door het examenbureau.")
        dialog.ok()
        return dialog.result() == QDialog.DialogCode.Accepted

    screen.exec_dialog = close
    qtbot.mouseClick(screen.action_buttons["afsluiten"], Qt.MouseButton.LeftButton)
    assert screen.case.row.status == "afgesloten"
    assert set(screen.action_buttons) == {"heropenen", "geschiedenis"} and not screen.revise_buttons

    screen.apply_filter(IncidentsTarget(IncidentFilter(status="afgesloten")))
    assert screen.chips["afgesloten"].text().endswith("…")       # counted on a thread of its own (issue 16)
    qtbot.waitUntil(lambda: not screen.counting, timeout=5000)
    assert _chip(screen, "afgesloten") == closed_before + 1
    assert incident in [r.incident_id for r in screen.model.rows]
    assert screen.chips["afgesloten"].isChecked()
    screen.window().grab().save(str(tmp_path / "incidenten-afgesloten.png"))


def test_revision_from_the_decision_card_and_filters(qtbot, store):
    screen = _screen(qtbot, store)
    screen.apply_filter(IncidentsTarget(IncidentFilter(category="ONWEL")))
    [decision] = [d for d in screen.case.decisions if d.current]

    def revise(dialog: QDialog) -> bool:
        assert isinstance(dialog, DecisionDialog) and dialog.revising is not None
        assert dialog.measure_boxes["ongeldig_opnieuw"].isChecked()         # the old decision, to edit
        dialog.measure_boxes["ongeldig_opnieuw"].setChecked(False)
        dialog.no_measure.setText("Kandidaat kon na een kwartier verder in quarantaine")
        dialog.decided_on.setDate(QDate.currentDate())
        dialog.revision_reason.setText("Verslag van de BHV'er")
        dialog.ok()
        return dialog.result() == QDialog.DialogCode.Accepted

    screen.exec_dialog = revise
    qtbot.mouseClick(screen.revise_buttons[decision.id], Qt.MouseButton.LeftButton)
    numbers = {d.number: d.current for d in screen.case.decisions}
    assert numbers[decision.number] is False and sum(numbers.values()) == 1
    assert "vervangen door besluit" in _detail_text(screen)
    assert screen.case.resits == ()

    screen.apply_filter(IncidentsTarget(IncidentFilter(to_report=True)))
    assert screen.filters.to_report.isChecked() and screen.model.total == 1
    assert screen.case.waiting is not None and "wacht sinds" in screen.case.waiting.text
    shown = _detail_text(screen)
    assert "wacht sinds" in shown and "zo spoedig mogelijk" in shown
    assert "te laat" not in shown and "uiterlijk" not in shown and "verlopen" not in shown
    screen.apply_filter(IncidentsTarget())
    before = screen.case.row.incident_id
    qtbot.keyClicks(screen.filters.search, "groepsapp")
    qtbot.waitUntil(lambda: screen.model.total == 1, timeout=2000)
    # the list follows the typing at once; the file on show stays until typing has paused a moment more
    assert screen.file_pending and screen.case.row.incident_id == before != screen.model.rows[0].incident_id
    assert not screen.table.selectionModel().hasSelection()
    qtbot.waitUntil(lambda: not screen.file_pending, timeout=2000)
    assert screen.case.row.category == "GEHEIMHOUDING" == screen.model.rows[0].category
    assert screen.table.selectionModel().isRowSelected(0)
    screen.apply_filter(IncidentsTarget(IncidentFilter(date_from=screen.ctx.clock().date() + timedelta(days=1))))
    assert screen.model.total == 0
    screen.filters.date_from.setText("31-02-2026")
    screen.reload()
    assert "geen datum" in screen.filters.error.text()


def _detail_text(screen: IncidentsScreen) -> str:
    from PySide6.QtWidgets import QLabel

    return "\n".join(label.text() for label in screen.detail.findChildren(QLabel))


def test_afnames_lists_candidates_with_a_resit(qtbot, store):
    window = MainWindow(AppContext(store, AuthService(store).login("bureau", "demo")))
    qtbot.addWidget(window)
    afnames = window.show_screen(ScreenKey.SESSIONS)
    tab = afnames.candidates_tab
    tab.refresh()
    everyone = len(tab.model.rows)
    tab.resit_only.setChecked(True)
    names = {c.full_name for c in tab.model.rows}
    assert 0 < len(names) < everyone and "Elif Şahin" in names
    elif_ = next(c for c in tab.model.rows if c.full_name == "Elif Şahin")
    assert "ingepland op" in tab.resits[elif_.id] and "besluit" in tab.resits[elif_.id]


def _counts_on_screen(screen: IncidentsScreen) -> dict[str, int]:
    return {s: _chip(screen, s) for s in screen.chips if s}


def test_a_list_longer_than_a_page_shows_its_page_at_once_and_its_counts_when_counted(qtbot, store):
    """Issue 16: a broad search's counts cost more than a keystroke, so the page comes first and the chips and
    the total say they are being counted — then show the counts of that very filter (the service's own)."""
    screen = _screen(qtbot, store)
    everything = screen.model.total
    screen.model.PAGE = 5                                           # the demo's list, as long as ten years' is
    screen.apply_filter(IncidentsTarget(IncidentFilter(text="kandidaat")))
    expected = screen.service.status_counts(IncidentFilter(text="kandidaat"))
    assert sum(expected.values()) > 5
    assert len(screen.model.rows) == 5 and screen.model.canFetchMore()
    assert screen.counting and screen.chips["open"].text() == "Open  …" and screen.chips[""].text() == "Alle  …"
    assert screen.total.text().startswith("meer dan 5 incidenten (wordt geteld")
    qtbot.waitUntil(lambda: not screen.counting, timeout=5000)
    assert _counts_on_screen(screen) == expected
    assert screen.model.total == sum(expected.values()) < everything
    assert screen.total.text().startswith(f"{sum(expected.values())} incidenten")
    while screen.model.canFetchMore():                              # scrolling to the end: every match, once
        screen.model.fetchMore()
    assert len({r.incident_id for r in screen.model.rows}) == len(screen.model.rows) == sum(expected.values())


def test_the_counts_on_show_are_never_an_earlier_filters(qtbot, store):
    """A newer filter stops the count of the one before: the chips end with the newer filter's counts, not with
    whichever count happened to finish last."""
    screen = _screen(qtbot, store)
    screen.model.PAGE = 5
    screen.apply_filter(IncidentsTarget(IncidentFilter(text="kandidaat")))
    assert screen.counting
    newer = IncidentFilter(status="afgesloten", text="de")
    screen.apply_filter(IncidentsTarget(newer))                      # before the first count is in
    assert screen.chips["afgesloten"].text() == "Afgesloten  …"
    qtbot.waitUntil(lambda: not screen.counting, timeout=5000)
    qtbot.wait(200)                                                  # whatever the first count still reports
    expected = screen.service.status_counts(newer)
    assert expected != screen.service.status_counts(IncidentFilter(text="kandidaat"))
    assert _counts_on_screen(screen) == expected and screen.model.total == expected["afgesloten"]


def test_a_list_that_fits_a_page_has_its_counts_at_once_from_that_page(qtbot, store):
    """The first page holds the whole list: its rows are the counts (no count query, no waiting)."""
    screen = _screen(qtbot, store)
    screen.apply_filter(IncidentsTarget(IncidentFilter(text="kandidaat")))
    assert not screen.counting and not screen.model.canFetchMore()
    tallied = {s: sum(1 for r in screen.model.rows if r.status == s) for s in screen.chips if s}
    assert _counts_on_screen(screen) == tallied == screen.service.status_counts(IncidentFilter(text="kandidaat"))


def test_coming_back_to_an_unchanged_desk_keeps_the_file_and_a_change_reads_it_again(qtbot, store):
    """Issue 16: showing Incidenten again builds the file on show anew only when the database (or the day)
    moved since it was read — the file is the costliest part of showing the screen."""
    screen = _screen(qtbot, store)
    window = screen.window()
    screen.apply_filter(IncidentsTarget(IncidentFilter(category="STROOMSTORING")))
    incident = screen.case.row.incident_id
    built = screen.detail.findChildren(QLabel)[0]
    screen.refresh()                     # what showing the screen again runs (the Overzicht between writes today)
    assert screen.case.row.incident_id == incident and screen.detail.findChildren(QLabel)[0] is built
    assert not screen.case.row.doubtful
    screen.service.mark_doubtful(incident, "Twijfel of de commissie dit zelf mag afhandelen.")   # as another screen
    window.show_screen(ScreenKey.OVERVIEW)
    window.show_screen(ScreenKey.INCIDENTS)
    assert screen.case.row.incident_id == incident and screen.case.row.doubtful
    assert screen.detail.findChildren(QLabel)[0] is not built



def test_a_chosen_chip_is_drawn_in_the_font_its_size_was_measured_in():
    """The chosen chip read "Alle 1(" after its "…" became "10" (seen in a rendering): a style-sheet font for the
    :checked state is not in the size hint Qt measures when the text changes, so the bold text was cut off. The
    chosen chip is marked by its colours only; no state of a chip may change its font."""
    import re

    from examdesk.ui.style import STYLESHEET

    rules = re.findall(r"#StatusChip(:[\w-]+)\s*\{([^}]*)\}", STYLESHEET)
    assert any(state == ":checked" for state, _ in rules)
    assert all("font" not in body for state, body in rules), rules


def test_the_chips_keep_their_places_when_the_counts_arrive(qtbot, store, tmp_path):
    """'Open  …' became 'Open  12' and every chip after it moved as the row was laid out again: each chip keeps
    room for the largest count of its row, so the row stands still while the counts come in."""
    from PySide6.QtWidgets import QApplication

    screen = _screen(qtbot, store)
    screen.model.PAGE = 5                                           # counted on a thread, '…' meanwhile
    screen.apply_filter(IncidentsTarget(IncidentFilter(text="kandidaat")))
    QApplication.processEvents()
    assert screen.counting and screen.chips["open"].text() == "Open  …"
    counting = {s: chip.geometry() for s, chip in screen.chips.items()}
    screen.chips["open"].parentWidget().grab().save(str(tmp_path / "chips-counting.png"))
    qtbot.waitUntil(lambda: not screen.counting, timeout=5000)
    QApplication.processEvents()
    assert not screen.chips["open"].text().endswith("…")
    screen.chips["open"].parentWidget().grab().save(str(tmp_path / "chips-counted.png"))
    assert {s: chip.geometry() for s, chip in screen.chips.items()} == counting
    for chip in screen.chips.values():                              # and every count is drawn whole
        assert chip.fontMetrics().horizontalAdvance(chip.text()) < chip.contentsRect().width()


def test_counts_of_thousands_read_with_a_dot_and_the_chips_keep_room_for_it(qtbot, store, tmp_path):
    """'1234 incidenten' is not how a Dutch reader writes a count: the chips and the total line say '1.234', and
    the room a chip keeps for its count (`CountSlot`) holds the dot too, so the number is drawn whole and the
    chip does not grow when '…' becomes '1.234'."""
    from PySide6.QtWidgets import QApplication

    screen = _screen(qtbot, store)
    counts = dict.fromkeys(screen.chips.keys() - {""}, 1)
    counts["open"] = 1234
    counts["afgesloten"] = 246_000
    screen._show_counts(IncidentFilter(), counts)
    QApplication.processEvents()
    screen.chips["open"].parentWidget().grab().save(str(tmp_path / "chips-thousands.png"))
    assert screen.chips["open"].text() == "Open  1.234"
    assert screen.chips["afgesloten"].text() == "Afgesloten  246.000"
    assert len(counts) == 7 and sum(counts.values()) == 247_239
    assert screen.chips[""].text() == "Alle  247.239"
    assert screen.total.text().startswith("247.239 incidenten ·")
    shown = {s: chip.geometry() for s, chip in screen.chips.items()}
    for chip in screen.chips.values():                              # every count drawn whole, dot and all
        assert chip.fontMetrics().horizontalAdvance(chip.text()) < chip.contentsRect().width()
    screen._show_counts(IncidentFilter(), None)                      # counted again: '…' in the same room
    QApplication.processEvents()
    assert screen.chips["open"].text() == "Open  …"
    assert {s: chip.geometry() for s, chip in screen.chips.items()} == shown
