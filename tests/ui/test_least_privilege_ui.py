"""What a surveillant's Afnames screen shows: their own sessions, no candidate list, no school-wide
lists; and opening a candidate to edit reads (and audits) the whole file."""

from __future__ import annotations

from examdesk.services.auth import AuthService
from examdesk.services.context import AppContext
from examdesk.services.navigation import ScreenKey
from examdesk.ui.main_window import MainWindow
from examdesk.ui.sessions.candidates import CandidateDialog
from examdesk.ui.sessions.screen import SessionsScreen


def _window(qtbot, store, username: str) -> MainWindow:
    window = MainWindow(AppContext(store, AuthService(store).login(username, "demo")))
    qtbot.addWidget(window)
    return window


def test_a_surveillants_afnames_screen_has_only_their_sessions_and_no_candidate_tab(qtbot, store):
    window = _window(qtbot, store, "surveillant")
    screen: SessionsScreen = window.show_screen(ScreenKey.SESSIONS)
    tabs = [screen.tabs.tabText(i) for i in range(screen.tabs.count())]
    assert tabs == ["Afnames"]
    me = window.ctx.user.id
    assert screen.model.rows and all(me in {uid for uid, _ in p.invigilators} for p in screen.model.rows)
    assert len(screen.model.rows) < store.query_one("SELECT count(*) FROM sessions")[0]


def test_the_bureau_edits_a_candidate_from_the_file_not_the_list_line(qtbot, store, monkeypatch):
    window = _window(qtbot, store, "bureau")
    screen: SessionsScreen = window.show_screen(ScreenKey.SESSIONS)
    assert [screen.tabs.tabText(i) for i in range(screen.tabs.count())] == ["Afnames", "Kandidaten",
                                                                           "Locaties en lokalen", "Afnameperiodes"]
    tab = screen.candidates_tab
    tab.refresh()
    line = next(c for c in tab.model.rows if c.extra_minutes > 30)
    assert line.extra_reason == ""
    shown = {}

    def capture(dialog: CandidateDialog) -> int:
        shown["reason"] = dialog.reason.text()
        return 0

    monkeypatch.setattr(CandidateDialog, "exec", capture)
    tab.edit(line)
    assert shown["reason"]                       # the reason came from the file, so saving keeps it
    reads = store.query("SELECT username, entity_id FROM audit_log WHERE action = 'kandidaatgegevens ingezien'")
    assert [(r[0], r[1]) for r in reads] == [("bureau", line.student_number)]
