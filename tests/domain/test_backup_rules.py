"""The pure backup rules: names, rotation, ages, the startup sentence."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from examdesk.domain.backups import (
    BackupFile,
    BackupReason,
    DatabaseState,
    Retention,
    StartupVerdict,
    backup_name,
    damaged_name,
    due_today,
    format_age,
    format_size,
    parse_backup_name,
    plan_retention,
    retention_label,
    validate_retention,
)
from examdesk.domain.clock import AMSTERDAM
from examdesk.domain.errors import ValidationError

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=AMSTERDAM)  # a Monday


def at(day: int, hour: int = 17, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, 3, tzinfo=AMSTERDAM)


def backup(moment: datetime, reason: BackupReason = BackupReason.AUTOMATIC) -> BackupFile:
    return BackupFile(Path(backup_name(moment, reason)), moment, reason, 1000)


def test_names_round_trip_and_other_files_are_ignored():
    name = backup_name(at(22), BackupReason.MANUAL)
    assert name == "examdesk_20261122_170300_handmatig.sqlite"
    assert parse_backup_name(name) == (at(22), BackupReason.MANUAL)
    assert parse_backup_name(backup_name(at(22), BackupReason.BEFORE_RESTORE, 2)) == (at(22), BackupReason.BEFORE_RESTORE)
    for other in ("examdesk.sqlite", "examdesk_20261122_170300_onbekend.sqlite", "notes.txt",
                  ".examdesk_20261122_170300_handmatig.sqlite.123.onvolledig", "examdesk_20261399_170300_handmatig.sqlite"):
        assert parse_backup_name(other) is None


def _kept(backups: list[BackupFile], daily: int, weekly: int) -> list[str]:
    plan = plan_retention(backups, daily, weekly, NOW)
    assert set(plan.keep) | set(plan.remove) == {b.name for b in backups}
    assert not set(plan.keep) & set(plan.remove)
    return sorted(plan.keep)


def names(*moments: datetime) -> list[str]:
    return sorted(backup(m).name for m in moments)


# One automatic backup every evening for 40 days (15 Oct … 23 Nov 2026), and a few extra cases.
EVERY_DAY = [backup(m) for m in
             [at(23, 8)] + [at(d) for d in range(22, 0, -1)] + [at(d, month=10) for d in range(31, 14, -1)]]


@pytest.mark.parametrize(("backups", "daily", "weekly", "expected"), [
    # nothing to rotate
    ([], 7, 4, []),
    # one copy always stays, whatever the settings
    ([backup(at(1))], 1, 0, names(at(1))),
    # 7 daily: the newest of each of the 7 most recent days (23 … 17 Nov); 4 weekly: newest of weeks
    # 48 (23 Nov), 47 (22 Nov, a Sunday), 46 (15 Nov), 45 (8 Nov)
    (EVERY_DAY, 7, 4, names(at(23, 8), *[at(d) for d in range(22, 16, -1)], at(15), at(8))),
    # 2 daily, 0 weekly
    (EVERY_DAY, 2, 0, names(at(23, 8), at(22))),
    # 1 daily, 3 weekly
    (EVERY_DAY, 1, 3, names(at(23, 8), at(22), at(15))),
    # two copies the same day: only the later one counts as that day's
    ([backup(at(22, 9)), backup(at(22, 18)), backup(at(21))], 7, 0, names(at(22, 18), at(21))),
    # days without a backup do not use up the daily count (gaps: holidays)
    ([backup(at(20)), backup(at(10)), backup(at(1)), backup(at(28, month=10))], 3, 0,
     names(at(20), at(10), at(1))),
])
def test_rotation_table(backups, daily, weekly, expected):
    assert _kept(backups, daily, weekly) == expected


def test_recent_manual_and_pre_restore_copies_stay_within_the_daily_window():
    manual_morning = backup(at(22, 9), BackupReason.MANUAL)
    before_restore = backup(at(22, 10), BackupReason.BEFORE_RESTORE)
    old_manual = backup(at(1), BackupReason.MANUAL)
    evening = backup(at(22, 18))
    week = [backup(at(d)) for d in range(15, 22)]
    plan = plan_retention([manual_morning, before_restore, old_manual, evening, *week], 7, 0, NOW)
    assert plan.keep[manual_morning.name] == (Retention.RECENT,)
    assert Retention.RECENT in plan.keep[before_restore.name]
    assert plan.keep[evening.name] == (Retention.DAILY,)
    assert old_manual.name in plan.remove  # older than 7 days and not a daily/weekly pick


def test_labels_for_the_beheer_screen():
    assert retention_label((Retention.DAILY, Retention.WEEKLY)) == "dagelijks en wekelijks"
    assert retention_label((Retention.RECENT,)) == "recent"
    assert retention_label(()) == "wordt opgeruimd"


@pytest.mark.parametrize(("age", "text"), [
    (timedelta(seconds=20), "minder dan een minuut oud"),
    (timedelta(minutes=1), "1 minuut oud"),
    (timedelta(minutes=59), "59 minuten oud"),
    (timedelta(hours=16, minutes=5), "16 uur oud"),
    (timedelta(hours=47), "47 uur oud"),
    (timedelta(days=3, hours=2), "3 dagen oud"),
])
def test_age(age, text):
    assert format_age(age) == text


def test_size_uses_a_dutch_comma():
    assert format_size(512) == "512 bytes"
    assert format_size(53_248) == "53,2 kB"
    assert format_size(201_326_592) == "201,3 MB"


def test_automatic_backup_at_most_once_per_calendar_day():
    assert due_today(None, NOW)
    assert not due_today(at(23, 0), NOW)
    assert due_today(at(22, 23), NOW)


def test_retention_settings_are_validated():
    assert validate_retention(7, 4) == (7, 4)
    with pytest.raises(ValidationError, match="dagelijkse"):
        validate_retention(0, 4)
    with pytest.raises(ValidationError, match="wekelijkse"):
        validate_retention(7, -1)


def test_startup_sentence_names_the_newest_good_backup_and_its_age():
    good = backup(datetime(2026, 11, 22, 17, 3, tzinfo=AMSTERDAM))
    verdict = StartupVerdict(Path("examdesk.sqlite"), DatabaseState.DAMAGED, "Kapot.",
                             datetime(2026, 11, 23, 9, 10, tzinfo=AMSTERDAM), good)
    assert verdict.needs_recovery
    assert verdict.backup_sentence == "De nieuwste goede back-up is van 22-11-2026 17:03 (16 uur oud)."
    none = StartupVerdict(Path("x"), DatabaseState.DAMAGED, "Kapot.", NOW, None, Path("/b"))
    assert none.backup_sentence == "Er is geen goede back-up gevonden in /b."


def test_damaged_name_keeps_the_original_name_in_front():
    assert damaged_name("examdesk.sqlite", at(23, 9)) == "examdesk.sqlite.beschadigd-20261123-090300"
