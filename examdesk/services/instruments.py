"""What planning needs from the register: the instruments to choose from, the validity rule on the
session date, and the target-group rule. Central exams never come here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from examdesk.domain.clock import format_date
from examdesk.domain.errors import NotFound, ValidationError
from examdesk.domain.register import may_use
from examdesk.services.context import AppContext
from examdesk.services.register import RegisterService


@dataclass(frozen=True)
class InstrumentForSession:
    id: str
    code: str
    title: str
    niveau: int
    formative: bool

    @property
    def label(self) -> str:
        return f"{self.code} – {self.title}"

    def may_use(self, group: str) -> tuple[bool, str]:
        return may_use(group, self.niveau, self.formative)


def choices(ctx: AppContext) -> list[tuple[str, str]]:
    """(id, 'CODE – title') of every instrument in the register, by code."""
    register = RegisterService(ctx)
    return [(i.id, f"{i.code} – {i.title}") for i in sorted(register.list_instruments(), key=lambda i: i.code)]


def check_on(ctx: AppContext, instrument_id: str | None, on: date) -> InstrumentForSession:
    """The instrument, if it is valid on the session date; otherwise refused with the register's reasons."""
    register = RegisterService(ctx)
    if not instrument_id:
        raise ValidationError("Kies het exameninstrument uit het register.")
    try:
        instrument = register.instrument(instrument_id)
    except NotFound:
        raise NotFound("Dit exameninstrument staat niet (meer) in het register.") from None
    verdict = register.validity_on(instrument_id, on)
    if not verdict.valid:
        reasons = " ".join(verdict.reasons)
        raise ValidationError(
            f"{instrument.code} kan op {format_date(on)} niet worden afgenomen. {reasons}")
    niveau = register.qualification(instrument.crebo).niveau
    return InstrumentForSession(instrument.id, instrument.code, instrument.title, niveau, instrument.formative)
