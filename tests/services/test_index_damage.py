"""A damaged index page is not a dead end: the indexes are rebuilt from the tables without loss (the
damaged file kept aside), and a restore no longer needs a good copy of the damaged file first."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from examdesk.cli import main
from examdesk.data.db import open_store
from examdesk.domain.backups import DatabaseState
from examdesk.domain.roles import Role
from examdesk.services.backup import BackupService, automatic_backup_if_due, check_database, repair


def _settle(path: Path) -> None:
    """Every page in the main file and no WAL left: a frame in a WAL would shadow the page the test
    damages, and the damage would then not be what ExamDesk reads (a flake seen once in CI)."""
    conn = sqlite3.connect(path, timeout=0.1)
    try:
        assert conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0] == 0, "a reader kept the WAL"
        try:
            conn.execute("PRAGMA journal_mode = DELETE")   # no WAL at all, unless a test's own store is open
        except sqlite3.OperationalError:
            pass
    finally:
        conn.close()
    wal = Path(f"{path}-wal")
    assert not wal.exists() or wal.stat().st_size == 0


def _index_page(path: Path, index: str) -> tuple[int, int]:
    conn = sqlite3.connect(path)
    try:
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        page = conn.execute("SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY pageno",
                            (index,)).fetchone()[0]
    finally:
        conn.close()
    return page, page_size


def garble_index_entry(path: Path) -> None:
    """The largest key of the action index made one letter larger — it still sorts last, the page
    structure is intact — so the index no longer matches its table, and only the full check sees it."""
    _settle(path)
    conn = sqlite3.connect(path)
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    largest = conn.execute("SELECT max(action) FROM audit_log").fetchone()[0].encode()
    page = conn.execute("SELECT pageno FROM dbstat WHERE name = 'audit_log_action' AND pagetype = 'leaf'"
                        " ORDER BY path DESC LIMIT 1").fetchone()[0]  # the rightmost leaf
    conn.close()
    with open(path, "r+b") as handle:
        handle.seek((page - 1) * size)
        data = bytearray(handle.read(size))
        cells = int.from_bytes(data[3:5], "big")
        last_cell = int.from_bytes(data[8 + 2 * (cells - 1):8 + 2 * cells], "big")
        at = data.find(largest, last_cell)
        assert at > 0
        data[at + len(largest) - 1] += 1
        handle.seek((page - 1) * size)
        handle.write(data)


def garble_index_page(path: Path) -> None:
    """Garbage over the cell pointers of an index page: even REINDEX cannot walk it any more."""
    _settle(path)
    page, size = _index_page(path, "audit_log_action")
    with open(path, "r+b") as handle:
        handle.seek((page - 1) * size + 8)
        handle.write(bytes(range(256))[::-1] * 2)


def _counts(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {t: conn.execute(f'SELECT count(*) FROM "{t}" NOT INDEXED').fetchone()[0] for t in tables}
    finally:
        conn.close()


@pytest.mark.parametrize("damage", [garble_index_entry, garble_index_page])
def test_damaged_indexes_are_rebuilt_without_loss(demo_db, damage):
    before = _counts(demo_db)
    damage(demo_db)
    damaged = demo_db.read_bytes()
    verdict = check_database(demo_db, thorough=True)
    assert verdict.state is DatabaseState.DAMAGED and verdict.repairable
    assert "Alleen een index is beschadigd" in verdict.problem

    result = repair(demo_db)
    assert result.moved_aside.read_bytes() == damaged  # kept aside, unchanged
    assert check_database(demo_db, thorough=True).state is DatabaseState.OK
    after = _counts(demo_db)
    assert after == {**before, "audit_log": before["audit_log"] + 1}  # plus the audited repair
    store = open_store(demo_db)
    try:
        assert store.query_one("SELECT action FROM audit_log ORDER BY seq DESC LIMIT 1")[0] == "indexen hersteld"
    finally:
        store.close()


def test_verify_names_the_repair_and_the_repair_command_does_it(demo_db, capsys):
    garble_index_entry(demo_db)
    assert check_database(demo_db).state is DatabaseState.OK  # the quick check at start does not see it
    assert main(["verify", "--db", str(demo_db)]) == 1
    out = capsys.readouterr().out
    assert "row" in out and "audit_log_action" in out and "examdesk repair" in out
    assert main(["repair", "--db", str(demo_db)]) == 0
    assert "geen gegevens verloren" in capsys.readouterr().out
    assert main(["verify", "--db", str(demo_db)]) == 0


def _garbage_over_cell_pointers(data: bytearray) -> None:
    data[8:72] = b"\xff" * 64


def _one_row_pointed_at_twice(data: bytearray) -> None:
    """The page still reads without an error — one row twice, another gone — which only the full check
    sees; a repair that merely re-read the table would call this database whole."""
    data[10:12] = data[8:10]


@pytest.mark.parametrize("damage", [_garbage_over_cell_pointers, _one_row_pointed_at_twice])
def test_damaged_table_data_is_not_repaired_but_restored(demo_db, capsys, damage):
    store = open_store(demo_db)
    automatic_backup_if_due(store)
    store.close()
    _settle(demo_db)
    conn = sqlite3.connect(demo_db)
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    page = conn.execute("SELECT pageno FROM dbstat WHERE name = 'audit_log' AND pagetype = 'leaf'"
                        " ORDER BY pageno").fetchone()[0]
    conn.close()
    with open(demo_db, "r+b") as handle:
        handle.seek((page - 1) * size)
        data = bytearray(handle.read(size))
        damage(data)
        handle.seek((page - 1) * size)
        handle.write(data)
    verdict = check_database(demo_db, thorough=True)
    assert verdict.state is DatabaseState.DAMAGED and not verdict.repairable
    assert main(["repair", "--db", str(demo_db)]) == 1
    assert "back-up terug" in capsys.readouterr().err


def test_restore_goes_on_without_a_good_copy_of_the_damaged_file(ctx_for, store, demo_db):
    service = BackupService(ctx_for(Role.BEHEERDER))
    made = service.backup_now()
    store.write("INSERT INTO settings (key, value) VALUES ('na', 'x')")
    garble_index_entry(demo_db)
    damaged = demo_db.read_bytes()
    result = service.restore(made.path)
    assert result.safety_copy is None and result.moved_aside is not None
    assert result.moved_aside.read_bytes()[:4096] == damaged[:4096]
    assert store.query_one("SELECT 1 FROM settings WHERE key = 'na'") is None
    assert check_database(demo_db, thorough=True).state is DatabaseState.OK


def test_the_cli_restore_treats_an_index_damaged_database_as_damaged(demo_db, capsys, monkeypatch):
    monkeypatch.setenv("EXAMDESK_PASSWORD", "demo")
    assert main(["backup", "--db", str(demo_db), "--user", "beheerder"]) == 0
    backup = capsys.readouterr().out.split(": ", 1)[1].split(" (")[0]
    garble_index_entry(demo_db)
    assert main(["restore", backup, "--db", str(demo_db)]) == 0  # no login: the full check finds the damage
    assert "niet verwijderd maar verplaatst naar" in capsys.readouterr().out
