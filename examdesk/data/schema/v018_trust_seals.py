"""Version 18 (issue 11, trust2): what the red team left open in the file.

* ``event_origins`` (where an imported event stood on its exam PC, and the key that signed it) and
  ``exchange_log`` (every file exported or read in: the replay record of a package, the exam PCs a
  session was given to) become **sealed tables** (`domain/integrity.SEALED_TABLES`): an insider who
  edits them unties a session from its exam PC or clears a package's replay record. New rows are sealed
  in the transaction that writes them (`data/exchange_rows`); the rows already here are sealed now, as
  v007 did for the desk.
* Every account's stored password hash is **vouched for** by one keyed entry (*wachtwoorden vastgelegd*,
  `domain/audit_ledgers.passwords_summary`): from here on every entry that sets a password carries the
  keyed digest of the hash it stored, so `verify`, the startup check and the login see a hash put into
  the file by hand. Hashes already in the file are taken as they are now (as v007 took the desk's rows).
"""

from __future__ import annotations

import sqlite3

NEW_SEALED = ("exchange_log", "event_origins")


def upgrade(conn: sqlite3.Connection) -> None:
    from examdesk.data import audit, keystore
    from examdesk.data import meta as meta_data
    from examdesk.domain.audit_ledgers import PASSWORD_UPGRADE_ACTION, passwords_summary
    from examdesk.domain.clock import now, to_iso

    if int(meta_data.get(conn, "audit_head_seq") or 0) == 0:
        return  # a new database: its rows and accounts are sealed and vouched for as they are written
    keys = keystore.require(meta_data.database_id(conn))
    at = to_iso(now())
    for table in NEW_SEALED:
        key_column = "seq" if table == "exchange_log" else "event_id"
        for (row_key,) in conn.execute(f"SELECT {key_column} FROM {table} ORDER BY rowid").fetchall():
            audit.seal_on(conn, keys.hmac_key, table, row_key, None, "systeem", at)
    hashes = {r[0]: r[1] for r in conn.execute("SELECT id, password_hash FROM users ORDER BY id")}
    if hashes:
        audit.append_on(conn, keys.hmac_key, None, "systeem", PASSWORD_UPGRADE_ACTION, "database",
                        meta_data.database_id(conn), passwords_summary(keys.hmac_key, hashes), at)
