"""Users, passwords and the lock-out rule.

Passwords are stored as argon2id hashes at the parameters of OWASP's Password Storage Cheat Sheet
(m=19 MiB, t=2, p=1: about 40 ms here). Hashes made by older versions (scrypt N=2^14) still verify
and are replaced at the next successful login. A new password must pass `check_new_password`: at
least 10 characters, not on the bundled list of common passwords (resources/common-passwords.txt),
not containing the user name or the institution's name.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from argon2 import PasswordHasher, Type, extract_parameters
from argon2.exceptions import InvalidHashError, VerificationError

from examdesk.domain.errors import ValidationError
from examdesk.domain.roles import Role

MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=5)
MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 256     # a pasted page of text is not a password; argon2 would hash it all the same
MIN_DISTINCT_CHARACTERS = 5   # 'aaaaaaaaaa' and 'ababababab' are ten characters but no secret
PASSWORD_HINT = "minstens 10 tekens, bijv. een korte zin"   # shown in every new-password field

# OWASP Password Storage Cheat Sheet, argon2id: m=19 MiB, t=2, p=1.
ARGON2_MEMORY_KIB = 19 * 1024
ARGON2_TIME_COST = 2
ARGON2_PARALLELISM = 1
_HASHER = PasswordHasher(time_cost=ARGON2_TIME_COST, memory_cost=ARGON2_MEMORY_KIB,
                         parallelism=ARGON2_PARALLELISM, hash_len=32, salt_len=16, type=Type.ID)

# A hash arrives from outside too (an exam PC's package, an edited database): its cost parameters
# are capped before anything is computed, so a crafted hash cannot ask for gigabytes or minutes.
_ARGON2_MAX_MEMORY_KIB = 256 * 1024
_ARGON2_MAX_TIME_COST = 10
_ARGON2_MAX_PARALLELISM = 8
_SCRYPT_MAX_N, _SCRYPT_MAX_R, _SCRYPT_MAX_P = 2**17, 16, 4

# Verified when the user name is unknown (or the account locked), so that answer costs the same time
# as a wrong password: the password of this hash was random and has been thrown away.
DUMMY_HASH = "$argon2id$v=19$m=19456,t=2,p=1$+8D+SWgDWoAC491oE9/1Cw$YP8KbBzsZtiS2+M0PtPNYD8+qhT/mVnJv/k835Ql11g"

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


# --- the password policy -------------------------------------------------------------------------

@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The bundled list (lower case): 19,640 passwords from public breach corpora plus Dutch ones."""
    from examdesk.paths import resource

    text = resource("common-passwords.txt").read_text(encoding="utf-8")
    return frozenset(line.strip().lower() for line in text.splitlines() if line.strip())


def _letters_and_digits(text: str) -> str:
    """'Midden-Holland' → 'middenholland': how a name is compared with a password."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in folded if c.isalnum())


_AFFIXES = re.compile(r"^[\W\d_]+|[\W\d_]+$")


def _is_common(password: str) -> bool:
    """On the list as typed (any case), or once digits and punctuation around it are taken off:
    'Welkom2025!' is 'welkom' with a year and a mark, the first thing a guesser tries."""
    common = common_passwords()
    lowered = password.lower()
    if lowered in common:
        return True
    core = _AFFIXES.sub("", lowered)
    return len(core) >= 4 and core in common


def _names_in(institution_name: str) -> list[tuple[str, str]]:
    """(folded, as written) for the institution's whole name and each distinctive word of it (five
    letters or more): 'ROC Midden-Holland' → the whole name, 'Midden' and 'Holland'."""
    parts = [institution_name.strip()] + [w for w in re.split(r"[\s\-/&,.()']+", institution_name)
                                          if len(_letters_and_digits(w)) >= 5]
    found: dict[str, str] = {}
    for part in parts:
        folded = _letters_and_digits(part)
        if folded and folded not in found:
            found[folded] = part
    return list(found.items())


def check_new_password(password: str, username: str = "", institution_name: str = "") -> None:
    """Every path that sets a password calls this (setup, a new user, a reset, one's own change; the GUI
    and the CLI alike). Each refusal is one Dutch sentence that says why."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(
            f"Het wachtwoord moet minstens {MIN_PASSWORD_LENGTH} tekens hebben (dit heeft er {len(password)}). "
            "Een zinnetje van een paar woorden is makkelijk te onthouden en moeilijk te raden.")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise ValidationError(f"Het wachtwoord mag hoogstens {MAX_PASSWORD_LENGTH} tekens hebben.")
    try:
        password.encode("utf-8")
    except UnicodeEncodeError:
        raise ValidationError("Het wachtwoord bevat tekens die niet kunnen worden opgeslagen; "
                              "typ het opnieuw.") from None
    if len(set(password)) < MIN_DISTINCT_CHARACTERS:
        raise ValidationError(
            f"Het wachtwoord bestaat uit te weinig verschillende tekens (minder dan {MIN_DISTINCT_CHARACTERS}); "
            "zo'n herhaling wordt als eerste geraden.")
    if _is_common(password):
        raise ValidationError(
            "Dit wachtwoord staat op de lijst van veelgebruikte wachtwoorden (eventueel met cijfers of "
            "leestekens ervoor of erachter) en wordt als eerste geraden; kies een ander.")
    folded = _letters_and_digits(password)
    name = _letters_and_digits(username)
    if name and (name in folded if len(name) >= 3 else name == folded):
        raise ValidationError("Het wachtwoord mag de gebruikersnaam niet bevatten.")
    for part, written in _names_in(institution_name):
        if part in folded:
            shown = f"'{written}'" if written == institution_name.strip() else f"'{written}' uit '{institution_name.strip()}'"
            raise ValidationError(
                f"Het wachtwoord mag de naam van de instelling niet bevatten ({shown}); die kent iedereen "
                "die de school kent.")


