"""Backup files on disk: consistent copies, verification, restore and moving a damaged file aside."""

from __future__ import annotations

import os
import sqlite3
import threading
from datetime import datetime
from pathlib import Path

import pytest

from examdesk.data import backup as backup_data
from examdesk.data.db import open_store
from examdesk.domain.backups import BackupReason
from examdesk.domain.clock import AMSTERDAM
from examdesk.domain.errors import StorageError

MOMENT = datetime(2026, 11, 22, 17, 3, tzinfo=AMSTERDAM)


def dump(path: Path) -> list[str]:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def test_copy_is_identical_verified_self_contained_and_leaves_no_temporary(demo_db, tmp_path):
    target = backup_data.new_backup_path(tmp_path / "backups", MOMENT, BackupReason.MANUAL)
    backup_data.copy_database(demo_db, target)
    assert target.name == "examdesk_20261122_170300_handmatig.sqlite"
    assert dump(target) == dump(demo_db)
    assert backup_data.check_backup_file(target).ok
    assert sorted(p.name for p in target.parent.iterdir()) == [target.name]  # no -wal, no temp file
    conn = sqlite3.connect(target)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    conn.close()
    again = backup_data.new_backup_path(tmp_path / "backups", MOMENT, BackupReason.MANUAL)
    assert again.name == "examdesk_20261122_170300_handmatig_1.sqlite"


def test_uncommitted_writes_of_the_application_never_reach_a_backup(store, tmp_path):
    store.conn.execute("BEGIN IMMEDIATE")
    store.conn.execute("INSERT INTO settings (key, value) VALUES ('half', 'geschreven')")
    target = backup_data.copy_database(store.path, tmp_path / "b" / "copy.sqlite")
    store.conn.execute("ROLLBACK")
    assert not any("'half'" in line for line in dump(target))


def test_a_backup_taken_while_another_connection_writes_in_a_loop_is_consistent(demo_db, tmp_path):
    """Each write moves one unit between two rows in one transaction; every copy must show a total of 1000. The
    writer also checkpoints as it goes — pages copied from the WAL into the file while the file is being copied —
    and starts the WAL over, as SQLite does on its own once a WAL is checkpointed whole."""
    setup = open_store(demo_db)
    setup.conn.execute("CREATE TABLE ledger (id INTEGER PRIMARY KEY, amount INTEGER NOT NULL, pad BLOB)")
    setup.conn.execute("INSERT INTO ledger VALUES (1, 1000, randomblob(20000)), (2, 0, randomblob(20000))")
    setup.close()
    stop = threading.Event()
    writes = 0

    def writer() -> None:
        nonlocal writes
        conn = sqlite3.connect(demo_db, isolation_level=None, timeout=5)
        conn.execute("PRAGMA journal_mode=WAL")
        while not stop.is_set():
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("UPDATE ledger SET amount = amount - 1, pad = randomblob(20000) WHERE id = 1")
            conn.execute("INSERT INTO ledger (amount, pad) VALUES (0, randomblob(3000))")
            conn.execute("UPDATE ledger SET amount = amount + 1 WHERE id = 2")
            conn.execute("COMMIT")
            writes += 1
            if writes % 3 == 0:
                conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
            if writes % 10 == 0:
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()      # waits for no reader; may give up
        conn.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        totals, rows = [], set()
        for n in range(12):
            target = backup_data.copy_database(demo_db, tmp_path / "b" / f"copy{n}.sqlite")
            conn = sqlite3.connect(target)
            totals.append(conn.execute("SELECT sum(amount) FROM ledger").fetchone()[0])
            moved = conn.execute("SELECT amount FROM ledger WHERE id = 2").fetchone()[0]
            extra = conn.execute("SELECT count(*) FROM ledger").fetchone()[0] - 2
            assert moved == extra  # the two updates and the insert of one transaction travel together
            rows.add(moved)
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            conn.close()
    finally:
        stop.set()
        thread.join()
    assert totals == [1000] * 12
    assert writes > 0 and len(rows) > 1  # the writer really ran during the backups


@pytest.mark.parametrize(("damage", "expected"), [
    ("not_sqlite", "geen SQLite-database"),
    ("truncated", "onvolledig (afgekapt)"),
    ("empty", "geen SQLite-database"),
    ("newer", "nieuwere versie van ExamDesk"),
    ("foreign", "geen back-up van ExamDesk"),
    ("corrupt_page", "beschadigd"),
])
def test_bad_backups_are_refused_with_the_reason(demo_db, tmp_path, damage, expected):
    path = backup_data.copy_database(demo_db, tmp_path / "b" / "copy.sqlite")
    data = path.read_bytes()
    if damage == "not_sqlite":
        path.write_text("Dit is een boodschappenlijst.\n" * 100)
    elif damage == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif damage == "empty":
        path.write_bytes(b"")
    elif damage in ("newer", "foreign"):
        conn = sqlite3.connect(path)
        conn.execute("PRAGMA user_version = 999" if damage == "newer" else "PRAGMA application_id = 42")
        conn.commit()
        conn.close()
    else:
        page = 4096
        path.write_bytes(data[: 2 * page] + os.urandom(page) + data[3 * page:])
    check = backup_data.check_backup_file(path)
    assert not check.ok
    assert expected in check.reason


