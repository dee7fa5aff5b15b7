"""Writing and reading the `.examdesk` container (format version 2, docs/exchange.md): a zip with a
readable, signed ``manifest.json``, the encrypted ``inhoud.bin`` and the signature in
``handtekening.json``, closed by a SHA-256 over every byte of the file.

Reading checks everything before returning anything, and bounds everything before it is read: the
file's size (a regular file only), the whole-file SHA-256 (a flipped byte anywhere, a truncated or
re-zipped file), the zip's directory (at most three entries, read from its last bytes before the zip
library parses it), each member's declared size and compression, the manifest's size, depth and
values, the signature over the manifest with the key it names, and the SHA-256 and size of the
encrypted content. Opening (`open_envelope`) decrypts with this installation's key or a setup code
and decompresses within its own bound. Nothing here touches a database or decides whom to trust.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import stat
import struct
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from examdesk.domain.errors import StorageError
from examdesk.domain.exchange import (
    CONTENT_NAME,
    MANIFEST_NAME,
    MAX_CONTENT_ITEMS,
    MAX_DIRECTORY_BYTES,
    MAX_FILE_BYTES,
    MAX_MANIFEST_DEPTH,
    MAX_MANIFEST_ITEMS,
    MAX_MEMBERS,
    MAX_PLAIN_BYTES,
    MAX_TOTAL_BYTES,
    MEMBER_LIMITS,
    MEMBERS,
    SIGNATURE_NAME,
    TRAILER_LENGTH,
    TRAILER_MARKER,
    Envelope,
    Manifest,
    bounded_json,
    check_format,
    parse_envelope,
    parse_manifest,
    parse_signature,
    refused,
    upgrade_payload,
)
from examdesk.domain.exchange_crypto import (
    SIGNATURE_ALGORITHM,
    NotForThisInstallation,
    WrongSetupCode,
    b64,
    decrypt_content,
    signature_valid,
    unwrap,
)
from examdesk.domain.fingerprint import canonical_json, sha256_hex
from examdesk.domain.keys import DatabaseKeys

# Fixed member time: the same content always gives the same bytes (and file hash).
_ZIP_TIME = (2020, 1, 1, 0, 0, 0)
_EOCD = b"PK\x05\x06"
_EOCD_LENGTH = 22


@dataclass(frozen=True)
class SealedFile:
    """A file read and checked up to its signature: the envelope, the encrypted content, the file's hash."""

    envelope: Envelope
    ciphertext: bytes
    file_sha256: str
    name: str


@dataclass(frozen=True)
class ExchangeFile:
    """An opened file: its manifest, its payload (current shape), and the SHA-256 of the file."""

    manifest: Manifest
    payload: dict[str, Any]
    file_sha256: str
    name: str
    envelope: Envelope


# --- writing -----------------------------------------------------------------------------------------

def container_bytes(manifest: dict[str, Any], ciphertext: bytes, signature: bytes) -> bytes:
    """The whole file: the encrypted content (stored: it is compressed before it is encrypted), the
    signature, the manifest, then the closing SHA-256."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.comment = TRAILER_MARKER + b"0" * 64
        zf.writestr(zipfile.ZipInfo(CONTENT_NAME, _ZIP_TIME), ciphertext, compress_type=zipfile.ZIP_STORED)
        zf.writestr(zipfile.ZipInfo(SIGNATURE_NAME, _ZIP_TIME),
                    json.dumps({"algorithm": SIGNATURE_ALGORITHM, "signature": b64(signature)}).encode("ascii"),
                    compress_type=zipfile.ZIP_STORED)
        zf.writestr(zipfile.ZipInfo(MANIFEST_NAME, _ZIP_TIME),
                    json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8"),
                    compress_type=zipfile.ZIP_DEFLATED)
    raw = buffer.getvalue()
    body = raw[: len(raw) - 64]
    return body + hashlib.sha256(body).hexdigest().encode("ascii")


def write_file(path: Path, data: bytes) -> None:
    """Written beside the target and renamed into place: a reader never sees half a file."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise StorageError(f"{path} kan niet worden geschreven: {exc.strerror or exc}. Er is niets opgeslagen.") from exc
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if exc.errno == 28:
            raise StorageError(f"De schijf is vol: {path} kon niet worden geschreven. Er is niets opgeslagen.") from exc
        raise StorageError(f"{path} kan niet worden geschreven: {exc.strerror or exc}. Er is niets opgeslagen.") from exc


