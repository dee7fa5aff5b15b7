"""A forger who has read docs/exchange.md and has nothing but Python's standard library and the
`cryptography` package: builds `.examdesk` files by hand — format version 2 (a zip with a signed
manifest.json, the encrypted inhoud.bin and handtekening.json, the closing SHA-256 in the zip comment)
and the old, unsigned version 1 — and event chains as the format describes them. No ExamDesk code is
used to write a file: the tests use it to show that whatever such a file claims is checked.

What the forger can sign with depends on who they are (docs/exchange.md, threat model): anyone can make
a key of their own (`Key.new()`); an invigilator with the exam PC's Windows account holds that PC's key
(`Key.from_seed`, the seed as the key file or key store holds it)."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import secrets
import uuid
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

GENESIS = "0" * 64
MARKER = b"examdesk-sha256:"


def canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8",
                                                                                              "surrogatepass")


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _raw(public: Any) -> bytes:
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


# --- keys, as docs/exchange.md describes them --------------------------------------------------------------

@dataclass(frozen=True)
class Key:
    """An installation's signing seed (Ed25519) and database id; its X25519 exchange key is derived with
    HKDF-SHA256 (no salt, info 'examdesk-uitwisseling-x25519')."""

    seed: bytes
    database_id: str

    @classmethod
    def new(cls, database_id: str | None = None) -> Key:
        return cls(secrets.token_bytes(32), database_id or secrets.token_hex(16))

    @property
    def signing(self) -> Ed25519PrivateKey:
        return Ed25519PrivateKey.from_private_bytes(self.seed)

    @property
    def signing_public(self) -> bytes:
        return _raw(self.signing.public_key())

    @property
    def exchange(self) -> X25519PrivateKey:
        return X25519PrivateKey.from_private_bytes(
            HKDF(hashes.SHA256(), 32, None, b"examdesk-uitwisseling-x25519").derive(self.seed))

    @property
    def exchange_public(self) -> bytes:
        return _raw(self.exchange.public_key())

    @property
    def key_id(self) -> str:
        return hashlib.sha256(self.signing_public).hexdigest()

    @property
    def fingerprint(self) -> str:
        upper = self.key_id.upper()
        return " ".join(upper[i:i + 4] for i in range(0, 64, 4))


@dataclass(frozen=True)
class Recipient:
    key_id: str
    exchange_public: bytes


def sender_of(path: Path) -> Recipient:
    """The sender of a genuine file as its readable manifest names it: whom to encrypt an answer for."""
    with zipfile.ZipFile(path) as zf:
        manifest = json.loads(zf.read("manifest.json"))
    public = base64.b64decode(manifest["sender"]["signing_key"])
    return Recipient(hashlib.sha256(public).hexdigest(), base64.b64decode(manifest["sender"]["exchange_key"]))


def read_manifest(path: Path) -> dict[str, Any]:
    with zipfile.ZipFile(path) as zf:
        return json.loads(zf.read("manifest.json"))


# --- chains ----------------------------------------------------------------------------------------------

def chain(session_id: str, rows: list[dict[str, Any]], hmac_key: bytes | None = None) -> list[dict[str, Any]]:
    """Rows (id, occurred_at, recorded_at, user_id, username, kind, data, corrects) numbered and hashed:
    SHA-256 over the previous hash and the canonical row (or the HMAC of an exam PC, when its key is known;
    the commission cannot recompute either and checks only the links)."""
    import hmac as hmac_module

    out: list[dict[str, Any]] = []
    prev = GENESIS
    for seq, row in enumerate(rows, start=1):
        body = {"id": row.get("id") or str(uuid.uuid4()), "session_id": session_id, "seq": seq,
                "occurred_at": row["occurred_at"], "recorded_at": row.get("recorded_at", row["occurred_at"]),
                "user_id": row.get("user_id"), "username": row["username"], "kind": row["kind"],
                "data": row.get("data", {}), "corrects": row.get("corrects")}
        message = prev.encode("ascii") + canonical(body)
        digest = (hashlib.sha256(message).hexdigest() if hmac_key is None
                  else hmac_module.new(hmac_key, message, "sha256").hexdigest())
        out.append({**body, "prev_hash": prev, "hash": digest})
        prev = digest
    return out


def record_entry(session_id: str, rows: list[dict[str, Any]], title: str = "Nederlands 3F",
                 session_date: str = "2027-03-10") -> dict[str, Any]:
    return {"id": session_id, "title": title, "session_date": session_date, "events": len(rows),
            "chain_head": rows[-1]["hash"] if rows else GENESIS}


def package_entry(session: dict[str, Any]) -> dict[str, Any]:
    return {"id": session["id"], "title": session["title"], "session_date": session["session_date"], "events": 0,
            "chain_head": GENESIS}


def scrypt_hash(password: str) -> str:
    """A password hash in the scrypt format of older ExamDesk versions, for a password the forger knows."""
    salt = b"forgedsalt123456"
    digest = hashlib.scrypt(password.encode(), salt=salt, n=2**14, r=8, p=1, dklen=32)
    return f"scrypt${2**14}$8$1${salt.hex()}${digest.hex()}"


# --- version 2: signed and encrypted ----------------------------------------------------------------------

def setup_code_slot(code: str, content_key: bytes, file_id: str, n: int = 2 ** 15) -> dict[str, Any]:
    salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
    typed = code.replace("-", "").upper().encode("ascii")
    key = Scrypt(salt=salt, length=32, n=n, r=8, p=1).derive(typed)
    wrapped = AESGCM(key).encrypt(nonce, content_key, b"examdesk-sleutel\0" + file_id.encode())
    return {"type": "instelcode", "kdf": {"name": "scrypt", "n": n, "r": 8, "p": 1, "salt": b64(salt)},
            "nonce": b64(nonce), "wrapped_key": b64(wrapped)}


def installation_slot(recipient: Recipient, content_key: bytes, file_id: str) -> dict[str, Any]:
    ephemeral = X25519PrivateKey.generate()
    ephemeral_public = _raw(ephemeral.public_key())
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(recipient.exchange_public))
    wrap = HKDF(hashes.SHA256(), 32, ephemeral_public + recipient.exchange_public,
                b"examdesk-uitwisseling-sleutel-v2").derive(shared)
    nonce = secrets.token_bytes(12)
    wrapped = AESGCM(wrap).encrypt(nonce, content_key, b"examdesk-sleutel\0" + file_id.encode())
    return {"type": "x25519", "recipient": recipient.key_id, "ephemeral_key": b64(ephemeral_public),
            "nonce": b64(nonce), "wrapped_key": b64(wrapped)}


def zipped(members: list[tuple[str, bytes, int]]) -> bytes:
    """A zip of (name, data, compression) members, closed by the marker and the SHA-256 of every byte before it."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.comment = MARKER + b"0" * 64
        for name, data, compression in members:
            zf.writestr(zipfile.ZipInfo(name, (2020, 1, 1, 0, 0, 0)), data, compress_type=compression)
    return close(buffer.getvalue())


