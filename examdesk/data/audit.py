"""Appending to and reading the hash-chained audit log."""

from __future__ import annotations

import json
from typing import Any

from examdesk.data.db import Store
from examdesk.domain.audit import AuditEntry, AuditFilter, entry_hash
from examdesk.domain.clock import now, to_iso


def append(
    store: Store, user_id: int | None, username: str, action: str, entity: str, entity_id: str | int,
    summary: dict[str, Any] | None = None, at: str | None = None,
) -> AuditEntry:
    """Adds one entry to the chain. Runs in (or joins) a transaction, so the change and its entry land together."""
    summary = summary or {}
    at = at or to_iso(now())
    with store.transaction() as conn:
        head = dict(conn.execute("SELECT key, value FROM meta WHERE key IN ('audit_head_seq', 'audit_head_hash')").fetchall())
        seq = int(head["audit_head_seq"]) + 1
        prev = head["audit_head_hash"]
        digest = entry_hash(prev, seq, at, user_id, username, action, entity, str(entity_id), summary)
        conn.execute(
            "INSERT INTO audit_log (seq, at, user_id, username, action, entity, entity_id, summary, prev_hash, hash)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (seq, at, user_id, username, action, entity, str(entity_id),
             json.dumps(summary, ensure_ascii=False, sort_keys=True), prev, digest),
        )
        conn.execute("UPDATE meta SET value = ? WHERE key = 'audit_head_seq'", (str(seq),))
        conn.execute("UPDATE meta SET value = ? WHERE key = 'audit_head_hash'", (digest,))
    return AuditEntry(seq, at, user_id, username, action, entity, str(entity_id), summary, prev, digest)


def _entry(row: Any) -> AuditEntry:
    try:
        summary = json.loads(row["summary"])
    except (TypeError, ValueError):
        summary = {"_onleesbaar": row["summary"]}
    return AuditEntry(row["seq"], row["at"], row["user_id"], row["username"], row["action"], row["entity"],
                      row["entity_id"], summary, row["prev_hash"], row["hash"])


def all_entries(store: Store) -> list[AuditEntry]:
    return [_entry(r) for r in store.query("SELECT * FROM audit_log ORDER BY seq")]


def head(store: Store) -> tuple[int, str]:
    rows = dict(store.query("SELECT key, value FROM meta WHERE key IN ('audit_head_seq', 'audit_head_hash')"))
    return int(rows["audit_head_seq"]), rows["audit_head_hash"]


def _where(f: AuditFilter) -> tuple[str, list[Any]]:
    clauses, params = [], []
    if f.text:
        clauses.append("(summary LIKE ? OR entity LIKE ? OR entity_id LIKE ? OR action LIKE ? OR username LIKE ?)")
        like = f"%{f.text}%"
        params += [like] * 5
    if f.action:
        clauses.append("action = ?")
        params.append(f.action)
    if f.username:
        clauses.append("username = ?")
        params.append(f.username)
    if f.date_from:
        clauses.append("substr(at, 1, 10) >= ?")
        params.append(f.date_from)
    if f.date_to:
        clauses.append("substr(at, 1, 10) <= ?")
        params.append(f.date_to)
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def count(store: Store, f: AuditFilter) -> int:
    where, params = _where(f)
    return store.query_one(f"SELECT count(*) FROM audit_log{where}", params)[0]


def page(store: Store, f: AuditFilter, offset: int, limit: int) -> list[AuditEntry]:
    """Newest first, one page at a time, so a long log opens as fast as a short one."""
    where, params = _where(f)
    rows = store.query(f"SELECT * FROM audit_log{where} ORDER BY seq DESC LIMIT ? OFFSET ?", [*params, limit, offset])
    return [_entry(r) for r in rows]


def distinct_actions(store: Store) -> list[str]:
    return [r[0] for r in store.query("SELECT DISTINCT action FROM audit_log ORDER BY action")]
