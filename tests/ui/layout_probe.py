"""Run by tests/ui/test_layout.py in a process of its own per screen mode (EXAMDESK_LAYOUT_* set, the
offscreen screen sized and scaled as a real one): opens every screen and every dialog as ExamDesk styles
them and fails on anything clipped (tests/layout_support.py). Not collected on its own (no test_ prefix)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QDialog

FONT_SCALE = float(os.environ.get("EXAMDESK_LAYOUT_FONT", "1"))
SHOTS_DIR = os.environ.get("EXAMDESK_LAYOUT_SHOTS", "")


def _application() -> QApplication:
    """The application as ExamDesk starts it; with a font scale, the system font that much larger first."""
    app = QApplication.instance() or QApplication([])
    if FONT_SCALE != 1:
        font = app.font()
        font.setPointSizeF(font.pointSizeF() * FONT_SCALE)
        app.setFont(font)
    from examdesk.ui.launch import create_application

    return create_application()


APP = _application()

from layout_support import layout_problems, path_of  # noqa: E402
from test_dialogs import EXTRA_ROWS, ROWS, Env  # noqa: E402

from examdesk.domain.roles import Role  # noqa: E402
from examdesk.services.auth import AuthService  # noqa: E402
from examdesk.services.context import AppContext  # noqa: E402
from examdesk.ui.accessibility import unnamed_controls  # noqa: E402
from tools.screenshots import SHOTS  # noqa: E402

pytestmark = pytest.mark.skipif(not os.environ.get("EXAMDESK_LAYOUT_MODE"), reason="run by test_layout.py")


def _settle() -> None:
    for _ in range(4):
        APP.processEvents()


def _check(widget, name: str) -> None:
    """Saves the picture when asked, then fails with every clipped widget, one per line (also written to
    the report file the calling test prints)."""
    _save(widget, name)
    problems = layout_problems(widget) + [f"control without an accessible name: {path_of(w)}"
                                          for w in unnamed_controls(widget)]
    report = os.environ.get("EXAMDESK_LAYOUT_REPORT")
    if report and problems:
        with open(report, "a", encoding="utf-8") as out:
            out.writelines(f"{name}: {p}\n" for p in problems)
    assert not problems, "\n".join(problems)


def _save(widget, name: str) -> None:
    if SHOTS_DIR:
        Path(SHOTS_DIR).mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(Path(SHOTS_DIR) / name))


@pytest.mark.parametrize("shot", [s[0] for s in SHOTS])
def test_screen_fits(qtbot, store, shot):
    from examdesk.ui.main_window import MainWindow

    _name, username, key, target = next(s for s in SHOTS if s[0] == shot)
    window = MainWindow(AppContext(store, AuthService(store).login(username, "demo")))
    qtbot.addWidget(window)
    window.showMaximized()              # as on an exam-room laptop: the window with its frame fills the screen
    window.show_screen(key, target)
    _settle()
    _check(window, shot)


def test_session_mode_fits(qtbot, store):
    from examdesk.services.sessions import SessionService
    from examdesk.ui.session_mode.window import SessionModeWindow

    surveillant = AppContext(store, AuthService(store).login("surveillant", "demo"))
    window = SessionModeWindow(surveillant, SessionService(surveillant).running_for_me().id)
    window.timer.stop()
    qtbot.addWidget(window)
    window.showMaximized()              # as on an exam-room laptop: the window with its frame fills the screen
    _settle()
    _check(window, "sessiemodus.png")
    # the invigilator sees the candidates: on a 1366×768 laptop 14 of the demo's 16 at 100 %, 6 at 200 %
    table = window.table
    whole = [row for row in range(window.model.rowCount()) if table.rowViewportPosition(row) >= 0
             and table.rowViewportPosition(row) + table.rowHeight(row) <= table.viewport().height()]
    least = {"1366x768": 14, "1366x768-font200": 6}.get(os.environ["EXAMDESK_LAYOUT_MODE"], 6)
    assert len(whole) >= min(least, window.model.rowCount()), f"{len(whole)} candidates in view"


def test_the_incident_list_keeps_its_rows_and_columns(qtbot, store):
    """Incidenten on a laptop with the filters folded: at 100 % the list's columns share its pane (no sideways
    scrolling, tour item 19); at 200 % the filters leave the list at least eight whole rows (four before)."""
    from examdesk.services.navigation import ScreenKey
    from examdesk.ui.main_window import MainWindow

    window = MainWindow(AppContext(store, AuthService(store).login("commissie", "demo")))
    qtbot.addWidget(window)
    window.showMaximized()
    screen = window.show_screen(ScreenKey.INCIDENTS)
    _settle()
    table = screen.table
    whole = [row for row in range(screen.model.rowCount()) if table.rowViewportPosition(row) >= 0
             and table.rowViewportPosition(row) + table.rowHeight(row) <= table.viewport().height()]
    mode = os.environ["EXAMDESK_LAYOUT_MODE"]
    assert len(whole) >= {"1366x768-font200": 8}.get(mode, 12), f"{len(whole)} incidents in view"
    if mode == "1366x768":
        assert not table.horizontalScrollBar().isVisible()
        assert table.horizontalHeader().length() <= table.viewport().width()
    assert not screen.filters.more.isChecked()          # as measured: folded


@pytest.fixture
def env(qtbot, store, ctx_for, tmp_path, monkeypatch) -> Env:
    import fake_document_kind


    fake_document_kind.register(monkeypatch)
    from PySide6.QtWidgets import QWidget

    parent = QWidget()
    qtbot.addWidget(parent)
    return Env(store, ctx_for, tmp_path, parent, qtbot)


@pytest.mark.parametrize("row", sorted({**ROWS, **EXTRA_ROWS}))
def test_dialog_fits(qtbot, env, row):
    dialog, _first = {**ROWS, **EXTRA_ROWS}[row](env)
    if not dialog.isVisible():
        dialog.show()
    _settle()
    try:
        _check(dialog, f"dialog-{row.replace(':', '-')}.png")
    finally:
        dialog.done(QDialog.DialogCode.Rejected)


_ = Role  # the rows build their contexts per role

