"""Exam PCs forget (docs/privacy.md): the heads of the records the commission read (for its receipt), an
exam PC removing a session's candidate data once a receipt covers it, and what personal data a PC holds."""

from __future__ import annotations

from examdesk.data import retention, search
from examdesk.data.db import Store
from examdesk.data.privacy import has_privacy_tables
from examdesk.domain.privacy import HeldSession


def origin_heads(store: Store, session_ids: list[str]) -> list[tuple[str, str, int, str]]:
    """(exam PC, session, its last seq the commission holds, that event's hash there) per session and exam PC
    whose record was read in here (``event_origins``)."""
    found = []
    for sid in session_ids:
        for r in store.query(
                "SELECT o.origin, max(o.origin_seq) FROM event_origins o JOIN session_events e ON e.id = o.event_id"
                " WHERE e.session_id = ? GROUP BY o.origin", (sid,)):
            head = store.query_one(
                "SELECT o.origin_hash FROM event_origins o JOIN session_events e ON e.id = o.event_id"
                " WHERE e.session_id = ? AND o.origin = ? AND o.origin_seq = ?", (sid, r[0], r[1]))[0]
            found.append((r[0], sid, r[1], head))
    return found


def forget_session(store: Store, session_id: str, receipt_sha256: str, signer: str, at: str) -> int:
    """On an exam PC, in the caller's transaction: the session's candidate data removed — its events, incidents,
    drafts and roster, and the candidates no other session here still needs. The session itself (title, date,
    room) stays, with the receipt that allowed this. Returns how many candidates were removed."""
    conn = store.conn
    conn.execute("INSERT INTO exam_pc_receipts (session_id, receipt_sha256, signer, received_at, forgotten_at)"
                 " VALUES (?, ?, ?, ?, ?) ON CONFLICT (session_id) DO UPDATE SET receipt_sha256 = excluded.receipt_sha256,"
                 " signer = excluded.signer, received_at = excluded.received_at, forgotten_at = excluded.forgotten_at",
                 (session_id, receipt_sha256, signer, at, at))
    roster = [r[0] for r in conn.execute("SELECT candidate_id FROM session_candidates WHERE session_id = ?",
                                         (session_id,))]
    if search.available(store):
        conn.execute("DELETE FROM incident_search WHERE rowid IN (SELECT rowid FROM incident_index WHERE session_id = ?)",
                     (session_id,))
    conn.execute("DELETE FROM incident_candidates WHERE incident_id IN"
                 " (SELECT incident_id FROM incident_index WHERE session_id = ?)", (session_id,))
    conn.execute("DELETE FROM incident_versions WHERE event_id IN (SELECT id FROM session_events WHERE session_id = ?)",
                 (session_id,))
    conn.execute("DELETE FROM incident_index WHERE session_id = ?", (session_id,))
    conn.execute("DELETE FROM session_events WHERE session_id = ?", (session_id,))
    conn.execute("DELETE FROM incident_drafts WHERE session_id = ?", (session_id,))
    conn.execute("DELETE FROM session_candidates WHERE session_id = ?", (session_id,))
    removed = 0
    for cid in roster:
        if conn.execute("SELECT 1 FROM session_candidates WHERE candidate_id = ? UNION ALL"
                        " SELECT 1 FROM incident_candidates WHERE candidate_id = ? UNION ALL"
                        " SELECT 1 FROM decisions WHERE candidate_id = ? LIMIT 1", (cid, cid, cid)).fetchone():
            continue
        conn.execute("DELETE FROM audit_subjects WHERE candidate_id = ?", (cid,))
        if search.available(store):
            conn.execute("DELETE FROM candidate_search WHERE rowid = ?", (cid,))
        conn.execute("DELETE FROM candidates WHERE id = ?", (cid,))
        removed += 1
    retention.refresh(conn, roster)
    return removed


def held(store: Store) -> tuple[list[HeldSession], int]:
    """What personal data this database still holds per session (roster and events), and how many candidates."""
    forgotten = "(SELECT forgotten_at FROM exam_pc_receipts p WHERE p.session_id = s.id)" \
        if has_privacy_tables(store) else "NULL"
    rows = store.query(
        "SELECT s.id, s.title, s.session_date,"
        " (SELECT count(*) FROM session_candidates sc WHERE sc.session_id = s.id),"
        " (SELECT count(*) FROM session_events e WHERE e.session_id = s.id),"
        f" {forgotten} FROM sessions s ORDER BY s.session_date, s.starts_at")
    total = store.query_one("SELECT count(*) FROM candidates")[0]
    return [HeldSession(*r) for r in rows], total
