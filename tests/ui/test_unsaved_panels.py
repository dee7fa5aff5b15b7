"""Nothing typed into a screen's panel is lost without asking (issue 14), one table over every panel where a
user types and saves with a button of the panel itself (dialogs ask on their own, tests/ui/test_dialog_base):
typing, then leaving — another screen, another tab, another row of the list the panel edits, closing the
window — asks Opslaan / Niet opslaan / Annuleren, naming what would be lost; Annuleren keeps the input,
Niet opslaan shows what is stored again. Escape in *Besluit nemen* with a typed motivering asks too."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QLineEdit, QWidget
from test_dialogs import _decision, env  # noqa: F401 (the fixture)

from examdesk.services.auth import AuthService
from examdesk.services.context import AppContext
from examdesk.services.navigation import ScreenKey
from examdesk.ui.main_window import MainWindow
from tests.dialog_support import answer_next_question


@dataclass(frozen=True)
class Panel:
    tab: str                                   # the Beheer tab's attribute on AdminScreen
    field: Callable[[Any], QWidget]            # the field the user types into
    named: Callable[[Any], str]                # what the question names


PANELS = {
    "Instelling": Panel("institution", lambda p: p.place, lambda p: "de gegevens van de instelling"),
    "Gebruikers": Panel("users", lambda p: p.d_function, lambda p: f"de gegevens van {p.current.full_name}"),
    "Privacy": Panel("privacy", lambda p: next(iter(p.spins.values())), lambda p: "de bewaartermijnen"),
    "Back-ups": Panel("backups", lambda p: p.keep_daily, lambda p: "het aantal te bewaren back-ups"),
}


def _value(field: QWidget) -> str:
    return field.text()


def _type(qtbot, field: QWidget) -> None:
    """Real key presses: words into a text field, the up arrow in a number field."""
    field.setFocus()
    if isinstance(field, QLineEdit):
        qtbot.keyClick(field, Qt.Key.Key_End)
        qtbot.keyClicks(field, " (tijdelijk)")
    else:
        assert isinstance(field, QAbstractSpinBox)
        qtbot.keyClick(field, Qt.Key.Key_Up)


def _open(qtbot, store, name: str):
    window = MainWindow(AppContext(store, AuthService(store).login("beheerder", "demo")))
    qtbot.addWidget(window)
    window.show()
    screen = window.show_screen(ScreenKey.ADMIN)
    panel = getattr(screen, PANELS[name].tab)
    screen.tabs.setCurrentWidget(panel)
    QApplication.processEvents()
    field = PANELS[name].field(panel)
    stored = _value(field)
    _type(qtbot, field)
    assert _value(field) != stored
    return window, screen, panel, field, stored


@pytest.mark.parametrize("name", sorted(PANELS))
def test_switching_screens_asks_annuleren_keeps_niet_opslaan_drops(qtbot, store, name):
    window, screen, panel, field, stored = _open(qtbot, store, name)
    typed = _value(field)
    asked = answer_next_question("Annuleren")
    assert window.show_screen(ScreenKey.OVERVIEW) is None
    assert asked and f"U hebt {PANELS[name].named(panel)} gewijzigd maar nog niet opgeslagen" in asked[0]
    assert window.current_screen() is screen and _value(field) == typed

    asked = answer_next_question("Niet opslaan")
    assert window.show_screen(ScreenKey.OVERVIEW) is not None and asked
    window.show_screen(ScreenKey.ADMIN)
    assert _value(field) == stored                                   # what is stored, not what was typed


@pytest.mark.parametrize("name", sorted(PANELS))
def test_leaving_the_tab_asks(qtbot, store, name):
    _window, screen, panel, field, _stored = _open(qtbot, store, name)
    typed = _value(field)
    other = next(i for i in range(screen.tabs.count()) if screen.tabs.widget(i) is not panel)
    asked = answer_next_question("Annuleren")
    screen.tabs.setCurrentIndex(other)
    assert asked and screen.tabs.currentWidget() is panel and _value(field) == typed


@pytest.mark.parametrize("name", sorted(PANELS))
def test_closing_the_window_asks(qtbot, store, name):
    window, _screen, _panel, field, _stored = _open(qtbot, store, name)
    typed = _value(field)
    window.show_screen(ScreenKey.ADMIN)
    asked = answer_next_question("Annuleren")
    window.close()
    assert asked and window.isVisible() and _value(field) == typed


def test_another_user_chosen_asks_and_annuleren_stays_with_the_typed_user(qtbot, store):
    _window, _screen, users, field, stored = _open(qtbot, store, "Gebruikers")
    editing = users.current.username
    typed = _value(field)
    asked = answer_next_question("Annuleren")
    qtbot.keyClick(users.table, Qt.Key.Key_Down)                     # the next user in the list
    assert asked and f"de gegevens van {users.current.full_name}" in asked[0]
    assert users.current.username == editing and _value(field) == typed
    assert users.proxy.mapToSource(users.table.currentIndex()).row() == \
        users.model.row_of(lambda u: u.username == editing)          # the list shows the row being edited

    asked = answer_next_question("Opslaan")
    qtbot.keyClick(users.table, Qt.Key.Key_Down)
    assert asked and users.current.username != editing
    assert next(u for u in users.service.list_users() if u.username == editing).function == typed


def test_a_refusal_on_opslaan_keeps_the_input_and_the_screen(qtbot, store):
    window, screen, privacy, _field, _stored = _open(qtbot, store, "Privacy")
    spin = next(iter(privacy.spins.values()))
    spin.setFocus()
    spin.selectAll()
    qtbot.keyClicks(spin, "0")                                       # below the legal minimum
    asked = answer_next_question("Opslaan")
    refusal = answer_next_question("OK")
    assert window.show_screen(ScreenKey.OVERVIEW) is None
    assert asked and refusal and window.current_screen() is screen and spin.text().startswith("0")


def test_escape_in_besluit_nemen_with_a_motivering_asks_and_keeps_it(qtbot, env):  # noqa: F811
    dialog = _decision(env)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.reasoning.setFocus()
    qtbot.keyClicks(dialog.reasoning, "Spiekbriefje gevonden; kandidaat erkent het.")
    asked = answer_next_question("Terug naar het formulier")
    qtbot.keyClick(dialog.reasoning, Qt.Key.Key_Escape)
    assert asked and "nog niet is opgeslagen" in asked[0]
    assert dialog.isVisible() and dialog.reasoning.toPlainText() == "Spiekbriefje gevonden; kandidaat erkent het."
    asked = answer_next_question("Weggooien")
    qtbot.keyClick(dialog.reasoning, Qt.Key.Key_Escape)
    assert asked and not dialog.isVisible()
