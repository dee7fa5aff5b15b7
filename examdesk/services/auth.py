"""First-start setup and login with lock-out.

What a login attempt is told, and why (issue 11):

* an unknown user name, a wrong password (on any account, also a deactivated one) get the same
  sentence with the same count of attempts left, and cost the same: an unknown name is checked
  against a dummy argon2 hash and counted in ``login_throttle`` exactly as an account is counted;
* after five failures in a row the *user name* is blocked for five minutes, whether or not it has
  an account, and the sentence says so ("inloggen met deze gebruikersnaam is geblokkeerd tot …") —
  it tells nobody more than they caused themselves. While blocked, no password is checked;
* only the right password of a deactivated account hears that the account is deactivated: whoever
  knows that password may know it.

The counter is read, the password checked and the counter written inside one ``BEGIN IMMEDIATE``
transaction, so parallel attempts (threads or processes, each with its own connection) are counted
one after the other and at most five passwords are tried before the lock.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from examdesk.data import audit as audit_data
from examdesk.data import institution as institution_data
from examdesk.data import users as user_data
from examdesk.data.db import Store
from examdesk.domain.audit import holds_own_hmac
from examdesk.domain.audit_ledgers import PASSWORD_ACTIONS, password_vouched, vouched_passwords
from examdesk.domain.clock import format_time, now, to_iso
from examdesk.domain.errors import AuthenticationError, ValidationError
from examdesk.domain.institution import Institution, validate_institution
from examdesk.domain.roles import Role
from examdesk.domain.users import (
    DUMMY_HASH,
    MAX_FAILED_LOGINS,
    LoginCounter,
    User,
    check_new_password,
    hash_password,
    hash_scheme,
    needs_rehash,
    validate_username,
    verify_password,
)

WRONG_CREDENTIALS = "Onbekende gebruikersnaam of onjuist wachtwoord."
DEACTIVATED = "Dit account is gedeactiveerd. Neem contact op met de beheerder."
UNVOUCHED = ("Inloggen geweigerd: het wachtwoord van dit account is buiten ExamDesk in het databasebestand gezet (het "
             "auditlogboek heeft er geen regel van). Laat de beheerder 'examdesk verify' uitvoeren en zo nodig een "
             "back-up terugzetten.")
_THROTTLE_KEEP = timedelta(days=1)


def locked_message(until: datetime) -> str:
    return (f"Inloggen met deze gebruikersnaam is geblokkeerd tot {format_time(until)}, na {MAX_FAILED_LOGINS} "
            "onjuiste pogingen. Probeer het daarna opnieuw, of vraag de beheerder uw wachtwoord opnieuw in te stellen.")


def failure_message(counter: LoginCounter) -> str:
    if counter.locked_until is not None:
        return (f"{WRONG_CREDENTIALS} Inloggen met deze gebruikersnaam is nu geblokkeerd tot "
                f"{format_time(counter.locked_until)} ({MAX_FAILED_LOGINS} onjuiste pogingen).")
    left = counter.attempts_left
    return f"{WRONG_CREDENTIALS} Nog {left} {'poging' if left == 1 else 'pogingen'} voor blokkering."


def throttle_key(username: str) -> str:
    """What `login_throttle` stores for a name without an account: never the typed text itself."""
    return hashlib.sha256(f"examdesk-login\x00{username}".encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class _Outcome:
    user_id: int | None = None
    message: str = ""
    locked: bool = False


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
        check_new_password(password, username, inst.name)
        return self._create_first_admin(inst, username, full_name.strip(), hash_password(password))

    def _create_first_admin(self, inst: Institution, username: str, full_name: str, password_hash: str) -> User:
        at = to_iso(self.clock())
        with self.store.transaction():
            institution_data.save(self.store, inst)
            user_id = user_data.insert(self.store, username, full_name, password_hash, frozenset({Role.BEHEERDER}), at)
            audit_data.append(self.store, user_id, username, "inrichting", "instelling", inst.brin,
                              {"naam": inst.name, "brin": inst.brin, "beheerder": username,
                               **audit_data.passwords_summary(self.store, {user_id: password_hash})}, at=at)
        return user_data.get(self.store, user_id)

    def login(self, username: str, password: str) -> User:
        """The user, or AuthenticationError with one of the sentences in this module's docstring."""
        name = username.strip().lower()
        at = self.clock()
        with self.store.transaction():
            outcome = self._attempt(name, password, at)
        if outcome.locked:
            verify_password(password, DUMMY_HASH)   # a blocked name answers no faster than a wrong password
        if outcome.message:
            raise AuthenticationError(outcome.message)
        return user_data.get(self.store, outcome.user_id)

    def _attempt(self, name: str, password: str, at: datetime) -> _Outcome:
        """One attempt inside the write transaction: read the counter, check, write the counter."""
        row = user_data.credentials(self.store, name) if len(name) <= 64 else None
        counter = user_data.counter_of(row) if row else user_data.throttle(self.store, throttle_key(name))
        if counter.locked_at(at):
            return _Outcome(message=locked_message(counter.locked_until), locked=True)
        stored = row["password_hash"] if row else DUMMY_HASH
        matches = verify_password(password, stored)     # always, also for an unknown name: the same work
        if row is None or not matches:
            counter = counter.after_failure(at)
            if row is None:
                user_data.record_throttle_failure(self.store, throttle_key(name), counter, to_iso(at),
                                                  to_iso(at - _THROTTLE_KEEP))
            else:
                user_data.record_login_failure(self.store, row["id"], counter)
                audit_data.append(self.store, row["id"], name,
                                  "account geblokkeerd" if counter.locked_until else "inloggen mislukt", "gebruiker",
                                  row["id"], {"pogingen": counter.failed_attempts}, at=to_iso(at))
            return _Outcome(message=failure_message(counter))
        if not row["active"]:
            return _Outcome(message=DEACTIVATED)
        if not self._vouched(row["id"], stored):   # before the rehash: a planted hash must never become vouched
            audit_data.append(self.store, row["id"], name, "inloggen geweigerd", "gebruiker", row["id"],
                              {"reden": "wachtwoordhash niet gedekt door het auditlogboek"}, at=to_iso(at))
            return _Outcome(message=UNVOUCHED)
        if counter.failed_attempts or counter.locked_until:
            user_data.reset_login_failures(self.store, row["id"])
        if needs_rehash(stored):
            renewed = hash_password(password)
            user_data.set_password_hash(self.store, row["id"], renewed)
            audit_data.append(self.store, row["id"], name, "wachtwoordopslag vernieuwd", "gebruiker", row["id"],
                              {"van": hash_scheme(stored), "naar": "argon2id",
                               **audit_data.passwords_summary(self.store, {row["id"]: renewed})}, at=to_iso(at))
        audit_data.append(self.store, row["id"], name, "ingelogd", "gebruiker", row["id"], {}, at=to_iso(at))
        return _Outcome(user_id=row["id"])

    def _vouched(self, user_id: int, stored: str) -> bool:
        """Whether the newest password entry for this account that carries its own HMAC vouches for the stored
        hash (docs/trust.md, "Accounts in the file"). A few rows through the index on action; a row written into
        the file without the key vouches for nothing. A chain from before v007 has no key and is not checked."""
        key = audit_data.chain_key(self.store)
        if key is None:
            return True
        for e in audit_data.with_actions(self.store, PASSWORD_ACTIONS, newest_first=True):
            digest = vouched_passwords(e.action, e.summary).get(user_id)
            if digest is not None and holds_own_hmac(e, key):
                return password_vouched(key, user_id, stored, digest)
        return False
