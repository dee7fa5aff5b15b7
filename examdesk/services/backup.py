"""Backups, restore, the startup check and recovery from a damaged or missing database.
(Over 400 lines: backup, restore, the startup check and recovery are one life cycle of the database file.)

Who calls what:
- the Beheer screen and `examdesk backup/restore`: `BackupService(ctx)` (role beheerder);
- the GUI, on closing and from a timer: `automatic_backup_if_due(store, closing=...)` (no login);
- the launcher, before opening: `claim_database(path)`, then `check_database(path)` and, when the
  user agrees, `recover(path, backup)` or — when only indexes are damaged — `repair(path)` (no login:
  a damaged database has no users to log in with).

Backups live **per database** (``backups/<database id>/``): each database's rotation sees only its
own copies, and only a database's own backups are offered for it. A demo database (marked in
`meta`) is never restored over another database, nor a backup of one database over another.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from examdesk.data import audit as audit_data
from examdesk.data import backup as backup_data
from examdesk.data import instance_lock, keystore
from examdesk.data import meta as meta_data
from examdesk.data.audit import append as append_audit
from examdesk.data.db import Store, open_readonly, open_store
from examdesk.domain.backups import (
    BackupCheck,
    BackupFile,
    BackupReason,
    DatabaseIdentity,
    DatabaseState,
    Retention,
    StartupVerdict,
    due_today,
    plan_retention,
    restore_refusal,
    validate_retention,
)
from examdesk.domain.cancel import Cancellation, Cancelled
from examdesk.domain.cancel import check as check_cancel
from examdesk.domain.clock import format_datetime, now
from examdesk.domain.errors import DatabaseRefused, NotFound, StorageError, ValidationError
from examdesk.domain.roles import Action
from examdesk.paths import backup_dir, demo_db_path
from examdesk.services import integrity

if TYPE_CHECKING:
    from examdesk.services.context import AppContext

InstanceLock = instance_lock.InstanceLock

AUDIT_ENTITY = "database"


@dataclass(frozen=True)
class BackupListing:
    """One row of the Beheer screen: the file, why rotation keeps it, the audit head it recorded, and
    what its full check (made in the background after it) found: None while it has not run yet."""

    backup: BackupFile
    retention: tuple[Retention, ...]
    audit_head: tuple[int, str] | None = None
    check: BackupCheck | None = None
    encrypted: bool = False        # AES-GCM under the backup key; older backups are plain copies

    @property
    def encryption_label(self) -> str:
        return "versleuteld" if self.encrypted else "niet versleuteld (van vóór versleutelde back-ups)"

    @property
    def check_label(self) -> str:
        if self.check is None:
            return "nog niet gecontroleerd"
        return "gecontroleerd" if self.check.ok else f"beschadigd: {self.check.reason}"


# Audit actions that record a look, not a change of what a backup keeps: closing ExamDesk after only these
# since the newest backup makes no new one (a login alone would otherwise cost a full copy every time).
NO_CHANGE_ACTIONS: frozenset[str] = frozenset({
    "ingelogd", "inloggen mislukt", "account geblokkeerd", "kandidaatgegevens ingezien", "back-up gemaakt",
    "register geëxporteerd", "incidentenoverzicht geëxporteerd", "sleutels geëxporteerd",
    "besluit ingezien", "inzageverzoek geëxporteerd",
})


@dataclass(frozen=True)
class RestoreResult:
    restored: BackupFile
    safety_copy: BackupFile | None  # the state just before the restore; None when there was no usable database
    moved_aside: Path | None = None  # recovery: where the damaged file now is


@dataclass(frozen=True)
class RepairResult:
    method: str        # 'REINDEX' or 'opnieuw opgebouwd'
    moved_aside: Path  # the damaged file, kept


def claim_database(db_path: Path) -> InstanceLock:
    """The launcher calls this first: refuses (StorageError, Dutch) when another ExamDesk has the file open.
    Keep the returned lock for the life of the window and `release()` it on exit."""
    return instance_lock.acquire(Path(db_path))


# --- which folder -----------------------------------------------------------------------------------

def folder_of(db_path: Path) -> Path:
    """The backup folder of the database at `db_path`: by its id when the file can be read, else by the
    path its backups recorded (a missing or unreadable database), else the old shared folder."""
    root = backup_dir()
    identity = backup_data.read_identity(Path(db_path), immutable=False)
    if identity is not None and identity.database_id:
        backup_data.adopt_legacy(root, identity.database_id)
        return backup_data.database_folder(root, identity.database_id)
    registered = backup_data.folders_for_path(root, Path(db_path))
    return registered[0] if len(registered) == 1 else root


def _target_identity(db_path: Path) -> DatabaseIdentity | None:
    """What the database at `db_path` is, from the file or (missing, unreadable) from its backups' registry."""
    identity = backup_data.read_identity(Path(db_path), immutable=False)
    if identity is not None:
        return identity
    registered = backup_data.folders_for_path(backup_dir(), Path(db_path))
    if len(registered) == 1:
        record = backup_data.read_registry(registered[0]) or {}
        return DatabaseIdentity(str(record.get("database_id", "")), bool(record.get("demo")),
                                str(record.get("instelling", "")), str(record.get("brin", "")))
    return None


