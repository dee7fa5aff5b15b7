"""Backup files on disk: consistent copies (the files copied under a read transaction), their verification,
(Over 400 lines: the file side of that life cycle — copy, verify, restore, move aside — kept together.)
restoring one over the database, and moving a damaged database aside.

Every file this module creates is first written under a temporary name in the target folder,
flushed to disk, checked, and only then renamed to its final name in one atomic step, so a power
cut or a full disk can never leave a half file under a name ExamDesk would trust.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sqlite3
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from examdesk.data import backup_crypto, migrations
from examdesk.data.db import APPLICATION_ID, BUSY_TIMEOUT_MS, Store, is_storage_failure, open_readonly
from examdesk.domain.backups import (
    BackupCheck,
    BackupFile,
    BackupReason,
    DatabaseIdentity,
    backup_name,
    damaged_name,
    parse_backup_name,
)
from examdesk.domain.clock import AMSTERDAM
from examdesk.domain.errors import ExamDeskError, StorageError

SQLITE_MAGIC = b"SQLite format 3\x00"
TEMP_MARK = ".onvolledig"  # temporary files end with this; never listed, removed on failure


# --- small file-system helpers ----------------------------------------------------------------

def _fsync_file(path: Path) -> None:
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())


def _fsync_dir(folder: Path) -> None:
    """Makes a rename durable; not possible (nor needed) on Windows."""
    if os.name == "nt":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _temp_path(target: Path) -> Path:
    return target.with_name(f".{target.name}.{os.getpid()}{TEMP_MARK}")


def _unlink_quietly(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()


def _os_error(exc: OSError, what: str, folder: Path) -> StorageError:
    import errno

    if exc.errno == errno.ENOSPC:
        return StorageError(f"De schijf met {folder} is vol: {what} is niet gelukt. Er is niets gewijzigd; "
                            "maak ruimte vrij en probeer opnieuw.")
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return StorageError(f"De map {folder} is alleen-lezen of afgeschermd: {what} is niet gelukt. "
                            "Er is niets gewijzigd.")
    return StorageError(f"{what[:1].upper()}{what[1:]} is niet gelukt ({exc.strerror}). Er is niets gewijzigd.")


def first_problem(problems: list[str]) -> str:
    """SQLite's first finding, one line (it may list a hundred cells of one page): enough to name it."""
    lines = [line for p in problems for line in p.splitlines() if line.strip() and not line.startswith("***")]
    if not lines:
        return "onbekende fout"
    more = len(lines) - 1
    return lines[0][:200] + (f" … en nog {more} meldingen" if more else "")


def sidecars(db_path: Path) -> list[Path]:
    """The -wal and -shm files SQLite keeps beside a database in WAL mode."""
    return [db_path.with_name(db_path.name + suffix) for suffix in ("-wal", "-shm")]


LOCK_BYTE_OFFSET = 0x40000000   # SQLite's lock-byte page, at 1 GiB (sqlite.org/fileformat2.html#the_lock_byte_page)
_CHUNK = 8 << 20


# --- making a backup --------------------------------------------------------------------------

