"""Version 10 (accounts): failed logins for user names that do not exist.

A known account counts its failed attempts in ``users``; an unknown name counted nothing, so after
five wrong passwords a real account said "geblokkeerd" and a made-up name did not — which told a
guesser which names exist. ``login_throttle`` keeps the same counter for every other name, keyed by
a SHA-256 of the name (the typed text itself is never stored: people type passwords into the name
field). Rows older than a day are pruned on every write.
"""

from __future__ import annotations

import sqlite3


def upgrade(conn: sqlite3.Connection) -> None:
    from examdesk.data.migrations import run_sql

    run_sql(conn, """
CREATE TABLE login_throttle (
    name_key         TEXT PRIMARY KEY,
    failed_attempts  INTEGER NOT NULL DEFAULT 0,
    locked_until     TEXT,
    updated_at       TEXT NOT NULL
);
CREATE INDEX login_throttle_updated ON login_throttle(updated_at);
""")