def _replaced_identity(db_path: Path, database_id: str) -> str:
    """A Dutch sentence when, by its backups' registry, another database lived at `db_path` — a non-demo
    one whose keys are on this PC — than the file there now: the file was replaced outside ExamDesk
    (a forged database with an identity and keys of its own would look genuine otherwise)."""
    for folder in backup_data.folders_for_path(backup_dir(), Path(db_path)):
        record = backup_data.read_registry(folder) or {}
        other = str(record.get("database_id", ""))
        if other and other != database_id and not record.get("demo") and keystore.has_keys(other):
            who = f" van {record.get('instelling')}" if record.get("instelling") else ""
            return (f"Op {db_path} stond de database{who} met identiteit {other[:8]}… (zo staat het bij zijn back-ups); "
                    f"het bestand is nu een andere database (identiteit {database_id[:8] or '?'}…). Het is buiten "
                    "ExamDesk vervangen. Zet een back-up van de eigen database terug; was het de bedoeling, open het "
                    "andere bestand dan op een eigen plek (--db).")
    return ""


def _is_demo_place(db_path: Path) -> bool:
    return Path(db_path).resolve() == demo_db_path().resolve()


# --- checking backups -------------------------------------------------------------------------

def check_backup(path: Path) -> BackupCheck:
    """A backup is good when the file is complete and undamaged, ours, not from a newer ExamDesk, its
    keys are on this computer, and its history proves itself (a restored database must not start with
    a broken trail)."""
    check = backup_data.check_backup_file(path)
    if not check.ok:
        return check
    try:
        with backup_data.plain_backup(path) as plain:   # an encrypted backup: decrypted beside it, then removed
            if plain != path:
                inner = backup_data.check_backup_file(plain, thorough=False)
                if not inner.ok or inner.identity != check.identity or inner.audit_head != check.audit_head:
                    return BackupCheck(check.path, False, f"{path.name} is buiten ExamDesk gewijzigd: de kop past "
                                                          "niet bij de inhoud.", check.schema_version)
            store = open_readonly(plain, immutable=True)
            try:
                report = integrity.check_store(store, None, full=True)
            finally:
                store.close()
    except StorageError as exc:
        return BackupCheck(check.path, False, exc.message, check.schema_version, check.audit_head, check.identity)
    if not report.ok:
        return BackupCheck(check.path, False, f"{path.name} is niet in orde: {report.first}",
                           check.schema_version, check.audit_head, check.identity)
    return check


def resolve_backup(text: str | Path, folder: Path | None = None) -> Path:
    """A path, or the bare name of a file in the database's backup folder."""
    path = Path(text)
    if path.is_file():
        return path
    folder = folder or backup_dir()
    in_folder = folder / path.name
    if in_folder.is_file():
        return in_folder
    raise NotFound(f"Het back-upbestand {text} bestaat niet (ook niet in {folder}).")


def require_good_backup(path: Path, db_path: Path | None = None) -> BackupFile:
    """The file checked as a backup (and, with `db_path`, as one that may replace that database), or
    DatabaseRefused with the Dutch reason; nothing is changed either way."""
    check = check_backup(path)
    if not check.ok:
        raise DatabaseRefused(f"{check.reason} Er is niets gewijzigd.")
    if db_path is not None and check.identity is not None:
        refusal = restore_refusal(_target_identity(db_path), check.identity, _is_demo_place(db_path))
        if refusal:
            raise DatabaseRefused(refusal)
    return backup_data.describe_file(path)


