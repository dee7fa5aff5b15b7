"""What a GUI tour at 1366×768, 100 % and 200 % font, found in the main window, Beheer, the Register, Afnames
and the import dialogs — each as the user notices it (tour2 items 3, 5, 6, 7, 11, 20, 22, 23)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QPushButton, QScrollArea, QWidget
from test_privacy_ui import font_scale  # noqa: F401 (the fixture: the application at 100 % and 200 % font)

from examdesk.domain.roles import Role
from examdesk.services.auth import AuthService
from examdesk.services.context import AppContext
from examdesk.services.navigation import AdminTab, AdminTarget, ScreenKey


def _settle() -> None:
    for _ in range(4):
        QApplication.processEvents()


def _window(qtbot, store, username: str, sheet: str = ""):
    from examdesk.ui.main_window import MainWindow

    window = MainWindow(AppContext(store, AuthService(store).login(username, "demo")))
    if sheet:
        window.setStyleSheet(sheet)
    qtbot.addWidget(window)
    window.resize(1362, 764)                                          # maximised on 1366×768
    window.show()
    _settle()
    return window


def test_the_menu_fills_the_sidebar_at_every_font_size(qtbot, store, font_scale):  # noqa: F811
    """At 200 % the name 'ExamDesk' widened the sidebar to about 290 px while the menu stayed 190 px: a dead grey
    band beside it with the menu's border line running through it."""
    _scale, sheet = font_scale
    window = _window(qtbot, store, "commissie", sheet)
    side = window.sidebar.parentWidget()
    assert window.sidebar.width() == side.contentsRect().width()
    assert window.sidebar.width() >= 190


def test_beheer_shows_every_tab_at_200_percent(qtbot, store, font_scale):  # noqa: F811
    """At 200 % the Beheer tabs scrolled behind arrows: 'Uitwisselsleutels' was cut mid-word and Privacy hidden.
    Every tab is now in view inside the bar, its whole name its tooltip."""
    scale, sheet = font_scale
    window = _window(qtbot, store, "beheerder", sheet)
    screen = window.show_screen(ScreenKey.ADMIN, AdminTarget(AdminTab.USERS))
    _settle()
    bar = screen.tabs.tabBar()
    assert bar.count() == 7
    for i in range(bar.count()):
        rect = bar.tabRect(i)
        assert rect.left() >= 0 and rect.right() <= bar.width(), screen.tabs.tabText(i)
        assert bar.tabToolTip(i) == screen.tabs.tabText(i)
    assert bar.tabRect(bar.count() - 1).right() <= screen.tabs.width()
    if scale == 1.0:   # at 100 % nothing is shortened: every tab as wide as its name needs
        from PySide6.QtWidgets import QTabBar

        natural = [QTabBar.tabSizeHint(bar, i).width() for i in range(bar.count())]
        assert [bar.tabRect(i).width() for i in range(bar.count())] == natural


def test_back_ups_says_when_there_are_none_and_counts_under_the_list(qtbot, store, font_scale, monkeypatch):  # noqa: F811
    """The empty list showed nothing at all, and '0 back-ups.' was tacked onto the paragraph with the folder's
    path, which could not wrap and made the tab scroll 481 px sideways at 200 %."""
    from PySide6.QtWidgets import QMessageBox

    monkeypatch.setattr(QMessageBox, "information", lambda *a: None)
    _scale, sheet = font_scale
    window = _window(qtbot, store, "beheerder", sheet)
    screen = window.show_screen(ScreenKey.ADMIN, AdminTarget(AdminTab.BACKUPS))
    _settle()
    panel = screen.backups
    assert panel.empty.isVisible() and "nog geen back-ups" in panel.empty.text()
    assert not panel.table.isVisible()
    assert "back-ups" not in panel.intro.text().split(".")[-1]          # no count at the end of the paragraph
    folder = str(panel.service.folder())
    assert panel.folder.toolTip() == folder and folder not in panel.intro.text()
    copy = next(b for b in panel.findChildren(QPushButton) if b.text() == "Pad kopiëren")
    copy.click()
    assert QApplication.clipboard().text() == folder
    sideways = [a for a in window.findChildren(QScrollArea) if a.isVisible() and a.horizontalScrollBar().maximum()]
    assert sideways == []

    with qtbot.waitSignal(panel.backup_made, timeout=10_000):
        panel.backup_button.click()
    _settle()
    assert panel.table.isVisible() and not panel.empty.isVisible()
    assert panel.count.isVisible() and panel.count.text() == "1 back-up."


