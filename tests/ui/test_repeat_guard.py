"""Repeated clicks never start an action twice: a double-click on a session opens one session-mode
window (a second activation raises it), a double-click on *Maken en bekijken* makes one document, and
every background job (import, export, backup, document) is guarded by the same helper."""

from __future__ import annotations

import fake_document_kind
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from examdesk.domain.roles import Role
from examdesk.domain.session_state import SessionStatus
from examdesk.services.auth import AuthService
from examdesk.services.context import AppContext
from examdesk.services.documents import DocumentService
from examdesk.services.navigation import ReportsTarget, SessionsTarget
from examdesk.ui import guard
from examdesk.ui.documents.viewer import DocumentViewer
from examdesk.ui.main_window import MainWindow
from examdesk.ui.reports.screen import ReportsScreen
from examdesk.ui.session_mode.window import SessionModeWindow
from examdesk.ui.worker import run_in_background


def _mode_windows() -> list[SessionModeWindow]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, SessionModeWindow) and w.isVisible()]


def test_double_clicking_a_running_session_opens_one_session_mode_window(qtbot, store):
    window = MainWindow(AppContext(store, AuthService(store).login("surveillant", "demo")))
    qtbot.addWidget(window)
    window.show()
    screen = window.navigate(SessionsTarget(status=SessionStatus.BEZIG))
    assert screen.model.rows
    screen.table.selectRow(0)
    rect = screen.table.visualRect(screen.model.index(0, 1))
    qtbot.mouseClick(screen.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(screen.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    opened = _mode_windows()
    for w in opened:
        qtbot.addWidget(w)
    assert len(opened) == 1
    qtbot.keyClick(screen.table, Qt.Key.Key_Return)      # Enter on the row again: the same window comes up
    assert _mode_windows() == opened
    assert screen.mode_window is opened[0]


@pytest.fixture
def _test_kind(monkeypatch):
    fake_document_kind.register(monkeypatch)


def test_double_clicking_maken_en_bekijken_makes_one_document(qtbot, ctx_for, _test_kind):
    ctx = ctx_for(Role.COMMISSIE)
    screen = ReportsScreen(ctx)
    qtbot.addWidget(screen)
    screen.show()
    screen.refresh()
    screen.apply_filter(ReportsTarget("test"))
    before = len(DocumentService(ctx).recent())
    qtbot.mouseClick(screen.make_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(screen.make_button, Qt.MouseButton.LeftButton)     # again while the first one works
    qtbot.waitUntil(lambda: screen.last_viewer is not None, timeout=10000)
    qtbot.waitUntil(lambda: not guard.is_running(screen, "Document maken…"), timeout=10000)
    assert len(screen.findChildren(DocumentViewer)) == 1              # one preview, not two
    assert len(DocumentService(ctx).recent()) == before               # a preview is not issued yet
    assert screen.last_viewer.issue()
    assert len(DocumentService(ctx).recent()) == before + 1


def test_a_background_job_started_twice_runs_once_and_may_run_again_after(qtbot):
    owner = QWidget()
    qtbot.addWidget(owner)
    runs: list[int] = []
    done: list[object] = []
    first = run_in_background(owner, lambda: runs.append(1), done.append, done.append, "Exporteren…", quiet=True)
    second = run_in_background(owner, lambda: runs.append(2), done.append, done.append, "Exporteren…", quiet=True)
    assert first is not None and second is None
    qtbot.waitUntil(lambda: len(done) == 1)
    assert runs == [1]
    third = run_in_background(owner, lambda: runs.append(3), done.append, done.append, "Exporteren…", quiet=True)
    assert third is not None
    qtbot.waitUntil(lambda: len(done) == 2)
    assert runs == [1, 3]


def test_guarded_ignores_a_call_made_while_the_first_still_runs(qtbot):
    owner = QWidget()
    qtbot.addWidget(owner)
    calls: list[str] = []

    def decide() -> None:
        calls.append("begin")
        again()                      # what a second click during a modal dialog would do
        calls.append("end")

    again = guard.guarded(owner, "besluit", decide)
    again()
    again()
    assert calls == ["begin", "end", "begin", "end"]
