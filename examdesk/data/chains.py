"""The reads `verify` and the startup check need beside the audit log: session events per session
(streamed, never all in memory), what came after a checkpoint, and the audit heads issued documents
recorded. Nothing here writes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from examdesk.data.db import Store

if TYPE_CHECKING:
    from examdesk.domain.session_events import Event


def _event(row) -> Event:
    """The session module's own row reader, imported when first needed (it pulls in the whole session
    domain, which the startup check of a database without new events never needs)."""
    from examdesk.data.sessions import _event as read

    return read(row)


def events_by_session(store: Store) -> Iterator[tuple[str, list[Event]]]:
    """(session id, its events in order) for every session that has events."""
    cursor = store.conn.execute("SELECT * FROM session_events ORDER BY session_id, seq")
    current: str | None = None
    events: list[Event] = []
    while True:
        rows = cursor.fetchmany(2000)
        if not rows:
            break
        for r in rows:
            if r["session_id"] != current:
                if current is not None:
                    yield current, events
                current, events = r["session_id"], []
            events.append(_event(r))
    if current is not None:
        yield current, events


def sessions_with_events_after(store: Store, rowid: int) -> list[str]:
    """The sessions with events after `rowid`: a range of the rowid (a DISTINCT in SQL would make SQLite
    walk the whole (session, seq) index instead — every start, reading every event there ever was)."""
    found = dict.fromkeys(r[0] for r in store.query("SELECT session_id FROM session_events WHERE rowid > ?",
                                                    (rowid,)))
    return list(found)


def session_events(store: Store, session_id: str) -> list[Event]:
    return [_event(r) for r in store.query("SELECT * FROM session_events WHERE session_id = ? ORDER BY seq",
                                           (session_id,))]


def max_event_rowid(store: Store) -> int:
    return store.query_one("SELECT coalesce(max(rowid), 0) FROM session_events")[0]


def session_label(store: Store, session_id: str) -> str:
    """'Nederlands 3F (23-11-2026)', or the id when the session row itself is gone."""
    r = store.query_one("SELECT title, session_date FROM sessions WHERE id = ?", (session_id,))
    if r is None:
        return session_id
    y, m, d = r["session_date"].split("-")
    return f"{r['title']} ({d}-{m}-{y})"


def document_heads(store: Store) -> list[dict[str, Any]]:
    """Issued documents that recorded the audit head (v007 on), with the hash that entry has now."""
    rows = store.query(
        "SELECT d.id, d.title, d.created_at, d.audit_seq, d.audit_hash, a.hash AS now_hash"
        " FROM documents d LEFT JOIN audit_log a ON a.seq = d.audit_seq"
        " WHERE d.audit_seq IS NOT NULL ORDER BY d.audit_seq DESC")
    return [dict(r) for r in rows]


def last_audited_at(store: Store, actions: tuple[str, ...]) -> str:
    """When one of these actions was last audited (ISO), or ''."""
    row = store.query_one(f"SELECT max(at) FROM audit_log WHERE action IN ({','.join('?' * len(actions))})", actions)
    return row[0] or ""


def in_read_snapshot(store: Store) -> bool:
    """Opens a read transaction on a connection that has none, so a whole check sees one state."""
    if store.conn.in_transaction:
        return False
    store.conn.execute("BEGIN")
    return True


def end_read_snapshot(store: Store, opened: bool) -> None:
    if opened and store.conn.in_transaction:
        store.conn.execute("COMMIT")
