"""After the Overzicht is complete the launcher imports the other screens' modules and then builds the screens
themselves while the window is idle (issue 16: a first open then costs what opening again costs). Built out of
sight: the keyboard stays where the user is, and opening a screen afterwards shows that screen, filled."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from examdesk.services.auth import AuthService
from examdesk.services.context import AppContext
from examdesk.services.navigation import ScreenKey
from examdesk.ui import warm_up
from examdesk.ui.main_window import MainWindow


def _window(qtbot, store, user: str) -> MainWindow:
    window = MainWindow(AppContext(store, AuthService(store).login(user, "demo")))
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: window.screens[ScreenKey.OVERVIEW].complete, timeout=10000)
    return window


def test_every_screen_of_the_user_is_built_out_of_sight_once_the_overzicht_is_complete(qtbot, store):
    window = _window(qtbot, store, "commissie")
    overview = window.screens[ScreenKey.OVERVIEW]
    overview.setFocus()
    focus = QApplication.focusWidget()
    assert set(window.screens) == {ScreenKey.OVERVIEW}
    warm_up.warm_up_when_ready(window)
    qtbot.waitUntil(lambda: all(spec.key in window.screens for spec in window.specs), timeout=20000)
    assert window.current_screen() is overview                  # still on the Overzicht
    assert QApplication.focusWidget() is focus                   # the keyboard was not taken
    built = dict(window.screens)
    for spec in window.specs:
        screen = window.show_screen(spec.key)
        assert screen is built[spec.key] and window.current_screen() is screen   # the one built before, on show
    assert window.screens == built


def test_a_screen_opened_while_the_others_are_built_is_not_built_twice(qtbot, store):
    window = _window(qtbot, store, "commissie")
    warm_up.warm_up_when_ready(window)
    incidents = window.show_screen(ScreenKey.INCIDENTS)
    qtbot.waitUntil(lambda: all(spec.key in window.screens for spec in window.specs), timeout=20000)
    assert window.screens[ScreenKey.INCIDENTS] is incidents and window.current_screen() is incidents
    assert window.stack.count() == len(window.specs)            # one frame per screen, none left over


def test_an_invigilator_gets_only_its_own_screens(qtbot, store):
    window = _window(qtbot, store, "surveillant")
    warm_up.warm_up_when_ready(window)
    qtbot.waitUntil(lambda: all(spec.key in window.screens for spec in window.specs), timeout=20000)
    assert ScreenKey.REGISTER not in window.screens and set(window.screens) == {s.key for s in window.specs}


def test_incidenten_built_out_of_sight_has_its_counts_on_its_chips_before_it_is_first_laid_out(qtbot, store):
    """Counts already known for this state of the database (the Overzicht's Incidenten card counts every status and
    hands them on, `services.incident_desk.carry_counts`) are on the chips of the screen built after it from the
    start. Counts arriving on the first open widened the chips, wrapped their row and laid the whole screen out
    again (issue 16)."""
    from examdesk.services.incident_desk import IncidentDeskService

    window = _window(qtbot, store, "commissie")
    counts = IncidentDeskService(window.ctx).status_counts()           # as the card leaves them
    screen = window.build_screen(ScreenKey.INCIDENTS)
    assert not screen.isVisible()
    texts = {status: chip.text() for status, chip in screen.chips.items()}
    assert texts[""].endswith(f"  {sum(counts.values())}") and texts["open"].endswith(f"  {counts['open']}"), texts
    window.show_screen(ScreenKey.INCIDENTS)
    assert {status: chip.text() for status, chip in screen.chips.items()} == texts


def test_incidenten_built_while_idle_has_its_first_file_before_it_is_opened_and_keeps_it(qtbot, store):
    """The first row's file is the costly part of opening Incidenten (its text laid out: 60-100 ms on ten years).
    Built while idle, the screen reads its list and that file out of sight; opened, it reads the list again and
    keeps the file — nothing changed — so the first open costs what opening it again costs (issue 16)."""
    window = _window(qtbot, store, "commissie")
    warm_up.warm_up_when_ready(window)
    qtbot.waitUntil(lambda: ScreenKey.INCIDENTS in window.screens, timeout=20000)
    screen = window.screens[ScreenKey.INCIDENTS]
    qtbot.waitUntil(lambda: screen.case is not None, timeout=5000)
    assert not screen.isVisible() and window.current_screen() is window.screens[ScreenKey.OVERVIEW]
    first = screen.model.rows[0].incident_id
    assert screen.case.row.incident_id == first
    parts = list(screen.case_panel.detail.children())
    window.show_screen(ScreenKey.INCIDENTS)
    assert screen.case.row.incident_id == first and list(screen.case_panel.detail.children()) == parts
    qtbot.waitUntil(lambda: all(spec.key in window.screens for spec in window.specs), timeout=20000)


def test_the_register_built_while_idle_is_filled_out_of_sight_and_opened_without_filling_it_again(qtbot, store):
    """Filling the Register's lists is the costly part of opening it (~45 ms on ten years). Built while idle it is
    filled out of sight; opened with nothing changed it keeps its lists (no reset: the selection and the scroll
    position stay as they were), and after a change it shows the change."""
    from examdesk.services.register import RegisterService

    window = _window(qtbot, store, "commissie")
    warm_up.warm_up_when_ready(window)
    qtbot.waitUntil(lambda: ScreenKey.REGISTER in window.screens, timeout=20000)
    screen = window.screens[ScreenKey.REGISTER]
    qtbot.waitUntil(lambda: screen.qual_model.rowCount() > 0, timeout=5000)
    assert not screen.isVisible()
    resets = []
    screen.qual_model.modelReset.connect(lambda: resets.append("kwalificaties"))
    screen.instr_model.modelReset.connect(lambda: resets.append("instrumenten"))
    window.show_screen(ScreenKey.REGISTER)
    assert screen.isVisible() and screen.qual_model.rowCount() > 0 and resets == []
    window.show_screen(ScreenKey.OVERVIEW)
    window.show_screen(ScreenKey.REGISTER)
    assert resets == []
    line = screen.selected_instrument()
    assert line is not None
    RegisterService(window.ctx).withdraw(line.instrument.id, "Vervangen door een nieuwe versie")
    window.show_screen(ScreenKey.OVERVIEW)
    window.show_screen(ScreenKey.REGISTER)
    assert resets and screen.selected_instrument().status.value != line.status.value