def test_replace_database_removes_a_stale_wal_that_would_otherwise_be_replayed(demo_db, tmp_path):
    good = backup_data.copy_database(demo_db, tmp_path / "b" / "good.sqlite")
    store = open_store(demo_db)
    store.conn.execute("PRAGMA wal_autocheckpoint = 0")
    store.write("INSERT INTO settings (key, value) VALUES ('na_backup', 'x')")
    wal = demo_db.with_name(demo_db.name + "-wal")
    stale = wal.read_bytes()
    store.close()
    wal.write_bytes(stale)  # as if a crashed process left it behind
    backup_data.replace_database(demo_db, good)
    assert not wal.exists()
    assert dump(demo_db) == dump(good)


def test_move_aside_renames_and_never_deletes(demo_db):
    original = demo_db.read_bytes()
    demo_db.with_name(demo_db.name + "-wal").write_bytes(b"wal")
    aside = backup_data.move_aside(demo_db, MOMENT)
    assert aside.name == "demo.sqlite.beschadigd-20261122-170300"
    assert aside.read_bytes() == original
    assert aside.with_name(aside.name + "-wal").read_bytes() == b"wal"
    assert not demo_db.exists()
    demo_db.write_bytes(b"weer kapot")
    second = backup_data.move_aside(demo_db, MOMENT)
    assert second.name == "demo.sqlite.beschadigd-20261122-170300-1" and aside.exists()


def test_a_full_backup_folder_leaves_no_half_file(demo_db, tmp_path, monkeypatch):
    target = tmp_path / "b" / "copy.sqlite"

    def no_space(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(backup_data.os, "replace", no_space)
    with pytest.raises(StorageError, match="vol"):
        backup_data.copy_database(demo_db, target)
    assert list(target.parent.iterdir()) == []


def test_list_ignores_foreign_and_unfinished_files(tmp_path):
    folder = tmp_path / "b"
    folder.mkdir()
    (folder / "examdesk_20261122_170300_automatisch.sqlite").write_bytes(b"x")
    (folder / "examdesk_20261123_080000_handmatig.sqlite").write_bytes(b"xy")
    (folder / ".examdesk_20261123_090000_handmatig.sqlite.1.onvolledig").write_bytes(b"x")
    (folder / "vakantiefoto.jpg").write_bytes(b"x")
    listed = backup_data.list_backup_files(folder)
    assert [b.name for b in listed] == ["examdesk_20261123_080000_handmatig.sqlite",
                                        "examdesk_20261122_170300_automatisch.sqlite"]
    assert listed[0].size == 2
    assert backup_data.delete_backup_files(folder, ["vakantiefoto.jpg", listed[1].name]) == [listed[1].name]
    assert (folder / "vakantiefoto.jpg").exists()


def test_a_wal_left_by_a_copy_that_was_cut_off_is_never_replayed_into_the_next(demo_db, tmp_path, monkeypatch):
    """The copy is made as files, its WAL beside it: a power cut leaves both under the temporary name. A WAL is
    replayed into whatever file bears its name, so the next backup — here of a database on a write-protected
    stick, whose own WAL is not copied — would take in another database's pages."""
    real_access = os.access
    monkeypatch.setattr(backup_data.os, "access", lambda path, mode: False if Path(path) == demo_db.parent
                        else real_access(path, mode))
    other = tmp_path / "other.sqlite"
    conn = sqlite3.connect(other, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA wal_autocheckpoint=0")
    conn.execute("CREATE TABLE intruder (x)")
    conn.execute("INSERT INTO intruder VALUES ('vreemde pagina')")
    target = tmp_path / "b" / "copy.sqlite"
    target.parent.mkdir()
    stale = Path(f"{backup_data._temp_path(target)}-wal")
    stale.write_bytes(Path(f"{other}-wal").read_bytes())          # a WAL full of another file's pages
    conn.close()
    backup_data.copy_database(demo_db, target)
    assert dump(target) == dump(demo_db)
    assert not stale.exists() and not list(target.parent.glob(f"*{backup_data.TEMP_MARK}*"))


@pytest.mark.parametrize("kernel", [True, False])      # os.copy_file_range (Linux), or chunks (Windows)
@pytest.mark.parametrize("size", [10_000, 16_384, 16_384 + 100, 16_384 + 4096, 40_000])
def test_the_copy_leaves_out_sqlites_lock_byte_page_and_nothing_else(tmp_path, monkeypatch, size, kernel):
    """A database over 1 GiB holds SQLite's lock bytes in the page at 1 GiB: nothing is ever stored there, and on
    Windows a read across them fails while another connection locks them (every query does, for a moment). The
    copy is the file byte for byte with zeros in that page (here at 16 KiB)."""
    if not kernel:
        monkeypatch.delattr(os, "copy_file_range", raising=False)
    source = tmp_path / "bron"
    data = os.urandom(size)
    source.write_bytes(data)
    target = tmp_path / "kopie"
    backup_data.copy_past_lock_page(source, target, 4096, lock_offset=16_384)
    copied = target.read_bytes()
    assert len(copied) == size
    page = slice(16_384, min(size, 16_384 + 4096))
    assert copied[:16_384] == data[:16_384] and copied[16_384 + 4096:] == data[16_384 + 4096:]
    assert set(copied[page]) <= {0}
