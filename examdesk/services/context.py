"""Who is working on which database: passed to every service through its constructor."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from examdesk.data import audit as audit_data
from examdesk.data.db import Store
from examdesk.domain.clock import now
from examdesk.domain.errors import PermissionDenied
from examdesk.domain.roles import Action, allowed
from examdesk.domain.users import User


class AppContext:
    def __init__(self, store: Store, user: User | None = None, clock: Callable[[], datetime] = now):
        self.store = store
        self.user = user
        self.clock = clock

    def can(self, action: Action) -> bool:
        return self.user is not None and allowed(self.user.roles, action)

    def require(self, action: Action) -> User:
        """The service-side gate: the GUI hides what a role cannot do, this refuses it anyway."""
        if self.user is None:
            raise PermissionDenied(f"U bent niet ingelogd en kunt daarom niet {action.value}.")
        if not allowed(self.user.roles, action):
            raise PermissionDenied(
                f"{self.user.full_name} ({self.user.roles_label}) mag niet {action.value}."
            )
        return self.user

    def audit(self, action: str, entity: str, entity_id: str | int, summary: dict[str, Any] | None = None) -> None:
        user_id = self.user.id if self.user else None
        username = self.user.username if self.user else "systeem"
        audit_data.append(self.store, user_id, username, action, entity, entity_id, summary)
