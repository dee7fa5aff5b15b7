"""What planning needs from the register: the instruments to choose from, the validity rule on the
session date, the route choice, and the target-group rule. Central exams never come here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from examdesk.data import register as register_data
from examdesk.data import validity as stored_validity
from examdesk.domain.clock import format_date
from examdesk.domain.errors import NotFound, ValidationError
from examdesk.domain.register import (
    RouteException,
    ValidityVerdict,
    may_use,
    route_refusal,
    school_year_of,
    target_group_rule_applies,
    validity,
)
from examdesk.domain.roles import Action
from examdesk.services.context import AppContext
from examdesk.services.register import RegisterService


@dataclass(frozen=True)
class InstrumentForSession:
    id: str
    code: str
    title: str
    niveau: int
    formative: bool
    crebo: str = ""
    target_group_rule: bool = False        # a Coöperatie product: seed 002 applies
    provisional: str | None = None         # why it is onder voorbehoud on the session date
    exception: RouteException | None = None

    @property
    def label(self) -> str:
        return f"{self.code} – {self.title}"

    def may_use(self, group: str) -> tuple[bool, str]:
        """Seed 002 for a Coöperatie product; any candidate for the school's own or another supplier's."""
        if not self.target_group_rule:
            return True, "Toegestaan: het doelgroepenbeleid van de Coöperatie geldt alleen voor haar eigen producten."
        return may_use(group, self.niveau, self.formative)


def choices(ctx: AppContext) -> list[tuple[str, str]]:
    """(id, 'CODE – title') of every instrument in the register, by code."""
    register = RegisterService(ctx)
    return [(i.id, f"{i.code} – {i.title}") for i in sorted(register.list_instruments(), key=lambda i: i.code)]


def check_on(ctx: AppContext, instrument_id: str | None, on: date) -> InstrumentForSession:
    """The instrument, if it may be used on the session date: valid (or onder voorbehoud, which the
    planner is warned about) and within the route choice for its kwalificatie that school year (or
    with the commission's recorded deviation); otherwise refused with the register's reasons."""
    register = RegisterService(ctx)
    if not instrument_id:
        raise ValidationError("Kies het exameninstrument uit het register.")
    try:
        instrument = register.instrument(instrument_id)
    except NotFound:
        raise NotFound("Dit exameninstrument staat niet (meer) in het register.") from None
    verdict = register.validity_on(instrument_id, on)
    if not verdict.valid and not verdict.only_awaiting_adoption:
        reasons = " ".join(verdict.reasons)
        raise ValidationError(
            f"{instrument.code} kan op {format_date(on)} niet worden afgenomen. {reasons}")
    year = school_year_of(on)
    choice = register.route_choice(instrument.crebo, year)
    exception = register.route_exception(instrument.id, year)
    refusal = route_refusal(instrument, choice, exception, on)
    if refusal:
        raise ValidationError(f"{instrument.code} kan op {format_date(on)} niet worden afgenomen. {refusal}")
    if route_refusal(instrument, choice, None, on) is None:
        exception = None   # within the choice: the deviation is not what allows it
    supplier = register_data.get_supplier(ctx.store, instrument.supplier_id) if instrument.supplier_id else None
    niveau = register.qualification(instrument.crebo).niveau
    provisional = verdict.reasons[0] if verdict.only_awaiting_adoption else None
    return InstrumentForSession(instrument.id, instrument.code, instrument.title, niveau, instrument.formative,
                                instrument.crebo, target_group_rule_applies(instrument, supplier), provisional,
                                exception)


def verdicts_for_sessions(ctx: AppContext, wanted: list[tuple[str, date]]) -> dict[tuple[str, date], ValidityVerdict]:
    """The register's verdict for each (instrument, session date): what flags a planned session whose
    instrument was withdrawn or stopped being valid after it was planned. Read-only, and shown to
    everyone who sees the session, so it asks no register permission, only that of seeing sessions."""
    ctx.require(Action.VIEW_SESSIONS)
    store = ctx.store
    result = stored_validity.held_on(store, wanted)      # the stored verdicts whose range holds the session's day
    cache: dict[str, tuple] = {}
    for instrument_id, on in wanted:
        if (instrument_id, on) in result:
            continue
        if instrument_id not in cache:
            instrument = register_data.get_instrument(store, instrument_id)
            if instrument is None:
                continue
            supplier = register_data.get_supplier(store, instrument.supplier_id) if instrument.supplier_id else None
            cache[instrument_id] = (instrument, register_data.statuses_for(store, instrument_id), supplier,
                                    register_data.get_qualification(store, instrument.crebo),
                                    register_data.criteria_for(store, instrument_id))
        if instrument_id in cache:
            i, history, supplier, qualification, criteria = cache[instrument_id]
            result[(instrument_id, on)] = validity(i, history, supplier, qualification, on, criteria)
    return result