# --- contact details -----------------------------------------------------------------------------

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


# --- hashing -------------------------------------------------------------------------------------

def hash_password(password: str) -> str:
    """An argon2id hash with its own random salt, in the PHC string format ('$argon2id$v=19$m=…')."""
    return _HASHER.hash(password)


def hash_scheme(stored: str) -> str:
    """'argon2id', 'scrypt' (ExamDesk before argon2) or 'onbekend': for the audit of an upgrade."""
    if stored.startswith("$argon2id$"):
        return "argon2id"
    if stored.startswith("scrypt$"):
        return "scrypt"
    return "onbekend"


def needs_rehash(stored: str) -> bool:
    """True for an old scrypt hash, or an argon2 hash made at other parameters than today's."""
    scheme = hash_scheme(stored)
    if scheme == "scrypt":
        return True
    if scheme != "argon2id":
        return False
    try:
        return _HASHER.check_needs_rehash(stored)
    except (InvalidHashError, ValueError):
        return False


def verify_password(password: str, stored: str) -> bool:
    """Whether `password` matches `stored`. A malformed hash, or one asking for more work than ExamDesk
    ever uses, is simply not a match."""
    try:
        encoded = password.encode("utf-8")
    except UnicodeEncodeError:
        return False
    scheme = hash_scheme(stored)
    if scheme == "argon2id":
        return _verify_argon2(encoded, stored)
    if scheme == "scrypt":
        return _verify_scrypt(encoded, stored)
    return False


def _verify_argon2(password: bytes, stored: str) -> bool:
    try:
        p = extract_parameters(stored)
    except (InvalidHashError, ValueError):
        return False
    if (p.memory_cost > _ARGON2_MAX_MEMORY_KIB or p.time_cost > _ARGON2_MAX_TIME_COST
            or p.parallelism > _ARGON2_MAX_PARALLELISM):
        return False
    try:
        return _HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError, ValueError):
        return False


def _verify_scrypt(password: bytes, stored: str) -> bool:
    """ExamDesk's hashes before argon2: 'scrypt$N$r$p$salt$digest'."""
    try:
        _, n_text, r_text, p_text, salt_hex, digest_hex = stored.split("$")
        n, r, p = int(n_text), int(r_text), int(p_text)
        if not (2 <= n <= _SCRYPT_MAX_N and n & (n - 1) == 0 and 1 <= r <= _SCRYPT_MAX_R
                and 1 <= p <= _SCRYPT_MAX_P and 16 <= len(digest_hex) <= 128):
            return False
        digest = hashlib.scrypt(password, salt=bytes.fromhex(salt_hex), n=n, r=r, p=p,
                                dklen=len(digest_hex) // 2, maxmem=128 * r * n * p + 2**20)
    except (ValueError, TypeError, MemoryError):
        return False
    return hmac.compare_digest(digest.hex(), digest_hex.lower())


# --- lock-out ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class LoginCounter:
    """Failed attempts in a row for one user name, and until when logging in with it is blocked."""

    failed_attempts: int = 0
    locked_until: datetime | None = None

    def locked_at(self, at: datetime) -> bool:
        return self.locked_until is not None and self.locked_until > at

    def after_failure(self, at: datetime) -> LoginCounter:
        """One more failure; a lock that has run out starts the count afresh."""
        failures = (0 if self.locked_until is not None else self.failed_attempts) + 1
        return LoginCounter(failures, lock_until_after_failure(failures, at))

    @property
    def attempts_left(self) -> int:
        return max(0, MAX_FAILED_LOGINS - self.failed_attempts)


def lock_until_after_failure(failed_attempts: int, at: datetime) -> datetime | None:
    """The moment the account unlocks once this many attempts failed in a row, or None."""
    return at + LOCKOUT if failed_attempts >= MAX_FAILED_LOGINS else None
