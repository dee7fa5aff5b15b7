"""Version 11: signed, encrypted exchange with pinned keys, and keyed session chains (docs/exchange.md).

* ``session_chain_anchors``: every session chain is keyed from now on, like the audit chain since v007
  (``domain/session_events.py``). A session that already has events keeps them plain; its anchor
  records from which seq the chain is keyed and the hash of its last plain event, with an HMAC over
  both. A session without an anchor is keyed from its first event. Append-only.
* ``exchange_keys``: the keys of the other installations this database trusts — on an exam PC the
  commission's, at the commission each exam PC's — pinned when a beheerder confirmed the fingerprint
  (or, on a fresh exam PC, when it was set up with the package's setup code). Append-only and sealed
  into the audit chain (``domain/integrity.SEALED_TABLES``).
* ``exchange_key_revocations``: a pinned key withdrawn (by the beheerder, or replaced by a confirmed
  new key of the same sender). Append-only and sealed.
* ``exchange_log`` gains ``signer`` (the fingerprint that signed the file) and ``sequence`` (the
  sender's file number), so an older package than one already read can be recognised.
* ``event_origins`` gains ``signer``: the key that signed the record an event arrived in (empty for
  events read from an unsigned file of format version 1).
"""

from __future__ import annotations

import sqlite3


def schema_version() -> int:
    """The version this step brings a database to, wherever it stands in STEPS (the lead may renumber it):
    from it on, session chains are keyed and the exchange keys are sealed."""
    from examdesk.data.migrations import STEPS

    return STEPS.index(upgrade) + 1


def upgrade(conn: sqlite3.Connection) -> None:
    from examdesk.data import audit, keystore
    from examdesk.data import meta as meta_data
    from examdesk.data.migrations import run_sql
    from examdesk.domain.clock import now, to_iso
    from examdesk.domain.session_events import make_session_anchor, session_chain_key

    run_sql(conn, """
CREATE TABLE session_chain_anchors (
    session_id  TEXT PRIMARY KEY REFERENCES sessions(id),
    keyed_from  INTEGER NOT NULL CHECK (keyed_from >= 1),
    prev_hash   TEXT NOT NULL,
    mac         TEXT NOT NULL
);
CREATE TRIGGER session_chain_anchors_no_update BEFORE UPDATE ON session_chain_anchors
BEGIN
    SELECT RAISE(ABORT, 'Een sleutelanker van een afname kan niet worden gewijzigd.');
END;
CREATE TRIGGER session_chain_anchors_no_delete BEFORE DELETE ON session_chain_anchors
BEGIN
    SELECT RAISE(ABORT, 'Een sleutelanker van een afname kan niet worden gewijzigd.');
END;
CREATE TABLE exchange_keys (
    fingerprint        TEXT PRIMARY KEY,
    role               TEXT NOT NULL CHECK (role IN ('examencommissie', 'examenpc')),
    signing_key        TEXT NOT NULL,
    exchange_key       TEXT NOT NULL,
    database_id        TEXT NOT NULL,
    institution        TEXT NOT NULL,
    label              TEXT NOT NULL,
    first_file         TEXT NOT NULL,
    first_file_at      TEXT NOT NULL,
    confirmed_at       TEXT NOT NULL,
    confirmed_by       TEXT NOT NULL,
    confirmed_how      TEXT NOT NULL
);
CREATE INDEX exchange_keys_sender ON exchange_keys(role, database_id);
CREATE TRIGGER exchange_keys_no_update BEFORE UPDATE ON exchange_keys
BEGIN
    SELECT RAISE(ABORT, 'Een vertrouwde uitwisselsleutel kan niet worden gewijzigd; trek hem in.');
END;
CREATE TRIGGER exchange_keys_no_delete BEFORE DELETE ON exchange_keys
BEGIN
    SELECT RAISE(ABORT, 'Een vertrouwde uitwisselsleutel kan niet worden verwijderd; trek hem in.');
END;
CREATE TABLE exchange_key_revocations (
    fingerprint  TEXT PRIMARY KEY REFERENCES exchange_keys(fingerprint),
    revoked_at   TEXT NOT NULL,
    revoked_by   TEXT NOT NULL,
    reason       TEXT NOT NULL
);
CREATE TRIGGER exchange_key_revocations_no_update BEFORE UPDATE ON exchange_key_revocations
BEGIN
    SELECT RAISE(ABORT, 'Een ingetrokken uitwisselsleutel blijft ingetrokken.');
END;
CREATE TRIGGER exchange_key_revocations_no_delete BEFORE DELETE ON exchange_key_revocations
BEGIN
    SELECT RAISE(ABORT, 'Een ingetrokken uitwisselsleutel blijft ingetrokken.');
END;
ALTER TABLE exchange_log ADD COLUMN signer TEXT NOT NULL DEFAULT '';
ALTER TABLE exchange_log ADD COLUMN sequence INTEGER NOT NULL DEFAULT 0;
CREATE INDEX exchange_log_signer ON exchange_log(signer, kind, direction);
ALTER TABLE event_origins ADD COLUMN signer TEXT NOT NULL DEFAULT '';
""")
    heads = conn.execute(
        "SELECT e.session_id, e.seq, e.hash FROM session_events e"
        " JOIN (SELECT session_id, max(seq) AS last FROM session_events GROUP BY session_id) h"
        " ON h.session_id = e.session_id AND h.last = e.seq ORDER BY e.session_id").fetchall()
    if not heads:
        return  # a new database, or one without sessions run yet: every chain is keyed from its first event
    keys = keystore.require(meta_data.database_id(conn))
    key = session_chain_key(keys.hmac_key)
    for session_id, seq, digest in heads:
        anchor = make_session_anchor(key, session_id, seq + 1, digest)
        conn.execute("INSERT INTO session_chain_anchors (session_id, keyed_from, prev_hash, mac) VALUES (?, ?, ?, ?)",
                     (anchor.session_id, anchor.keyed_from, anchor.prev_hash, anchor.mac))
    audit.append_on(conn, keys.hmac_key, None, "systeem", "sessieketens beveiligd met sleutel", "database",
                    meta_data.database_id(conn), {"afnames": len(heads)}, to_iso(now()))
