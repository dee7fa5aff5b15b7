"""The counts on the Overzicht screen. Each part of ExamDesk contributes a card through a provider;
every line carries the typed target it links to (`navigation`), so a count is one click from its list."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from examdesk.data import users as user_data
from examdesk.data.db import open_readonly, written_state
from examdesk.domain.cancel import Cancellation, Cancelled
from examdesk.domain.clock import format_date
from examdesk.domain.plural import number
from examdesk.domain.roles import Action, Role
from examdesk.services.context import AppContext
from examdesk.services.institution import InstitutionService
from examdesk.services.navigation import AdminTab, AdminTarget, Target

if TYPE_CHECKING:
    from examdesk.data.db import Store


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


def _state(ctx: AppContext) -> tuple:
    """Today and the state of the database as this connection sees it (`data.db.written_state`: moves with
    this connection's writes and another's commits)."""
    return ctx.clock().date(), *written_state(ctx.store)


def once_per_state(ctx: AppContext, name: str, make: Callable[[], Card]) -> Card:
    """A card that reads a whole register or every candidate, made once per day and state of the database:
    going back to the Overzicht does not count it all again."""
    key = _state(ctx)
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
    lines = [CardLine(f"{number(len(active))} actieve gebruikers", users_tab)]
    lines += [CardLine(f"{number(n)} × {r.label}", users_tab) for r, n in per_role.items() if n]
    inactive = len(users) - len(active)
    if inactive:
        lines.append(CardLine(f"{number(inactive)} gedeactiveerd", users_tab))
    return Card("Gebruikers", lines)


@dataclass(frozen=True)
class CardSource:
    """One card of the Overzicht. `slow`: it reads a whole register or every candidate (the validity of 6,000
    instruments; the retention of 100,000 candidates took 24 s on ten years) or grows with the planning (the Afnames
    card judges the instrument of every session still planned: ~100 ms on ten years; the Incidenten card reads what
    is to be reported and the letters due beside the kept counts per status), so the screen makes it off the GUI
    thread after the others are shown; `shown` says beforehand whether this user gets it at all. A slow card's
    provider only reads (it runs on a read-only connection): what it reads is brought up to date first by `prepare`,
    on the GUI's connection (the incident index's catch-up, a write: nothing but two reads when nothing is new).
    Every card's `prepare` runs before any card's state is taken, also when only the slow ones start counting: a
    catch-up that writes (the appeal terms that ran out, once a day) then moves the state before the cards are
    counted for it, not after — which made the next visit count every slow card again.
    `remembered`: a quick card kept for today and this state of the database (`once_per_state`), so going back to
    the Overzicht reads nothing again."""

    name: str
    provider: CardProvider
    slow: bool = False
    title: str = ""
    shown: Callable[[AppContext], bool] | None = None
    # what the card's computation left in its own connection's memo that the GUI's connection may keep too
    # (the Incidenten card's counts: the screen's first open then counts nothing again): (apart memo, GUI store,
    # the GUI connection's state the card was asked for) → None
    carry: Callable[[dict, Store, tuple], None] | None = None
    prepare: Callable[[AppContext], None] | None = None
    remembered: bool = False


def _providers() -> tuple[CardSource, ...]:
    """The cards in the order shown. The parts' providers are imported here, not at the top: each of
    those modules imports `Card` and `CardLine` from this one."""
    from examdesk.data import validity
    from examdesk.services import casework, incident_desk, privacy, register, sessions

    return (CardSource("ingelogd", _user_card), CardSource("instelling", _institution_card),
            CardSource("register", register.overview_card, slow=True, title="Register",
                       shown=lambda ctx: ctx.can(Action.VIEW_REGISTER), carry=validity.keep_worked_out),
            CardSource("afnames", sessions.overview_card, slow=True, title="Afnames",
                       shown=lambda ctx: ctx.can(Action.VIEW_SESSIONS)),
            CardSource("incidenten", incident_desk.overview_card, slow=True, title="Incidenten",
                       shown=lambda ctx: ctx.can(Action.VIEW_INCIDENTS), prepare=incident_desk.catch_up,
                       carry=incident_desk.carry_counts),
            CardSource("beroep", casework.overview_card, remembered=True, prepare=casework.catch_up),
            CardSource("privacy", privacy.overview_card, slow=True, title="Privacy (bewaartermijnen)",
                       shown=lambda ctx: ctx.can(Action.MANAGE_PRIVACY)),
            CardSource("gebruikers", _accounts_card, remembered=True))


def _remembered(ctx: AppContext, source: CardSource) -> Card | None:
    """A quick card made once per user, day and state of the database (it may be None: not for this user; after a
    restore another user logs in on the same connection)."""
    user = ctx.user.id if ctx.user is not None else None
    memo = ctx.store.memo.get(f"card:{source.name}")
    if memo is not None and memo[0] == (user, *_state(ctx)):
        return memo[1]
    card = source.provider(ctx)
    # the state after making it: a catch-up counted as derived (`data.casework._derived`) leaves it as it was
    ctx.store.memo[f"card:{source.name}"] = ((user, *_state(ctx)), card)
    return card


@dataclass(frozen=True)
class Pending:
    """A slow card still to be made: `make` runs on a thread of its own (it opens its own read-only connection);
    `keep` (on the GUI thread) remembers what it made for the state it was asked for."""

    source: CardSource
    make: Callable[..., Card | None]   # make(cancel=None)
    keep: Callable[[Card | None], None]


class OverviewService:
    def __init__(self, ctx: AppContext):
        self.ctx = ctx

    def cards(self) -> list[Card]:
        """Every card, made here and now."""
        self.ctx.require(Action.VIEW_OVERVIEW)
        return [card for card in (s.provider(self.ctx) for s in _providers()) if card is not None]

    def plan(self, slow_only: bool = False) -> list[tuple[CardSource, Card | Pending]]:
        """The cards in order: the quick ones made now, and the slow ones remembered for today and this state of
        the database — or, when there is none, `Pending` work for a background thread (issue 16: the Overzicht
        is shown before they are counted). `slow_only`: only the slow ones, to start counting early."""
        self.ctx.require(Action.VIEW_OVERVIEW)
        found: list[tuple[CardSource, Card | Pending]] = []
        sources = _providers()
        for source in sources:
            # first, before any card's state is taken: a catch-up that writes moves it, and a card kept for the
            # state before would be counted again on the next visit
            if source.prepare is not None and (source.shown is None or source.shown(self.ctx)):
                source.prepare(self.ctx)
        for source in sources:
            if not source.slow and slow_only:
                continue
            if not source.slow:
                card = (_remembered(self.ctx, source) if source.remembered else source.provider(self.ctx))
                if card is not None:
                    found.append((source, card))
                continue
            if source.shown is not None and not source.shown(self.ctx):
                continue
            key = _state(self.ctx)
            memo = self.ctx.store.memo.get(f"card:{source.name}")
            if memo is not None and memo[0] == key:
                if memo[1] is not None:
                    found.append((source, memo[1]))
                continue
            left: dict = {}     # the apart connection's memo, handed from `make` (worker) to `keep` (GUI thread)
            found.append((source, Pending(source, self._apart(source, left), self._keeper(source, key, left))))
        return found

    def _apart(self, source: CardSource, left: dict) -> Callable[[], Card | None]:
        path, user, clock = self.ctx.store.path, self.ctx.user, self.ctx.clock

        def make(cancel: Cancellation | None = None) -> Card | None:
            store = open_readonly(path, cancel=cancel)   # its query stops when ExamDesk closes
            # what it reads was caught up by `prepare` on the GUI's connection; should something be recorded
            # since, the derived tables' catch-ups leave it to the next (`data.incident_index.catch_up`)
            store.read_only = True
            try:
                return source.provider(AppContext(store, user, clock))
            except Exception:
                if cancel is not None and cancel.cancelled:
                    raise Cancelled() from None
                raise
            finally:
                left.update(store.memo)
                store.close()

        return make

    def _keeper(self, source: CardSource, key: tuple, left: dict) -> Callable[[Card | None], None]:
        def keep(card: Card | None) -> None:
            self.ctx.store.memo[f"card:{source.name}"] = (key, card)
            if source.carry is not None:
                # kept for the state the card was asked for: a write since then moved the state, so it is not used
                source.carry(left, self.ctx.store, key[1:])

        return keep
