"""Institution settings (beheerder) and read access for every screen and document."""

from __future__ import annotations

from dataclasses import asdict

from examdesk.data import institution as institution_data
from examdesk.domain.errors import NotFound
from examdesk.domain.institution import Institution, validate_institution
from examdesk.domain.roles import Action
from examdesk.services.context import AppContext


class InstitutionService:
    def __init__(self, ctx: AppContext):
        self.ctx = ctx

    def get(self) -> Institution:
        inst = institution_data.get(self.ctx.store)
        if inst is None:
            raise NotFound("Deze database is nog niet ingericht: er zijn geen instellingsgegevens.")
        return inst

    def update(self, inst: Institution) -> Institution:
        self.ctx.require(Action.EDIT_INSTITUTION)
        before = self.get()
        inst = validate_institution(inst)
        changed = {k: v for k, v in asdict(inst).items() if asdict(before)[k] != v}
        if not changed:
            return inst
        with self.ctx.store.transaction():
            institution_data.save(self.ctx.store, inst)
            self.ctx.audit("instelling gewijzigd", "instelling", inst.brin, changed)
        return inst
