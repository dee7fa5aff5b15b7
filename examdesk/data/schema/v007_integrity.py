"""Version 7: a history that proves itself (see docs/trust.md).

* The audit chain becomes **keyed**: the database's HMAC key is made (or, for a copy of a database
  already keyed on this computer, found) in the key store outside the file (``data/keystore.py``),
  and ``meta.audit_anchor`` records from which entry on hashes are HMACs, with the hash of the last
  plain entry and an HMAC over both. A database with history gets one keyed entry saying so.
* Every row already in the desk's append-only tables is **sealed**: one keyed audit entry per row
  with the SHA-256 of its content (new rows are sealed when they are written, by
  ``data/incident_desk.py``).
* ``documents`` gains ``audit_seq`` / ``audit_hash``: the audit head an issued document printed
  beside its fingerprint (NULL for documents issued before v007).
"""

from __future__ import annotations

import json
import sqlite3


def upgrade(conn: sqlite3.Connection) -> None:
    from examdesk.data import audit, keystore
    from examdesk.data import meta as meta_data
    from examdesk.data.migrations import run_sql
    from examdesk.domain.audit import make_anchor
    from examdesk.domain.clock import now, to_iso
    from examdesk.domain.integrity import SEALED_AT_V007

    run_sql(conn, """
ALTER TABLE documents ADD COLUMN audit_seq INTEGER;
ALTER TABLE documents ADD COLUMN audit_hash TEXT;
""")
    keys = keystore.ensure(meta_data.database_id(conn))
    head_seq = int(meta_data.get(conn, "audit_head_seq") or 0)
    head_hash = meta_data.get(conn, "audit_head_hash") or ""
    anchor = make_anchor(keys.hmac_key, head_seq + 1, head_hash)
    meta_data.put(conn, meta_data.ANCHOR_KEY, json.dumps(anchor.to_dict(), sort_keys=True))
    if head_seq == 0:
        return  # a new database: keyed from its first entry, and nothing to seal yet
    at = to_iso(now())
    audit.append_on(conn, keys.hmac_key, None, "systeem", "auditlogboek beveiligd met sleutel", "database",
                    meta_data.database_id(conn), {
                        "gesleuteld vanaf regel": head_seq + 1,
                        "vingerafdruk installatiesleutel": keys.fingerprint,
                    }, at)
    for spec in SEALED_AT_V007:
        for (row_key,) in conn.execute(f"SELECT {spec.key} FROM {spec.table} ORDER BY rowid").fetchall():
            audit.seal_on(conn, keys.hmac_key, spec.table, row_key, None, "systeem", at)
