"""Where the secrets of each database live on this installation, outside the database file.

Per database identity (``meta.database_id``) one entry holds the keys of ``domain/keys.py``:

* in the **OS key store** through ``keyring`` when it has a usable backend (Windows Credential
  Manager, macOS Keychain, Secret Service on Linux) — then a small, non-secret marker file
  ``keys/<id>.keyring`` in the config folder says so, so that a start without the keys can tell
  "missing" without loading keyring (which costs a tenth of a second);
* otherwise in a **file readable only by this user** (0600, in a 0700 folder): ``keys/<id>.json``
  in the config folder (``examdesk/paths.py``). ``EXAMDESK_KEYS=bestand`` forces the file (the
  self test uses it, so it never leaves entries in the real key store).

Beside the keys lives the **witness** of each database file (``<id>.<path-hash>.getuige.json``):
how far its history was seen and verified here. Its meaning is in ``services/integrity.py``; this
module only reads and writes the bytes.

Keys are created only when a database is created or first upgraded to the keyed chain (the v007
migration), never to "repair" a database whose keys are missing: that would make a copied or
forged file look genuine. Existing keys are never overwritten.
"""

from __future__ import annotations

import contextlib
import json
import os
from hashlib import sha256
from pathlib import Path
from typing import Any

from examdesk.domain.clock import now, to_iso
from examdesk.domain.errors import KeysMissing, StorageError, ValidationError
from examdesk.domain.keys import DatabaseKeys, check_database_id, keys_from_dict, keys_to_dict, new_keys
from examdesk.paths import config_dir

KEYRING_SERVICE = "ExamDesk"
FORCE_FILE_ENV = "EXAMDESK_KEYS"   # =bestand: never use the OS key store
_MAX_ENTRY_BYTES = 16 * 1024
# The witness holds the account ledger at the checkpoint (about 100 bytes an account): a large school's
# 215 accounts take 21 KB, so a key entry's bound refused it and every start checked the whole history
# (13 s on a year, issue 16). Still bounded, for a crafted file: 8 MiB is some 80,000 accounts.
_MAX_WITNESS_BYTES = 8 * 1024 * 1024


def keys_folder() -> Path:
    return config_dir() / "keys"


def _key_file(database_id: str) -> Path:
    return keys_folder() / f"{check_database_id(database_id)}.json"


def _marker_file(database_id: str) -> Path:
    return keys_folder() / f"{check_database_id(database_id)}.keyring"


def _entry_name(database_id: str) -> str:
    return f"database-{database_id}"


def _keyring() -> Any | None:
    """The OS key store when one is usable here, else None (then the file is used)."""
    if os.environ.get(FORCE_FILE_ENV, "").lower() == "bestand":
        return None
    try:
        import keyring
        from keyring.backends import fail
    except ImportError:
        return None
    try:
        backend = keyring.get_keyring()
    except Exception:  # a broken backend configuration: fall back to the file  # noqa: BLE001
        return None
    if isinstance(backend, fail.Keyring) or getattr(backend, "priority", 0) <= 0:
        return None
    return backend


def where(database_id: str) -> str:
    """Where this database's keys are kept, in Dutch, for the Beheer screen and `examdesk keys`."""
    if _marker_file(database_id).exists():
        return "de sleutelkluis van het besturingssysteem (keyring)"
    return f"het bestand {_key_file(database_id)} (alleen leesbaar voor deze gebruiker)"


# --- writing files only this user can read --------------------------------------------------------

def _ensure_folder() -> Path:
    folder = keys_folder()
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        if os.name != "nt":
            os.chmod(folder, 0o700)
    except OSError as exc:
        raise StorageError(f"De sleutelmap {folder} kan niet worden gemaakt ({exc.strerror}). Er is niets "
                           "opgeslagen.") from exc
    return folder


def _write_private(path: Path, data: bytes) -> None:
    """Atomically: a temporary file created 0600, flushed, then renamed over the target."""
    _ensure_folder()
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise StorageError(f"{path} kan niet worden geschreven ({exc.strerror}). Er is niets opgeslagen.") from exc


