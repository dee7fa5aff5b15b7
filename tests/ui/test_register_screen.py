"""The Register screen with qtbot: filter as you type, select, adopt, mark changed, links from
Overzicht, the suppliers tab, the import dialog and keyboard use."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from examdesk.domain.register import Assignments, RegisterFilter
from examdesk.services.auth import AuthService
from examdesk.services.context import AppContext
from examdesk.services.navigation import RegisterTarget, ScreenKey
from examdesk.ui.fields import qdate
from examdesk.ui.main_window import MainWindow
from examdesk.ui.register import actions as register_actions
from examdesk.ui.register import suppliers as suppliers_tab
from examdesk.ui.register.import_dialog import ImportDialog
from examdesk.ui.register.screen import RegisterScreen


def _screen(qtbot, store, username: str) -> RegisterScreen:
    screen = RegisterScreen(AppContext(store, AuthService(store).login(username, "demo")))
    qtbot.addWidget(screen)
    screen.resize(1400, 850)
    screen.show()
    screen.refresh()
    return screen


def _auto(monkeypatch, name: str, fill, module: Any = register_actions) -> list[Any]:
    """Replaces a dialog class of the screen by one that fills itself in and presses OK."""
    original = getattr(module, name)
    opened: list[Any] = []

    class Auto(original):  # type: ignore[misc, valid-type]
        def exec(self) -> int:
            opened.append(self)
            fill(self)
            self.ok()
            return self.result()

    monkeypatch.setattr(module, name, Auto)
    return opened


def codes(screen: RegisterScreen) -> list[str]:
    return [x.instrument.code for x in screen.instr_model.rows]


def test_filter_select_and_adopt(qtbot, store, monkeypatch):
    screen = _screen(qtbot, store, "commissie")
    assert screen.qual_model.rowCount() == 13
    assert "13 kwalificaties · 40 instrumenten" in screen.qual_count.text()
    qtbot.keyClicks(screen.filters.search, "vig-f")
    assert [q.qualification.crebo for q in screen.qual_model.rows] == ["25491"]
    assert codes(screen) == ["VIG-FORM-1"]
    assert "niet vastgesteld door de examencommissie" in screen.detail.verdict.text()
    assert screen.qual_model.rows[0].invalid_count == 2     # VIG-FORM-1, and VIG-PVB-K2 withdrawn
    assert screen.adopt_button.isEnabled() and not screen.change_button.isEnabled()
    assert screen.criteria_button.isEnabled()                 # route 2: the criteria of bijlage 2 first

    refusals: list[str] = []

    def adopt(dialog) -> None:
        dialog.decision.setText("EC-2026-900")
        dialog.ok()
        refusals.append(dialog.error.text())

    _auto(monkeypatch, "AdoptDialog", adopt)
    qtbot.mouseClick(screen.adopt_button, Qt.MouseButton.LeftButton)
    assert refusals[0].startswith("VIG-FORM-1 (route 2) kan nog niet worden vastgesteld: deze criteria van bijlage 2 "
                                  "zijn niet als voldaan vastgelegd: A1 ")

    def all_met(dialog) -> None:
        dialog.checked_by.setText("A. Hoekstra, vaststeller")
        for state, note, _before in dialog.rows.values():
            state.setCurrentIndex(state.findData(True))
            note.setText("vaststellingsformulier")

    _auto(monkeypatch, "CriteriaDialog", all_met)
    qtbot.mouseClick(screen.criteria_button, Qt.MouseButton.LeftButton)
    assert "6 van 6 voldaan" in screen.detail.facts.text()
    refusals.clear()
    qtbot.mouseClick(screen.adopt_button, Qt.MouseButton.LeftButton)
    assert refusals == [""]
    assert screen.detail.verdict.text().startswith("Valide op")
    assert "EC-2026-900" in screen.detail.history.text()
    assert screen.qual_model.rows[0].invalid_count == 1
    assert codes(screen) == ["VIG-FORM-1"]  # filter and selection survive the change
    assert not screen.adopt_button.isEnabled() and screen.change_button.isEnabled()


def test_bureau_marks_changed_and_the_reason_is_required(qtbot, store, monkeypatch):
    screen = _screen(qtbot, store, "bureau")
    screen.apply_filter(RegisterTarget(RegisterFilter(text="VIG-PVB-K1")))
    assert codes(screen) == ["VIG-PVB-K1"]
    assert not screen.adopt_button.isEnabled()
    assert "Alleen de examencommissie" in screen.adopt_button.toolTip()
    errors: list[str] = []

    def fill(dialog) -> None:
        dialog.ok()                      # no reason: refused, dialog stays open with the message
        errors.append(dialog.error.text())
        dialog.reason.setPlainText("Beoordelingsformulier aangepast")

    _auto(monkeypatch, "StatusStepDialog", fill)
    qtbot.mouseClick(screen.change_button, Qt.MouseButton.LeftButton)
    assert errors == ["Geef de reden van de wijziging."]
    assert screen.instr_model.rows[0].status.value == "gewijzigd"
    assert "Beoordelingsformulier aangepast" in screen.detail.verdict.text()
    assert screen.detail.verdict.objectName() == "VerdictInvalid"


def test_status_route_and_date_filters(qtbot, store):
    screen = _screen(qtbot, store, "commissie")
    screen.apply_filter(RegisterTarget(RegisterFilter(invalid_on=screen.view_data.on)))
    assert screen.filters.invalid_check.isChecked()
    assert "8 kwalificaties · 11 instrumenten" in screen.qual_count.text()
    screen.clear_filters()
    screen.filters.expiring_check.setChecked(True)
    assert "2 kwalificaties · 3 instrumenten" in screen.qual_count.text()
    screen.clear_filters()
    screen.filters.route.setCurrentIndex(screen.filters.route.findData(3))
    assert sum(len(v) for v in screen._per_crebo.values()) == 4
    screen.filters.mismatch_check.setChecked(True)
    assert screen.qual_count.text().startswith("0 kwalificaties")
    screen.filters.route.setCurrentIndex(0)
    assert codes(screen) == ["KOK-LB-1"]                  # KOK-SCHR-1: the commission's recorded deviation
    assert "Route 2 is niet gekozen" in screen.detail.mismatch.text()
    screen.clear_filters()
    screen.filters.choice_signal_check.setChecked(True)
    assert [q.qualification.crebo for q in screen.qual_model.rows] == ["25192"]
    assert "na de start van schooljaar" in screen.route_choice.text()


def test_overview_links_open_the_filtered_register(qtbot, store):
    window = MainWindow(AppContext(store, AuthService(store).login("commissie", "demo")))
    qtbot.addWidget(window)
    window.show()
    overview = window.show_screen(ScreenKey.OVERVIEW)
    qtbot.waitUntil(lambda: overview.complete)          # the register's card is counted on its own thread
    link = next(label for label in overview.links if "niet valide vandaag" in label.text())
    qtbot.mouseClick(link, Qt.MouseButton.LeftButton)
    screen = window.screens["register"]
    assert isinstance(screen, RegisterScreen)
    assert "11 instrumenten" in screen.qual_count.text()
    window.show_screen(ScreenKey.OVERVIEW)
    qtbot.waitUntil(lambda: overview.complete)
    link = next(label for label in overview.links if "verloopt binnen 90 dagen" in label.text())
    qtbot.mouseClick(link, Qt.MouseButton.LeftButton)
    assert screen.tabs.currentIndex() == 1
    assert [s.name for s in screen.suppliers.model.rows] == ["Horeca Examenservice"]
    window.show_screen(ScreenKey.OVERVIEW)
    qtbot.waitUntil(lambda: overview.complete)
    link = next(label for label in overview.links if "zonder routekeuze" in label.text())
    qtbot.mouseClick(link, Qt.MouseButton.LeftButton)
    assert screen.tabs.currentIndex() == 0
    assert sorted(q.qualification.crebo for q in screen.qual_model.rows) == ["25201", "25242"]
    assert "Geen routekeuze" in screen.route_choice.text()


def test_route_choice_from_the_screen(qtbot, store, monkeypatch):
    screen = _screen(qtbot, store, "commissie")
    screen.apply_filter(RegisterTarget(RegisterFilter(no_route_choice=True), crebo="25242"))

    def fill(dialog) -> None:
        dialog.routes[1].setChecked(True)
        dialog.routes[3].setChecked(True)
        dialog.considerations.setPlainText("Digitaal examen extern gevalideerd; geen gecertificeerd aanbod.")

    _auto(monkeypatch, "RouteChoiceDialog", fill)
    qtbot.mouseClick(screen.route_button, Qt.MouseButton.LeftButton)
    assert screen.route_choice.text().startswith(f"Routekeuze {screen.school_year}: route 1, 3")


def test_keyboard(qtbot, store):
    screen = _screen(qtbot, store, "commissie")
    with qtbot.waitActive(screen):
        screen.activateWindow()
    qtbot.keyClick(screen, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert screen.focusWidget() is screen.filters.search
    qtbot.keyClicks(screen.filters.search, "25371")
    qtbot.keyClick(screen.filters.search, Qt.Key.Key_Return)
    assert screen.focusWidget() is screen.qual_table
    assert codes(screen) == ["LOG-DIG-1", "LOG-PVB-K1", "LOG-PVB-K2"]
    qtbot.keyClick(screen.qual_table, Qt.Key.Key_Escape)
    assert screen.adopt_button.text().replace("&", "") == "Vaststellen…"


def test_supplier_shows_expired_certificate(qtbot, store):
    screen = _screen(qtbot, store, "bureau")
    screen.apply_filter(RegisterTarget(suppliers=True, certificate_expired=True))
    (supplier,) = screen.suppliers.model.rows
    assert supplier.name == "Logistiek Examencentrum Nederland"
    index = screen.suppliers.model.index(0, 5)
    assert screen.suppliers.model.data(index).startswith("certificaat verlopen op")
    screen.suppliers.table.selectRow(0)
    qtbot.mouseClick(screen.suppliers.show_button, Qt.MouseButton.LeftButton)
    assert screen.tabs.currentIndex() == 0
    assert codes(screen) == ["LOG-DIG-1", "LOG-PVB-K1", "LOG-PVB-K2"]
    assert "(certificaat verlopen op" in screen.instr_model.data(screen.instr_model.index(0, 5))


def test_import_dialog_lists_errors_and_needs_an_explicit_choice(qtbot, store, tmp_path):
    screen = _screen(qtbot, store, "commissie")
    path = tmp_path / "lijst.csv"
    path.write_text("crebo;naam;niveau\n25998;Nieuw A;2\n2508;Vier;2\n25999;Nieuw B;7\n", encoding="utf-8")
    dialog = ImportDialog(screen, screen.service)
    qtbot.addWidget(dialog)
    dialog.path.setText(str(path))
    qtbot.mouseClick(dialog.check_button, Qt.MouseButton.LeftButton)
    rows = [(i.row, i.column) for i in dialog.issues_model.rows]
    assert rows == [(3, "crebo"), (4, "niveau")]
    assert "als geheel geweigerd" in dialog.summary.text()
    assert not dialog.import_button.isEnabled()
    assert dialog.valid_only.isEnabled()
    dialog.valid_only.setChecked(True)
    assert dialog.import_button.isEnabled()
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=5000)
    assert dialog.result.new == 1 and dialog.result.skipped == 2


@pytest.mark.parametrize("username", ["beheerder", "bureau"])
def test_what_each_role_can_press(qtbot, store, username):
    screen = _screen(qtbot, store, username)
    assert not screen.adopt_button.isEnabled()
    assert not screen.route_button.isEnabled()
    assert screen.new_button.isEnabled() == (username == "bureau")
    assert screen.import_button.isEnabled() == (username == "bureau")


def test_commission_records_a_deviation_from_the_route_choice(qtbot, store, monkeypatch):
    bureau = _screen(qtbot, store, "bureau")
    bureau.apply_filter(RegisterTarget(RegisterFilter(text="KOK-LB-1")))
    assert not bureau.exception_button.isEnabled()
    assert "Alleen de examencommissie" in bureau.exception_button.toolTip()
    screen = _screen(qtbot, store, "commissie")
    screen.apply_filter(RegisterTarget(RegisterFilter(text="KOK-LB-1")))
    assert "Route 2 is niet gekozen" in screen.detail.mismatch.text()
    intros: list[str] = []

    def fill(dialog) -> None:
        intros.append(dialog.intro.text())
        dialog.ok()
        intros.append(dialog.error.text())
        dialog.reason.setPlainText("Burgerschap is bij Kok een eigen onderdeel; geen ingekocht aanbod.")

    _auto(monkeypatch, "RouteExceptionDialog", fill)
    qtbot.mouseClick(screen.exception_button, Qt.MouseButton.LeftButton)
    assert "Route 2 is niet gekozen voor crebo 25180" in intros[0]
    assert intros[1] == "Geef de reden waarom dit instrument buiten de routekeuze mag worden ingezet."
    assert screen.detail.mismatch.isHidden()
    assert "Burgerschap is bij Kok een eigen onderdeel" in screen.detail.facts.text()


def test_an_instrument_with_replaceable_assignments_and_its_purchase(qtbot, store, monkeypatch):
    from datetime import timedelta

    screen = _screen(qtbot, store, "bureau")
    screen.apply_filter(RegisterTarget(RegisterFilter(text="25491"), crebo="25491"))
    supplier = next(s for s in screen.view_data.suppliers if s.name == "Stichting Examenzorg MBO")
    today = screen.view_data.on
    errors: list[str] = []

    def fill(dialog) -> None:
        dialog.code.setText("VIG-PVB-K9")
        dialog.title.setText("Proeve van bekwaamheid Verzorgende IG – nieuw")
        dialog.route.setCurrentIndex(dialog.route.findData(1))
        dialog.supplier.setCurrentIndex(dialog.supplier.findData(supplier.id))
        dialog.assignments.setCurrentIndex(dialog.assignments.findData(Assignments.REPLACEABLE))
        dialog.purchased_on.check.setChecked(True)
        dialog.purchased_on.edit.setDate(qdate(supplier.certified_from - timedelta(days=3)))
        dialog.ok()
        errors.append(dialog.error.text())
        dialog.purchased_on.edit.setDate(qdate(today - timedelta(days=2)))

    _auto(monkeypatch, "InstrumentDialog", fill)
    qtbot.mouseClick(screen.new_button, Qt.MouseButton.LeftButton)
    assert "valt buiten elke certificaatperiode van Stichting Examenzorg MBO" in errors[0]
    x = screen.selected_instrument()
    assert x.instrument.code == "VIG-PVB-K9" and x.instrument.replaceable
    assert x.instrument.purchased_on == today - timedelta(days=2)
    assert "opdrachten door de school te vervangen" in screen.detail.facts.text()


def test_a_supplier_is_marked_as_the_cooperative(qtbot, store, monkeypatch):
    screen = _screen(qtbot, store, "bureau")
    screen.apply_filter(RegisterTarget(suppliers=True))
    row = next(n for n, s in enumerate(screen.suppliers.model.rows) if s.name == "Horeca Examenservice")
    screen.suppliers.table.selectRow(row)
    assert not screen.suppliers.model.rows[row].cooperative

    _auto(monkeypatch, "SupplierDialog", lambda d: d.cooperative.setChecked(True), suppliers_tab)
    qtbot.mouseClick(screen.suppliers.edit_button, Qt.MouseButton.LeftButton)
    assert next(s for s in screen.view_data.suppliers if s.name == "Horeca Examenservice").cooperative


@pytest.mark.parametrize("scale", [1, 2])
def test_the_suppliers_list_fits_a_laptop_with_every_column_readable(qtbot, store, scale):
    """Leveranciers on a 1,366 px laptop, at 100 % and 200 % font: no sideways scrolling, the numbers, dates and
    counts as wide as they and their titles are, and at 100 % the certificate's column at least as wide as its
    title (fixed pixel widths left it 62 px: 'Certi…' over 'certifi…'; at 200 % the names and it share what is
    left, eliding)."""
    from PySide6.QtGui import QFont
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    normal = QFont(app.font())
    large = QFont(normal)
    large.setPointSizeF(normal.pointSizeF() * scale)
    app.setFont(large)
    try:
        screen = _screen(qtbot, store, "commissie")
        screen.resize(1366 - 190, 700)          # the window less the sidebar
        screen.tabs.setCurrentWidget(screen.suppliers)
        qtbot.wait(20)
        table = screen.suppliers.table
        header = table.horizontalHeader()
        assert table.horizontalScrollBar().maximum() == 0
        for column in (2, 3, 4, 6):                                  # number, from, until, instruments
            assert header.sectionSize(column) >= header.sectionSizeHint(column) - 1, column
        if scale == 1:
            assert header.sectionSize(5) >= header.sectionSizeHint(5) - 1
    finally:
        app.setFont(normal)
