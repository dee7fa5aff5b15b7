"""The counts on the Overzicht screen. Each part of ExamDesk contributes a card through a provider;
every line names the screen (and filter) it links to, so a count is one click from its list."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

from examdesk.data import users as user_data
from examdesk.domain.clock import format_date
from examdesk.domain.roles import Action, Role
from examdesk.services.context import AppContext
from examdesk.services.institution import InstitutionService


@dataclass(frozen=True)
class CardLine:
    text: str
    screen: str = ""                       # key of the screen the line opens; "" for plain text
    filter: dict[str, Any] = field(default_factory=dict)
    warning: bool = False                  # drawn in the accent colour


@dataclass(frozen=True)
class Card:
    title: str
    lines: list[CardLine]


CardProvider = Callable[[AppContext], Card | None]


def _institution_card(ctx: AppContext) -> Card:
    inst = InstitutionService(ctx).get()
    lines = [CardLine(f"{inst.name} ({inst.brin})"), CardLine(inst.commission_name)]
    if inst.place:
        lines.append(CardLine(f"Vestigingsplaats: {inst.place}"))
    return Card("Instelling", lines)


def _user_card(ctx: AppContext) -> Card:
    user = ctx.require(Action.VIEW_OVERVIEW)
    lines = [CardLine(user.full_name), CardLine(f"Rol: {user.roles_label}"),
             CardLine(f"Vandaag: {format_date(ctx.clock())}")]
    return Card("Ingelogd", lines)


def _accounts_card(ctx: AppContext) -> Card | None:
    if not ctx.can(Action.MANAGE_USERS):
        return None
    users = user_data.all_users(ctx.store)
    active = [u for u in users if u.active]
    per_role = {r: sum(1 for u in active if r in u.roles) for r in Role}
    lines = [CardLine(f"{len(active)} actieve gebruikers", "beheer", {"tab": "gebruikers"})]
    lines += [CardLine(f"{n} × {r.label}", "beheer", {"tab": "gebruikers"}) for r, n in per_role.items() if n]
    inactive = len(users) - len(active)
    if inactive:
        lines.append(CardLine(f"{inactive} gedeactiveerd", "beheer", {"tab": "gebruikers"}))
    return Card("Gebruikers", lines)


# Modules listed here provide `overview_card(ctx) -> Card | None` (register, sessions, incidents).
CARD_MODULES: list[str] = [
    "examdesk.services.register",
    "examdesk.services.sessions",
    "examdesk.services.incident_desk",
    "examdesk.services.privacy",
]


class OverviewService:
    def __init__(self, ctx: AppContext):
        self.ctx = ctx

    def cards(self) -> list[Card]:
        self.ctx.require(Action.VIEW_OVERVIEW)
        providers: list[CardProvider] = [_user_card, _institution_card]
        providers += [import_module(m).overview_card for m in CARD_MODULES]
        providers.append(_accounts_card)
        return [card for card in (p(self.ctx) for p in providers) if card is not None]