def newest_good_backup(folder: Path | None = None, db_path: Path | None = None) -> BackupFile | None:
    for candidate in backup_data.list_backup_files(folder or backup_dir()):
        check = check_backup(candidate.path)
        if not check.ok:
            continue
        if db_path is not None and check.identity is not None and restore_refusal(
                _target_identity(db_path), check.identity, _is_demo_place(db_path)):
            continue
        return candidate
    return None


# --- making backups ---------------------------------------------------------------------------

def _retention_settings(store: Store) -> tuple[int, int]:
    from examdesk.services import settings  # not before the startup check: it needs none of it (issue 16)

    return settings.read(store, settings.BACKUP_KEEP_DAILY), settings.read(store, settings.BACKUP_KEEP_WEEKLY)


def _settings_of(db_path: Path) -> tuple[int, int]:
    """Read through a connection of its own, so a backup on a worker thread never shares the GUI's."""
    store = open_readonly(db_path)
    try:
        return _retention_settings(store)
    finally:
        store.close()


def _claim(db_path: Path) -> None:
    """After a restore through ExamDesk: this path belongs to the restored database now."""
    identity = backup_data.read_identity(Path(db_path), immutable=False)
    if identity is not None and identity.database_id:
        backup_data.release_path(backup_dir(), Path(db_path), identity.database_id)
        folder = backup_data.database_folder(backup_dir(), identity.database_id)
        if folder.is_dir():
            backup_data.write_registry(folder, identity, Path(db_path))


def _take(db_path: Path, reason: BackupReason, moment: datetime, target: Path | None = None) -> BackupFile:
    """Copies the database (its own connections only: safe on a worker thread) and rotates its folder —
    only its own folder: another database's backups are never touched."""
    folder = folder_of(db_path)
    path = target or backup_data.new_backup_path(folder, moment, reason)
    source = backup_data.read_identity(Path(db_path), immutable=False)
    key = backup_data.backup_key_for(source.database_id) if source is not None else None
    backup_data.copy_database(db_path, path, thorough=reason is BackupReason.BEFORE_RESTORE, backup_key=key)
    identity = backup_data.read_identity(path)
    if target is None and identity is not None and identity.database_id:
        backup_data.write_registry(folder, identity, db_path)
    if target is None and reason is not BackupReason.BEFORE_RESTORE:
        # not before a restore: rotation could otherwise remove the very copy about to be restored; and
        # never the copy just made (two in the same second sort by name, and 'automatisch' comes first)
        daily, weekly = _settings_of(db_path)
        plan = plan_retention(backup_data.list_backup_files(folder), daily, weekly, moment)
        backup_data.delete_backup_files(folder, [name for name in plan.remove if name != path.name])
    integrity.note_head(db_path)  # the head is in a backup now: a witness
    return backup_data.describe_file(path)


def changed_since(db_path: Path, backup: Path) -> bool:
    """Whether the database holds a change the backup lacks: every change is audited, so the backup's
    audit head is compared with the database's, and the entries after it are asked whether any records a
    change (not only `NO_CHANGE_ACTIONS`). Another line of history (the backup's head is not in this
    chain) is a change. Connections of its own: safe on a worker thread."""
    recorded = backup_data.read_audit_head(backup)
    if recorded is None:
        return True
    store = open_readonly(db_path)
    try:
        if audit_data.head(store) == recorded:
            return False
        if audit_data.hash_at(store, recorded[0]) != recorded[1]:
            return True
        return audit_data.changed_after(store, recorded[0], NO_CHANGE_ACTIONS)
    finally:
        store.close()


def automatic_backup_if_due(store: Store, closing: bool = False,
                            clock: Callable[[], datetime] = now) -> BackupFile | None:
    """The GUI calls this from a timer (`closing=False`: at most one backup per calendar day) and when
    ExamDesk closes (`closing=True`: also when something changed since the newest backup — a login or a
    look at a file is not a change, see `changed_since`). Returns the new backup or None. Needs no login.
    Raises StorageError (Dutch) when the copy fails; the database is never changed by a backup.
    Uses only `store.path` and connections of its own, so it may run on a worker thread; from the timer
    (not when closing) it first makes the full check of backups that still lack one (`check_pending`)."""
    moment = clock()
    if not closing:
        check_pending(store.path)
    existing = backup_data.list_backup_files(folder_of(store.path))
    newest = existing[0] if existing else None
    due = due_today(newest.taken_at if newest else None, moment)
    if not due and closing and newest is not None:
        due = changed_since(store.path, newest.path)
    if not due:
        if closing:
            integrity.note_head(store.path)
        return None
    return _take(store.path, BackupReason.AUTOMATIC, moment)