def copy_database(db_path: Path, target: Path, thorough: bool = False, backup_key: bytes | None = None) -> Path:
    """A consistent copy of `db_path` at `target`, verified before it gets its final name.

    The copy is read under a read transaction of a connection of its own, never the application's: that one may
    be in the middle of a write, and its uncommitted pages must not end up in a backup. The files are copied as
    files (`_copy_files`: half the time of SQLite's page-by-page backup API on a 2.7 GB database, issue 16), so a
    writer committing meanwhile (WAL mode lets it) cannot make the copy mix two states.
    The copy is switched to rollback-journal mode, so it is one self-contained file. Before it gets its
    name it is checked the quick way (complete, readable, ours, its identity and audit head): the page by
    page integrity check of a large file takes many times the copy, so it follows in the background
    (`check_backup_file`, and `record_check` with the verdict); a restore always makes it first.
    `thorough`: the full check before the name (the safety copy before a restore: rare, and a damaged
    current file is then moved aside instead of kept as a backup).
    `backup_key`: the backup is encrypted under it (`data/backup_crypto.py`, streamed in chunks) before it gets
    its name. When the WAL can be emptied first (`_checkpoint`: nobody else writing or reading an older state) it
    is sealed straight from the database file under the read transaction (`_seal_snapshot`), checked the same
    quick way on that snapshot; otherwise the plain copy above is sealed, and removed.
    """
    target = Path(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _os_error(exc, f"de back-upmap {target.parent} maken", target.parent) from exc
    temp = _temp_path(target)
    sealed = temp.with_name(temp.name + ".versleuteld")
    _remove_copy(temp)         # a WAL left by a copy that was cut off would otherwise be replayed into this one
    protected = not os.access(db_path.parent, os.W_OK)       # a write-protected stick: read as immutable
    direct = backup_key is not None and not thorough and not protected
    if direct:
        _checkpoint(db_path)
    reader = open_readonly(db_path, immutable=protected)
    try:
        check = _seal_snapshot(reader, db_path, sealed, target.name, backup_key) if direct else None
        if check is not None:
            temp = sealed
        else:
            check = _plain_copy(reader.conn, db_path, temp, protected, thorough, sync=backup_key is None)
            if backup_key is not None:
                backup_crypto.encrypt_file(temp, sealed, backup_key, _header_fields(check))
                _unlink_quietly(temp)
                temp = sealed
        os.replace(temp, target)
        _fsync_dir(target.parent)
        if thorough:
            record_check(target, check)
    except sqlite3.Error as exc:
        _remove_copy(temp)
        if is_storage_failure(exc) and "full" in str(exc).lower():
            raise StorageError(f"De schijf met de back-upmap {target.parent} is vol: er is geen back-up gemaakt. "
                               "Maak ruimte vrij en probeer opnieuw.") from exc
        raise StorageError(f"Er kon geen back-up van {db_path} worden gemaakt ({exc}). "
                           "De database is niet gewijzigd.") from exc
    except OSError as exc:
        _remove_copy(temp)
        raise _os_error(exc, "de back-up maken", target.parent) from exc
    except BaseException:
        _remove_copy(temp)
        raise
    finally:
        reader.close()
    return target


def _plain_copy(source: sqlite3.Connection, db_path: Path, temp: Path, protected: bool, thorough: bool,
                sync: bool) -> BackupCheck:
    """The files copied to `temp` (`_copy_files`), their WAL replayed into it and the copy made one file in
    rollback-journal mode, checked (`check_backup_file`); synced when `sync` (a copy that is sealed next is not:
    the sealed file is)."""
    _copy_files(source, db_path, temp, wal=not protected)
    copy = sqlite3.connect(str(temp), isolation_level=None)
    try:
        # synced once (or its sealed copy): not also by the replay, which the encrypted copy then paid for as a
        # second pass over the disk
        copy.execute("PRAGMA synchronous = OFF")
        mode = copy.execute("PRAGMA journal_mode = DELETE").fetchone()[0]   # the copied WAL replayed, removed
        if str(mode).lower() != "delete":
            raise sqlite3.OperationalError(f"journal mode of the copy stayed {mode}")
    finally:
        copy.close()
    if sync:
        _fsync_file(temp)
    check = check_backup_file(temp, thorough=thorough)
    if not check.ok:
        raise _not_checked(check.reason)
    return check


def _header_fields(check: BackupCheck) -> dict[str, Any]:
    """What an encrypted backup's header says of the database inside (`backup_crypto.seal_chunks`)."""
    identity = check.identity or DatabaseIdentity("", False, "", "")
    return {"database_id": identity.database_id, "demo": identity.demo, "institution": identity.institution,
            "brin": identity.brin, "schema_version": check.schema_version, "audit_head": check.audit_head}


def _checkpoint(db_path: Path) -> None:
    """Moves the WAL's pages into the database file and empties the WAL — at once or not at all: without a busy
    timeout it gives up when another connection is writing or still reads an older state (the background full
    check's long read), instead of holding back the writers meanwhile (a checkpoint that waits blocks new ones).
    Then `_seal_snapshot` finds a WAL and the backup is made from a copy of the files as before."""
    try:    # mode=rw: a file that is not there is not created
        conn = sqlite3.connect(f"{Path(db_path).resolve().as_uri()}?mode=rw", uri=True, isolation_level=None,
                               timeout=0)
    except sqlite3.Error:
        return            # the reading below says what is wrong with it
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    except sqlite3.Error:
        pass              # busy: the copy below is made from the files as they are
    finally:
        conn.close()


def _seal_snapshot(reader: Store, db_path: Path, sealed: Path, name: str, key: bytes) -> BackupCheck | None:
    """An encrypted backup written straight from the database file, without a plain copy first (issue 16: the
    plain copy, its replay and reading it back made an encrypted backup of 2.7 GB take 2.2-2.7x the same backup
    unencrypted): possible when the snapshot of `reader`'s read transaction is the file alone — its WAL empty
    (`_checkpoint`), so every page is in the file, and no checkpoint writes into it while the transaction is
    held (the same guarantees as `_copy_files`). Checked the quick way on that same snapshot before a byte is
    sealed (`_content_check`: ours, a known version, its identity and audit head, which the header carries);
    the full check of the backup follows in the background, as for any backup. None: the WAL held pages — the
    caller copies the files and seals that copy instead."""
    with _read_snapshot(reader.conn):
        log = Path(f"{db_path}-wal")
        if log.exists() and log.stat().st_size > 0:
            return None
        check = _content_check(reader, db_path, thorough=False)
        if not check.ok:
            raise _not_checked(check.reason.replace(db_path.name, name))
        page_size = reader.query_one("PRAGMA page_size")[0]
        backup_crypto.seal_chunks(_file_as_copy(db_path, page_size), sealed, key, _header_fields(check))
        return check


def _file_as_copy(db_path: Path, page_size: int, lock_offset: int = LOCK_BYTE_OFFSET) -> Iterator[bytes]:
    """The database file in `backup_crypto.CHUNK`s as `copy_database`'s plain copy holds it: the lock page as
    zeros (`copy_past_lock_page`), and the header's read and write versions (bytes 18 and 19) 1 — rollback
    journal, a file that needs no WAL beside it — where a WAL database has 2: what `PRAGMA journal_mode =
    DELETE` writes into the copy (sqlite.org/fileformat2.html, "File format version numbers")."""
    chunk = backup_crypto.CHUNK
    with open(db_path, "rb") as src:
        size = os.fstat(src.fileno()).st_size
        gap, after = _lock_page(size, page_size, lock_offset)
        at = 0
        while at < size:
            end = min(size, at + chunk)
            parts = []
            for lo, hi, zeros in ((at, min(end, gap), False), (max(at, gap), min(end, after), True),
                                  (max(at, after), end, False)):
                if hi > lo:
                    src.seek(lo)
                    parts.append(bytes(hi - lo) if zeros else src.read(hi - lo))
            block = b"".join(parts)
            if at == 0 and len(block) >= 20:
                block = block[:18] + b"\x01\x01" + block[20:]
            yield block
            at = end


@contextlib.contextmanager
def _read_snapshot(conn: sqlite3.Connection) -> Iterator[None]:
    """A read transaction whose snapshot is taken at once (a plain BEGIN takes it at the first read) and held for
    the block: what the backup copies or seals is that one committed state."""
    conn.execute("BEGIN")
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        yield
    finally:
        conn.execute("COMMIT")


def _not_checked(reason: str) -> StorageError:
    return StorageError(f"De back-up kon niet worden gecontroleerd: {reason} Er is geen back-up gemaakt.")


def _lock_page(size: int, page_size: int, lock_offset: int) -> tuple[int, int]:
    """Where SQLite's lock-byte page lies in a file of `size` bytes: [gap, after), empty below 1 GiB."""
    return min(size, lock_offset), min(size, lock_offset + page_size)


def _copy_files(source: sqlite3.Connection, db_path: Path, temp: Path, wal: bool) -> None:
    """The database file, then its WAL, copied while `source` holds a read transaction. While a reader holds
    one, SQLite copies no WAL frame past the reader's snapshot into the database file and does not start the
    WAL over (sqlite.org/wal.html, "Checkpointing"; wal.c's read locks): every page a checkpoint writes into the
    file during the copy is also in the WAL copied after it, which the copy replays when it is opened. What a
    writer appends to the WAL meanwhile is a later commit the copy then holds whole, or a torn last frame its
    recovery leaves out (each frame is checksummed, only committed transactions are replayed). A database
    without a WAL (rollback journal) cannot be written at all while the read transaction holds its shared lock.
    `wal` False: a write-protected medium opened immutable, whose file is all SQLite reads."""
    with _read_snapshot(source):
        copy_past_lock_page(db_path, temp, source.execute("PRAGMA page_size").fetchone()[0])
        log = Path(f"{db_path}-wal")
        if wal and log.exists():
            shutil.copyfile(log, Path(f"{temp}-wal"))


def copy_past_lock_page(source: Path, target: Path, page_size: int, lock_offset: int = LOCK_BYTE_OFFSET) -> None:
    """`source` copied to `target` as it is, except the page holding SQLite's lock bytes (a file over 1 GiB):
    SQLite never stores anything there, and on Windows the bytes other connections lock in it cannot be read
    — a read across them fails while a query takes its lock. The copy gets zeros there, as SQLite would write."""
    with open(source, "rb") as src, open(target, "wb") as dst:
        size = os.fstat(src.fileno()).st_size
        gap, after = _lock_page(size, page_size, lock_offset)
        _copy_range(src, dst, 0, gap)
        _copy_range(src, dst, after, size)
        if after > gap:
            dst.seek(gap)
            dst.write(bytes(after - gap))


def _copy_range(src: Any, dst: Any, begin: int, end: int) -> None:
    """Bytes `begin`..`end` of one open file into the same place of another: in the kernel where it can
    (`os.copy_file_range`, Linux: as fast as a plain copy), else in chunks."""
    at = begin
    while at < end:
        if hasattr(os, "copy_file_range"):
            done = os.copy_file_range(src.fileno(), dst.fileno(), min(_CHUNK, end - at), at, at)
        else:
            src.seek(at)
            dst.seek(at)
            done = dst.write(src.read(min(_CHUNK, end - at)))
        if not done:
            return      # shorter than it was (not while a read transaction holds it): the check refuses the copy
        at += done


def _remove_copy(temp: Path) -> None:
    for path in (temp, Path(f"{temp}-wal"), Path(f"{temp}-shm"), temp.with_name(temp.name + ".versleuteld")):
        _unlink_quietly(path)


def new_backup_path(folder: Path, taken_at: datetime, reason: BackupReason) -> Path:
    """A fresh name in the folder; two backups in the same second get a counter."""
    counter = 0
    while True:
        path = folder / backup_name(taken_at, reason, counter)
        if not path.exists():
            return path
        counter += 1


# --- reading backups --------------------------------------------------------------------------

def check_backup_file(path: Path, thorough: bool = True) -> BackupCheck:
    """Whether `path` is a complete, undamaged ExamDesk database this version can use.

    `thorough`: SQLite's integrity check of every page (reads the whole file). Without it: complete
    (as long as its header says), opens, ours, a version this ExamDesk knows, its identity and audit
    head readable — what a copy just made and synced needs before it gets its name.
    Opened read-only and immutable, so checking a file on a write-protected stick changes nothing.
    """
    path = Path(path)
    name = path.name
    if backup_crypto.is_encrypted(path):
        return _check_encrypted(path, thorough)
    try:
        size = path.stat().st_size
        with open(path, "rb") as handle:
            header = handle.read(100)
    except FileNotFoundError:
        return BackupCheck(path, False, f"Het bestand {name} bestaat niet.")
    except OSError as exc:
        return BackupCheck(path, False, f"Het bestand {name} kan niet worden gelezen ({exc.strerror}).")
    if not header.startswith(SQLITE_MAGIC) or len(header) < 100:
        return BackupCheck(path, False, f"{name} is geen back-up van ExamDesk (het is geen SQLite-database).")
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    header_pages = int.from_bytes(header[28:32], "big")
    if header_pages and size < header_pages * page_size:
        return BackupCheck(path, False, f"{name} is onvolledig (afgekapt): het bestand is kleiner dan de "
                                        "database die erin hoort te staan.")
    try:
        store = open_readonly(path, immutable=True)
    except sqlite3.Error as exc:
        return BackupCheck(path, False, f"{name} kan niet worden geopend ({exc}).")
    try:
        return _content_check(store, path, thorough)
    finally:
        store.close()


def _content_check(store: Store, path: Path, thorough: bool) -> BackupCheck:
    """`check_backup_file`'s reading of the database in `store` (the file at `path`)."""
    name = path.name
    try:
        app_id = store.query_one("PRAGMA application_id")[0]
        version = store.schema_version()
        if app_id != APPLICATION_ID:
            return BackupCheck(path, False, f"{name} is geen back-up van ExamDesk.")
        if version > migrations.LATEST_VERSION:
            return BackupCheck(path, False, f"{name} is gemaakt met een nieuwere versie van ExamDesk (schemaversie "
                                            f"{version}; deze versie kent tot {migrations.LATEST_VERSION}). "
                                            "Werk ExamDesk eerst bij.", version)
        problems = store.integrity_check() if thorough else ["ok"]
        if problems != ["ok"]:
            return BackupCheck(path, False, f"{name} is beschadigd: de integriteitscontrole meldt "
                                            f"'{first_problem(problems)}'.", version)
        head = _audit_head(store)
        identity = _identity(store)
    except sqlite3.DatabaseError as exc:
        return BackupCheck(path, False, f"{name} is beschadigd ({exc}).")
    return BackupCheck(path, True, "", version, head, identity)


def is_encrypted(path: Path) -> bool:
    return backup_crypto.is_encrypted(Path(path))


def lost_key_message(name: str, database_id: str) -> str:
    return (f"{name} is versleuteld met de back-upsleutel van database {database_id[:8] or '?'}…, en die sleutel "
            "staat niet op deze computer. Lees het sleutelbestand van die database in (Beheer → Sleutels, of "
            "examdesk keys import BESTAND) en probeer het opnieuw; zonder die sleutel is de back-up niet te openen.")


def backup_key_for(database_id: str) -> bytes | None:
    """The backup key of a database on this computer, or None."""
    from examdesk.data import keystore

    try:
        keys = keystore.load(database_id) if database_id else None
    except ExamDeskError:
        return None
    return keys.backup_key if keys is not None else None


@contextlib.contextmanager
def plain_backup(path: Path) -> Iterator[Path]:
    """A backup as a plain SQLite file: the file itself, or (encrypted) a decrypted copy beside it under a
    temporary name, removed afterwards. BadBackup / StorageError (Dutch) when it cannot be decrypted."""
    path = Path(path)
    header = backup_crypto.header_of(path)
    if header is None:
        yield path
        return
    key = backup_key_for(header.database_id)
    if key is None:
        raise StorageError(lost_key_message(path.name, header.database_id))
    temp = path.with_name(f".{path.name}.{os.getpid()}.ontsleuteld{TEMP_MARK}")
    try:
        backup_crypto.decrypt_file(path, temp, key)
    except backup_crypto.BadBackup as exc:
        raise StorageError(str(exc)) from None
    except OSError as exc:
        raise _os_error(exc, "de back-up ontsleutelen", path.parent) from exc
    try:
        yield temp
    finally:
        _unlink_quietly(temp)


def _check_encrypted(path: Path, thorough: bool) -> BackupCheck:
    """An encrypted backup: its header says which database and head (quick); the thorough check decrypts it
    (which needs this database's backup key) and checks the plain database inside."""
    header = backup_crypto.header_of(path)
    if header is None:
        return BackupCheck(path, False, f"{path.name} is beschadigd: de kop van de versleutelde back-up is onleesbaar.")
    identity = DatabaseIdentity(header.database_id, header.demo, header.institution, header.brin)
    if header.schema_version > migrations.LATEST_VERSION:
        return BackupCheck(path, False, f"{path.name} is gemaakt met een nieuwere versie van ExamDesk (schemaversie "
                                        f"{header.schema_version}). Werk ExamDesk eerst bij.", header.schema_version)
    if not thorough:
        return BackupCheck(path, True, "", header.schema_version, header.audit_head, identity)
    try:
        with plain_backup(path) as plain:
            inner = check_backup_file(plain, thorough=True)
    except StorageError as exc:
        return BackupCheck(path, False, exc.message, header.schema_version, header.audit_head, identity)
    if not inner.ok:
        return BackupCheck(path, False, inner.reason.replace(inner.path.name, path.name), inner.schema_version)
    if inner.identity != identity or inner.audit_head != header.audit_head:
        return BackupCheck(path, False, f"{path.name} is buiten ExamDesk gewijzigd: de kop past niet bij de inhoud.")
    return BackupCheck(path, True, "", inner.schema_version, inner.audit_head, inner.identity)


def _identity(store: Store) -> DatabaseIdentity:
    rows = dict(store.query("SELECT key, value FROM meta WHERE key IN ('database_id', 'demo')"))
    try:
        inst = store.query_one("SELECT name, brin FROM institution WHERE id = 1")
    except sqlite3.OperationalError:
        inst = None
    return DatabaseIdentity(rows.get("database_id", ""), rows.get("demo") == "1", inst["name"] if inst else "",
                            inst["brin"] if inst else "")


def read_identity(path: Path, immutable: bool = True) -> DatabaseIdentity | None:
    """Which database a file is (cheap: no integrity check). None when it cannot be read as ExamDesk's."""
    path = Path(path)
    if not path.is_file() or path.stat().st_size == 0:
        return None
    header = backup_crypto.header_of(path)
    if header is not None:
        return DatabaseIdentity(header.database_id, header.demo, header.institution, header.brin)
    try:
        store = open_readonly(path, immutable=immutable)
    except sqlite3.Error:
        return None
    try:
        if store.query_one("PRAGMA application_id")[0] != APPLICATION_ID:
            return None
        return _identity(store)
    except sqlite3.DatabaseError:
        return None
    finally:
        store.close()


def _audit_head(store: Store) -> tuple[int, str] | None:
    rows = dict(store.query("SELECT key, value FROM meta WHERE key IN ('audit_head_seq', 'audit_head_hash')"))
    if len(rows) != 2:
        return None
    return int(rows["audit_head_seq"]), rows["audit_head_hash"]


def read_audit_head(path: Path, immutable: bool = True) -> tuple[int, str] | None:
    """The last audit entry a file recorded; cheap (no integrity check). None when unreadable."""
    header = backup_crypto.header_of(Path(path))
    if header is not None:
        return header.audit_head
    try:
        store = open_readonly(path, immutable=immutable)
    except sqlite3.Error:
        return None
    try:
        return _audit_head(store)
    except sqlite3.DatabaseError:
        return None
    finally:
        store.close()


# --- one folder per database ------------------------------------------------------------------

REGISTRY_NAME = "database.json"  # in each database's folder: which database, and where it was last seen


def database_folder(root: Path, database_id: str) -> Path:
    """backups/<database id>/: each database rotates only its own copies. A file from before v006 (no
    id) has its backups in the root folder, as all backups were before."""
    return root / database_id if database_id else root


def write_registry(folder: Path, identity: DatabaseIdentity, db_path: Path) -> None:
    """Best effort: a database that is missing later can still be matched to its backups by its path."""
    record = {"database_id": identity.database_id, "demo": identity.demo, "instelling": identity.institution,
              "brin": identity.brin, "pad": str(Path(db_path).resolve())}
    target = folder / REGISTRY_NAME
    temp = _temp_path(target)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        temp.write_text(json.dumps(record, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(temp, target)
    except OSError:
        _unlink_quietly(temp)


def read_registry(folder: Path) -> dict[str, object] | None:
    try:
        value = json.loads((folder / REGISTRY_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return value if isinstance(value, dict) else None


def folders_for_path(root: Path, db_path: Path) -> list[Path]:
    """The database folders whose registry says their database lived at `db_path`."""
    if not root.is_dir():
        return []
    wanted = str(Path(db_path).resolve())
    found = []
    for entry in root.iterdir():
        if entry.is_dir():
            record = read_registry(entry)
            if record is not None and record.get("pad") == wanted:
                found.append(entry)
    return found


def release_path(root: Path, db_path: Path, keep_id: str) -> None:
    """Another database now lives at `db_path` (a restore through ExamDesk): the registries of the
    others forget that path, so they are no longer taken for what belongs there."""
    for folder in folders_for_path(root, db_path):
        record = read_registry(folder)
        if record is not None and record.get("database_id") != keep_id:
            record["pad"] = ""
            target = folder / REGISTRY_NAME
            temp = _temp_path(target)
            try:
                temp.write_text(json.dumps(record, ensure_ascii=False, indent=1), encoding="utf-8")
                os.replace(temp, target)
            except OSError:
                _unlink_quietly(temp)


def adopt_legacy(root: Path, database_id: str) -> None:
    """Backups made before there was a folder per database lie in the root; those of `database_id` move
    into its folder (so its rotation sees them, and no other database's rotation ever does)."""
    if not database_id or not root.is_dir():
        return
    target = database_folder(root, database_id)
    for backup in list_backup_files(root):
        identity = read_identity(backup.path)
        if identity is not None and identity.database_id == database_id:
            try:
                target.mkdir(parents=True, exist_ok=True)
                if not (target / backup.name).exists():
                    os.replace(backup.path, target / backup.name)
            except OSError:
                continue


def list_backup_files(folder: Path) -> list[BackupFile]:
    """Our backups in the folder, newest first. Other files (and unfinished temporaries) are ignored."""
    if not folder.is_dir():
        return []
    found = []
    for entry in folder.iterdir():
        parsed = parse_backup_name(entry.name)
        if parsed is None or not entry.is_file():
            continue
        found.append(BackupFile(entry, parsed[0], parsed[1], entry.stat().st_size))
    return sorted(found, key=lambda b: (b.taken_at, b.name), reverse=True)


def describe_file(path: Path) -> BackupFile:
    """A backup outside the folder (`--out`, a stick): its time from the name, or else the file's."""
    parsed = parse_backup_name(path.name)
    stat = path.stat()
    if parsed:
        return BackupFile(path, parsed[0], parsed[1], stat.st_size)
    return BackupFile(path, datetime.fromtimestamp(stat.st_mtime, AMSTERDAM), BackupReason.MANUAL, stat.st_size)


def delete_backup_files(folder: Path, names: Iterable[str]) -> list[str]:
    """Rotation: removes the named backups from the folder (only names that are ours), with their checks."""
    removed = []
    for name in names:
        if parse_backup_name(name) is None:
            continue
        with contextlib.suppress(FileNotFoundError):
            (folder / name).unlink()
            removed.append(name)
        _unlink_quietly(_check_path(folder / name))
    return removed


# --- the full check of a backup, made after it ------------------------------------------------

def _check_path(backup: Path) -> Path:
    return backup.with_name(f".{backup.name}.controle.json")


def record_check(backup: Path, check: BackupCheck) -> None:
    """The verdict of the full check of a backup, beside it (best effort: a read-only folder keeps none)."""
    target = _check_path(backup)
    temp = _temp_path(target)
    try:
        temp.write_text(json.dumps({"ok": check.ok, "reden": check.reason}, ensure_ascii=False), encoding="utf-8")
        os.replace(temp, target)
    except OSError:
        _unlink_quietly(temp)


def read_check(backup: Path) -> BackupCheck | None:
    """The full check recorded for this backup, or None when it has not been made yet."""
    try:
        value = json.loads(_check_path(backup).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(value, dict) or not isinstance(value.get("ok"), bool):
        return None
    return BackupCheck(backup, value["ok"], str(value.get("reden", "")))


# --- restoring and moving aside ---------------------------------------------------------------

def replace_database(db_path: Path, backup: Path) -> None:
    """Puts a copy of `backup` in place of the database. Every connection to it must be closed.

    Copy to a temporary name beside the database, fsync, fold any WAL left by another reader into
    the old file (so that if the rename fails nothing committed is lost), remove the old -wal/-shm
    (a stale WAL would otherwise be replayed onto the restored file), atomically rename, fsync the folder.
    """
    temp = _temp_path(db_path)
    header = backup_crypto.header_of(Path(backup))
    try:
        if header is None:
            shutil.copyfile(backup, temp)
        else:
            key = backup_key_for(header.database_id)
            if key is None:
                raise StorageError(lost_key_message(Path(backup).name, header.database_id))
            try:
                backup_crypto.decrypt_file(Path(backup), temp, key)
            except backup_crypto.BadBackup as exc:
                raise StorageError(f"{exc} Er is niets gewijzigd.") from None
        _fsync_file(temp)
        _checkpoint_quietly(db_path)
        for extra in sidecars(db_path):
            _unlink_quietly(extra)
        os.replace(temp, db_path)
        _fsync_dir(db_path.parent)
    except OSError as exc:
        _unlink_quietly(temp)
        raise _os_error(exc, f"de back-up terugzetten in {db_path}", db_path.parent) from exc


def _checkpoint_quietly(db_path: Path) -> None:
    wal = sidecars(db_path)[0]
    if not db_path.exists() or not wal.exists() or wal.stat().st_size == 0:
        return
    try:
        conn = sqlite3.connect(str(db_path), isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            conn.close()
    except sqlite3.Error:
        pass  # a damaged file: recovery moves it aside with its WAL instead


def move_aside(db_path: Path, moment: datetime) -> Path | None:
    """Renames a damaged database (and its -wal/-shm) to examdesk.sqlite.beschadigd-<tijd>; never deletes.

    Returns the new name of the main file, or None when there was no file."""
    aside = db_path.with_name(damaged_name(db_path.name, moment))
    counter = 1
    while aside.exists():
        aside = db_path.with_name(f"{damaged_name(db_path.name, moment)}-{counter}")
        counter += 1
    moved = None
    try:
        if db_path.exists():
            os.replace(db_path, aside)
            moved = aside
        for extra in sidecars(db_path):
            if extra.exists():
                os.replace(extra, aside.with_name(aside.name + extra.name[len(db_path.name):]))
        _fsync_dir(db_path.parent)
    except OSError as exc:
        raise _os_error(exc, f"het beschadigde bestand {db_path.name} opzij zetten", db_path.parent) from exc
    return moved


def open_for_check(db_path: Path, cancel: Any = None) -> Store:
    """A read-only Store on the live database for the startup check.

    A WAL file in a read-only folder cannot be read the normal way (no -shm can be made there);
    nobody can write there either, so reading it as immutable is then both possible and safe."""
    return open_readonly(db_path, immutable=not os.access(db_path.parent, os.W_OK), cancel=cancel)


def diagnose(db_path: Path, thorough: bool = False, pages: bool = True, cancel: Any = None) -> tuple[str, str]:
    """What is wrong with the database file, without changing it: (kind, Dutch sentence).

    kind is one of ok, missing, empty, unreadable, foreign, newer, corrupt, unavailable (locked or
    unreachable: not damage, so never a reason to replace the file). `thorough`: SQLite's full integrity
    check (`examdesk verify`, the background check after the window is shown); else its quick check;
    `pages=False`: neither — the header, the schema and ExamDesk's marks only, which do not grow with
    the file (a normal start, whose page check runs in the background). `cancel`: see `db.open_readonly`; a
    cancelled check's answer means nothing (the caller looks at `cancel` before using it).
    """
    if not db_path.exists():
        return "missing", f"Het databasebestand {db_path} ontbreekt."
    try:
        size = db_path.stat().st_size
        with open(db_path, "rb") as handle:
            header = handle.read(100)
    except OSError as exc:
        return "unreadable", f"Het databasebestand {db_path} kan niet worden gelezen ({exc.strerror})."
    if size == 0:
        return "empty", f"Het databasebestand {db_path} is leeg (0 bytes): het is afgekapt of overschreven."
    if not header.startswith(SQLITE_MAGIC):
        return "unreadable", (f"Het databasebestand {db_path} is geen leesbare database meer: het begin van het "
                              "bestand is beschadigd.")
    try:
        store = open_for_check(db_path, cancel)
    except sqlite3.Error as exc:
        return "unreadable", f"Het databasebestand {db_path} kan niet worden geopend ({exc})."
    try:
        app_id = store.query_one("PRAGMA application_id")[0]
        version = store.schema_version()
        if app_id != APPLICATION_ID:
            return "foreign", f"Het bestand {db_path} is geen ExamDesk-database (meer)."
        if version > migrations.LATEST_VERSION:
            return "newer", (f"{db_path} is gemaakt met een nieuwere versie van ExamDesk (schemaversie {version}; "
                             f"deze versie kent tot {migrations.LATEST_VERSION}). Werk ExamDesk bij.")
        if pages or thorough:
            problems = store.integrity_check(quick=not thorough)
        else:
            store.query_one("SELECT count(*) FROM sqlite_master")   # the schema itself must still read
            problems = ["ok"]
        if problems != ["ok"]:
            return "corrupt", (f"De integriteitscontrole van {db_path} is mislukt: het bestand is beschadigd "
                               f"({first_problem(problems)}).")
    except sqlite3.OperationalError as exc:
        if is_storage_failure(exc) and "unable to open" not in str(exc).lower():
            return "unavailable", (f"Het databasebestand {db_path} is nu niet te lezen ({exc}); het is in gebruik "
                                   "of de schijf is niet bereikbaar. Probeer het opnieuw.")
        return "corrupt", f"Het databasebestand {db_path} is beschadigd ({exc})."
    except sqlite3.DatabaseError as exc:
        return "corrupt", f"Het databasebestand {db_path} is beschadigd ({exc})."
    finally:
        store.close()
    return "ok", ""
