"""Recording that a closed session's results were processed, up to grade determination (Beleidsregel,
toelichting bij artikel 3: the procesverbaal runs "tot en met de cijferbepaling"). The examenbureau records it
on the Afnames screen; the procesverbaal then shows it (`doc_procesverbaal`)."""

from __future__ import annotations

from datetime import date

from examdesk.data import grade_determination as data
from examdesk.data import sessions as session_data
from examdesk.domain.clock import to_iso
from examdesk.domain.errors import NotFound
from examdesk.domain.grade_determination import GradeDetermination, check_grade_determination
from examdesk.domain.roles import Action
from examdesk.services import scope
from examdesk.services.context import AppContext


class GradeDeterminationService:
    def __init__(self, ctx: AppContext):
        self.ctx = ctx

    def current(self, session_id: str) -> GradeDetermination | None:
        self.ctx.require(Action.VIEW_SESSIONS)
        scope.visible_session(self.ctx, session_id)
        return data.latest(self.ctx.store, session_id)

    def record(self, session_id: str, processed_on: date, processed_by: str, system: str,
               remark: str = "") -> GradeDetermination:
        """A new record (a correction is a new one: the newest counts); the session must be closed."""
        user = self.ctx.require(Action.RECORD_RESULTS)
        plan = session_data.session(self.ctx.store, session_id)
        if plan is None:
            raise NotFound("Deze afname bestaat niet.")
        who, where, note = check_grade_determination(plan.status, plan.session_date, processed_on,
                                                     self.ctx.clock().date(), processed_by, system, remark)
        at = to_iso(self.ctx.clock())
        with self.ctx.store.transaction():
            data.insert(self.ctx.store, session_id, processed_on, who, where, note, at, user.id, user.username)
            self.ctx.audit("resultaten verwerkt", "afname", session_id,
                           {"datum": processed_on.isoformat(), "door": who, "systeem": where})
        found = data.latest(self.ctx.store, session_id)
        assert found is not None
        return found
