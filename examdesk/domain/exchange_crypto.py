"""The cryptography of an exchange file (format version 2, docs/exchange.md): who signed it, for whom
it is encrypted, and how its content is sealed.

* **Signature.** Every file is signed with the sending installation's Ed25519 key (``domain/keys.py``,
  kept outside the database). The signature covers the canonical JSON of the readable manifest, which
  names the sender's public keys, the recipients and the SHA-256 of the encrypted content: one check
  proves every byte that matters. Which signer is *trusted* is decided elsewhere
  (``domain/exchange_keys.py``), against the keys this database has pinned.
* **Encryption.** The content is compressed (deflate) and encrypted with AES-256-GCM under a random
  content key, with the file id as associated data. The content key is wrapped once per recipient:
  for an installation whose key is pinned, by X25519 (an ephemeral key agreed with the recipient's
  exchange key, HKDF-SHA256, AES-256-GCM); for a fresh exam PC that has no key yet, under a **setup
  code** (scrypt) that the office shows once and passes on separately from the file.
* **Exchange key.** Each installation's X25519 key is derived from its Ed25519 seed with HKDF-SHA256
  (info ``examdesk-uitwisseling-x25519``): nothing new to keep, export or lose, and the key file of
  ``examdesk keys export`` holds it too. Its public half travels in every signed manifest, so whoever
  pins a sender's signing key learns its exchange key with it.

Everything here is pure (no database, no files); ``cryptography`` is imported where it is used, so
the startup path never loads it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import secrets
import zlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from examdesk.domain.errors import ValidationError
from examdesk.domain.fingerprint import canonical_json
from examdesk.domain.keys import KEY_BYTES, DatabaseKeys, key_fingerprint

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

SIGNATURE_ALGORITHM = "Ed25519"
CIPHER = "AES-256-GCM"
COMPRESSION = "deflate"
SIGNATURE_CONTEXT = b"examdesk-uitwisseling-v2\0"
CONTENT_AAD = b"examdesk-inhoud\0"
WRAP_AAD = b"examdesk-sleutel\0"
WRAP_INFO = b"examdesk-uitwisseling-sleutel-v2"
EXCHANGE_KEY_INFO = b"examdesk-uitwisseling-x25519"
SLOT_X25519 = "x25519"
SLOT_SETUP_CODE = "instelcode"
NONCE_BYTES = 12
WRAPPED_BYTES = KEY_BYTES + 16            # a 32-byte key and the GCM tag
SIGNATURE_BYTES = 64

# A setup code: 16 characters of Crockford's base32 (80 bits), shown as four groups of four. scrypt at
# N=2^15 makes each guess cost ~50 ms; with 2^80 codes that is beyond anyone's reach. A crafted file may
# ask for more work only within these bounds.
SETUP_CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
SETUP_CODE_LENGTH = 16
SETUP_SCRYPT_N, SETUP_SCRYPT_R, SETUP_SCRYPT_P = 2 ** 15, 8, 1
MAX_SCRYPT_N, MAX_SCRYPT_R, MAX_SCRYPT_P = 2 ** 18, 16, 4
MAX_SCRYPT_MEMORY = 256 * 1024 * 1024
_CROCKFORD_ALIASES = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(value: Any, length: int) -> bytes:
    """Base64 of exactly `length` bytes, or ValueError (the caller refuses the file in Dutch)."""
    if not isinstance(value, str) or len(value) > 4 * (length // 3 + 2):
        raise ValueError("base64")
    try:
        data = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("base64") from None
    if len(data) != length:
        raise ValueError("length")
    return data


# --- identities ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Identity:
    """A sender as its signed manifest names it: its database, its signing key and its exchange key."""

    database_id: str
    signing_key: bytes        # Ed25519 public key, 32 bytes
    exchange_key: bytes       # X25519 public key, 32 bytes

    @property
    def key_id(self) -> str:
        """SHA-256 of the signing key in hex: the fingerprint without spaces (how files and tables name it)."""
        return hashlib.sha256(self.signing_key).hexdigest()

    @property
    def fingerprint(self) -> str:
        """The same in 16 groups of four capitals, to read aloud over the phone."""
        return key_fingerprint(self.signing_key)


def display_fingerprint(key_id: str) -> str:
    """'3F9A 12C0 …' for a key id in hex."""
    upper = key_id.upper()
    return " ".join(upper[i:i + 4] for i in range(0, len(upper), 4))


def exchange_private_key(keys: DatabaseKeys) -> X25519PrivateKey:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    seed = HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None, info=EXCHANGE_KEY_INFO).derive(
        keys.signing_seed)
    return X25519PrivateKey.from_private_bytes(seed)


def _raw_public(key: Any) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def identity_of(keys: DatabaseKeys) -> Identity:
    return Identity(keys.database_id, keys.public_key_bytes(), _raw_public(exchange_private_key(keys).public_key()))


# --- signing -------------------------------------------------------------------------------------------

def signed_message(manifest: dict[str, Any]) -> bytes:
    return SIGNATURE_CONTEXT + canonical_json(manifest)


def sign(manifest: dict[str, Any], keys: DatabaseKeys) -> bytes:
    return keys.signing_key().sign(signed_message(manifest))


def signature_valid(manifest: dict[str, Any], signing_key: bytes, signature: bytes) -> bool:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        Ed25519PublicKey.from_public_bytes(signing_key).verify(signature, signed_message(manifest))
    except (InvalidSignature, ValueError):
        return False
    return True


# --- setup codes -----------------------------------------------------------------------------------------

def new_setup_code() -> str:
    code = "".join(secrets.choice(SETUP_CODE_ALPHABET) for _ in range(SETUP_CODE_LENGTH))
    return "-".join(code[i:i + 4] for i in range(0, SETUP_CODE_LENGTH, 4))


def normalise_setup_code(text: str) -> str:
    """The code as typed (spaces, dashes, lower case, O for 0 and I or L for 1 forgiven), or a Dutch refusal."""
    code = "".join(ch for ch in (text or "").upper() if ch not in " -\t").translate(_CROCKFORD_ALIASES)
    if len(code) != SETUP_CODE_LENGTH or any(ch not in SETUP_CODE_ALPHABET for ch in code):
        raise ValidationError(f"Een instelcode bestaat uit {SETUP_CODE_LENGTH} letters en cijfers in vier groepen "
                              "van vier (bijvoorbeeld K7QM-3XPA-9D2F-HWNR).")
    return code


def _setup_key(code: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    return Scrypt(salt=salt, length=KEY_BYTES, n=n, r=r, p=p).derive(normalise_setup_code(code).encode("ascii"))


def scrypt_bounds_ok(n: Any, r: Any, p: Any) -> bool:
    return (all(type(v) is int for v in (n, r, p)) and 2 <= n <= MAX_SCRYPT_N and n & (n - 1) == 0
            and 1 <= r <= MAX_SCRYPT_R and 1 <= p <= MAX_SCRYPT_P and 128 * n * r <= MAX_SCRYPT_MEMORY)


# --- recipients and the content key -----------------------------------------------------------------------

@dataclass(frozen=True)
class X25519Slot:
    """The content key wrapped for one installation (`recipient`: its key id)."""

    recipient: str
    ephemeral_key: bytes
    nonce: bytes
    wrapped_key: bytes

    def to_dict(self) -> dict[str, Any]:
        return {"type": SLOT_X25519, "recipient": self.recipient, "ephemeral_key": b64(self.ephemeral_key),
                "nonce": b64(self.nonce), "wrapped_key": b64(self.wrapped_key)}


@dataclass(frozen=True)
class SetupCodeSlot:
    """The content key wrapped under a setup code (scrypt with these parameters)."""

    salt: bytes
    n: int
    r: int
    p: int
    nonce: bytes
    wrapped_key: bytes

    def to_dict(self) -> dict[str, Any]:
        return {"type": SLOT_SETUP_CODE, "kdf": {"name": "scrypt", "n": self.n, "r": self.r, "p": self.p,
                                                 "salt": b64(self.salt)},
                "nonce": b64(self.nonce), "wrapped_key": b64(self.wrapped_key)}


Slot = X25519Slot | SetupCodeSlot


@dataclass(frozen=True)
class Encryption:
    """How the content is encrypted: the cipher, the content nonce and one slot per recipient."""

    nonce: bytes
    slots: tuple[Slot, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"cipher": CIPHER, "compression": COMPRESSION, "nonce": b64(self.nonce),
                "recipients": [s.to_dict() for s in self.slots]}

    @property
    def needs_setup_code(self) -> bool:
        return any(isinstance(s, SetupCodeSlot) for s in self.slots)

    def for_key(self, key_id: str) -> X25519Slot | None:
        return next((s for s in self.slots if isinstance(s, X25519Slot) and s.recipient == key_id), None)


def _wrap_key(shared: bytes, ephemeral: bytes, recipient: bytes) -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=ephemeral + recipient, info=WRAP_INFO).derive(
        shared)


def _aad(file_id: str) -> bytes:
    return WRAP_AAD + file_id.encode("utf-8")


def slot_for_installation(recipient: Identity, content_key: bytes, file_id: str) -> X25519Slot:
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    ephemeral = X25519PrivateKey.generate()
    ephemeral_public = _raw_public(ephemeral.public_key())
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(recipient.exchange_key))
    nonce = secrets.token_bytes(NONCE_BYTES)
    wrapped = AESGCM(_wrap_key(shared, ephemeral_public, recipient.exchange_key)).encrypt(
        nonce, content_key, _aad(file_id))
    return X25519Slot(recipient.key_id, ephemeral_public, nonce, wrapped)


def slot_for_setup_code(code: str, content_key: bytes, file_id: str) -> SetupCodeSlot:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    salt, nonce = secrets.token_bytes(16), secrets.token_bytes(NONCE_BYTES)
    key = _setup_key(code, salt, SETUP_SCRYPT_N, SETUP_SCRYPT_R, SETUP_SCRYPT_P)
    wrapped = AESGCM(key).encrypt(nonce, content_key, _aad(file_id))
    return SetupCodeSlot(salt, SETUP_SCRYPT_N, SETUP_SCRYPT_R, SETUP_SCRYPT_P, nonce, wrapped)


class WrongSetupCode(ValueError):
    """The setup code does not open this file."""


class NotForThisInstallation(ValueError):
    """None of the file's slots is for this installation (and no setup code was given or asked)."""


