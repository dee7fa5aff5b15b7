"""Backups, restore, the startup check and recovery from a damaged or missing database.

Who calls what:
- the Beheer screen and `examdesk backup/restore`: `BackupService(ctx)` (role beheerder);
- the GUI, on closing and from a timer: `automatic_backup_if_due(store, closing=...)` (no login);
- the launcher, before opening: `claim_database(path)`, then `check_database(path)` and, when the
  user agrees, `recover(path, backup)` (no login: a damaged database has no users to log in with).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from examdesk.data import backup as backup_data
from examdesk.data import instance_lock
from examdesk.data import institution as institution_data
from examdesk.data.audit import append as append_audit
from examdesk.data.db import Store, open_readonly, open_store
from examdesk.domain.backups import (
    DEFAULT_KEEP_DAILY,
    DEFAULT_KEEP_WEEKLY,
    SETTING_KEEP_DAILY,
    SETTING_KEEP_WEEKLY,
    BackupCheck,
    BackupFile,
    BackupReason,
    DatabaseState,
    Retention,
    StartupVerdict,
    due_today,
    parse_retention_setting,
    plan_retention,
    validate_retention,
)
from examdesk.domain.clock import format_datetime, now
from examdesk.domain.errors import DatabaseRefused, NotFound, ValidationError
from examdesk.domain.roles import Action
from examdesk.paths import backup_dir
from examdesk.services.audit import verify_store
from examdesk.services.context import AppContext

InstanceLock = instance_lock.InstanceLock

AUDIT_ENTITY = "database"


@dataclass(frozen=True)
class BackupListing:
    """One row of the Beheer screen: the file and why rotation keeps it."""

    backup: BackupFile
    retention: tuple[Retention, ...]


@dataclass(frozen=True)
class RestoreResult:
    restored: BackupFile
    safety_copy: BackupFile | None  # the state just before the restore; None when there was no usable database
    moved_aside: Path | None = None  # recovery: where the damaged file now is


def claim_database(db_path: Path) -> InstanceLock:
    """The launcher calls this first: refuses (StorageError, Dutch) when another ExamDesk has the file open.
    Keep the returned lock for the life of the window and `release()` it on exit."""
    return instance_lock.acquire(Path(db_path))


# --- checking backups -------------------------------------------------------------------------

def check_backup(path: Path) -> BackupCheck:
    """A backup is good when the file is complete and undamaged, ours, not from a newer ExamDesk,
    and its audit chain is intact (a restored database must not start with a broken trail)."""
    check = backup_data.check_backup_file(path)
    if not check.ok:
        return check
    store = open_readonly(path, immutable=True)
    try:
        chain = verify_store(store)
    finally:
        store.close()
    if not chain.ok:
        return BackupCheck(check.path, False, f"Het auditlogboek in {path.name} is niet in orde: {chain.reason}",
                           check.schema_version, check.audit_head)
    return check


def resolve_backup(text: str | Path) -> Path:
    """A path, or the bare name of a file in the backup folder."""
    path = Path(text)
    if path.is_file():
        return path
    in_folder = backup_dir() / path.name
    if in_folder.is_file():
        return in_folder
    raise NotFound(f"Het back-upbestand {text} bestaat niet (ook niet in {backup_dir()}).")


def require_good_backup(path: Path) -> BackupFile:
    """The file checked as a backup, or DatabaseRefused with the Dutch reason; nothing is changed either way."""
    check = check_backup(path)
    if not check.ok:
        raise DatabaseRefused(f"{check.reason} Er is niets gewijzigd.")
    return backup_data.describe_file(path)


def newest_good_backup(folder: Path | None = None) -> BackupFile | None:
    for candidate in backup_data.list_backup_files(folder or backup_dir()):
        if check_backup(candidate.path).ok:
            return candidate
    return None


# --- making backups ---------------------------------------------------------------------------

def _retention_settings(store: Store) -> tuple[int, int]:
    daily = parse_retention_setting(institution_data.get_setting(store, SETTING_KEEP_DAILY, ""), DEFAULT_KEEP_DAILY)
    weekly = parse_retention_setting(institution_data.get_setting(store, SETTING_KEEP_WEEKLY, ""),
                                     DEFAULT_KEEP_WEEKLY)
    return max(1, daily), max(0, weekly)


def _settings_of(db_path: Path) -> tuple[int, int]:
    """Read through a connection of its own, so a backup on a worker thread never shares the GUI's."""
    store = open_readonly(db_path)
    try:
        return _retention_settings(store)
    finally:
        store.close()


def _take(db_path: Path, reason: BackupReason, moment: datetime, target: Path | None = None) -> BackupFile:
    """Copies the database (its own connections only: safe on a worker thread) and rotates the folder."""
    folder = backup_dir()
    path = target or backup_data.new_backup_path(folder, moment, reason)
    backup_data.copy_database(db_path, path)
    if target is None and reason is not BackupReason.BEFORE_RESTORE:
        # not before a restore: rotation could otherwise remove the very copy about to be restored
        daily, weekly = _settings_of(db_path)
        plan = plan_retention(backup_data.list_backup_files(folder), daily, weekly, moment)
        backup_data.delete_backup_files(folder, plan.remove)
    return backup_data.describe_file(path)


