"""Reading and verifying the audit trail; it is never changed."""

from __future__ import annotations

from examdesk.data import audit as audit_data
from examdesk.data.db import Store
from examdesk.domain.audit import AuditEntry, AuditFilter, ChainVerdict
from examdesk.domain.roles import Action
from examdesk.services.context import AppContext
from examdesk.services.integrity import verify_audit


def verify_store(store: Store) -> ChainVerdict:
    """Integrity of the (keyed) chain from its first entry; needs no login. `examdesk verify` and the
    startup check verify more (desk rows, session chains, witnesses): see services/integrity.py."""
    return verify_audit(store)


class AuditService:
    def __init__(self, ctx: AppContext):
        self.ctx = ctx

    def count(self, f: AuditFilter) -> int:
        self.ctx.require(Action.VIEW_AUDIT)
        return audit_data.count(self.ctx.store, f)

    def page(self, f: AuditFilter, offset: int, limit: int) -> list[AuditEntry]:
        self.ctx.require(Action.VIEW_AUDIT)
        return audit_data.page(self.ctx.store, f, offset, limit)

    def actions(self) -> list[str]:
        self.ctx.require(Action.VIEW_AUDIT)
        return audit_data.distinct_actions(self.ctx.store)

    def verify(self) -> ChainVerdict:
        self.ctx.require(Action.VIEW_AUDIT)
        return verify_store(self.ctx.store)
