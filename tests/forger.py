"""What someone holding only the database file can do with Python's standard library: drop the
triggers, edit rows, and recompute every hash exactly as the documented (pre-v007) format says.
Nothing here uses ExamDesk's code, so the tests that use it attack from the outside."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

GENESIS = "0" * 64


def connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = OFF")
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
        conn.execute(f'DROP TRIGGER "{name}"')
    return conn


def run(path: Path, *statements: str | tuple[str, tuple]) -> None:
    conn = connect(path)
    try:
        for statement in statements:
            sql, params = (statement, ()) if isinstance(statement, str) else statement
            conn.execute(sql, params)
    finally:
        conn.close()


def _canonical(value) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def recompute_audit_chain(path: Path) -> None:
    """Every audit row's hash recomputed as plain SHA-256 over the previous hash and the row, and the
    head in meta moved to the last row: what passed `verify` before the chain was keyed."""
    conn = connect(path)
    try:
        prev = GENESIS
        last = 0
        rows = conn.execute("SELECT seq, at, user_id, username, action, entity, entity_id, summary FROM audit_log"
                            " ORDER BY seq").fetchall()
        for seq, at, user_id, username, action, entity, entity_id, summary in rows:
            body = {"seq": seq, "at": at, "user_id": user_id, "username": username, "action": action,
                    "entity": entity, "entity_id": entity_id, "summary": json.loads(summary)}
            digest = hashlib.sha256(prev.encode("ascii") + _canonical(body)).hexdigest()
            conn.execute("UPDATE audit_log SET prev_hash = ?, hash = ? WHERE seq = ?", (prev, digest, seq))
            prev, last = digest, seq
        move_head(conn, last, prev)
    finally:
        conn.close()


def move_head(conn: sqlite3.Connection, seq: int, digest: str) -> None:
    conn.execute("UPDATE meta SET value = ? WHERE key = 'audit_head_seq'", (str(seq),))
    conn.execute("UPDATE meta SET value = ? WHERE key = 'audit_head_hash'", (digest,))


def truncate_audit(path: Path, keep_through: int) -> None:
    """Deletes every audit row after `keep_through` and points the head at the last one kept: the
    remaining rows are untouched, so each of them still verifies."""
    conn = connect(path)
    try:
        conn.execute("DELETE FROM audit_log WHERE seq > ?", (keep_through,))
        digest = conn.execute("SELECT hash FROM audit_log WHERE seq = ?", (keep_through,)).fetchone()[0]
        move_head(conn, keep_through, digest)
    finally:
        conn.close()


def head(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("SELECT value FROM meta WHERE key = 'audit_head_seq'").fetchone()[0])
    finally:
        conn.close()


def recompute_session_chain(path: Path, session_id: str, through: int | None = None) -> None:
    """A session's events (up to seq `through`) rehashed as plain SHA-256 (the format before v011)."""
    conn = connect(path)
    try:
        prev = GENESIS
        rows = conn.execute("SELECT id, session_id, seq, occurred_at, recorded_at, user_id, username, kind, data,"
                            " corrects FROM session_events WHERE session_id = ? AND seq <= ? ORDER BY seq",
                            (session_id, through if through is not None else 1 << 62)).fetchall()
        for event_id, sid, seq, occurred, recorded, user_id, username, kind, data, corrects in rows:
            body = {"id": event_id, "session_id": sid, "seq": seq, "occurred_at": occurred, "recorded_at": recorded,
                    "user_id": user_id, "username": username, "kind": kind, "data": json.loads(data),
                    "corrects": corrects}
            digest = hashlib.sha256(prev.encode("ascii") + _canonical(body)).hexdigest()
            conn.execute("UPDATE session_events SET prev_hash = ?, hash = ? WHERE id = ?", (prev, digest, event_id))
            prev = digest
    finally:
        conn.close()
