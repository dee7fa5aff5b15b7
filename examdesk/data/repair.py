"""Rebuilding damaged indexes, so a damaged index page is not a dead end.

An index holds nothing of its own: it can be rebuilt from its table. This module works on a *copy*
of the damaged file (the original is kept aside by the caller, never changed):

1. ``REINDEX`` — enough when the index pages are readable but their entries are wrong;
2. when a page is so damaged that REINDEX cannot even walk it: the index definitions are taken out
   of the schema (``PRAGMA writable_schema``, which SQLite documents for recovering from corruption),
   ``VACUUM`` rebuilds the file from the tables alone, and the indexes are created again.

Both only when every table reads completely (`tables_readable`): then no data is lost.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from examdesk.data.db import BUSY_TIMEOUT_MS


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _connect(path: Path, read_only: bool = False) -> sqlite3.Connection:
    if read_only:
        return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None,
                               timeout=BUSY_TIMEOUT_MS / 1000)
    return sqlite3.connect(str(path), isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)


def tables_readable(path: Path) -> bool:
    """Whether every row of every table can be read without using an index (`NOT INDEXED`), and every
    problem SQLite's full check names lies in an index. Reading alone is not proof: without
    `cell_size_check` SQLite may follow a garbled cell pointer into the page and return a row made of
    whatever bytes it finds there, and a page cut off from its table reads as rows that are simply absent.
    The rows are read on a connection of their own: a full check that stopped at a damaged page may leave that
    page in its connection's cache as if it had been checked, and a read there then skips `cell_size_check` and
    follows the garbled pointers past the page into whatever memory lies beyond it (about one read in ten
    returned every row so: a damaged table called repairable)."""
    try:
        conn = _connect(Path(path), read_only=True)
    except sqlite3.Error:
        return False
    try:
        conn.execute("PRAGMA cell_size_check = ON")
        kinds = {root: kind for kind, root in conn.execute(
            "SELECT type, rootpage FROM sqlite_master WHERE rootpage > 0")}
        indexes = {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        if not all(line == "ok" or _about_an_index(line, kinds, indexes) for line in _check_lines(conn)):
            return False
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%'")]
    except sqlite3.DatabaseError:
        return False
    finally:
        conn.close()
    return _every_row_reads(Path(path), tables)


def _every_row_reads(path: Path, tables: list[str]) -> bool:
    """Every row of `tables` read without an index, on a fresh connection that checks each page's cells as it
    first loads it (`cell_size_check`, set before any page is read)."""
    try:
        conn = _connect(path, read_only=True)
    except sqlite3.Error:
        return False
    try:
        conn.execute("PRAGMA cell_size_check = ON")
        for table in tables:
            cursor = conn.execute(f"SELECT * FROM {_quote(table)} NOT INDEXED")
            while cursor.fetchmany(5000):
                pass
        return True
    except sqlite3.DatabaseError:
        return False
    finally:
        conn.close()


def _check_lines(conn: sqlite3.Connection) -> list[str]:
    """The lines of the full check; none when the damage is so bad the check itself stops (the reading
    below then decides, with `cell_size_check` on)."""
    try:
        return [line for (line,) in conn.execute("PRAGMA integrity_check(1000)")]
    except sqlite3.DatabaseError:
        return []


_TREE = re.compile(r"^(?:\*\*\* in database \w+ \*\*\*\s*)?Tree (\d+) page")
_INDEX_NAMED = re.compile(r"(?:missing from index|wrong # of entries in index|non-unique entry in index) (\S+)")


def _about_an_index(line: str, kinds: dict[int, str], indexes: set[str]) -> bool:
    """Whether one line of `PRAGMA integrity_check` concerns an index only (so rebuilding loses nothing).
    Anything else — a table's tree, a page never used, a freelist — is not."""
    tree = _TREE.match(line)
    if tree:
        return kinds.get(int(tree.group(1))) == "index"
    named = _INDEX_NAMED.search(line)
    return bool(named) and named.group(1) in indexes


def _ok(conn: sqlite3.Connection) -> bool:
    try:
        return [r[0] for r in conn.execute("PRAGMA integrity_check")] == ["ok"]
    except sqlite3.DatabaseError:
        return False


def rebuild_indexes(work: Path) -> str:
    """Repairs the copy at `work` in place; returns how ('REINDEX' or 'opnieuw opgebouwd'), or '' when
    the copy could not be made whole this way."""
    conn = _connect(work)
    try:
        try:
            conn.execute("REINDEX")
            if _ok(conn):
                conn.execute("PRAGMA journal_mode = DELETE")
                return "REINDEX"
        except sqlite3.DatabaseError:
            pass
        try:
            indexes = [r[0] for r in conn.execute(
                "SELECT sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")]
            conn.execute("PRAGMA writable_schema = ON")
            conn.execute("BEGIN")
            conn.execute("DELETE FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")
            conn.execute("COMMIT")
            conn.execute("PRAGMA writable_schema = OFF")
        except sqlite3.DatabaseError:
            return ""
    finally:
        conn.close()
    conn = _connect(work)  # a fresh connection reads the schema without the damaged indexes
    try:
        conn.execute("VACUUM")
        conn.execute("BEGIN")
        for sql in indexes:
            conn.execute(sql)
        conn.execute("COMMIT")
        if not _ok(conn):
            return ""
        conn.execute("PRAGMA journal_mode = DELETE")  # one self-contained file, like a backup
        return "opnieuw opgebouwd"
    except sqlite3.DatabaseError:
        return ""
    finally:
        conn.close()