def close(raw: bytes) -> bytes:
    """The closing SHA-256 recomputed over everything before it (anyone can do that)."""
    body = raw[:-64]
    return body + hashlib.sha256(body).hexdigest().encode("ascii")


def write(path: Path, kind: str, payload: dict[str, Any], sessions: list[dict[str, Any]], *, signer: Key,
          recipients: list[Recipient] = (), setup_code: str | None = None, brin: str = "25PZ",
          institution: str = "ROC Midden-Holland", sequence: int = 1, file_id: str | None = None,
          created_by: str = "surveillant", created_at: str = "2027-03-10T12:00:00+01:00",
          content: bytes | None = None, plain: bytes | None = None, database_id: str | None = None) -> Path:
    """A version 2 file as docs/exchange.md describes it. `plain` replaces the whole decrypted document,
    `content` the encrypted member (for bombs and edits); the signature is always made over the manifest."""
    file_id = file_id or str(uuid.uuid4())
    inner = {"file_id": file_id, "kind": kind, "created_at": created_at, "created_by": created_by,
             "created_by_name": "Jan Bakker", "app_version": "ExamDesk 1.0", "database_id": signer.database_id,
             "institution": {"name": institution, "brin": brin}, "catalogue_version": "", "sessions": sessions}
    # any valid JSON will do (ASCII with escapes: a lone surrogate then arrives as the \ud800 a forger can send)
    document = plain if plain is not None else json.dumps({"manifest": inner, "content": payload}).encode("ascii")
    content_key, nonce = secrets.token_bytes(32), secrets.token_bytes(12)
    ciphertext = AESGCM(content_key).encrypt(nonce, zlib.compress(document, 6),
                                             b"examdesk-inhoud\0" + file_id.encode())
    if content is not None:
        ciphertext = content
    slots = [installation_slot(r, content_key, file_id) for r in recipients]
    if setup_code is not None:
        slots.append(setup_code_slot(setup_code, content_key, file_id))
    manifest = {
        "format": "examdesk-uitwisseling", "format_version": 2, "file_id": file_id, "kind": kind,
        "created_at": created_at, "sequence": sequence, "app_version": "ExamDesk 1.0",
        "institution": {"name": institution, "brin": brin},
        "sender": {"database_id": database_id or signer.database_id, "signing_key": b64(signer.signing_public),
                   "exchange_key": b64(signer.exchange_public)},
        "encryption": {"cipher": "AES-256-GCM", "compression": "deflate", "nonce": b64(nonce), "recipients": slots},
        "content": {"inhoud.bin": {"sha256": hashlib.sha256(ciphertext).hexdigest(), "bytes": len(ciphertext)}},
    }
    return write_signed(path, manifest, ciphertext, signer)


