"""The counts on the Overzicht screen. Each part of ExamDesk contributes a card through a provider;
every line carries the typed target it links to (`navigation`), so a count is one click from its list."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from examdesk.data import users as user_data
from examdesk.domain.clock import format_date
from examdesk.domain.roles import Action, Role
from examdesk.services.context import AppContext
from examdesk.services.institution import InstitutionService
from examdesk.services.navigation import AdminTab, AdminTarget, Target


@dataclass(frozen=True)
class CardLine:
    text: str
    target: Target | None = None           # the screen and filter the line opens; None for plain text
    warning: bool = False                  # drawn in the accent colour


@dataclass(frozen=True)
class Card:
    title: str
    lines: list[CardLine]


CardProvider = Callable[[AppContext], Card | None]


def once_per_state(ctx: AppContext, name: str, make: Callable[[], Card]) -> Card:
    """A card that reads a whole register or every candidate, made once per day and state of the database
    (`PRAGMA data_version` moves with another connection's commits, `total_changes` with this one's): going
    back to the Overzicht does not count it all again."""
    key = (ctx.clock().date(), ctx.store.query_one("PRAGMA data_version")[0], ctx.store.conn.total_changes)
    memo = ctx.store.memo.get(f"card:{name}")
    if memo is not None and memo[0] == key:
        return memo[1]
    card = make()
    ctx.store.memo[f"card:{name}"] = (key, card)
    return card


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
    users_tab = AdminTarget(AdminTab.USERS)
    lines = [CardLine(f"{len(active)} actieve gebruikers", users_tab)]
    lines += [CardLine(f"{n} × {r.label}", users_tab) for r, n in per_role.items() if n]
    inactive = len(users) - len(active)
    if inactive:
        lines.append(CardLine(f"{inactive} gedeactiveerd", users_tab))
    return Card("Gebruikers", lines)


def _providers() -> tuple[CardProvider, ...]:
    """The cards in the order shown. The parts' providers are imported here, not at the top: each of
    those modules imports `Card` and `CardLine` from this one."""
    from examdesk.services import casework, incident_desk, privacy, register, sessions

    return (_user_card, _institution_card, register.overview_card, sessions.overview_card,
            incident_desk.overview_card, casework.overview_card, privacy.overview_card, _accounts_card)


class OverviewService:
    def __init__(self, ctx: AppContext):
        self.ctx = ctx

    def cards(self) -> list[Card]:
        self.ctx.require(Action.VIEW_OVERVIEW)
        return [card for card in (provider(self.ctx) for provider in _providers()) if card is not None]
