"""Backup files on disk: consistent copies, verification, restore and moving a damaged file aside."""

from __future__ import annotations

import os
import sqlite3
import threading
from datetime import datetime
from pathlib import Path

import pytest

from examdesk.data import backup as backup_data
from examdesk.data import backup_crypto
from examdesk.data.db import open_store
from examdesk.domain.backups import BackupReason
from examdesk.domain.clock import AMSTERDAM
from examdesk.domain.errors import StorageError

MOMENT = datetime(2026, 11, 22, 17, 3, tzinfo=AMSTERDAM)


KEY = bytes(range(32))


def opened(path: Path, key: bytes | None) -> Path:
    """The plain database of a backup: the file itself, or (encrypted under `key`) its decryption beside it."""
    if key is None:
        return path
    plain = path.with_name(path.name + ".ontsleuteld")
    backup_crypto.decrypt_file(path, plain, key)
    return plain


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


@pytest.mark.parametrize("key", [None, KEY], ids=["plain", "encrypted"])
def test_a_backup_taken_while_another_connection_writes_in_a_loop_is_consistent(demo_db, tmp_path, key):
    """Each write moves one unit between two rows in one transaction; every copy must show a total of 1000. The
    writer also checkpoints as it goes — pages copied from the WAL into the file while the file is being copied —
    and starts the WAL over, as SQLite does on its own once a WAL is checkpointed whole. Encrypted, the backup
    is sealed straight from the file whenever its WAL could be emptied first, and from a copy when not."""
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
            target = backup_data.copy_database(demo_db, tmp_path / "b" / f"copy{n}.sqlite", backup_key=key)
            conn = sqlite3.connect(opened(target, key))
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


def test_an_encrypted_backup_is_sealed_straight_from_the_file_and_holds_the_database_whole(demo_db, tmp_path,
                                                                                            monkeypatch):
    """No plain copy on the way (issue 16: writing, replaying and reading back a plain copy of 2.7 GB made the
    encrypted backup 2.2-2.7x the plain one): the WAL is emptied first and the file sealed under the read
    transaction. Decrypted it is the database, one self-contained file in rollback-journal mode, and its header
    names the database and audit head it holds."""
    writer = open_store(demo_db)
    writer.conn.execute("INSERT INTO settings (key, value) VALUES ('laatst', 'in de WAL')")   # in the WAL only
    monkeypatch.setattr(backup_data, "_plain_copy", lambda *a, **k: pytest.fail("a plain copy was made"))
    target = backup_data.copy_database(demo_db, tmp_path / "b" / "copy.sqlite", backup_key=KEY)
    writer.close()
    plain = opened(target, KEY)
    assert dump(plain) == dump(demo_db)
    assert any("'laatst'" in line for line in dump(plain))
    conn = sqlite3.connect(plain)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    header = backup_crypto.header_of(target)
    inside = backup_data.check_backup_file(plain)
    assert (header.database_id, header.audit_head) == (inside.identity.database_id, inside.audit_head)
    assert sorted(p.name for p in target.parent.iterdir()) == sorted([target.name, plain.name])


