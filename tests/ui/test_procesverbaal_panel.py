"""The procesverbaal from the Afnames screen, and the yellow bar once the printed one is outdated."""

from __future__ import annotations

from examdesk.domain.roles import Role
from examdesk.domain.sessions import SessionFilter
from examdesk.services.documents import DocumentService
from examdesk.services.session_mode import SessionModeService
from examdesk.ui.sessions.procesverbaal_panel import OUTDATED, ProcesverbaalPanel


def test_procesverbaal_button_and_outdated_bar(qtbot, ctx_for):
    ctx = ctx_for(Role.COMMISSIE)
    from examdesk.data.sessions import list_sessions

    closed = list_sessions(ctx.store, SessionFilter(status="afgesloten"))[0]
    panel = ProcesverbaalPanel(ctx)
    qtbot.addWidget(panel)
    panel.show()
    panel.show_session(closed.id, closed.status)
    assert panel.button.isEnabled() and not panel.bar.isVisible()
    panel.button.click()
    qtbot.waitUntil(lambda: panel.last_viewer is not None, timeout=10000)
    assert panel.last_viewer.page_count() >= 3
    assert "actueel" not in panel.state.text()                       # a preview is not issued
    assert panel.last_viewer.issue()                                 # as printing or saving does
    assert "actueel" in panel.state.text() and not panel.bar.isVisible()

    SessionModeService(ctx_for(Role.SURVEILLANT), closed.id).remark(
        "Late aanvulling: de klok in het lokaal liep twee minuten voor.")
    panel.show_session(closed.id, closed.status)
    assert panel.bar.isVisible() and panel.bar_text.text() == OUTDATED
    assert DocumentService(ctx).is_outdated("procesverbaal", closed.id) is True


def test_panel_is_hidden_for_invigilators(qtbot, ctx_for):
    """On the Afnames screen, with their own session selected, an invigilator sees no procesverbaal panel
    and cannot make one; the commission, on the same screen, does. (The panel is judged inside a screen
    that is on show: a panel never shown is hidden for everyone.)"""
    from examdesk.ui.sessions.screen import SessionsScreen

    def panel_on_screen(role: Role) -> ProcesverbaalPanel:
        screen = SessionsScreen(ctx_for(role))
        qtbot.addWidget(screen)
        screen.show()
        screen.refresh()
        assert screen.current() is not None                    # a session is selected
        return screen.procesverbaal

    seen = panel_on_screen(Role.COMMISSIE)
    assert seen.isVisible() and seen.button.isEnabled()
    hidden = panel_on_screen(Role.SURVEILLANT)
    assert not hidden.isVisible() and not hidden.button.isEnabled()
