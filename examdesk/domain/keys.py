"""The secrets of one database on this installation, and the key file the beheerder exports them to.

Each database identity (``meta.database_id``) has three keys, kept outside the database
(``data/keystore.py`` decides where):

* an **HMAC key** that makes the audit chain (and later the other chains) impossible to recompute
  for someone who holds only the database file;
* an **Ed25519 key pair** for signed exchange; its public key's fingerprint is read aloud over the
  phone in groups of four (``3F9A 12C0 …``);
* a **backup key** (AES-256-GCM) for encrypted backups.

A key file is the keys as JSON, encrypted with AES-256-GCM under a key derived from a passphrase
with scrypt. Everything read from a key file is bounded and checked before it is used: a crafted
file gets a Dutch refusal, never a traceback or a memory blow-up.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import json
import re
import secrets
from dataclasses import dataclass
from hashlib import sha256
from typing import TYPE_CHECKING, Any

from examdesk.domain.errors import ValidationError

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

KEY_BYTES = 32
FILE_FORMAT = "examdesk-sleutels"
FILE_VERSION = 1
MAX_KEY_FILE_BYTES = 64 * 1024        # one database's keys take < 1 kB; a bigger file is not ours
MAX_KEYS_PER_FILE = 100
MIN_PASSPHRASE = 12
# scrypt at N=2^17, r=8 (128 MiB, ~0.4 s): OWASP's recommendation. Read from a file only within bounds.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2 ** 17, 8, 1
_MAX_SCRYPT_N, _MAX_SCRYPT_R, _MAX_SCRYPT_P = 2 ** 18, 16, 4
_MAX_SCRYPT_MEMORY = 256 * 1024 * 1024  # 128·N·r bytes: a crafted file may not ask for more
_DATABASE_ID = re.compile(r"^[0-9a-f]{32}$")


@dataclass(frozen=True)
class DatabaseKeys:
    """The three secrets of one database identity on this installation."""

    database_id: str
    hmac_key: bytes
    signing_seed: bytes   # the Ed25519 private key's 32 raw bytes
    backup_key: bytes
    created_at: str

    def signing_key(self) -> Ed25519PrivateKey:
        # cryptography is imported where it is used: the audit chain (on every start) needs only hmac
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        return Ed25519PrivateKey.from_private_bytes(self.signing_seed)

    def public_key_bytes(self) -> bytes:
        from cryptography.hazmat.primitives import serialization

        return self.signing_key().public_key().public_bytes(serialization.Encoding.Raw,
                                                            serialization.PublicFormat.Raw)

    @property
    def fingerprint(self) -> str:
        return key_fingerprint(self.public_key_bytes())

    def __repr__(self) -> str:  # never print secrets into a log or a traceback
        return f"DatabaseKeys(database_id={self.database_id!r}, fingerprint={self.fingerprint!r})"


def new_keys(database_id: str, created_at: str) -> DatabaseKeys:
    return DatabaseKeys(check_database_id(database_id), secrets.token_bytes(KEY_BYTES),
                        secrets.token_bytes(KEY_BYTES), secrets.token_bytes(KEY_BYTES), created_at)


def check_database_id(value: str) -> str:
    """Database ids name files and key-store entries: only the 32 hex digits ExamDesk makes."""
    if not isinstance(value, str) or not _DATABASE_ID.match(value):
        raise ValidationError("Deze database heeft geen geldige identiteit (meta.database_id); er zijn geen "
                              "sleutels voor te bewaren.")
    return value


def key_fingerprint(public_key: bytes) -> str:
    """SHA-256 of the public key in 16 groups of four capitals: '3F9A 12C0 …', readable over the phone."""
    digest = sha256(public_key).hexdigest().upper()
    return " ".join(digest[i:i + 4] for i in range(0, 64, 4))


def mac(key: bytes, purpose: str, payload: Any) -> str:
    """A keyed MAC over canonical JSON, with the purpose in front so one MAC never passes for another."""
    from examdesk.domain.fingerprint import canonical_json

    return hmac.new(key, purpose.encode("ascii") + b"\0" + canonical_json(payload), sha256).hexdigest()


def mac_matches(key: bytes, purpose: str, payload: Any, claimed: str) -> bool:
    return isinstance(claimed, str) and hmac.compare_digest(mac(key, purpose, payload), claimed)


# --- storing one database's keys as text (key store entry, key file) -------------------------------

def keys_to_dict(keys: DatabaseKeys) -> dict[str, str]:
    b64 = lambda b: base64.b64encode(b).decode("ascii")  # noqa: E731
    return {"database_id": keys.database_id, "hmac_key": b64(keys.hmac_key), "signing_seed": b64(keys.signing_seed),
            "backup_key": b64(keys.backup_key), "created_at": keys.created_at}


def keys_from_dict(raw: Any, where: str) -> DatabaseKeys:
    """Parses one entry; `where` names the source in the Dutch message ('het sleutelbestand')."""
    if not isinstance(raw, dict):
        raise ValidationError(f"{where} is onleesbaar: een sleutel is geen object.")

    def key(name: str) -> bytes:
        value = raw.get(name)
        try:
            data = base64.b64decode(value if isinstance(value, str) else "", validate=True)
        except (binascii.Error, ValueError):
            data = b""
        if len(data) != KEY_BYTES:
            raise ValidationError(f"{where} is onleesbaar: sleutel '{name}' ontbreekt of heeft de verkeerde lengte.")
        return data

    database_id = raw.get("database_id")
    if not isinstance(database_id, str) or not _DATABASE_ID.match(database_id):
        raise ValidationError(f"{where} is onleesbaar: de database-identiteit ontbreekt of is ongeldig.")
    created = raw.get("created_at", "")
    return DatabaseKeys(database_id, key("hmac_key"), key("signing_seed"), key("backup_key"),
                        created if isinstance(created, str) else "")


# --- the key file --------------------------------------------------------------------------------

def _derive(passphrase: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    return Scrypt(salt=salt, length=KEY_BYTES, n=n, r=r, p=p).derive(passphrase.encode("utf-8"))


def check_new_passphrase(passphrase: str, repeated: str | None = None) -> str:
    if len(passphrase) < MIN_PASSPHRASE:
        raise ValidationError(f"Kies een wachtwoord van minstens {MIN_PASSPHRASE} tekens voor het sleutelbestand: "
                              "wie het bestand en het wachtwoord heeft, heeft de sleutels.")
    if repeated is not None and repeated != passphrase:
        raise ValidationError("De twee wachtwoorden voor het sleutelbestand zijn niet gelijk.")
    return passphrase


def seal_key_file(keys: list[DatabaseKeys], passphrase: str, exported_at: str) -> bytes:
    """The bytes of a key file: a readable header (format, KDF parameters) and the encrypted keys."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    check_new_passphrase(passphrase)
    salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
    header = {"format": FILE_FORMAT, "version": FILE_VERSION, "exported_at": exported_at,
              "kdf": {"name": "scrypt", "n": SCRYPT_N, "r": SCRYPT_R, "p": SCRYPT_P,
                      "salt": base64.b64encode(salt).decode("ascii")}}
    plain = json.dumps({"keys": [keys_to_dict(k) for k in keys]}).encode("utf-8")
    aad = json.dumps(header, sort_keys=True, separators=(",", ":")).encode("utf-8")
    sealed = AESGCM(_derive(passphrase, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)).encrypt(nonce, plain, aad)
    document = {**header, "nonce": base64.b64encode(nonce).decode("ascii"),
                "ciphertext": base64.b64encode(sealed).decode("ascii")}
    return (json.dumps(document, indent=1) + "\n").encode("utf-8")


