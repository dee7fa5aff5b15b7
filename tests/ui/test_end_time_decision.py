"""Protocol point 14: a late candidate keeps the end time unless the commission decides otherwise."""

from __future__ import annotations

from examdesk.domain.roles import Role
from examdesk.services.session_mode import SessionModeService
from examdesk.ui.sessions.end_time_dialog import EndTimeDialog
from examdesk.ui.sessions.screen import SessionsScreen


def test_commission_gives_a_late_candidate_more_time_from_the_afnames_screen(qtbot, ctx_for, monkeypatch):
    ctx = ctx_for(Role.COMMISSIE)
    screen = SessionsScreen(ctx)
    qtbot.addWidget(screen)
    screen.show()
    screen.refresh()
    plan = screen.current()
    assert plan is not None and plan.status == "bezig"  # the demo's running session is selected
    assert screen.end_time_button.isVisible() and screen.end_time_button.isEnabled()
    before = SessionModeService(ctx, plan.id).state()
    late = next(c for c in before.candidates if c.status == "te_laat")

    def decide(dialog: EndTimeDialog):
        assert dialog.candidate.currentData() == late.candidate_id  # late candidates come first
        dialog.minutes.setValue(20)
        dialog.ok()
        assert "reden" in dialog.error.text().lower()  # a decision without its ground is refused
        dialog.reason.setText("Trein uitgevallen, aangetoond")
        dialog.ok()
        return dialog.result()

    monkeypatch.setattr(EndTimeDialog, "exec", decide)
    screen.end_time_button.click()
    after = SessionModeService(ctx, plan.id).state().candidate(late.candidate_id)
    assert (after.end_time - late.end_time).total_seconds() == 20 * 60


def test_the_button_is_not_offered_to_the_examenbureau(qtbot, ctx_for):
    screen = SessionsScreen(ctx_for(Role.BUREAU))
    qtbot.addWidget(screen)
    screen.show()
    screen.refresh()
    assert not screen.end_time_button.isVisible()
