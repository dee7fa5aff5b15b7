"""Disk full, read-only folder, a file locked by another program, a second ExamDesk: a clear Dutch
StorageError, nothing half written, everything saved before still there, and the program goes on."""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from examdesk.data import audit as audit_data
from examdesk.data import instance_lock
from examdesk.data.db import SqliteStore, Store, open_store
from examdesk.data.institution import get_setting, set_setting
from examdesk.domain.backups import DatabaseState
from examdesk.domain.errors import StorageError
from examdesk.services.backup import check_database


def _rows(store: Store) -> int:
    return store.query_one("SELECT count(*) FROM settings")[0]


def _fill_until_full(store: Store) -> StorageError:
    """Transactions of settings plus an audit entry each, until the storage refuses one."""
    for n in range(10_000):
        try:
            with store.transaction():
                set_setting(store, f"vulling_{n}_a", "x" * 3000)
                set_setting(store, f"vulling_{n}_b", "y" * 3000)
                audit_data.append(store, None, "test", "vulling", "instelling", n)
        except StorageError as exc:
            return exc
    raise AssertionError("the storage never filled up")


def _assert_whole_transactions_only(store: Store) -> None:
    keys = {r[0] for r in store.query("SELECT key FROM settings WHERE key LIKE 'vulling_%'")}
    numbers = {k.rsplit("_", 2)[1] for k in keys}
    assert keys == {f"vulling_{n}_{s}" for n in numbers for s in "ab"}  # never an 'a' without its 'b'
    assert audit_data.head(store)[0] >= len(numbers)


def test_disk_full_via_max_page_count_refuses_the_whole_write_and_keeps_earlier_data(store):
    set_setting(store, "voor_de_storing", "bewaard")
    before_pages = store.query_one("PRAGMA page_count")[0]
    store.conn.execute(f"PRAGMA max_page_count = {before_pages + 12}")
    error = _fill_until_full(store)
    assert error.message.startswith("De schijf is vol")
    assert "niets half opgeslagen" in error.message
    assert not store.conn.in_transaction
    _assert_whole_transactions_only(store)
    assert get_setting(store, "voor_de_storing") == "bewaard"
    assert store.integrity_check() == ["ok"]
    store.conn.execute("PRAGMA max_page_count = 1073741823")  # space freed: ExamDesk goes on
    set_setting(store, "na_de_storing", "ook bewaard")
    assert get_setting(store, "na_de_storing") == "ook bewaard"


def test_a_single_statement_on_a_full_disk_is_a_storage_error_too(store):
    store.conn.execute(f"PRAGMA max_page_count = {store.query_one('PRAGMA page_count')[0]}")
    count = _rows(store)
    free = store.query_one("PRAGMA freelist_count")[0] * store.query_one("PRAGMA page_size")[0]
    with pytest.raises(StorageError, match="De schijf is vol"):   # more than the free pages can hold
        store.write("INSERT INTO settings (key, value) VALUES ('groot', ?)", ("z" * (free + 50_000),))
    assert _rows(store) == count


@contextlib.contextmanager
def _tmpfs(tmp_path: Path, size: str):
    """A small real filesystem: only possible as root (CI containers usually are)."""
    mount_point = tmp_path / f"fs-{uuid.uuid4().hex[:6]}"
    mount_point.mkdir()
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("een klein bestandssysteem aankoppelen kan alleen als root; max_page_count dekt schijf-vol")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount_point)],
                          capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"tmpfs aankoppelen mag hier niet ({done.stderr.decode().strip()})")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], capture_output=True)


def test_a_really_full_filesystem(demo_db, tmp_path):
    room = demo_db.stat().st_size // 1024 + 512     # the demo and half a megabyte to fill
    with _tmpfs(tmp_path, f"{room}k") as fs:
        path = fs / "examdesk.sqlite"
        shutil.copyfile(demo_db, path)
        store = open_store(path)
        try:
            set_setting(store, "voor_de_storing", "bewaard")
            error = _fill_until_full(store)
            assert "vol" in error.message or "schijffout" in error.message
            _assert_whole_transactions_only(store)
        finally:
            store.close()
        store = open_store(path)  # reopen after the failure: everything committed is there
        try:
            assert get_setting(store, "voor_de_storing") == "bewaard"
            assert store.integrity_check() == ["ok"]
            _assert_whole_transactions_only(store)
        finally:
            store.close()


