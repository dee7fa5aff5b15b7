"""Which roles each account should have and whether it should be active, as the keyed audit trail says
(docs/trust.md, "Accounts in the file").

The ``users`` and ``user_roles`` rows change (a role given, an account deactivated), so they cannot be
sealed like the desk's append-only rows. But every change that gives or takes power is an audit entry,
made by the service in the same transaction: the first beheerder (*inrichting*), a new account with its
roles (*gebruiker toegevoegd*), *rollen gewijzigd*, *gebruiker (ge)deactiveerd*. Someone who holds only
the database file can change the rows — give a surveillant the beheerder role, re-activate an account
taken away — but not write a keyed audit entry; replaying the trail shows the difference, and `verify`
names the account.

Accounts that arrive with an exam PC's first package carry no entry of their own (the import is one
entry): such an account may only be a surveillant, which is all a package can make.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from examdesk.domain.integrity import Problem

PACKAGE_ROLES = frozenset({"surveillant"})


@dataclass
class AccountLedger:
    """The roles and active flag of each account id, folded from audit entries in chain order."""

    roles: dict[int, frozenset[str]] = field(default_factory=dict)
    active: dict[int, bool] = field(default_factory=dict)

    def add(self, action: str, user_id: int | None, entity: str, entity_id: str, summary: dict[str, Any]) -> None:
        if action == "inrichting" and user_id is not None:
            self.roles[user_id] = frozenset({"beheerder"})
            self.active[user_id] = True
            return
        if entity != "gebruiker" or not entity_id.isdigit():
            return
        account = int(entity_id)
        if action == "gebruiker toegevoegd":
            self.roles[account] = _roles(summary.get("rollen"))
            self.active[account] = True
        elif action == "rollen gewijzigd":
            self.roles[account] = _roles(summary.get("wordt"))
        elif action in ("gebruiker geactiveerd", "gebruiker gedeactiveerd"):
            self.active[account] = action == "gebruiker geactiveerd"

    def problems(self, accounts: Iterable[tuple[int, str, frozenset[str], bool]]) -> list[Problem]:
        """(id, user name, roles, active) of every account as the database holds it, against the trail."""
        found = []
        for account, username, roles, active in accounts:
            expected = self.roles.get(account)
            if expected is None:
                if not roles <= PACKAGE_ROLES:
                    found.append(Problem("users", username, (
                        f"Account {username} heeft de rol(len) {', '.join(sorted(roles))}, maar het auditlogboek "
                        "heeft geen toevoeging van dit account: het is buiten ExamDesk toegevoegd of gewijzigd.")))
                continue
            if roles != expected:
                found.append(Problem("users", username, (
                    f"De rollen van account {username} ({', '.join(sorted(roles)) or 'geen'}) zijn buiten ExamDesk "
                    f"gewijzigd: volgens het auditlogboek zijn het {', '.join(sorted(expected)) or 'geen'}.")))
            if active != self.active.get(account, True):
                found.append(Problem("users", username, (
                    f"Account {username} is buiten ExamDesk {'geactiveerd' if active else 'gedeactiveerd'}: het "
                    "auditlogboek zegt anders.")))
        return found


def _roles(value: Any) -> frozenset[str]:
    return frozenset(v for v in value if isinstance(v, str)) if isinstance(value, list) else frozenset()