def automatic_backup_if_due(store: Store, closing: bool = False,
                            clock: Callable[[], datetime] = now) -> BackupFile | None:
    """The GUI calls this from a timer (`closing=False`: at most one backup per calendar day) and when
    ExamDesk closes (`closing=True`: also when anything changed since the newest backup, judged by the
    audit trail's head, since every change is audited). Returns the new backup or None. Needs no login.
    Raises StorageError (Dutch) when the copy fails; the database is never changed by a backup.
    Uses only `store.path` and connections of its own, so it may run on a worker thread."""
    moment = clock()
    existing = backup_data.list_backup_files(backup_dir())
    newest = existing[0] if existing else None
    due = due_today(newest.taken_at if newest else None, moment)
    if not due and closing and newest is not None:
        current = backup_data.read_audit_head(store.path, immutable=False)
        due = current != backup_data.read_audit_head(newest.path)
    if not due:
        return None
    return _take(store.path, BackupReason.AUTOMATIC, moment)


class BackupService:
    def __init__(self, ctx: AppContext):
        self.ctx = ctx

    def list(self) -> list[BackupListing]:
        self.ctx.require(Action.MANAGE_BACKUPS)
        backups = backup_data.list_backup_files(backup_dir())
        daily, weekly = _retention_settings(self.ctx.store)
        plan = plan_retention(backups, daily, weekly, self.ctx.clock())
        return [BackupListing(b, plan.keep.get(b.name, ())) for b in backups]

    def folder(self) -> Path:
        return backup_dir()

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
        store = self.ctx.store
        with store.transaction():
            institution_data.set_setting(store, SETTING_KEEP_DAILY, str(keep_daily))
            institution_data.set_setting(store, SETTING_KEEP_WEEKLY, str(keep_weekly))
            self.ctx.audit("back-upinstelling gewijzigd", AUDIT_ENTITY, "bewaartermijn",
                           {"dagelijks": keep_daily, "wekelijks": keep_weekly})

    def restore(self, backup: Path | str) -> RestoreResult:
        """Replaces the open database by a backup: first checks it, then backs up the current state,
        then swaps the file with the connection closed, reopens, and audits the restore in the
        restored database. Anything refused before the swap leaves everything as it was."""
        self.ctx.require(Action.MANAGE_BACKUPS)
        path = resolve_backup(backup)
        chosen = require_good_backup(path)
        store = self.ctx.store
        moment = self.ctx.clock()
        safety = _take(store.path, BackupReason.BEFORE_RESTORE, moment)
        with store.offline():
            backup_data.replace_database(store.path, path)
        self.ctx.audit("back-up teruggezet", AUDIT_ENTITY, chosen.name, {
            "back-up": chosen.name,
            "back-up van": format_datetime(chosen.taken_at),
            "veiligheidskopie vooraf": safety.name,
        })
        return RestoreResult(chosen, safety)


# --- the startup check and recovery -------------------------------------------------------------

_DAMAGE = {"empty", "unreadable", "foreign", "corrupt"}


def check_database(db_path: Path, find_backup: bool = True, thorough: bool = False,
                   clock: Callable[[], datetime] = now) -> StartupVerdict:
    """What the launcher and `examdesk verify` show before opening: never changes any file."""
    db_path = Path(db_path)
    moment = clock()
    folder = backup_dir()
    kind, problem = backup_data.diagnose(db_path, thorough)
    if kind == "ok":
        store = backup_data.open_for_check(db_path)
        try:
            chain = verify_store(store)
        finally:
            store.close()
        if chain.ok:
            return StartupVerdict(db_path, DatabaseState.OK, "", moment, backup_folder=folder,
                                  audit_entries=chain.checked)
        kind, problem = "corrupt", f"Het auditlogboek in {db_path} is niet in orde: {chain.reason}"
    if kind in ("newer", "unavailable"):
        return StartupVerdict(db_path, DatabaseState.REFUSED, problem, moment, backup_folder=folder)
    newest = newest_good_backup(folder) if find_backup else None
    any_backups = bool(backup_data.list_backup_files(folder))
    if kind == "missing" or (kind == "empty" and not any_backups):
        state = DatabaseState.MISSING if any_backups else DatabaseState.NEW
    else:
        state = DatabaseState.DAMAGED
    return StartupVerdict(db_path, state, problem, moment, newest, folder)


def recover(db_path: Path, backup: Path | str, reason: str = "",
            clock: Callable[[], datetime] = now) -> RestoreResult:
    """Recovery without login: moves the damaged file aside (never deletes it), restores the backup,
    opens it once (migrations, WAL) and appends 'herstel na beschadiging' to its audit trail.
    The backup is checked first; a bad one changes nothing."""
    db_path = Path(db_path)
    path = resolve_backup(backup)
    chosen = require_good_backup(path)
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
    return RestoreResult(chosen, None, moved)
