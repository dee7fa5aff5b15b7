"""Encrypted backup files: AES-256-GCM under the database's backup key (`data/keystore.py`), streamed in
chunks so a database of gigabytes never needs that much memory.

Layout: the magic ``EXAMDESK-BACKUP`` and a version byte; a 4-byte length and a JSON header (which database,
its institution, schema version and audit head — what listing, rotation and the witnesses read without the
key — the chunk size, a random nonce prefix and the SHA-256 of the key, so another database's key is named as
such); then chunks, each a 4-byte length and AES-GCM ciphertext with its tag. Chunk *n* is encrypted with the
nonce prefix ‖ *n* and authenticates the header's SHA-256, *n* and whether it is the last chunk: a changed
header, a swapped, dropped or added chunk, or a file cut short is refused, never half restored.
"""

from __future__ import annotations

import hashlib
import json
import os
import struct
from collections.abc import Generator, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from examdesk.domain.errors import StorageError

MAGIC = b"EXAMDESK-BACKUP\x01"
CHUNK = 1 << 20            # 1 MiB of plaintext per chunk
MAX_HEADER = 64 * 1024
_TAG = 16


@dataclass(frozen=True)
class BackupHeader:
    database_id: str
    demo: bool
    institution: str
    brin: str
    schema_version: int
    audit_head: tuple[int, str] | None
    key_id: str                # SHA-256 of the backup key, hex: which key it needs
    nonce_prefix: bytes
    chunk: int
    raw: bytes = b""           # the header bytes as stored (what every chunk authenticates)

    def to_json(self) -> dict[str, Any]:
        return {"database_id": self.database_id, "demo": self.demo, "instelling": self.institution,
                "brin": self.brin, "schema_version": self.schema_version,
                "audit_head": list(self.audit_head) if self.audit_head else None, "key_id": self.key_id,
                "nonce_prefix": self.nonce_prefix.hex(), "chunk": self.chunk}


def key_id(key: bytes) -> str:
    return hashlib.sha256(b"examdesk-backup-key\0" + key).hexdigest()


def is_encrypted(path: Path) -> bool:
    try:
        with open(path, "rb") as handle:
            return handle.read(len(MAGIC)) == MAGIC
    except OSError:
        return False


class BadBackup(Exception):
    """A file that starts as an encrypted backup but whose header or chunks do not read (Dutch message)."""


def read_header(handle: BinaryIO, name: str) -> BackupHeader:
    if handle.read(len(MAGIC)) != MAGIC:
        raise BadBackup(f"{name} is geen versleutelde back-up van ExamDesk.")
    size_bytes = handle.read(4)
    if len(size_bytes) != 4:
        raise BadBackup(f"{name} is onvolledig (afgekapt).")
    size = struct.unpack(">I", size_bytes)[0]
    if size > MAX_HEADER:
        raise BadBackup(f"{name} heeft een onleesbare kop.")
    raw = handle.read(size)
    try:
        value = json.loads(raw)
        head = value["audit_head"]
        header = BackupHeader(
            str(value["database_id"]), bool(value["demo"]), str(value["instelling"]), str(value["brin"]),
            int(value["schema_version"]), (int(head[0]), str(head[1])) if head else None, str(value["key_id"]),
            bytes.fromhex(value["nonce_prefix"]), int(value["chunk"]), raw)
    except (ValueError, KeyError, TypeError, IndexError):
        raise BadBackup(f"{name} heeft een onleesbare kop.") from None
    if len(header.nonce_prefix) != 8 or not 1024 <= header.chunk <= 64 * CHUNK:
        raise BadBackup(f"{name} heeft een onleesbare kop.")
    return header


def header_of(path: Path) -> BackupHeader | None:
    """The header of an encrypted backup (cheap), or None when the file is not one or cannot be read."""
    try:
        with open(path, "rb") as handle:
            return read_header(handle, path.name)
    except (OSError, BadBackup):
        return None


def _aad(header: BackupHeader, index: int, last: bool) -> bytes:
    return hashlib.sha256(header.raw).digest() + struct.pack(">IB", index, 1 if last else 0)


def encrypt_file(source: Path, target: Path, key: bytes, fields: dict[str, Any]) -> None:
    """Writes `source` (a plain SQLite copy) encrypted to `target`, chunk by chunk."""
    with open(source, "rb") as src:
        seal_chunks(iter(lambda: src.read(CHUNK), b""), target, key, fields)