def open_key_file(data: bytes, passphrase: str) -> list[DatabaseKeys]:
    """The keys in a key file. Refuses (Dutch) anything that is not one, a wrong passphrase, an edited file."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    what = "Het sleutelbestand"
    if len(data) > MAX_KEY_FILE_BYTES:
        raise ValidationError(f"{what} is te groot voor een sleutelbestand van ExamDesk; er is niets ingelezen.")
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ValidationError(f"{what} is geen sleutelbestand van ExamDesk (geen leesbare JSON).") from None
    if not isinstance(document, dict) or document.get("format") != FILE_FORMAT:
        raise ValidationError(f"{what} is geen sleutelbestand van ExamDesk.")
    if document.get("version") != FILE_VERSION:
        raise ValidationError(f"{what} is gemaakt door een andere versie van ExamDesk (versie "
                              f"{document.get('version')!r}); werk ExamDesk bij.")
    kdf = document.get("kdf")
    try:
        if not isinstance(kdf, dict) or kdf.get("name") != "scrypt":
            raise ValueError
        n, r, p = kdf["n"], kdf["r"], kdf["p"]
        if not all(type(v) is int for v in (n, r, p)) or not (2 <= n <= _MAX_SCRYPT_N and n & (n - 1) == 0
                                                                and 1 <= r <= _MAX_SCRYPT_R and 1 <= p <= _MAX_SCRYPT_P
                                                                and 128 * n * r <= _MAX_SCRYPT_MEMORY):
            raise ValueError
        salt = base64.b64decode(kdf["salt"], validate=True)
        nonce = base64.b64decode(document["nonce"], validate=True)
        sealed = base64.b64decode(document["ciphertext"], validate=True)
        if len(salt) < 16 or len(nonce) != 12 or len(sealed) < 16:
            raise ValueError
    except (KeyError, TypeError, ValueError, binascii.Error):
        raise ValidationError(f"{what} is beschadigd of gewijzigd (versleuteling onleesbaar); er is niets "
                              "ingelezen.") from None
    header = {k: document[k] for k in ("format", "version", "exported_at", "kdf") if k in document}
    aad = json.dumps(header, sort_keys=True, separators=(",", ":")).encode("utf-8")
    try:
        plain = AESGCM(_derive(passphrase, salt, n, r, p)).decrypt(nonce, sealed, aad)
    except InvalidTag:
        raise ValidationError("Het wachtwoord van het sleutelbestand klopt niet, of het bestand is gewijzigd. "
                              "Er is niets ingelezen.") from None
    try:
        entries = json.loads(plain.decode("utf-8"))["keys"]
    except (UnicodeDecodeError, ValueError, KeyError, TypeError):
        raise ValidationError(f"{what} is onleesbaar; er is niets ingelezen.") from None
    if not isinstance(entries, list) or not 1 <= len(entries) <= MAX_KEYS_PER_FILE:
        raise ValidationError(f"{what} bevat geen sleutels die ExamDesk kan lezen; er is niets ingelezen.")
    return [keys_from_dict(e, what) for e in entries]
