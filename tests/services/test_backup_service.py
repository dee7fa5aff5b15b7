"""BackupService, automatic backups, the startup check and recovery."""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from examdesk.data import audit as audit_data
from examdesk.data import backup as backup_data
from examdesk.data.db import open_store
from examdesk.data.institution import set_setting
from examdesk.domain.backups import BackupReason, DatabaseState, backup_name
from examdesk.domain.clock import AMSTERDAM
from examdesk.domain.errors import DatabaseRefused, PermissionDenied
from examdesk.domain.roles import Role
from examdesk.paths import backup_dir
from examdesk.services.audit import verify_store
from examdesk.services.backup import (
    BackupService,
    automatic_backup_if_due,
    check_database,
    folder_of,
    recover,
)
from examdesk.services.users import UserService
from tests.backup_support import as_plain

MONDAY = datetime(2026, 11, 23, 9, 0, tzinfo=AMSTERDAM)


def dump(path: Path) -> list[str]:
    if backup_data.is_encrypted(path):
        with backup_data.plain_backup(path) as plain:
            return dump(plain)
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def audit_lines(path: Path) -> list[str]:
    return [line for line in dump(path) if line.startswith('INSERT INTO "audit_log"')]


def data_lines(path: Path) -> list[str]:
    """Everything except the audit trail and its head."""
    return [line for line in dump(path) if "audit_log" not in line and "audit_head" not in line]


@pytest.mark.parametrize("role", [Role.COMMISSIE, Role.BUREAU, Role.SURVEILLANT])
def test_only_the_beheerder_manages_backups(ctx_for, role):
    service = BackupService(ctx_for(role))
    for call in (service.list, service.backup_now, lambda: service.restore("x.sqlite"), service.retention):
        with pytest.raises(PermissionDenied, match="back-ups maken en terugzetten"):
            call()
    assert not backup_dir().exists()


def test_backup_and_restore_round_trip(ctx_for, store):
    ctx = ctx_for(Role.BEHEERDER)
    service = BackupService(ctx)
    made = service.backup_now()
    assert made.reason is BackupReason.MANUAL and made.path.parent == folder_of(store.path)
    assert made.path.parent.parent == backup_dir()  # backups/<database id>/
    snapshot = data_lines(made.path)
    UserService(ctx).add("laat", "Later Toegevoegd", "geheim-wachtwoord-1", frozenset({Role.BUREAU}))
    assert data_lines(store.path) != snapshot

    result = service.restore(made.name)  # a bare name in the backup folder is enough
    assert data_lines(store.path) == snapshot  # the data is identical to the backup
    assert store.query_one("SELECT 1 FROM users WHERE username = 'laat'") is None  # same Store object, reopened
    last = audit_data.all_entries(store)[-1]
    assert (last.action, last.entity_id, last.username) == ("back-up teruggezet", made.name, "beheerder")
    assert last.summary["back-up van"] == made.taken_at.strftime("%d-%m-%Y %H:%M")
    assert verify_store(store).ok
    # the state before the restore was saved first, and still has the later user
    assert result.safety_copy.reason is BackupReason.BEFORE_RESTORE
    assert any("'laat'" in line for line in dump(result.safety_copy.path))
    assert [b.backup.name for b in service.list()] == [result.safety_copy.name, made.name]


def test_a_bad_backup_is_refused_before_anything_changes(ctx_for, store, tmp_path):
    bad = tmp_path / "kapot.sqlite"
    bad.write_bytes(b"SQLite format 3\x00" + os.urandom(5000))
    before = dump(store.path)
    with pytest.raises(DatabaseRefused, match="Er is niets gewijzigd"):
        BackupService(ctx_for(Role.BEHEERDER)).restore(bad)
    assert dump(store.path) == before
    assert not backup_dir().exists()  # not even a safety copy


def test_backup_to_an_existing_file_is_refused(ctx_for, tmp_path):
    out = tmp_path / "al_daar.sqlite"
    out.write_text("belangrijk")
    with pytest.raises(Exception, match="bestaat al"):
        BackupService(ctx_for(Role.BEHEERDER)).backup_now(out)
    assert out.read_text() == "belangrijk"


def test_automatic_backups_once_a_day_and_on_closing_only_after_a_change(store):
    first = automatic_backup_if_due(store, clock=lambda: MONDAY)
    assert first is not None and first.reason is BackupReason.AUTOMATIC
    assert automatic_backup_if_due(store, clock=lambda: MONDAY + timedelta(hours=3)) is None
    assert automatic_backup_if_due(store, closing=True, clock=lambda: MONDAY + timedelta(hours=4)) is None
    audit_data.append(store, None, "test", "iets gewijzigd", "instelling", 1)
    assert automatic_backup_if_due(store, clock=lambda: MONDAY + timedelta(hours=5)) is None  # timer: today done
    on_close = automatic_backup_if_due(store, closing=True, clock=lambda: MONDAY + timedelta(hours=6))
    assert on_close is not None
    assert automatic_backup_if_due(store, clock=lambda: MONDAY + timedelta(days=1)) is not None


def test_rotation_follows_the_settings(store):
    folder = folder_of(store.path)
    folder.mkdir(parents=True)
    seed = automatic_backup_if_due(store, clock=lambda: MONDAY - timedelta(days=60))
    for days in range(1, 41):  # one automatic backup each evening for 40 days
        moment = MONDAY.replace(hour=17) - timedelta(days=days)
        shutil.copyfile(seed.path, folder / backup_name(moment, BackupReason.AUTOMATIC))
    seed.path.unlink()
    set_setting(store, "backup_keep_daily", "3")
    set_setting(store, "backup_keep_weekly", "2")
    automatic_backup_if_due(store, clock=lambda: MONDAY)
    kept = sorted(p.name for p in folder.glob("*.sqlite"))
    # 3 daily: 23 (today), 22, 21 Nov; 2 weekly: week 48 → 23 Nov, week 47 → 22 Nov (a Sunday)
    assert kept == [
        "examdesk_20261121_170000_automatisch.sqlite",
        "examdesk_20261122_170000_automatisch.sqlite",
        "examdesk_20261123_090000_automatisch.sqlite",
    ]


