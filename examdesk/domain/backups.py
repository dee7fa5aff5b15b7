"""Backups as values: their file names, which ones rotation keeps, how old they are, and what the
startup check concluded. Pure rules — the files themselves are handled in ``data/backup.py``."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from pathlib import Path

from examdesk.domain.clock import AMSTERDAM, format_datetime
from examdesk.domain.errors import ValidationError

DEFAULT_KEEP_DAILY = 7
DEFAULT_KEEP_WEEKLY = 4

_NAME = re.compile(r"^examdesk_(\d{8})_(\d{6})_([a-z-]+)(?:_(\d+))?\.sqlite$")


class BackupReason(StrEnum):
    """Why a copy was made; the value is part of the file name."""

    AUTOMATIC = "automatisch"
    MANUAL = "handmatig"
    BEFORE_RESTORE = "voor-terugzetten"

    @property
    def label(self) -> str:
        return {"automatisch": "automatisch", "handmatig": "handmatig",
                "voor-terugzetten": "vóór terugzetten"}[self.value]


class Retention(StrEnum):
    """Why rotation keeps a copy."""

    DAILY = "dagelijks"
    WEEKLY = "wekelijks"
    RECENT = "recent"  # a manual or pre-restore copy younger than the daily window


@dataclass(frozen=True)
class BackupFile:
    path: Path
    taken_at: datetime  # aware, Europe/Amsterdam
    reason: BackupReason
    size: int

    @property
    def name(self) -> str:
        return self.path.name


def backup_name(taken_at: datetime, reason: BackupReason, counter: int = 0) -> str:
    """examdesk_20261122_170312_automatisch.sqlite — local time, so a user browsing the folder reads it."""
    local = taken_at.astimezone(AMSTERDAM)
    suffix = f"_{counter}" if counter else ""
    return f"examdesk_{local:%Y%m%d}_{local:%H%M%S}_{reason.value}{suffix}.sqlite"


def parse_backup_name(name: str) -> tuple[datetime, BackupReason] | None:
    """The time and reason in one of our backup names; None for any other file."""
    match = _NAME.match(name)
    if not match:
        return None
    try:
        reason = BackupReason(match.group(3))
        moment = datetime.strptime(match.group(1) + match.group(2), "%Y%m%d%H%M%S").replace(tzinfo=AMSTERDAM)
    except ValueError:
        return None
    return moment, reason


@dataclass(frozen=True)
class RetentionPlan:
    keep: dict[str, tuple[Retention, ...]] = field(default_factory=dict)  # file name → why it stays
    remove: tuple[str, ...] = ()


def plan_retention(backups: Sequence[BackupFile], keep_daily: int, keep_weekly: int, now: datetime) -> RetentionPlan:
    """Grandfather-father rotation, counted like restic's --keep-daily/--keep-weekly.

    Daily: for each of the `keep_daily` most recent calendar days that have a backup, the newest
    copy of that day. Weekly: likewise for the `keep_weekly` most recent ISO weeks. A copy may be
    both. Manual and pre-restore copies are someone's deliberate safety net, so they also stay as
    long as they are younger than `keep_daily` days. The newest copy always stays.
    """
    keep_daily = max(1, keep_daily)
    keep_weekly = max(0, keep_weekly)
    ordered = sorted(backups, key=lambda b: (b.taken_at, b.name), reverse=True)
    reasons: dict[str, list[Retention]] = {}

    def bucket_keep(key_of, limit: int, label: Retention) -> None:
        seen: list[object] = []
        for b in ordered:
            key = key_of(b.taken_at.astimezone(AMSTERDAM))
            if key in seen:
                continue
            if len(seen) == limit:
                break
            seen.append(key)
            reasons.setdefault(b.name, []).append(label)

    bucket_keep(lambda t: t.date(), keep_daily, Retention.DAILY)
    bucket_keep(lambda t: t.isocalendar()[:2], keep_weekly, Retention.WEEKLY)
    window_start = now.astimezone(AMSTERDAM).date() - timedelta(days=keep_daily - 1)
    for b in ordered:
        if b.reason is not BackupReason.AUTOMATIC and b.taken_at.astimezone(AMSTERDAM).date() >= window_start:
            reasons.setdefault(b.name, []).append(Retention.RECENT)
    keep = {name: tuple(labels) for name, labels in reasons.items()}
    remove = tuple(b.name for b in ordered if b.name not in keep)
    return RetentionPlan(keep, remove)


def retention_label(labels: Sequence[Retention]) -> str:
    """'dagelijks en wekelijks', as the Beheer screen shows it."""
    words = [label.value for label in labels if label is not Retention.RECENT]
    if not words and labels:
        return "recent"
    return " en ".join(words) if words else "wordt opgeruimd"


def validate_retention(keep_daily: int, keep_weekly: int) -> tuple[int, int]:
    if not 1 <= keep_daily <= 366:
        raise ValidationError("Het aantal dagelijkse back-ups moet tussen 1 en 366 liggen.")
    if not 0 <= keep_weekly <= 520:
        raise ValidationError("Het aantal wekelijkse back-ups moet tussen 0 en 520 liggen.")
    return keep_daily, keep_weekly


def format_age(age: timedelta) -> str:
    """'16 uur oud', '3 minuten oud', '2 dagen oud'."""
    minutes = max(0, int(age.total_seconds() // 60))
    if minutes < 1:
        return "minder dan een minuut oud"
    if minutes < 60:
        return f"{minutes} {'minuut' if minutes == 1 else 'minuten'} oud"
    hours = minutes // 60
    if hours < 48:
        return f"{hours} uur oud"
    return f"{hours // 24} dagen oud"


def format_size(size: int) -> str:
    """'12,3 MB' with a Dutch decimal comma."""
    value = float(size)
    for unit in ("bytes", "kB", "MB", "GB"):
        if value < 1000 or unit == "GB":
            text = f"{int(value)}" if unit == "bytes" else f"{value:.1f}".replace(".", ",")
            return f"{text} {unit}"
        value /= 1000
    raise AssertionError("unreachable")


def due_today(last_backup: datetime | None, now: datetime) -> bool:
    """An automatic backup runs at most once per calendar day (Europe/Amsterdam)."""
    if last_backup is None:
        return True
    return last_backup.astimezone(AMSTERDAM).date() < now.astimezone(AMSTERDAM).date()


@dataclass(frozen=True)
class DatabaseIdentity:
    """Which database a file (or backup) is: its id, whether it is the demo, whose it is."""

    database_id: str   # '' for a file from before v006, which had no id
    demo: bool
    institution: str   # '' when not yet set up
    brin: str

    @property
    def label(self) -> str:
        who = f"{self.institution} ({self.brin})" if self.institution else "nog niet ingericht"
        kind = "demodatabase" if self.demo else "database"
        return f"{kind} van {who}" + (f", identiteit {self.database_id[:8]}…" if self.database_id else "")


def restore_refusal(target: DatabaseIdentity | None, backup: DatabaseIdentity, target_is_demo_place: bool) -> str:
    """Why `backup` may not replace the database `target` ('' when it may). `target` None: the database
    is missing or unreadable and nothing says what it was; then only the demo's own place takes a demo.

    A demo backup never goes over another database (that put beheerder/demo over a school's file);
    a backup of one database never over another one that is set up (each has its own keys and history).
    """
    suffix = " Er is niets gewijzigd."
    if backup.demo and not (target.demo if target is not None else target_is_demo_place):
        return ("Deze back-up is van de demodatabase; een demodatabase wordt nooit over een andere database "
                "teruggezet." + suffix)
    if target is None or not target.institution:
        return ""
    if backup.database_id and target.database_id and backup.database_id != target.database_id:
        return (f"Deze back-up hoort bij een andere database ({backup.label}) dan deze ({target.label}). Een "
                "back-up wordt alleen over zijn eigen database teruggezet; open hem desgewenst apart met --db." + suffix)
    if not backup.database_id and backup.brin and backup.brin != target.brin:
        return (f"Deze back-up is van een andere instelling ({backup.label}) dan deze database ({target.label})."
                + suffix)
    return ""


@dataclass(frozen=True)
class BackupCheck:
    """Whether a file may be restored; `reason` is the Dutch sentence when it may not."""

    path: Path
    ok: bool
    reason: str = ""
    schema_version: int = 0
    audit_head: tuple[int, str] | None = None
    identity: DatabaseIdentity | None = None


class DatabaseState(StrEnum):
    OK = "in orde"
    NEW = "nieuw"          # no database and no backups: a first start
    MISSING = "ontbreekt"  # no database, but backups exist
    DAMAGED = "beschadigd"
    REFUSED = "geweigerd"  # a newer ExamDesk's file, or locked/unreachable: not damage, so never replaced
    KEYS_MISSING = "sleutels ontbreken"  # the file is fine, but its keys are not on this computer


@dataclass(frozen=True)
class StartupVerdict:
    path: Path
    state: DatabaseState
    problem: str  # one Dutch sentence; empty when OK
    checked_at: datetime
    newest_good: BackupFile | None = None
    backup_folder: Path | None = None
    audit_entries: int = 0
    details: tuple[str, ...] = ()   # every problem found, the first one being `problem`
    repairable: bool = False        # only indexes are damaged: rebuilding them loses nothing
    database_id: str = ""

    @property
    def needs_recovery(self) -> bool:
        return self.state in (DatabaseState.MISSING, DatabaseState.DAMAGED)

    @property
    def backup_sentence(self) -> str:
        if self.newest_good is None:
            where = f" in {self.backup_folder}" if self.backup_folder else ""
            return f"Er is geen goede back-up gevonden{where}."
        age = format_age(self.checked_at - self.newest_good.taken_at)
        return f"De nieuwste goede back-up is van {format_datetime(self.newest_good.taken_at)} ({age})."


def damaged_name(db_name: str, moment: datetime) -> str:
    """examdesk.sqlite.beschadigd-20261123-091500: the damaged file is kept under this name."""
    return f"{db_name}.beschadigd-{moment.astimezone(AMSTERDAM):%Y%m%d-%H%M%S}"
