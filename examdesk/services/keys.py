"""The installation's keys of a database, as the beheerder meets them: the fingerprint to read aloud,
the key file to export (for the backup, or to move the database to another PC) and to import.

Export needs the beheerder (the file and its passphrase give the keys). Import needs no login — a
database whose keys are missing cannot even record a login — but it only ever adds keys that are
missing, never replaces existing ones, and a key for the database being opened must verify that
database's anchor (so a forged key file cannot make a rewritten history look genuine).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from examdesk.data import audit as audit_data
from examdesk.data import keystore
from examdesk.data import meta as meta_data
from examdesk.data.db import open_readonly, open_store
from examdesk.domain.clock import to_iso
from examdesk.domain.errors import DatabaseRefused, StorageError, ValidationError
from examdesk.domain.keys import check_new_passphrase, open_key_file, seal_key_file
from examdesk.domain.roles import Action
from examdesk.services.context import AppContext

AUDIT_ENTITY = "sleutels"


@dataclass(frozen=True)
class KeyInfo:
    database_id: str
    fingerprint: str   # of the signing key's public half, 16 groups of four
    where: str         # Dutch: the OS key store, or the file


def _info(database_id: str) -> KeyInfo:
    keys = keystore.require(database_id)
    return KeyInfo(database_id, keys.fingerprint, keystore.where(database_id))


def key_info(db_path: Path) -> KeyInfo:
    """For `examdesk keys show`: needs no login (the fingerprint is meant to be read aloud)."""
    store = open_readonly(Path(db_path))
    try:
        database_id = meta_data.database_id(store)
    finally:
        store.close()
    if not database_id:
        raise ValidationError(f"{db_path} heeft nog geen identiteit (een database van vóór versie 6); open hem "
                              "eerst met deze versie van ExamDesk.")
    return _info(database_id)


class KeyService:
    def __init__(self, ctx: AppContext):
        self.ctx = ctx

    def info(self) -> KeyInfo:
        self.ctx.require(Action.MANAGE_BACKUPS)
        return _info(meta_data.database_id(self.ctx.store))

    def export(self, out: Path, passphrase: str, repeated: str | None = None) -> Path:
        """Writes this database's keys to `out` (which must not exist), encrypted under the passphrase."""
        self.ctx.require(Action.MANAGE_BACKUPS)
        check_new_passphrase(passphrase, repeated)
        out = Path(out)
        if out.exists():
            raise ValidationError(f"{out} bestaat al; kies een andere bestandsnaam. Er is niets overschreven.")
        database_id = meta_data.database_id(self.ctx.store)
        keys = keystore.require(database_id, self.ctx.store.path)
        data = seal_key_file([keys], passphrase, to_iso(self.ctx.clock()))
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
        except OSError as exc:
            raise StorageError(f"Het sleutelbestand {out} kan niet worden geschreven ({exc.strerror}). Er is niets "
                               "opgeslagen.") from exc
        self.ctx.audit("sleutels geëxporteerd", AUDIT_ENTITY, database_id,
                       {"bestand": out.name, "vingerafdruk": keys.fingerprint})
        return out


def import_key_file(db_path: Path | None, key_file: Path, passphrase: str) -> list[str]:
    """Reads a key file and stores the keys this computer lacks. With `db_path`, the file must hold the
    keys of that database, and they must verify its audit anchor. Returns the database ids added."""
    try:
        data = Path(key_file).read_bytes()[:1024 * 1024]
    except OSError as exc:
        raise ValidationError(f"{key_file} kan niet worden gelezen ({exc.strerror}).") from exc
    entries = open_key_file(data, passphrase)
    target_id = ""
    if db_path is not None and Path(db_path).exists():
        store = open_readonly(Path(db_path))
        try:
            target_id = meta_data.database_id(store)
            _present, anchor = audit_data.anchor(store)
        finally:
            store.close()
        match = next((k for k in entries if k.database_id == target_id), None)
        if match is None:
            raise ValidationError(f"Dit sleutelbestand bevat geen sleutels voor {db_path} (identiteit "
                                  f"{target_id[:8]}…). Er is niets ingelezen.")
        if anchor is not None and not anchor.valid_for(match.hmac_key):
            raise DatabaseRefused(f"De sleutels in dit bestand passen niet bij {db_path}: het sleutelanker van "
                                  "het auditlogboek klopt er niet mee. Er is niets ingelezen.")
    for keys in entries:  # refuse the whole file before storing anything when one conflicts
        existing = keystore.load(keys.database_id)
        if existing is not None and existing.hmac_key != keys.hmac_key:
            raise ValidationError(f"Op deze computer staan al andere sleutels voor database {keys.database_id[:8]}…; "
                                  "die worden nooit overschreven. Er is niets ingelezen.")
    added = []
    for keys in entries:
        if keystore.load(keys.database_id) is None:
            keystore.save(keys)
            added.append(keys.database_id)
    if target_id in added:
        store = open_store(Path(db_path), create=False)
        try:
            audit_data.append(store, None, "systeem", "sleutels ingelezen", AUDIT_ENTITY, target_id,
                              {"bestand": Path(key_file).name})
        finally:
            store.close()
    return added