def _read_small(path: Path, limit: int = _MAX_ENTRY_BYTES) -> bytes | None:
    """The file's bytes; None when it is not there, b"" when it is longer than `limit` (a crafted file)."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(limit + 1)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise StorageError(f"{path} kan niet worden gelezen ({exc.strerror}).") from exc
    return data if len(data) <= limit else b""


# --- the keys --------------------------------------------------------------------------------------

def has_keys(database_id: str) -> bool:
    """Cheap: whether this installation holds keys for the database (without loading keyring)."""
    return _key_file(database_id).exists() or _marker_file(database_id).exists()


def load(database_id: str) -> DatabaseKeys | None:
    """This database's keys, or None when they are not on this computer."""
    data = _read_small(_key_file(database_id))
    if data is None and _marker_file(database_id).exists():
        backend = _keyring()
        text = None
        if backend is not None:
            try:
                text = backend.get_password(KEYRING_SERVICE, _entry_name(database_id))
            except Exception:  # the key store is locked or gone: treated as missing  # noqa: BLE001
                text = None
        data = text.encode("utf-8") if text else None
    if data is None:
        return None
    where_text = f"De sleutels van database {database_id} op deze computer"
    try:
        keys = keys_from_dict(json.loads(data.decode("utf-8")), where_text)
    except (UnicodeDecodeError, ValueError):
        raise ValidationError(f"{where_text} zijn onleesbaar (het sleutelbestand is beschadigd). Lees het "
                              "geëxporteerde sleutelbestand opnieuw in.") from None
    if keys.database_id != database_id:
        raise ValidationError(f"{where_text} horen bij een andere database; lees het juiste sleutelbestand in.")
    return keys


def save(keys: DatabaseKeys) -> str:
    """Stores new keys (never over different ones). Returns where, in Dutch."""
    existing = load(keys.database_id)
    if existing is not None:
        if existing.hmac_key == keys.hmac_key and existing.signing_seed == keys.signing_seed \
                and existing.backup_key == keys.backup_key:
            return where(keys.database_id)
        raise ValidationError(f"Op deze computer staan al andere sleutels voor database {keys.database_id}; die "
                              "worden nooit overschreven. Er is niets gewijzigd.")
    text = json.dumps(keys_to_dict(keys))
    backend = _keyring()
    if backend is not None:
        try:
            backend.set_password(KEYRING_SERVICE, _entry_name(keys.database_id), text)
            if backend.get_password(KEYRING_SERVICE, _entry_name(keys.database_id)) == text:
                _write_private(_marker_file(keys.database_id),
                               json.dumps({"database_id": keys.database_id, "opslag": "keyring"}).encode("utf-8"))
                return where(keys.database_id)
        except Exception:  # a key store that refuses: the file is the fallback  # noqa: BLE001
            pass
    _write_private(_key_file(keys.database_id), text.encode("utf-8"))
    return where(keys.database_id)


def ensure(database_id: str) -> DatabaseKeys:
    """The keys of a database being created or upgraded to the keyed chain: existing ones, or new ones."""
    keys = load(database_id)
    if keys is None:
        keys = new_keys(database_id, to_iso(now()))
        save(keys)
    return keys


def missing_message(database_id: str, db_path: Path | str | None = None) -> str:
    what = f"database {db_path}" if db_path else "deze database"
    return (f"De sleutels van {what} (identiteit {database_id[:8]}…) staan niet op deze computer: het bestand is "
            "hierheen gekopieerd of elders teruggezet. Zonder die sleutels kan ExamDesk de geschiedenis niet "
            "controleren en schrijft het er niets bij. Lees het sleutelbestand in dat de beheerder op de "
            "oorspronkelijke computer heeft geëxporteerd (examdesk keys import BESTAND, of in het venster bij "
            "het starten).")


def require(database_id: str, db_path: Path | str | None = None) -> DatabaseKeys:
    keys = load(database_id)
    if keys is None:
        raise KeysMissing(missing_message(database_id, db_path))
    return keys


# --- the witness of a database file ----------------------------------------------------------------

def _witness_file(database_id: str, db_path: Path | str) -> Path:
    try:
        resolved = str(Path(db_path).resolve())
    except OSError:
        resolved = str(Path(db_path).absolute())
    return keys_folder() / f"{check_database_id(database_id)}.{sha256(resolved.encode('utf-8')).hexdigest()[:16]}" \
                           ".getuige.json"


def read_witness(database_id: str, db_path: Path | str) -> dict[str, Any] | None:
    """The stored witness as parsed JSON, or None when there is none (or it is unreadable)."""
    try:
        data = _read_small(_witness_file(database_id, db_path), _MAX_WITNESS_BYTES)
    except StorageError:
        return None
    if not data:
        return None
    try:
        value = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    return value if isinstance(value, dict) else None


def write_witness(database_id: str, db_path: Path | str, value: dict[str, Any]) -> None:
    _write_private(_witness_file(database_id, db_path), json.dumps(value, sort_keys=True).encode("utf-8"))


def forget_witness(database_id: str, db_path: Path | str) -> None:
    with contextlib.suppress(FileNotFoundError):
        _witness_file(database_id, db_path).unlink()
