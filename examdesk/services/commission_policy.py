"""The commission's policy and considerations for a school year, as the annual report shows them (seed 000
§5: every school "maakt op basis van zijn visie jaarlijks de toepassing van de 'Afspraken valide
exameninstrumenten mbo' door de school inzichtelijk" — its policy choices and considerations on buying from a
certified supplier (route 1) or constructing (routes 2 and 3)). Written by the commission, stored per school
year with every version kept, and audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from examdesk.data import commission_policy as data
from examdesk.domain.clock import from_iso, to_iso
from examdesk.domain.errors import ValidationError
from examdesk.domain.register import parse_school_year
from examdesk.domain.roles import Action
from examdesk.services.context import AppContext

MAX_TEXT = 20_000


@dataclass(frozen=True)
class PolicyText:
    school_year: str
    text: str
    recorded_at: datetime
    username: str
    version: int


def current_policy(store, school_year: str) -> PolicyText | None:
    row = data.latest(store, school_year)
    if row is None:
        return None
    return PolicyText(school_year, row[1], from_iso(row[2]), row[3], data.versions(store, school_year))


class CommissionPolicyService:
    def __init__(self, ctx: AppContext):
        self.ctx = ctx

    def current(self, school_year: str) -> PolicyText | None:
        self.ctx.require(Action.PRODUCE_DOCUMENTS)
        parse_school_year(school_year)
        return current_policy(self.ctx.store, school_year)

    def save(self, school_year: str, text: str) -> PolicyText:
        """A new version of the year's text (the earlier ones stay); the annual report shows the newest."""
        user = self.ctx.require(Action.CHOOSE_ROUTES)
        parse_school_year(school_year)
        cleaned = text.strip()
        if not cleaned:
            raise ValidationError("Schrijf het beleid en de afwegingen van de examencommissie voor dit schooljaar.")
        if len(cleaned) > MAX_TEXT:
            raise ValidationError(f"De tekst is langer dan {MAX_TEXT} tekens.")
        before = current_policy(self.ctx.store, school_year)
        if before is not None and before.text == cleaned:
            raise ValidationError("De tekst is niet gewijzigd; er is niets opgeslagen.")
        at = to_iso(self.ctx.clock())
        with self.ctx.store.transaction():
            data.insert(self.ctx.store, school_year, cleaned, at, user.id, user.username)
            self.ctx.audit("beleid en afwegingen vastgelegd", "jaarverslag", school_year,
                           {"versie": (before.version if before else 0) + 1, "tekens": len(cleaned)})
        return current_policy(self.ctx.store, school_year)
