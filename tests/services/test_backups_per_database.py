"""Backups per database identity: the demo database and a school's database in the same home each
rotate only their own copies, and a demo backup is never offered for, nor put over, the school's file.
The demo accounts exist only in a database marked as the demo."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from examdesk.cli import main
from examdesk.data import meta as meta_data
from examdesk.data.backup import read_identity
from examdesk.data.db import open_store
from examdesk.data.institution import set_setting
from examdesk.domain.backups import DatabaseState
from examdesk.domain.clock import AMSTERDAM
from examdesk.domain.errors import DatabaseRefused, ValidationError
from examdesk.domain.institution import Institution
from examdesk.paths import backup_dir
from examdesk.services.auth import AuthService
from examdesk.services.backup import (
    BackupService,
    automatic_backup_if_due,
    check_database,
    folder_of,
    newest_good_backup,
    recover,
    require_good_backup,
)
from examdesk.services.context import AppContext
from examdesk.services.demo import create_demo, populate

MONDAY = datetime(2026, 11, 23, 9, 0, tzinfo=AMSTERDAM)
SCHOOL = Institution(name="Grafisch Lyceum Noord", brin="99XX", commission_name="Examencommissie", place="Hoorn")


@pytest.fixture
def production(empty_db) -> Path:
    store = open_store(empty_db)
    try:
        AuthService(store).setup(SCHOOL, "admin", "Anna Admin", "een-lang-wachtwoord")
    finally:
        store.close()
    return empty_db


def _backups(path: Path) -> list[str]:
    return sorted(p.name for p in folder_of(path).glob("*.sqlite"))


def test_the_demo_is_marked_and_its_backups_know_it(demo_db, production):
    assert read_identity(demo_db).demo and not read_identity(production).demo
    store = open_store(demo_db)
    made = automatic_backup_if_due(store)
    store.close()
    assert read_identity(made.path).demo
    assert folder_of(demo_db) != folder_of(production)
    assert folder_of(demo_db).parent == folder_of(production).parent == backup_dir()


def test_the_demos_rotation_never_deletes_the_schools_backups(demo_db, production):
    school = open_store(production)
    set_setting(school, "backup_keep_daily", "30")
    school_copies = [automatic_backup_if_due(school, clock=lambda d=d: MONDAY - timedelta(days=d)).name
                     for d in range(20, 10, -1)]
    school.close()
    demo = open_store(demo_db)
    set_setting(demo, "backup_keep_daily", "1")
    set_setting(demo, "backup_keep_weekly", "0")
    for days in range(10, -1, -1):
        automatic_backup_if_due(demo, clock=lambda d=days: MONDAY - timedelta(days=d))
    demo.close()
    assert len(_backups(demo_db)) == 1  # the demo rotated hard
    assert _backups(production) == sorted(school_copies)  # the school's copies are all still there


def test_a_demo_backup_is_never_offered_or_restored_over_the_school(demo_db, production, capsys, monkeypatch):
    demo = open_store(demo_db)
    demo_backup = automatic_backup_if_due(demo, clock=lambda: MONDAY)
    demo.close()
    # even when someone puts it in the school's own folder
    folder_of(production).mkdir(parents=True)
    shutil.copy(demo_backup.path, folder_of(production) / demo_backup.name)
    assert newest_good_backup(folder_of(production), production) is None
    with pytest.raises(DatabaseRefused, match="demodatabase wordt nooit over een andere database"):
        require_good_backup(demo_backup.path, production)

    monkeypatch.setenv("EXAMDESK_PASSWORD", "een-lang-wachtwoord")
    before = production.read_bytes()
    assert main(["restore", str(demo_backup.path), "--db", str(production), "--user", "admin"]) == 1
    assert "demodatabase" in capsys.readouterr().err
    assert production.read_bytes() == before

    ctx = AppContext(open_store(production))
    from examdesk.data.users import by_username

    ctx.user = by_username(ctx.store, "admin")
    try:
        with pytest.raises(DatabaseRefused, match="demodatabase"):
            BackupService(ctx).restore(demo_backup.path)
    finally:
        ctx.store.close()


def test_a_damaged_school_database_is_not_recovered_from_the_demo(demo_db, production):
    demo = open_store(demo_db)
    demo_backup = automatic_backup_if_due(demo, clock=lambda: MONDAY)
    demo.close()
    school = open_store(production)
    automatic_backup_if_due(school, clock=lambda: MONDAY - timedelta(days=3))
    school.close()
    with open(production, "r+b") as handle:
        handle.truncate(production.stat().st_size // 2)
    verdict = check_database(production)
    assert verdict.state is DatabaseState.DAMAGED
    assert verdict.newest_good is not None and verdict.newest_good.path.parent == folder_of(production)
    with pytest.raises(DatabaseRefused, match="demodatabase"):
        recover(production, demo_backup.path)
    production.unlink()  # missing altogether: its backups' registry still says what it was
    with pytest.raises(DatabaseRefused, match="demodatabase"):
        recover(production, demo_backup.path)


def test_another_schools_backup_is_refused_too(production, tmp_path):
    other = tmp_path / "ander.sqlite"
    store = open_store(other)
    AuthService(store).setup(Institution(name="ROC Elders", brin="11AA", commission_name="EC", place="Urk"),
                             "admin", "B", "een-lang-wachtwoord")
    made = automatic_backup_if_due(store)
    store.close()
    with pytest.raises(DatabaseRefused, match="hoort bij een andere database"):
        require_good_backup(made.path, production)


def test_legacy_backups_in_the_shared_folder_go_to_their_own_database_only(demo_db, production):
    demo = open_store(demo_db)
    made = automatic_backup_if_due(demo, clock=lambda: MONDAY)
    demo.close()
    legacy = backup_dir() / made.name  # where every backup was before there was a folder per database
    shutil.move(made.path, legacy)
    school = open_store(production)
    automatic_backup_if_due(school, clock=lambda: MONDAY + timedelta(days=1))
    school.close()
    assert legacy.exists() and made.name not in _backups(production)  # the school leaves it alone
    assert made.name in _backups(demo_db) and not legacy.exists()     # the demo takes it into its own folder


def test_demo_accounts_only_in_a_database_marked_as_demo(production, tmp_path):
    store = open_store(tmp_path / "leeg.sqlite")
    try:
        with pytest.raises(ValidationError, match="alleen in een demodatabase"):
            populate(store)
        assert store.query_one("SELECT count(*) FROM users")[0] == 0
    finally:
        store.close()
    store = create_demo(production)  # `examdesk demo --db` on a school's file: opened, never filled or marked
    try:
        assert not meta_data.is_demo(store)
        assert store.query_one("SELECT count(*) FROM users WHERE username = 'commissie'")[0] == 0
    finally:
        store.close()


def test_a_database_swapped_in_outside_examdesk_is_named(production, tmp_path):
    """A forged file with an identity (and imported keys) of its own, put where the school's database
    was: its own chain is fine, but the school's backups know what lived there."""
    school = open_store(production)
    automatic_backup_if_due(school)
    school.close()
    forged = tmp_path / "vals.sqlite"
    store = open_store(forged)
    AuthService(store).setup(SCHOOL, "admin", "Anna Admin", "een-lang-wachtwoord")
    store.close()
    shutil.copyfile(forged, production)
    verdict = check_database(production)
    assert verdict.state is DatabaseState.DAMAGED
    assert "het bestand is nu een andere database" in verdict.problem and "buiten ExamDesk vervangen" in verdict.problem


def test_a_demo_made_before_the_mark_gets_it_at_the_demo_place():
    from examdesk.paths import demo_db_path

    create_demo(demo_db_path()).close()
    forger_conn = sqlite3.connect(demo_db_path())
    forger_conn.execute("DELETE FROM meta WHERE key = 'demo'")
    forger_conn.commit()
    forger_conn.close()
    assert not read_identity(demo_db_path(), immutable=False).demo
    create_demo(demo_db_path()).close()  # `examdesk demo` opening the old demo
    assert read_identity(demo_db_path(), immutable=False).demo