# --- reading -----------------------------------------------------------------------------------------

def read_bytes(path: Path) -> bytes:
    """The file, if it is a regular file within the size bound (read no further than the bound)."""
    path = Path(path)
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise refused(f"{path.name} is geen gewoon bestand.")
        if info.st_size > MAX_FILE_BYTES:
            raise refused(f"{path.name} is te groot voor een ExamDesk-uitwisselbestand "
                          f"({info.st_size // 1_000_000} MB; hoogstens {MAX_FILE_BYTES // 1_000_000} MB).")
        with open(path, "rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise refused(f"{path} bestaat niet.") from None
    except OSError as exc:
        raise refused(f"{path} kan niet worden gelezen: {exc.strerror or exc}.") from None
    if len(data) > MAX_FILE_BYTES:
        raise refused(f"{path.name} is te groot voor een ExamDesk-uitwisselbestand.")
    return data


def _check_directory(raw: bytes, name: str) -> None:
    """The zip's end record, read by hand before the zip library parses the directory it points at: at
    most MAX_MEMBERS entries in a small directory, no zip64, no comment but ExamDesk's trailer."""
    end = len(raw) - TRAILER_LENGTH - _EOCD_LENGTH
    record = raw[end:end + _EOCD_LENGTH]
    if end < 0 or record[:4] != _EOCD:
        raise refused(f"{name} is geen leesbaar zip-bestand (de inhoudsopgave ontbreekt).")
    _sig, disk, start_disk, on_disk, total, size, offset, comment = struct.unpack("<4s4H2LH", record)
    if comment != TRAILER_LENGTH or disk or start_disk or on_disk != total:
        raise refused(f"{name} is geen ExamDesk-uitwisselbestand (een zip-bestand van een andere vorm).")
    if total > MAX_MEMBERS:
        raise refused(f"{name} bevat {total} onderdelen; een ExamDesk-uitwisselbestand heeft er {MAX_MEMBERS}.")
    if size > MAX_DIRECTORY_BYTES or offset + size > end:
        raise refused(f"De inhoudsopgave van {name} is groter dan ExamDesk schrijft of onleesbaar.")


def _member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> bytes:
    """One member, read no further than its declared size (which its own bound already capped)."""
    with zf.open(info) as handle:
        data = handle.read(info.file_size + 1)
    if len(data) != info.file_size:
        raise refused(f"Onderdeel {info.filename} van {name} heeft een andere grootte dan de inhoudsopgave noemt.")
    return data


def parse_bytes(raw: bytes, name: str) -> SealedFile:
    """Every check up to the signature, in the order that gives the most useful reason; refuses the file
    as a whole. Nothing is decompressed or parsed before its declared size is known to be within bounds."""
    if len(raw) < TRAILER_LENGTH + _EOCD_LENGTH or raw[-TRAILER_LENGTH:-64] != TRAILER_MARKER:
        raise refused(
            f"{name} is geen volledig ExamDesk-uitwisselbestand: de controlewaarde aan het einde ontbreekt "
            "(het bestand is afgekapt, door een ander programma opnieuw ingepakt, of geen .examdesk-bestand).")
    stated = raw[-64:].decode("ascii", errors="replace")
    actual = hashlib.sha256(raw[:-64]).hexdigest()
    if stated != actual:
        raise refused(
            f"{name} is beschadigd of bewerkt: de SHA-256 over het hele bestand klopt niet "
            f"(vastgelegd {stated[:16]}…, berekend {actual[:16]}…).")
    _check_directory(raw, name)
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as zf:
            infos = zf.infolist()
            names = [i.filename for i in infos]
            if MANIFEST_NAME not in names:
                raise refused(f"{name} heeft geen manifest.")
            total = 0
            for info in infos:
                limit = MEMBER_LIMITS.get(info.filename, MEMBER_LIMITS[CONTENT_NAME])
                if info.file_size > limit or info.compress_size > limit:
                    raise refused(f"Onderdeel {info.filename[:60]} van {name} is groter dan ExamDesk schrijft "
                                  f"({info.file_size:,} bytes uitgepakt; hoogstens {limit:,}).".replace(",", "."))
                if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) or info.flag_bits & 0x1:
                    raise refused(f"Onderdeel {info.filename[:60]} van {name} is op een manier ingepakt die ExamDesk "
                                  "niet schrijft.")
                total += info.file_size
            if total > MAX_TOTAL_BYTES:
                raise refused(f"De onderdelen van {name} zijn samen groter dan ExamDesk schrijft.")
            manifest_raw = bounded_json(_member(zf, zf.getinfo(MANIFEST_NAME), name), f"Het manifest van {name}",
                                        MAX_MANIFEST_ITEMS, MAX_MANIFEST_DEPTH)
            check_format(manifest_raw)
            if set(names) != MEMBERS or len(names) != len(MEMBERS):
                raise refused(f"{name} bevat andere onderdelen dan een ExamDesk-uitwisselbestand.")
            envelope = parse_envelope(manifest_raw)
            signature = parse_signature(bounded_json(_member(zf, zf.getinfo(SIGNATURE_NAME), name),
                                                     f"De handtekening van {name}", 16, 2))
            if not signature_valid(manifest_raw, envelope.sender.signing_key, signature):
                raise refused(f"De handtekening van {name} klopt niet: het manifest is na het ondertekenen gewijzigd, "
                              "of de handtekening is niet van de sleutel die het manifest noemt.")
            info = zf.getinfo(CONTENT_NAME)
            if info.file_size != envelope.content_bytes:
                raise refused(f"De inhoud van {name} heeft een andere grootte dan het ondertekende manifest noemt.")
            ciphertext = _member(zf, info, name)
    except zipfile.BadZipFile as exc:
        raise refused(f"{name} is geen leesbaar zip-bestand ({exc}).") from None
    except (zipfile.LargeZipFile, NotImplementedError, EOFError, OSError, RuntimeError, ValueError) as exc:
        raise refused(f"{name} kan niet worden uitgepakt ({exc}).") from None
    if sha256_hex(ciphertext) != envelope.content_sha256:
        raise refused(f"De inhoud van {name} is na het ondertekenen gewijzigd: de SHA-256 klopt niet met het "
                      "ondertekende manifest.")
    return SealedFile(envelope, ciphertext, sha256_hex(raw), name)


