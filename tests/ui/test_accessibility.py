"""Accessible names (issue 14): what a screen reader announces for a control. The walk over every screen and
dialog is in the layout probe (tests/ui/test_layout.py lists each control without a name); these tests pin
the rules the bases apply."""

from __future__ import annotations

from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QWidget,
)

from examdesk.services.auth import AuthService
from examdesk.services.context import AppContext
from examdesk.services.sessions import SessionService
from examdesk.ui.accessibility import name_controls, spoken_name, unnamed_controls
from examdesk.ui.dialogs import FormDialog


def _form(qtbot) -> FormDialog:
    dialog = FormDialog(None, "Proef", submit=lambda: None)
    qtbot.addWidget(dialog)
    return dialog


def test_a_form_field_is_named_by_its_row_label_and_a_button_by_its_text_without_ampersand(qtbot):
    dialog = _form(qtbot)
    name = dialog.field("Naam van de kandidaat")
    row = QWidget()
    line = QHBoxLayout(row)
    number = QLineEdit()
    line.addWidget(number)
    line.addWidget(QPushButton("&Zoeken"))
    dialog.form.addRow("Studentnummer", row)       # the label's buddy is the row, not the field in it
    dialog.show()
    assert spoken_name(name) == "Naam van de kandidaat"
    assert spoken_name(number) == "Studentnummer"
    assert spoken_name(dialog.ok_button) == "Opslaan"
    assert spoken_name(row.findChild(QPushButton)) == "Zoeken"
    assert unnamed_controls(dialog) == []


def test_a_control_beside_a_label_or_a_tick_box_is_named_by_it(qtbot):
    bar = QWidget()
    qtbot.addWidget(bar)
    row = QHBoxLayout(bar)
    until = QLabel("t/m")
    tick, date_from, date_to = QCheckBox("Periode"), QDateEdit(), QDateEdit()
    for widget in (tick, date_from, until, date_to):
        row.addWidget(widget)
    name_controls(bar)
    assert spoken_name(date_from) == "Periode"
    assert spoken_name(date_to) == "t/m"
    assert until.buddy() is date_to                  # Alt+mnemonic and screen readers both see the pair


def test_an_icon_only_button_is_named_by_its_tooltip_and_listed_when_it_has_none(qtbot):
    bar = QWidget()
    qtbot.addWidget(bar)
    row = QHBoxLayout(bar)
    pixmap = QPixmap(16, 16)
    pixmap.fill()
    described, bare = QPushButton(), QPushButton()
    for button in (described, bare):
        button.setIcon(QIcon(pixmap))
        row.addWidget(button)
    described.setToolTip("Bijlage &verwijderen")
    bar.show()
    assert unnamed_controls(bar) == [described, bare]
    name_controls(bar)
    assert spoken_name(described) == "Bijlage verwijderen"
    assert unnamed_controls(bar) == [bare]


def test_every_list_on_a_screen_is_named_by_its_columns(qtbot, store):
    from examdesk.services.navigation import ScreenKey
    from examdesk.ui.main_window import MainWindow

    window = MainWindow(AppContext(store, AuthService(store).login("beheerder", "demo")))
    qtbot.addWidget(window)
    window.show()
    screen = window.show_screen(ScreenKey("register"))
    tables = [t for t in screen.findChildren(QTableView) if t.isVisibleTo(window)]
    assert tables
    assert all(spoken_name(t).startswith("Lijst met ") for t in tables)
    assert "Kwalificatie" in " ".join(spoken_name(t) for t in tables)


def test_session_mode_key_bar_and_candidate_list_have_names(qtbot, store):
    from examdesk.ui.session_mode.window import SessionModeWindow

    surveillant = AppContext(store, AuthService(store).login("surveillant", "demo"))
    window = SessionModeWindow(surveillant, SessionService(surveillant).running_for_me().id)
    window.timer.stop()
    qtbot.addWidget(window)
    window.show()
    assert window.keys.accessibleName() == "Toetsen in de sessiemodus"
    assert "F2 incident" in window.keys.accessibleDescription()
    assert spoken_name(window.table).startswith("Lijst met ")
    assert unnamed_controls(window) == []