def check_pending(db_path: Path) -> list[BackupCheck]:
    """The full check (every page) of this database's backups that have not had one yet, newest first;
    each verdict is kept beside its backup. Long for a large file, but SQLite reads the pages without
    holding Python's lock: run it on a worker thread and the GUI stays as it is. A damaged backup is
    never offered for a restore (`newest_good_backup` checks again), and the Beheer list names it."""
    done = []
    for backup in backup_data.list_backup_files(folder_of(db_path)):
        if backup_data.read_check(backup.path) is None:
            check = backup_data.check_backup_file(backup.path)
            backup_data.record_check(backup.path, check)
            done.append(check)
    return done


class BackupService:
    def __init__(self, ctx: AppContext):
        self.ctx = ctx

    def list(self) -> list[BackupListing]:
        """This database's backups only, newest first, with why rotation keeps each and its audit head."""
        self.ctx.require(Action.MANAGE_BACKUPS)
        backups = backup_data.list_backup_files(self.folder())
        daily, weekly = _retention_settings(self.ctx.store)
        plan = plan_retention(backups, daily, weekly, self.ctx.clock())
        return [BackupListing(b, plan.keep.get(b.name, ()), backup_data.read_audit_head(b.path),
                              backup_data.read_check(b.path), backup_data.is_encrypted(b.path)) for b in backups]

    def folder(self) -> Path:
        return folder_of(self.ctx.store.path)

    def backup_now(self, out: Path | None = None) -> BackupFile:
        """A manual backup into the backup folder, or to `out` (which must not exist yet)."""
        self.ctx.require(Action.MANAGE_BACKUPS)
        if out is not None:
            out = Path(out)
            if out.exists():
                raise ValidationError(f"{out} bestaat al; kies een andere bestandsnaam. Er is niets overschreven.")
        made = _take(self.ctx.store.path, BackupReason.MANUAL, self.ctx.clock(), out)
        self.ctx.audit("back-up gemaakt", AUDIT_ENTITY, made.name, {"bestand": str(made.path), "grootte": made.size})
        return made

    def retention(self) -> tuple[int, int]:
        self.ctx.require(Action.MANAGE_BACKUPS)
        return _retention_settings(self.ctx.store)

    def set_retention(self, keep_daily: int, keep_weekly: int) -> None:
        self.ctx.require(Action.MANAGE_BACKUPS)
        keep_daily, keep_weekly = validate_retention(keep_daily, keep_weekly)
        from examdesk.services import settings

        store = self.ctx.store
        with store.transaction():
            settings.write(store, settings.BACKUP_KEEP_DAILY, keep_daily)
            settings.write(store, settings.BACKUP_KEEP_WEEKLY, keep_weekly)
            self.ctx.audit("back-upinstelling gewijzigd", AUDIT_ENTITY, "bewaartermijn",
                           {"dagelijks": keep_daily, "wekelijks": keep_weekly})

    def restore(self, backup: Path | str) -> RestoreResult:
        """Replaces the open database by a backup: first checks it (and that it is this database's),
        then backs up the current state, then swaps the file with the connection closed, reopens, and
        audits the restore in the restored database. Anything refused before the swap leaves everything
        as it was. A current file too damaged to copy is moved aside instead (kept, never deleted)."""
        self.ctx.require(Action.MANAGE_BACKUPS)
        store = self.ctx.store
        path = resolve_backup(backup, self.folder())
        chosen = require_good_backup(path, store.path)
        moment = self.ctx.clock()
        safety: BackupFile | None = None
        moved: Path | None = None
        try:
            safety = _take(store.path, BackupReason.BEFORE_RESTORE, moment)
        except StorageError:
            kind, _problem = backup_data.diagnose(store.path, thorough=True)
            if kind not in ("corrupt", "unreadable"):
                raise  # a full disk or a read-only folder: not a reason to throw the current state away
        with store.offline():
            if safety is None:
                moved = backup_data.move_aside(store.path, moment)
            backup_data.replace_database(store.path, path)
        self.ctx.audit("back-up teruggezet", AUDIT_ENTITY, chosen.name, {
            "back-up": chosen.name,
            "back-up van": format_datetime(chosen.taken_at),
            "veiligheidskopie vooraf": safety.name if safety else "(niet mogelijk: de database was beschadigd)",
            **({"beschadigd bestand": moved.name} if moved else {}),
        })
        integrity.reset_witness(store.path)
        _claim(store.path)
        return RestoreResult(chosen, safety, moved)