def test_a_reader_of_an_older_state_gets_a_backup_of_the_newest_without_being_waited_for(demo_db, tmp_path):
    """Another connection still reads the state before a write (the background full check holds one for
    minutes): the WAL cannot be emptied, so the encrypted backup is sealed from a copy of the files — the newest
    state, made without waiting for that reader and without holding back a writer."""
    reader = sqlite3.connect(demo_db, isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM settings").fetchone()
    writer = open_store(demo_db)
    writer.conn.execute("INSERT INTO settings (key, value) VALUES ('na', 'de lezer')")
    try:
        target = backup_data.copy_database(demo_db, tmp_path / "b" / "copy.sqlite", backup_key=KEY)
        writer.conn.execute("INSERT INTO settings (key, value) VALUES ('ook', 'daarna')")    # not held back
    finally:
        reader.execute("COMMIT")
        reader.close()
        writer.close()
    lines = dump(opened(target, KEY))
    assert any("'na'" in line for line in lines) and not any("'ook'" in line for line in lines)


@pytest.mark.parametrize("size", [10_000, 16_384 + 100, 40_000])
def test_the_sealed_file_leaves_out_the_lock_byte_page_and_says_rollback_journal(tmp_path, size):
    """What is sealed straight from the file is what the plain copy holds: the file with zeros in the lock-byte
    page (here at 16 KiB) and the header's read/write versions (bytes 18 and 19) 1 instead of WAL's 2."""
    source = tmp_path / "bron"
    data = bytearray(os.urandom(size))
    data[18:20] = b"\x02\x02"
    source.write_bytes(data)
    sealed = b"".join(backup_data._file_as_copy(source, 4096, lock_offset=16_384))
    expected = bytearray(data)
    expected[18:20] = b"\x01\x01"
    expected[16_384:16_384 + 4096] = bytes(len(expected[16_384:16_384 + 4096]))
    assert sealed == bytes(expected)


def test_writes_and_checkpoints_while_the_file_is_sealed_change_nothing_in_the_backup(demo_db, tmp_path,
                                                                                     monkeypatch):
    """Sealed straight from the file, the backup is the state its read transaction saw: another connection
    committing between two chunks — and checkpointing, which would copy its pages into the file being read were
    the snapshot not held — leaves the backup as it was when the sealing began."""
    before = dump(demo_db)
    monkeypatch.setattr(backup_crypto, "CHUNK", 4096)        # a page a chunk: the write lands after the first
    reading = backup_data._file_as_copy
    written = []

    def with_a_write_between(db_path, page_size):
        for n, block in enumerate(reading(db_path, page_size)):
            yield block
            if n == 0:
                conn = sqlite3.connect(demo_db, isolation_level=None, timeout=5)
                conn.execute("INSERT INTO settings (key, value) VALUES ('tussendoor', randomblob(200000))")
                written.append(conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone())
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
                conn.close()

    monkeypatch.setattr(backup_data, "_file_as_copy", with_a_write_between)
    monkeypatch.setattr(backup_data, "_plain_copy", lambda *a, **k: pytest.fail("a plain copy was made"))
    target = backup_data.copy_database(demo_db, tmp_path / "b" / "copy.sqlite", backup_key=KEY)
    assert written                                                  # the write happened while sealing
    plain = opened(target, KEY)
    assert dump(plain) == before
    conn = sqlite3.connect(plain)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    assert any("'tussendoor'" in line for line in dump(demo_db))


def test_a_read_that_fails_while_sealing_leaves_no_half_backup_and_no_thread(demo_db, tmp_path, monkeypatch):
    """The file is read and sealed on a thread of its own while the backup is written: a read that fails there
    (a disk error) is the backup's failure, in Dutch, with nothing left in the folder and the thread gone."""
    import errno

    monkeypatch.setattr(backup_crypto, "CHUNK", 4096)

    def failing(db_path, page_size):
        yield b"SQLite format 3\x00" + bytes(4080)
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(backup_data, "_file_as_copy", failing)
    folder = tmp_path / "b"
    with pytest.raises(StorageError, match="niet gelukt"):
        backup_data.copy_database(demo_db, folder / "copy.sqlite", backup_key=KEY)
    assert list(folder.iterdir()) == []
    assert not [t for t in threading.enumerate() if t.name == "examdesk-backup-seal"]


def test_a_write_that_fails_while_sealing_stops_the_reading_thread(tmp_path, monkeypatch):
    """The other way round: the backup's file cannot be written (the disk full) while the thread reads ahead;
    it stops, and the file it read is closed."""
    import errno

    closed = []

    def endless():
        try:
            while True:
                yield bytes(backup_crypto.CHUNK)
        finally:
            closed.append(True)

    real_open = open

    class FullDisk:
        def __init__(self, handle):
            self.handle, self.written = handle, 0

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

        def write(self, data):
            self.written += 1
            if self.written > 3:
                raise OSError(errno.ENOSPC, "No space left on device")
            return self.handle.write(data)

    monkeypatch.setattr(backup_crypto, "open", lambda *a, **k: FullDisk(real_open(*a, **k)), raising=False)
    fields = {"database_id": "x", "demo": False, "institution": "", "brin": "", "schema_version": 1,
              "audit_head": None}
    with pytest.raises(OSError):
        backup_crypto.seal_chunks(endless(), tmp_path / "sealed", KEY, fields)
    assert closed == [True]
    assert not [t for t in threading.enumerate() if t.name == "examdesk-backup-seal"]
