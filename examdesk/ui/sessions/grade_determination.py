"""Afnames → 'Resultaten verwerkt…' for a closed session: the examenbureau records when, by whom and in which
system the results were processed, so the procesverbaal runs to grade determination. A button and a plain
`FormDialog`; the Afnames screen needs a hook for the button only."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QPushButton, QWidget

from examdesk.domain.roles import Action
from examdesk.domain.session_state import SessionStatus
from examdesk.domain.sessions import SessionPlan
from examdesk.services.context import AppContext
from examdesk.services.grade_determination import GradeDeterminationService
from examdesk.ui.dialogs import FormDialog
from examdesk.ui.fields import date_edit, pydate


class GradeDeterminationDialog(FormDialog):
    def __init__(self, parent: QWidget | None, ctx: AppContext, plan: SessionPlan):
        super().__init__(parent, "Resultaten verwerkt",
                         f"{plan.header}, {plan.session_date.strftime('%d-%m-%Y')}: wanneer, door wie en in welk "
                         "systeem zijn de resultaten verwerkt? Het procesverbaal loopt tot en met de cijferbepaling.",
                         ok_text="Vastleggen")
        self.service = GradeDeterminationService(ctx)
        self.session_id = plan.id
        today = ctx.clock().date()
        self.processed_on = date_edit(today)
        self.form.addRow("Verwerkt op", self.processed_on)
        known = self.service.current(plan.id)
        self.processed_by = self.field("Door", known.processed_by if known else (ctx.user.full_name if ctx.user else ""))
        self.system = self.field("Systeem", known.system if known else "", placeholder="bijvoorbeeld Eduarte of Osiris")
        self.remark = self.field("Opmerking", placeholder="optioneel")

    def submit(self) -> None:
        self.service.record(self.session_id, pydate(self.processed_on.date()), self.processed_by.text(),
                            self.system.text(), self.remark.text())


class GradeDeterminationButton(QPushButton):
    """Enabled for a closed session; its tooltip says what is recorded so far."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, on_saved: Callable[[], None] | None = None):
        super().__init__("Resultaten verwerkt…", parent)
        self.ctx = ctx
        self.plan: SessionPlan | None = None
        self.on_saved = on_saved
        self.exec_dialog = lambda dialog: dialog.exec()
        self.setVisible(ctx.can(Action.RECORD_RESULTS))
        self.clicked.connect(self.record)

    def show_session(self, plan: SessionPlan | None) -> None:
        self.plan = plan
        closed = plan is not None and plan.status == SessionStatus.AFGESLOTEN
        self.setEnabled(closed)
        if not self.ctx.can(Action.RECORD_RESULTS):
            return
        if not closed:
            self.setToolTip("De verwerking van de resultaten wordt vastgelegd na het afsluiten van de afname.")
            return
        known = GradeDeterminationService(self.ctx).current(plan.id)
        self.setToolTip(known.sentence if known else
                        "Leg vast wanneer, door wie en in welk systeem de resultaten zijn verwerkt.")

    def record(self) -> bool:
        if self.plan is None:
            return False
        accepted = bool(self.exec_dialog(GradeDeterminationDialog(self, self.ctx, self.plan)))
        if accepted and self.on_saved is not None:
            self.on_saved()
        return accepted