# --- the startup check and recovery -------------------------------------------------------------

_DAMAGE = {"empty", "unreadable", "foreign", "corrupt"}


T = TypeVar("T")


def _stopped_or(cancel: Cancellation | None, work: Callable[[], T]) -> T:
    """`work()`, or `Cancelled` when it failed (an interrupted query) or ended because `cancel` was cancelled:
    what it found then is incomplete and must not be recorded."""
    try:
        found = work()
    except Exception:
        if cancel is not None and cancel.cancelled:
            raise Cancelled() from None
        raise
    check_cancel(cancel)
    return found


def check_database(db_path: Path, find_backup: bool = True, thorough: bool = False,
                   clock: Callable[[], datetime] = now, record: bool = False,
                   cancel: Cancellation | None = None) -> StartupVerdict:
    """What the launcher and `examdesk verify` show before opening: never changes the database.

    `thorough` (verify, and the GUI's check in the background): the full integrity check and every chain
    from its first row, with every witness. Otherwise (startup): only what came after the position
    verified last time, and no page-by-page check when there is such a position (it runs in the
    background; without one, the quick check runs first). Nothing here grows with the file on a normal
    start. `record`: a check without problems moves that position (in the witness file beside the keys)
    up to here. `cancel` (the background check, when ExamDesk closes): raises `Cancelled` and records nothing —
    neither a verified position nor a dropped one — so the next start checks again.
    """
    db_path = Path(db_path)
    moment = clock()
    folder = folder_of(db_path)
    # A normal start (this PC verified the file before) does not read every page before the window: the
    # full check follows in the background. A first start here, or one after a problem, still does.
    pages = thorough or not integrity.has_checkpoint(db_path)
    kind, problem = backup_data.diagnose(db_path, thorough, pages=pages, cancel=cancel)
    check_cancel(cancel)   # an interrupted integrity check says nothing about the file
    if kind == "corrupt" and thorough and record:
        integrity.drop_checkpoint(db_path)   # the next start checks the pages first, and offers the recovery
    details: tuple[str, ...] = ()
    if kind == "ok":
        store = backup_data.open_for_check(db_path, cancel)
        try:
            report = _stopped_or(cancel, lambda: integrity.check_store(
                store, db_path, full=thorough, backup_folder=folder if thorough else None, cancel=cancel))
            if report.ok and record:   # a stop that lands on these reads is the stop too, not a failure
                _stopped_or(cancel, lambda: integrity.record_verified(store, db_path, report))
            database_id = _stopped_or(cancel, lambda: meta_data.database_id(store))
        finally:
            store.close()
        replaced = _replaced_identity(db_path, database_id)
        if replaced:
            kind, problem = "tampered", replaced
        elif report.keys_missing:
            return StartupVerdict(db_path, DatabaseState.KEYS_MISSING, report.first, moment, backup_folder=folder,
                                  details=(report.first,), database_id=database_id)
        elif report.ok:
            return StartupVerdict(db_path, DatabaseState.OK, "", moment, backup_folder=folder,
                                  audit_entries=report.audit_entries, database_id=database_id)
        else:
            if thorough and record:
                integrity.drop_checkpoint(db_path)  # the next start checks everything, and offers recovery
            first = report.problems[0]
            what = "Het auditlogboek" if first.table in ("audit_log", "meta") else "De vastgelegde geschiedenis"
            kind, problem = "tampered", f"{what} in {db_path} is niet in orde: {first.sentence}"
            details = (problem, *(p.sentence for p in report.problems[1:]))
    if kind in ("newer", "unavailable"):
        return StartupVerdict(db_path, DatabaseState.REFUSED, problem, moment, backup_folder=folder)
    newest = newest_good_backup(folder, db_path) if find_backup else None
    any_backups = bool(backup_data.list_backup_files(folder))
    if kind == "missing" or (kind == "empty" and not any_backups):
        state = DatabaseState.MISSING if any_backups else DatabaseState.NEW
    else:
        state = DatabaseState.DAMAGED
    from examdesk.data import repair as repair_data  # only for a damaged file

    repairable = kind == "corrupt" and repair_data.tables_readable(db_path)
    if repairable:
        problem += (" Alleen een index is beschadigd; de gegevens zelf zijn leesbaar. ExamDesk kan de indexen "
                    "opnieuw opbouwen zonder dat er iets verloren gaat.")
    return StartupVerdict(db_path, state, problem, moment, newest, folder, details=details or (problem,),
                          repairable=repairable)