def read_sealed(path: Path) -> SealedFile:
    path = Path(path)
    return parse_bytes(read_bytes(path), path.name)


def open_sealed(sealed: SealedFile, keys: DatabaseKeys | None, setup_code: str | None) -> ExchangeFile:
    """Decrypts the content with this installation's key (or the setup code) and reads it within its bounds.
    Call only after the signer is trusted (`domain/exchange_keys.decide`)."""
    from examdesk.domain.exchange_keys import SetupCodeNeeded

    envelope, name = sealed.envelope, sealed.name
    try:
        content_key = unwrap(envelope.encryption, envelope.file_id, keys, setup_code)
    except NotForThisInstallation:
        if envelope.needs_setup_code and setup_code is None:
            raise SetupCodeNeeded(f"Dit {envelope.kind_label} is versleuteld met een instelcode: typ de instelcode "
                                  "die het examenbureau bij het maken van het pakket kreeg (apart van het bestand "
                                  "doorgegeven). Er is niets ingelezen.") from None
        raise refused(f"{name} is niet voor deze computer versleuteld: het is gemaakt voor een andere ontvanger, en "
                      "alleen die kan het openen.") from None
    except WrongSetupCode:
        raise refused("De instelcode klopt niet bij dit bestand.") from None
    try:
        plain = decrypt_content(content_key, envelope.encryption.nonce, sealed.ciphertext, envelope.file_id,
                                MAX_PLAIN_BYTES)
    except OverflowError:
        raise refused(f"De inhoud van {name} is uitgepakt groter dan ExamDesk leest "
                      f"(hoogstens {MAX_PLAIN_BYTES // (1024 * 1024)} MiB).") from None
    except ValueError:
        raise refused(f"De inhoud van {name} kan niet worden ontsleuteld of uitgepakt.") from None
    document = bounded_json(plain, f"De inhoud van {name}", MAX_CONTENT_ITEMS)
    if not isinstance(document, dict) or set(document) != {"manifest", "content"} \
            or not isinstance(document["content"], dict):
        raise refused(f"De inhoud van {name} heeft een onbekende vorm.")
    manifest = parse_manifest(document["manifest"], envelope)
    return ExchangeFile(manifest, upgrade_payload(envelope.format_version, document["content"]), sealed.file_sha256,
                        name, envelope)


def content_document(manifest: Manifest, payload: dict[str, Any]) -> bytes:
    """What is encrypted: the inner manifest and the payload, as canonical JSON."""
    return canonical_json({"manifest": manifest.as_dict(), "content": payload})