def unwrap(encryption: Encryption, file_id: str, keys: DatabaseKeys | None, setup_code: str | None) -> bytes:
    """The content key: from this installation's slot, else from the setup code's slot."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    if keys is not None:
        own = identity_of(keys)
        slot = encryption.for_key(own.key_id)
        if slot is not None:
            try:
                shared = exchange_private_key(keys).exchange(X25519PublicKey.from_public_bytes(slot.ephemeral_key))
                return AESGCM(_wrap_key(shared, slot.ephemeral_key, own.exchange_key)).decrypt(
                    slot.nonce, slot.wrapped_key, _aad(file_id))
            except (InvalidTag, ValueError):
                raise NotForThisInstallation("slot") from None
    code_slots = [s for s in encryption.slots if isinstance(s, SetupCodeSlot)]
    if setup_code is None or not code_slots:
        raise NotForThisInstallation("no slot")
    for s in code_slots:
        try:
            return AESGCM(_setup_key(setup_code, s.salt, s.n, s.r, s.p)).decrypt(s.nonce, s.wrapped_key, _aad(file_id))
        except InvalidTag:
            continue
    raise WrongSetupCode("code")


def encrypt_content(plain: bytes, file_id: str) -> tuple[bytes, bytes, bytes]:
    """(content key, nonce, ciphertext) of the compressed content."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    key, nonce = secrets.token_bytes(KEY_BYTES), secrets.token_bytes(NONCE_BYTES)
    return key, nonce, AESGCM(key).encrypt(nonce, zlib.compress(plain, 6), CONTENT_AAD + file_id.encode("utf-8"))


def decrypt_content(content_key: bytes, nonce: bytes, ciphertext: bytes, file_id: str, limit: int) -> bytes:
    """The content, decompressed to at most `limit` bytes. ValueError when it does not decrypt (the
    signature already proved it unchanged, so that is a key that does not fit) or is larger than the limit."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    try:
        packed = AESGCM(content_key).decrypt(nonce, ciphertext, CONTENT_AAD + file_id.encode("utf-8"))
    except InvalidTag:
        raise ValueError("tag") from None
    inflater = zlib.decompressobj()
    try:
        plain = inflater.decompress(packed, limit + 1)
    except zlib.error:
        raise ValueError("deflate") from None
    if len(plain) > limit or inflater.unconsumed_tail:
        raise OverflowError(limit)
    if not inflater.eof:
        raise ValueError("truncated")
    return plain