def seal_chunks(chunks: Iterable[bytes], target: Path, key: bytes, fields: dict[str, Any]) -> None:
    """Writes the plain bytes `chunks` yields (each `CHUNK` long but the last) encrypted to `target`, and syncs
    it: the header from `fields`, then each chunk sealed as the layout above says. The chunks are read and
    sealed on a thread of its own while this one writes (`_ahead`: reading, AES-GCM and writing each let go of
    the Python thread), so a backup costs about its slowest part instead of the three after one another."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    aes = AESGCM(key)
    header = BackupHeader(fields["database_id"], fields["demo"], fields["institution"], fields["brin"],
                          fields["schema_version"], fields["audit_head"], key_id(key), os.urandom(8), CHUNK)
    raw = json.dumps(header.to_json(), sort_keys=True).encode("utf-8")
    header = BackupHeader(**{**header.__dict__, "raw": raw})

    def sealed() -> Iterator[bytes]:
        plain = iter(chunks)
        index, block = 0, next(plain, b"")      # an empty file is one empty last chunk
        while True:
            following = next(plain, None)
            last = following is None
            part = aes.encrypt(header.nonce_prefix + struct.pack(">I", index), block, _aad(header, index, last))
            yield struct.pack(">I", len(part)) + part
            if following is None:
                return
            block, index = following, index + 1

    with open(target, "wb") as out:
        out.write(MAGIC + struct.pack(">I", len(raw)) + raw)
        for part in _ahead(sealed()):
            out.write(part)
        out.flush()
        os.fsync(out.fileno())


def _ahead(parts: Generator[bytes, None, None], depth: int = 2) -> Iterator[bytes]:
    """`parts`, made on a thread of its own up to `depth` ahead of the caller; what fails there is raised here,
    and a caller that stops early (a write that failed) stops the thread."""
    import queue
    import threading

    waiting: queue.Queue[tuple[str, Any]] = queue.Queue(depth)
    stop = threading.Event()

    def hand(item: tuple[str, Any]) -> bool:
        while not stop.is_set():
            try:
                waiting.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False          # the caller stopped: nobody takes it

    def make() -> None:
        try:
            for part in parts:
                if not hand(("part", part)):
                    return
            hand(("end", None))
        except BaseException as exc:      # handed to the caller's thread, raised there
            hand(("error", exc))
        finally:
            parts.close()                 # its file closed here, also when the caller stopped early

    worker = threading.Thread(target=make, name="examdesk-backup-seal", daemon=True)
    worker.start()
    try:
        while True:
            kind, value = waiting.get()
            if kind == "end":
                return
            if kind == "error":
                raise value
            yield value
    finally:
        stop.set()
        worker.join()


def decrypt_file(source: Path, target: Path, key: bytes) -> BackupHeader:
    """Writes the plain database of an encrypted backup to `target`; BadBackup (Dutch) for a wrong key or a
    damaged, cut or changed file — `target` is then removed."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    name = source.name
    try:
        with open(source, "rb") as src, open(target, "wb") as out:
            header = read_header(src, name)
            if header.key_id != key_id(key):
                raise BadBackup(f"{name} is versleuteld met een andere back-upsleutel dan die van database "
                                f"{header.database_id[:8]}… op deze computer.")
            aes = AESGCM(key)
            index = 0
            while True:
                size_bytes = src.read(4)
                if len(size_bytes) != 4:
                    raise BadBackup(f"{name} is onvolledig (afgekapt): het laatste deel ontbreekt.")
                size = struct.unpack(">I", size_bytes)[0]
                if size < _TAG or size > header.chunk + _TAG:
                    raise BadBackup(f"{name} is beschadigd.")
                sealed = src.read(size)
                if len(sealed) != size:
                    raise BadBackup(f"{name} is onvolledig (afgekapt).")
                nonce = header.nonce_prefix + struct.pack(">I", index)
                try:
                    plain = aes.decrypt(nonce, sealed, _aad(header, index, False))
                    last = False
                except InvalidTag:
                    try:
                        plain = aes.decrypt(nonce, sealed, _aad(header, index, True))
                        last = True
                    except InvalidTag:
                        raise BadBackup(f"{name} is beschadigd of buiten ExamDesk gewijzigd (deel {index + 1} "
                                        "klopt niet met de sleutel).") from None
                out.write(plain)
                if last:
                    if src.read(1):
                        raise BadBackup(f"{name} is beschadigd: er staat iets achter het laatste deel.")
                    break
                index += 1
            out.flush()
            os.fsync(out.fileno())
        return header
    except BaseException:
        try:
            target.unlink()
        except FileNotFoundError:
            pass
        raise


def storage_error(exc: OSError, what: str) -> StorageError:
    return StorageError(f"{what[:1].upper()}{what[1:]} is niet gelukt ({exc.strerror}). Er is niets gewijzigd.")
