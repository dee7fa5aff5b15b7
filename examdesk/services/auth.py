"""First-start setup and login with lock-out."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from examdesk.data import audit as audit_data
from examdesk.data import institution as institution_data
from examdesk.data import users as user_data
from examdesk.data.db import Store
from examdesk.domain.clock import format_time, from_iso, now, to_iso
from examdesk.domain.errors import AuthenticationError, ValidationError
from examdesk.domain.institution import Institution, validate_institution
from examdesk.domain.roles import Role
from examdesk.domain.users import (
    MAX_FAILED_LOGINS,
    User,
    hash_password,
    lock_until_after_failure,
    validate_password,
    validate_username,
    verify_password,
)

WRONG_CREDENTIALS = "Onbekende gebruikersnaam of onjuist wachtwoord."


class AuthService:
    def __init__(self, store: Store, clock: Callable[[], datetime] = now):
        self.store = store
        self.clock = clock

    def needs_setup(self) -> bool:
        return institution_data.get(self.store) is None or user_data.count_users(self.store) == 0

    def setup(self, institution: Institution, username: str, full_name: str, password: str) -> User:
        """First start: the institution and the first beheerder, in one transaction."""
        if not self.needs_setup():
            raise ValidationError("Deze database is al ingericht.")
        inst = validate_institution(institution)
        username = validate_username(username)
        if not full_name.strip():
            raise ValidationError("Vul de naam van de beheerder in.")
        validate_password(password)
        at = to_iso(self.clock())
        with self.store.transaction():
            institution_data.save(self.store, inst)
            user_id = user_data.insert(self.store, username, full_name.strip(), hash_password(password),
                                       frozenset({Role.BEHEERDER}), at)
            audit_data.append(self.store, user_id, username, "inrichting", "instelling", inst.brin,
                              {"naam": inst.name, "brin": inst.brin, "beheerder": username}, at=at)
        return user_data.get(self.store, user_id)

    def login(self, username: str, password: str) -> User:
        username = username.strip().lower()
        row = user_data.credentials(self.store, username)
        at = self.clock()
        if row is None:
            raise AuthenticationError(WRONG_CREDENTIALS)
        if not row["active"]:
            raise AuthenticationError("Dit account is gedeactiveerd. Neem contact op met de beheerder.")
        locked_until = from_iso(row["locked_until"]) if row["locked_until"] else None
        if locked_until and locked_until > at:
            raise AuthenticationError(
                f"Dit account is geblokkeerd na {MAX_FAILED_LOGINS} onjuiste wachtwoorden, tot {format_time(locked_until)}."
            )
        if not verify_password(password, row["password_hash"]):
            failures = (0 if locked_until else row["failed_attempts"]) + 1
            until = lock_until_after_failure(failures, at)
            with self.store.transaction():
                user_data.record_login_failure(self.store, row["id"], failures, to_iso(until) if until else None)
                audit_data.append(self.store, row["id"], username,
                                  "account geblokkeerd" if until else "inloggen mislukt", "gebruiker", row["id"],
                                  {"pogingen": failures}, at=to_iso(at))
            if until:
                raise AuthenticationError(
                    f"Onjuist wachtwoord. Het account is nu geblokkeerd tot {format_time(until)} "
                    f"({MAX_FAILED_LOGINS} onjuiste pogingen)."
                )
            left = MAX_FAILED_LOGINS - failures
            raise AuthenticationError(f"{WRONG_CREDENTIALS} Nog {left} {'poging' if left == 1 else 'pogingen'} voor blokkering.")
        with self.store.transaction():
            if row["failed_attempts"] or row["locked_until"]:
                user_data.reset_login_failures(self.store, row["id"])
            audit_data.append(self.store, row["id"], username, "ingelogd", "gebruiker", row["id"], {}, at=to_iso(at))
        return user_data.get(self.store, row["id"])