def _truncate(path: Path) -> None:
    with open(path, "r+b") as handle:
        handle.truncate(path.stat().st_size // 3)


def _overwrite_random_pages(path: Path, seed: int) -> None:
    rng = random.Random(seed)
    pages = path.stat().st_size // 4096
    with open(path, "r+b") as handle:
        for page in rng.sample(range(1, pages), k=max(2, pages // 2)):  # page 0 (the header) survives
            handle.seek(page * 4096)
            handle.write(rng.randbytes(4096))


def _forge_audit_row(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO audit_log (seq, at, user_id, username, action, entity, entity_id, summary, prev_hash,"
                 " hash) VALUES (999, '2026-11-23T08:00:00+01:00', NULL, 'x', 'x', 'x', 'x', '{}', 'x', 'x')")
    conn.commit()
    conn.close()


def _clobber_header(path: Path) -> None:
    with open(path, "r+b") as handle:
        handle.write(b"\x00" * 100)


@pytest.mark.parametrize(("damage", "problem"), [
    (_truncate, "beschadigd"),
    (lambda p: _overwrite_random_pages(p, 1), "beschadigd"),
    (lambda p: _overwrite_random_pages(p, 7), "beschadigd"),
    (_forge_audit_row, "auditlogboek"),
    (_clobber_header, "geen leesbare database"),
    (lambda p: p.write_bytes(b""), "leeg (0 bytes)"),
])
def test_damaged_database_at_startup_is_reported_and_recovered(demo_db, damage, problem):
    store = open_store(demo_db)
    good = automatic_backup_if_due(store, clock=lambda: MONDAY - timedelta(hours=16, minutes=10))
    set_setting(store, "na_de_backup", "verloren")
    store.close()
    damage(demo_db)
    damaged_bytes = demo_db.read_bytes()

    verdict = check_database(demo_db, clock=lambda: MONDAY)
    assert verdict.state is DatabaseState.DAMAGED and verdict.needs_recovery
    assert problem in verdict.problem
    assert verdict.newest_good == good
    assert verdict.backup_sentence == f"De nieuwste goede back-up is van {good.taken_at:%d-%m-%Y %H:%M} (16 uur oud)."

    result = recover(demo_db, verdict.newest_good.path, reason=verdict.problem, clock=lambda: MONDAY)
    assert result.moved_aside.name == "demo.sqlite.beschadigd-20261123-090000"
    assert result.moved_aside.read_bytes() == damaged_bytes  # moved, not deleted, not changed
    assert check_database(demo_db).state is DatabaseState.OK
    store = open_store(demo_db)
    try:
        last = audit_data.all_entries(store)[-1]
        assert last.action == "herstel na beschadiging"
        assert last.summary["back-up"] == good.name and last.summary["reden"] == verdict.problem
        assert store.query_one("SELECT 1 FROM settings WHERE key = 'na_de_backup'") is None
    finally:
        store.close()


def test_missing_database_with_backups_offers_recovery(demo_db):
    store = open_store(demo_db)
    good = automatic_backup_if_due(store, clock=lambda: MONDAY)
    store.close()
    demo_db.unlink()
    verdict = check_database(demo_db, clock=lambda: MONDAY + timedelta(minutes=5))
    assert verdict.state is DatabaseState.MISSING
    assert verdict.problem == f"Het databasebestand {demo_db} ontbreekt."
    assert verdict.newest_good == good
    result = recover(demo_db, good.path)
    assert result.moved_aside is None
    assert check_database(demo_db).state is DatabaseState.OK


def test_no_database_and_no_backups_is_a_first_start(tmp_path):
    assert check_database(tmp_path / "nieuw.sqlite").state is DatabaseState.NEW


def test_the_newest_good_backup_skips_damaged_and_newer_ones(demo_db):
    store = open_store(demo_db)
    older = automatic_backup_if_due(store, clock=lambda: MONDAY - timedelta(days=2))
    damaged = automatic_backup_if_due(store, clock=lambda: MONDAY - timedelta(days=1))
    newer = automatic_backup_if_due(store, clock=lambda: MONDAY)
    store.close()
    _truncate(damaged.path)
    conn = sqlite3.connect(as_plain(newer.path))
    conn.execute("PRAGMA user_version = 999")
    conn.commit()
    conn.close()
    demo_db.unlink()
    assert check_database(demo_db).newest_good == older


def test_recover_with_a_bad_backup_changes_nothing(demo_db, tmp_path):
    _truncate(demo_db)
    damaged_bytes = demo_db.read_bytes()
    not_a_backup = tmp_path / "lijst.sqlite"
    not_a_backup.write_text("geen database")
    with pytest.raises(DatabaseRefused, match="geen back-up van ExamDesk"):
        recover(demo_db, not_a_backup)
    assert demo_db.read_bytes() == damaged_bytes
    assert [p.name for p in demo_db.parent.iterdir() if "beschadigd" in p.name] == []


def test_a_newer_database_is_refused_not_treated_as_damage(demo_db):
    conn = sqlite3.connect(demo_db)
    conn.execute("PRAGMA user_version = 999")
    conn.commit()
    conn.close()
    verdict = check_database(demo_db)
    assert verdict.state is DatabaseState.REFUSED and not verdict.needs_recovery
    assert "nieuwere versie" in verdict.problem
