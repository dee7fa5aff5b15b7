"""Writing and reading the `.examdesk` container: a zip with `manifest.json` and `inhoud.json`,
closed by a SHA-256 over every byte of the file (see docs/exchange.md).

Reading checks everything before returning anything: the whole-file SHA-256 (a flipped byte
anywhere, a truncated or re-zipped file), the zip itself, the manifest and its format version,
and the SHA-256 and size of each member against the manifest. Nothing here touches a database.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from examdesk.domain.errors import StorageError
from examdesk.domain.exchange import (
    CONTENT_NAME,
    MANIFEST_NAME,
    MAX_FILE_BYTES,
    TRAILER_LENGTH,
    TRAILER_MARKER,
    Manifest,
    parse_manifest,
    refused,
    upgrade_payload,
)
from examdesk.domain.fingerprint import canonical_json, sha256_hex

# Fixed member time: the same content always gives the same bytes (and file hash).
_ZIP_TIME = (2020, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class ExchangeFile:
    """A verified file: its manifest, its payload (current shape), and the SHA-256 of the file."""

    manifest: Manifest
    payload: dict[str, Any]
    file_sha256: str
    name: str


def content_entry(data: bytes) -> dict[str, Any]:
    return {"sha256": sha256_hex(data), "bytes": len(data)}


def payload_bytes(payload: dict[str, Any]) -> bytes:
    return canonical_json(payload)


def container_bytes(manifest: dict[str, Any], members: dict[str, bytes]) -> bytes:
    """The whole file: deflated members, then the manifest, then the closing SHA-256."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        zf.comment = TRAILER_MARKER + b"0" * 64
        for name, data in members.items():
            zf.writestr(zipfile.ZipInfo(name, _ZIP_TIME), data, compress_type=zipfile.ZIP_DEFLATED)
        info = zipfile.ZipInfo(MANIFEST_NAME, _ZIP_TIME)
        zf.writestr(info, json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8"),
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


def read_bytes(path: Path) -> bytes:
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise refused(f"{path.name} is te groot voor een ExamDesk-uitwisselbestand ({size // 1_000_000} MB).")
        return path.read_bytes()
    except FileNotFoundError:
        raise refused(f"{path} bestaat niet.") from None
    except OSError as exc:
        raise refused(f"{path} kan niet worden gelezen: {exc.strerror or exc}.") from None


def parse_bytes(raw: bytes, name: str) -> ExchangeFile:
    """Every check, in the order that gives the most useful reason; refuses the file as a whole."""
    if len(raw) < TRAILER_LENGTH + 22 or raw[-TRAILER_LENGTH:-64] != TRAILER_MARKER:
        raise refused(
            f"{name} is geen volledig ExamDesk-uitwisselbestand: de controlewaarde aan het einde ontbreekt "
            "(het bestand is afgekapt, door een ander programma opnieuw ingepakt, of geen .examdesk-bestand).")
    stated = raw[-64:].decode("ascii", errors="replace")
    actual = hashlib.sha256(raw[:-64]).hexdigest()
    if stated != actual:
        raise refused(
            f"{name} is beschadigd of bewerkt: de SHA-256 over het hele bestand klopt niet "
            f"(vastgelegd {stated[:16]}…, berekend {actual[:16]}…).")
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as zf:
            names = zf.namelist()
            if MANIFEST_NAME not in names:
                raise refused(f"{name} heeft geen manifest.")
            try:
                manifest_raw = json.loads(zf.read(MANIFEST_NAME).decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError):
                raise refused(f"Het manifest van {name} is onleesbaar.") from None
            manifest = parse_manifest(manifest_raw)
            expected = set(manifest.content) | {MANIFEST_NAME}
            if set(names) != expected or len(names) != len(expected):
                raise refused(f"{name} bevat andere onderdelen dan het manifest noemt.")
            members: dict[str, bytes] = {}
            for member, entry in manifest.content.items():
                info = zf.getinfo(member)
                if info.file_size != entry["bytes"]:
                    raise refused(f"Onderdeel {member} van {name} heeft een andere grootte dan het manifest noemt.")
                data = zf.read(member)
                if sha256_hex(data) != entry["sha256"]:
                    raise refused(f"De inhoud van {name} ({member}) klopt niet met de SHA-256 in het manifest.")
                members[member] = data
    except zipfile.BadZipFile as exc:
        raise refused(f"{name} is geen leesbaar zip-bestand ({exc}).") from None
    except (zipfile.LargeZipFile, NotImplementedError, EOFError, OSError) as exc:
        raise refused(f"{name} kan niet worden uitgepakt ({exc}).") from None
    if CONTENT_NAME not in members:
        raise refused(f"{name} heeft geen inhoud ({CONTENT_NAME}).")
    try:
        payload = json.loads(members[CONTENT_NAME].decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise refused(f"De inhoud van {name} is onleesbaar.") from None
    if not isinstance(payload, dict):
        raise refused(f"De inhoud van {name} heeft een onbekende vorm.")
    return ExchangeFile(manifest, upgrade_payload(manifest.format_version, payload), sha256_hex(raw), name)


def read_file(path: Path) -> ExchangeFile:
    path = Path(path)
    return parse_bytes(read_bytes(path), path.name)
