"""Who is working on which database: passed to every service through its constructor."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import datetime
from typing import Any

from examdesk.data import audit as audit_data
from examdesk.data import users as user_data
from examdesk.data.db import Store
from examdesk.domain.clock import format_time, from_iso, now, to_iso
from examdesk.domain.errors import PermissionDenied
from examdesk.domain.roles import Action, allowed
from examdesk.domain.users import User


class AppContext:
    def __init__(self, store: Store, user: User | None = None, clock: Callable[[], datetime] = now):
        self.store = store
        self.user = user
        self.clock = clock

    def can(self, action: Action) -> bool:
        """For showing or hiding: the roles as at login (or at the last `require`). Services gate with
        `require`, which reads the account afresh."""
        return self.user is not None and allowed(self.user.roles, action)

    def acting_user(self) -> User:
        """The logged-in user as the database has them now. An open window of an account that has since
        been deactivated or locked cannot go on working, and a role taken away since login is gone:
        one indexed read per call, cheap beside anything a service does."""
        if self.user is None:
            raise PermissionDenied("U bent niet ingelogd.")
        state = user_data.access_state(self.store, self.user.id)
        who = f"{self.user.full_name} ({self.user.username})"
        if state is None:
            raise PermissionDenied(f"Het account van {who} bestaat niet meer in deze database; log opnieuw in.")
        active, locked_until, roles = state
        if not active:
            raise PermissionDenied(f"Het account van {who} is gedeactiveerd; er kan niets meer mee worden gedaan. "
                                   "Er is niets opgeslagen.")
        if locked_until:
            until = from_iso(locked_until)
            if until > self.clock():
                raise PermissionDenied(
                    f"Het account van {who} is geblokkeerd tot {format_time(until)} na te veel onjuiste "
                    "wachtwoorden; er is niets opgeslagen. Log daarna opnieuw in.")
        if roles != self.user.roles:
            self.user = replace(self.user, roles=roles)
        return self.user

    def require(self, action: Action) -> User:
        """The service-side gate: the GUI hides what a role cannot do, this refuses it anyway."""
        if self.user is None:
            raise PermissionDenied(f"U bent niet ingelogd en kunt daarom niet {action.value}.")
        user = self.acting_user()
        if not allowed(user.roles, action):
            raise PermissionDenied(f"{user.full_name} ({user.roles_label}) mag niet {action.value}.")
        return user

    @property
    def actor(self) -> str:
        """Who a record names as having done it: the logged-in username, or 'systeem' for what ExamDesk
        does by itself (a backup, a repair)."""
        return self.user.username if self.user else "systeem"

    def now_iso(self) -> str:
        return to_iso(self.clock())

    def audit(self, action: str, entity: str, entity_id: str | int, summary: dict[str, Any] | None = None,
              candidates: Iterable[int | None] = ()) -> None:
        """One audit entry in the caller's transaction; `candidates`: the candidates it is about (who looked
        at or changed their data), so the audit log can be filtered per candidate (schema v015)."""
        user_id = self.user.id if self.user else None
        username = self.actor
        with self.store.transaction():
            entry = audit_data.append(self.store, user_id, username, action, entity, entity_id, summary)
            about = [c for c in candidates if c is not None]
            if about:
                from examdesk.data import privacy as privacy_data

                privacy_data.add_audit_subject(self.store, entry.seq, about)