def test_the_register_import_shows_bestand_with_its_shortcut_not_an_ampersand(qtbot, ctx_for):

    from examdesk.services.register import RegisterService
    from examdesk.ui.register.import_dialog import ImportDialog

    dialog = ImportDialog(None, RegisterService(ctx_for(Role.COMMISSIE)))
    qtbot.addWidget(dialog)
    label = next(lb for lb in dialog.findChildren(QLabel) if lb.text().replace("&", "") == "Bestand")
    assert label.buddy() is dialog.path                                 # Alt+B goes to the file field


def test_enter_in_the_plan_dialog_belongs_to_opslaan(qtbot, ctx_for):
    """'Alle gevonden toevoegen' was an auto-default push button: drawn as the default, and pressed by Enter once
    it had had focus. In a FormDialog only the OK button is the default."""
    from examdesk.ui.sessions.plan_dialog import PlanDialog

    parent = QWidget()
    qtbot.addWidget(parent)
    dialog = PlanDialog(ctx_for(Role.BUREAU), None, parent)
    dialog.show()
    _settle()
    add_all = next(b for b in dialog.findChildren(QPushButton) if b.text() == "Alle gevonden toevoegen")
    assert not add_all.autoDefault() and not add_all.isDefault()
    assert dialog.ok_button.isDefault()
    others = [b for b in dialog.findChildren(QPushButton) if b is not dialog.ok_button]
    assert others and not any(b.autoDefault() for b in others)
    dialog.done(QDialog.DialogCode.Rejected)


def test_kandidaten_importeren_puts_annuleren_last(qtbot, ctx_for, tmp_path):
    from examdesk.services.candidates import read_table
    from examdesk.ui.sessions.candidate_import import ImportDialog

    path = tmp_path / "kandidaten.csv"
    path.write_text("studentnummer;achternaam;voornaam\n1001;Şahin;Elif\n", encoding="utf-8")
    dialog = ImportDialog(ctx_for(Role.BUREAU), read_table(path), "Osiris", None)
    qtbot.addWidget(dialog)
    dialog.show()
    _settle()
    shown = sorted((b for b in dialog.findChildren(QPushButton) if b.isVisible() and b.parentWidget() is dialog),
                   key=lambda b: b.x())
    assert shown[-1] is dialog.cancel
    assert shown[0] is not dialog.cancel
    dialog.done(QDialog.DialogCode.Rejected)


@pytest.mark.parametrize("role", [Role.COMMISSIE])
def test_register_status_history_names_people_not_accounts(qtbot, store, ctx_for, role):
    """'vastgelegd door commissie' read as a role; the history names the person ('Marieke …')."""
    from examdesk.data.users import by_username
    from examdesk.services.register import RegisterService
    from examdesk.services.register_detail import instrument_detail
    from examdesk.services.users import user_names

    ctx = ctx_for(role)
    view = RegisterService(ctx).view()
    line = next(x for x in view.instrument_lines() if any(h.recorded_by for h in x.history))
    recorder = next(h.recorded_by for h in line.history if h.recorded_by)
    full = by_username(store, recorder).full_name
    detail = instrument_detail(line, view.on, user_names(ctx))
    said = " ".join(span.text for entry in detail.history for ln in entry.lines for span in ln)
    assert f"vastgelegd door {full} op" in said
    assert f"vastgelegd door {recorder} op" not in said


def test_the_surveillant_sees_afnames_without_a_tab_bar_of_one_tab(qtbot, store):
    """A surveillant has the Afnames page only: a tab bar with the single tab 'Afnames' said nothing."""
    window = _window(qtbot, store, "surveillant")
    screen = window.show_screen(ScreenKey.SESSIONS)
    _settle()
    assert screen.tabs.count() == 1 and not screen.tabs.tabBar().isVisible()
    bureau = _window(qtbot, store, "bureau").show_screen(ScreenKey.SESSIONS)
    _settle()
    assert bureau.tabs.count() > 1 and bureau.tabs.tabBar().isVisible()


def test_the_privacy_retention_boxes_are_one_width(qtbot, store, font_scale):  # noqa: F811
    _scale, sheet = font_scale
    window = _window(qtbot, store, "beheerder", sheet)
    screen = window.show_screen(ScreenKey.ADMIN, AdminTarget(AdminTab.PRIVACY))
    _settle()
    widths = {spin.width() for spin in screen.privacy.spins.values()}
    assert len(widths) == 1
