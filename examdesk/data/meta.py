"""The database's own facts in ``meta``: its identity, whether it is the demo, its audit anchor.

``database_id`` (v006) is a random id made when the database is created; it names the database's
keys on this installation and its backup folder, and travels with every copy and backup.
``demo`` = '1' marks the demo database (set by `examdesk demo` before its accounts are made), so a
backup of it knows what it is and is never put over another database.
"""

from __future__ import annotations

import sqlite3

from examdesk.data.db import Store

DEMO_KEY = "demo"
ANCHOR_KEY = "audit_anchor"


def get(conn: sqlite3.Connection | Store, key: str) -> str | None:
    runner = conn.conn if isinstance(conn, Store) else conn
    try:
        row = runner.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    except sqlite3.OperationalError:  # a file without meta (not ExamDesk's, or empty)
        return None
    return row[0] if row else None


def put(conn: sqlite3.Connection | Store, key: str, value: str) -> None:
    runner = conn.conn if isinstance(conn, Store) else conn
    runner.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                   (key, value))


def database_id(store: Store | sqlite3.Connection) -> str:
    return get(store, "database_id") or ""


def is_demo(store: Store | sqlite3.Connection) -> bool:
    return get(store, DEMO_KEY) == "1"


def mark_demo(store: Store) -> None:
    with store.transaction():
        put(store, DEMO_KEY, "1")