def recover(db_path: Path, backup: Path | str, reason: str = "",
            clock: Callable[[], datetime] = now) -> RestoreResult:
    """Recovery without login: moves the damaged file aside (never deletes it), restores the backup,
    opens it once (migrations, WAL) and appends 'herstel na beschadiging' to its audit trail.
    The backup is checked first (also that it may replace this database); a bad one changes nothing."""
    db_path = Path(db_path)
    path = resolve_backup(backup, folder_of(db_path))
    chosen = require_good_backup(path, db_path)
    moment = clock()
    db_path.parent.mkdir(parents=True, exist_ok=True)
    moved = backup_data.move_aside(db_path, moment)
    backup_data.replace_database(db_path, path)
    store = open_store(db_path, create=False)
    try:
        append_audit(store, None, "systeem", "herstel na beschadiging", AUDIT_ENTITY, chosen.name, {
            "back-up": chosen.name,
            "back-up van": format_datetime(chosen.taken_at),
            "beschadigd bestand": moved.name if moved else "(ontbrak)",
            "reden": reason,
        })
    finally:
        store.close()
    integrity.reset_witness(db_path)
    _claim(db_path)
    return RestoreResult(chosen, None, moved)


def repair(db_path: Path, clock: Callable[[], datetime] = now) -> RepairResult:
    """Rebuilds damaged indexes without login and without losing data: on a copy (the database and its
    WAL), which must then pass the integrity check and prove its history; only then is the damaged file
    moved aside (kept) and the repaired copy put in its place, and the repair audited. Anything less
    changes nothing and says so: then a backup must be restored."""
    from examdesk.data import repair as repair_data

    db_path = Path(db_path)
    if not repair_data.tables_readable(db_path):
        raise DatabaseRefused(f"{db_path} is ook buiten de indexen beschadigd: herstellen zonder verlies is niet "
                              "mogelijk. Zet de nieuwste goede back-up terug. Er is niets gewijzigd.")
    work = db_path.with_name(f".{db_path.name}.{os.getpid()}.herstel")
    extras = [(side, work.with_name(work.name + side.name[len(db_path.name):]))
              for side in backup_data.sidecars(db_path)]
    try:
        shutil.copyfile(db_path, work)
        for side, copy in extras:
            if side.exists():
                shutil.copyfile(side, copy)
        method = repair_data.rebuild_indexes(work)
        sound = bool(method) and backup_data.check_backup_file(work).ok
        if sound:
            store = open_readonly(work)
            try:
                report = integrity.check_store(store, None, full=True)
            finally:
                store.close()
            sound = report.ok
        if not sound:
            raise DatabaseRefused(f"De indexen van {db_path} konden niet zonder verlies opnieuw worden opgebouwd. "
                                  "Zet de nieuwste goede back-up terug. Er is niets gewijzigd.")
        for _side, copy in extras:
            if copy.exists():
                copy.unlink()
        moved = backup_data.move_aside(db_path, clock())
        os.replace(work, db_path)
    except OSError as exc:
        raise StorageError(f"Het herstel van {db_path} is niet gelukt ({exc.strerror}). Er is niets gewijzigd.") \
            from exc
    finally:
        for path in (work, *(copy for _side, copy in extras)):
            if path.exists():
                path.unlink()
    store = open_store(db_path, create=False)
    try:
        append_audit(store, None, "systeem", "indexen hersteld", AUDIT_ENTITY, db_path.name, {
            "methode": method, "beschadigd bestand": moved.name if moved else "(ontbrak)"})
    finally:
        store.close()
    return RepairResult(method, moved)
