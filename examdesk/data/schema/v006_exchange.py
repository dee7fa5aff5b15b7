"""Version 6: the offline exchange — which files went out and came in, and where imported events
came from.

* ``meta.database_id``: a random id for this database, written into every exchange file, so a
  record says which PC's chain its events were taken from.
* ``exchange_log``: every `.examdesk` file exported or imported, with the manifest's file id and
  the SHA-256 of the whole file (append-only: the audit trail of the exchange).
* ``event_origins``: for each event read in from another PC, its place in that PC's chain (seq,
  prev_hash, hash) and the user number it had there, so the original hash stays verifiable after
  the event has joined the local chain (see examdesk/domain/exchange.py).
"""

from __future__ import annotations

import sqlite3


def upgrade(conn: sqlite3.Connection) -> None:
    from examdesk.data.migrations import run_sql

    run_sql(conn, """
INSERT OR IGNORE INTO meta (key, value) VALUES ('database_id', lower(hex(randomblob(16))));
CREATE TABLE exchange_log (
    seq          INTEGER PRIMARY KEY,
    file_id      TEXT NOT NULL,
    direction    TEXT NOT NULL CHECK (direction IN ('export', 'import')),
    kind         TEXT NOT NULL CHECK (kind IN ('afnamepakket', 'afnameverslag')),
    file_name    TEXT NOT NULL,
    file_sha256  TEXT NOT NULL,
    origin       TEXT NOT NULL,
    at           TEXT NOT NULL,
    username     TEXT NOT NULL,
    sessions     TEXT NOT NULL,
    outcome      TEXT NOT NULL
);
CREATE INDEX exchange_log_file ON exchange_log(file_id);
CREATE TRIGGER exchange_log_no_update BEFORE UPDATE ON exchange_log
BEGIN
    SELECT RAISE(ABORT, 'Het uitwisselingslogboek kan niet worden gewijzigd.');
END;
CREATE TRIGGER exchange_log_no_delete BEFORE DELETE ON exchange_log
BEGIN
    SELECT RAISE(ABORT, 'Het uitwisselingslogboek kan niet worden gewijzigd.');
END;
CREATE TABLE event_origins (
    event_id          TEXT PRIMARY KEY REFERENCES session_events(id),
    origin            TEXT NOT NULL,
    origin_seq        INTEGER NOT NULL,
    origin_prev_hash  TEXT NOT NULL,
    origin_hash       TEXT NOT NULL,
    origin_user_id    INTEGER,
    import_seq        INTEGER NOT NULL REFERENCES exchange_log(seq)
);
CREATE TRIGGER event_origins_no_update BEFORE UPDATE ON event_origins
BEGIN
    SELECT RAISE(ABORT, 'De herkomst van een gebeurtenis kan niet worden gewijzigd.');
END;
CREATE TRIGGER event_origins_no_delete BEFORE DELETE ON event_origins
BEGIN
    SELECT RAISE(ABORT, 'De herkomst van een gebeurtenis kan niet worden gewijzigd.');
END;
""")