def test_read_only_folder_is_refused_before_anything_is_written(demo_db, tmp_path):
    if os.geteuid() == 0:
        # root ignores chmod, so make the folder truly read-only: a filesystem remounted read-only
        with _tmpfs(tmp_path, "4m") as fs:
            path = fs / "examdesk.sqlite"
            shutil.copyfile(demo_db, path)
            original = path.read_bytes()
            subprocess.run(["mount", "-o", "remount,ro", str(fs)], check=True)
            with pytest.raises(StorageError, match="alleen-lezen"):
                open_store(path)
            assert path.read_bytes() == original
            # and the startup check does not mistake a read-only folder for damage
            assert check_database(path, find_backup=False).state is DatabaseState.OK
    else:
        folder = tmp_path / "ro"
        folder.mkdir()
        path = folder / "examdesk.sqlite"
        shutil.copyfile(demo_db, path)
        folder.chmod(0o555)
        try:
            with pytest.raises(StorageError, match="alleen-lezen"):
                open_store(path)
        finally:
            folder.chmod(0o755)


def test_a_file_that_became_read_only_while_open_refuses_writes_clearly(demo_db):
    """What SQLite reports when it may only read the file (attribute set, share switched to read-only)."""
    conn = sqlite3.connect(f"{demo_db.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None)
    store = SqliteStore(conn, demo_db)
    try:
        with pytest.raises(StorageError, match="alleen-lezen"):
            set_setting(store, "x", "y")
        with pytest.raises(StorageError, match="alleen-lezen"), store.transaction():
            audit_data.append(store, None, "test", "poging", "instelling", 1)
        assert not conn.in_transaction
    finally:
        store.close()


def test_a_database_locked_by_another_program_gives_a_clear_message_after_the_timeout(store):
    other = sqlite3.connect(store.path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    store.conn.execute("PRAGMA busy_timeout = 150")
    try:
        with pytest.raises(StorageError, match="in gebruik door een ander programma"):
            with store.transaction():
                set_setting(store, "tijdens_slot", "x")
        with pytest.raises(StorageError, match="in gebruik"):
            set_setting(store, "tijdens_slot", "x")
    finally:
        other.execute("ROLLBACK")
        other.close()
    set_setting(store, "na_slot", "ja")  # the other program let go: ExamDesk goes on
    assert get_setting(store, "na_slot") == "ja"
    assert get_setting(store, "tijdens_slot") == ""


_HOLDER = """
import sys, time
from pathlib import Path
from examdesk.data.instance_lock import acquire
lock = acquire(Path(sys.argv[1]))
print("held", flush=True)
time.sleep(60)
"""


def test_a_second_examdesk_process_is_refused_and_a_crashed_one_leaves_no_stale_lock(demo_db):
    holder = subprocess.Popen([sys.executable, "-c", _HOLDER, str(demo_db)], stdout=subprocess.PIPE,
                              cwd=Path(__file__).resolve().parents[2], text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(StorageError) as refused:
            instance_lock.acquire(demo_db)
        assert f"proces {holder.pid}" in refused.value.message
        assert "al geopend in een andere ExamDesk" in refused.value.message
        # reading is still fine beside it (verify, backup)
        assert open_store(demo_db).integrity_check() == ["ok"]
    finally:
        holder.kill()  # a crash: no chance to clean up
        holder.wait()
    with instance_lock.acquire(demo_db) as lock:
        assert lock.held
        with pytest.raises(StorageError):
            instance_lock.acquire(demo_db)  # also a second claim within one process
    assert not lock.held
    instance_lock.acquire(demo_db).release()
