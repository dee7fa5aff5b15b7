"""Users, passwords and the lock-out rule."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from examdesk.domain.errors import ValidationError
from examdesk.domain.roles import Role

MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=5)
MIN_PASSWORD_LENGTH = 4

# scrypt cost: about 30 ms on an office PC; slow enough to hinder guessing a stolen file.
_SCRYPT_N, _SCRYPT_R, _SCRYPT_P = 2**14, 8, 1

_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,31}$")


@dataclass(frozen=True)
class User:
    id: int
    username: str
    full_name: str
    roles: frozenset[Role]
    active: bool = True
    function: str = ""
    phone: str = ""
    email: str = ""

    @property
    def roles_label(self) -> str:
        return ", ".join(sorted(r.label for r in self.roles))


def validate_username(username: str) -> str:
    name = username.strip().lower()
    if not _USERNAME.match(name):
        raise ValidationError(
            "Gebruikersnaam ongeldig: gebruik 2 tot 32 kleine letters, cijfers, punt, streepje of "
            "liggend streepje, beginnend met een letter of cijfer."
        )
    return name


def validate_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(f"Het wachtwoord moet minstens {MIN_PASSWORD_LENGTH} tekens hebben.")


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]{2,}$")
_PHONE_CHARS = re.compile(r"^\+?[0-9 ()./-]+$")


def validate_contact(phone: str, email: str) -> tuple[str, str]:
    """A light check of a profile's phone number and e-mail address (both may stay empty): enough to
    catch a typing slip before it is printed on a form the Inspectie will use to call back."""
    phone, email = phone.strip(), email.strip()
    if email and not _EMAIL.match(email):
        raise ValidationError(f"'{email}' is geen geldig e-mailadres; gebruik de vorm naam@school.nl.")
    digits = sum(c.isdigit() for c in phone)
    if phone and (not _PHONE_CHARS.match(phone) or not 8 <= digits <= 15):
        raise ValidationError(f"'{phone}' is geen geldig telefoonnummer; gebruik 8 tot 15 cijfers, eventueel met "
                              "spaties, streepjes of een + vooraan (bijvoorbeeld 0182 556 210).")
    return phone, email


def hash_password(password: str, salt: bytes | None = None) -> str:
    salt = salt if salt is not None else secrets.token_bytes(16)
    digest = hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=_SCRYPT_N, r=_SCRYPT_R, p=_SCRYPT_P, dklen=32
    )
    return f"scrypt${_SCRYPT_N}${_SCRYPT_R}${_SCRYPT_P}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt_hex, digest_hex = stored.split("$")
        if scheme != "scrypt":
            return False
        digest = hashlib.scrypt(
            password.encode("utf-8"), salt=bytes.fromhex(salt_hex), n=int(n), r=int(r), p=int(p),
            dklen=len(digest_hex) // 2,
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(digest.hex(), digest_hex)


def lock_until_after_failure(failed_attempts: int, at: datetime) -> datetime | None:
    """The moment the account unlocks once this many attempts failed in a row, or None."""
    return at + LOCKOUT if failed_attempts >= MAX_FAILED_LOGINS else None