def write_signed(path: Path, manifest: dict[str, Any], ciphertext: bytes, signer: Key) -> Path:
    signature = signer.signing.sign(b"examdesk-uitwisseling-v2\0" + canonical(manifest))
    path.write_bytes(zipped([
        ("inhoud.bin", ciphertext, zipfile.ZIP_STORED),
        ("handtekening.json", json.dumps({"algorithm": "Ed25519", "signature": b64(signature)}).encode(),
         zipfile.ZIP_STORED),
        ("manifest.json", json.dumps(manifest).encode("utf-8"), zipfile.ZIP_DEFLATED)]))
    return path


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def repack(path: Path, out: Path, replace: dict[str, bytes]) -> Path:
    """The same members with some replaced (the signature left as it was), the closing SHA-256 recomputed."""
    found = members(path)
    found.update(replace)
    order = ["inhoud.bin", "handtekening.json", "manifest.json"]
    out.write_bytes(zipped([(name, found[name], zipfile.ZIP_STORED) for name in order if name in found]
                           + [(name, data, zipfile.ZIP_STORED) for name, data in found.items() if name not in order]))
    return out


# --- version 1: unsigned ----------------------------------------------------------------------------------

def write_v1(path: Path, kind: str, payload: dict[str, Any], sessions: list[dict[str, Any]],
             brin: str = "25PZ", institution: str = "ROC Midden-Holland") -> Path:
    """A file in the old format (version 1): no signature, no encryption."""
    content = json.dumps(payload, sort_keys=True).encode("ascii")
    manifest = {
        "format": "examdesk-uitwisseling", "format_version": 1, "file_id": str(uuid.uuid4()), "kind": kind,
        "created_at": "2027-03-10T12:00:00+01:00", "created_by": "surveillant", "created_by_name": "Jan Bakker",
        "app_version": "ExamDesk 1.0", "database_id": "f" * 32, "institution": {"name": institution, "brin": brin},
        "catalogue_version": "", "sessions": sessions,
        "content": {"inhoud.json": {"sha256": hashlib.sha256(content).hexdigest(), "bytes": len(content)}},
    }
    path.write_bytes(zipped([("manifest.json", canonical(manifest), zipfile.ZIP_DEFLATED),
                             ("inhoud.json", content, zipfile.ZIP_DEFLATED)]))
    return path


# --- bombs: zips written byte by byte (the zip module would want the whole content in memory) -------------

@dataclass(frozen=True)
class RawMember:
    name: str
    data: bytes             # as stored in the file (deflated for method 8)
    size: int               # the uncompressed size the headers declare
    crc: int
    method: int = zipfile.ZIP_DEFLATED


def deflated_zeros(size: int, chunk: int = 1024 * 1024) -> tuple[bytes, int]:
    """(raw deflate stream, CRC-32) of `size` zero bytes, built from one compressed chunk repeated: 1 GiB
    of zeros in about a megabyte, without ever holding the gigabyte."""
    zeros = bytes(chunk)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH)   # independent of what came before
    count, rest = divmod(size, chunk)
    crc = 0
    for _ in range(count):
        crc = zlib.crc32(zeros, crc)
    tail = zlib.compressobj(9, zlib.DEFLATED, -15)
    end = tail.compress(bytes(rest)) + tail.flush(zlib.Z_FINISH)
    return block * count + end, zlib.crc32(bytes(rest), crc)


def raw_zip(members: list[RawMember], comment_marker: bool = True) -> bytes:
    """A zip assembled from its records (local headers, central directory, end record), closed like ExamDesk's."""
    import struct

    out = bytearray()
    directory = bytearray()
    for m in members:
        name = m.name.encode("utf-8")
        offset = len(out)
        out += struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, m.method, 0, 0x21, m.crc, len(m.data), m.size,
                           len(name), 0) + name + m.data
        directory += struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, m.method, 0, 0x21, m.crc, len(m.data),
                                 m.size, len(name), 0, 0, 0, 0, 0, offset) + name
    start = len(out)
    out += directory
    comment = MARKER + b"0" * 64 if comment_marker else b""
    out += struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(members), len(members), len(directory), start,
                       len(comment)) + comment
    return close(bytes(out)) if comment_marker else bytes(out)


def stored(name: str, data: bytes) -> RawMember:
    return RawMember(name, data, len(data), zlib.crc32(data), zipfile.ZIP_STORED)
