"""Appending to and reading the keyed, hash-chained audit log, and sealing the desk's rows into it."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterator
from typing import Any

from examdesk.data import keystore
from examdesk.data import meta as meta_data
from examdesk.data.db import Store
from examdesk.data.memo import while_unchanged
from examdesk.domain.audit import Anchor, AuditEntry, AuditFilter, anchor_from_dict, entry_hash
from examdesk.domain.clock import now, to_iso
from examdesk.domain.integrity import SEAL_ACTION, SEALED, row_digest, seal_entity_id, seal_summary


def anchor(store: Store | sqlite3.Connection) -> tuple[bool, Anchor | None]:
    """(present, anchor): present but None means meta.audit_anchor is there but unreadable (tampered)."""
    text = meta_data.get(store, meta_data.ANCHOR_KEY)
    if text is None:
        return False, None
    try:
        return True, anchor_from_dict(json.loads(text))
    except ValueError:
        return True, None


def chain_key(store: Store) -> bytes | None:
    """The HMAC key new entries are made with; None only for a chain from before v007 (while upgrading).
    Raises KeysMissing (Dutch) when the chain is keyed but the key is not on this computer: then
    nothing can be appended."""
    if "audit_key" not in store.memo:
        present, _ = anchor(store)
        key = None
        if present:
            key = keystore.require(meta_data.database_id(store), store.path).hmac_key
        store.memo["audit_key"] = key
    return store.memo["audit_key"]  # type: ignore[return-value]


def append_on(conn: sqlite3.Connection, key: bytes | None, user_id: int | None, username: str, action: str,
              entity: str, entity_id: str | int, summary: dict[str, Any], at: str) -> AuditEntry:
    """The append itself, on a connection already inside a transaction (also used by the v007 upgrade)."""
    head = dict(conn.execute("SELECT key, value FROM meta WHERE key IN ('audit_head_seq', 'audit_head_hash')").fetchall())
    seq = int(head["audit_head_seq"]) + 1
    prev = head["audit_head_hash"]
    digest = entry_hash(prev, seq, at, user_id, username, action, entity, str(entity_id), summary, key)
    conn.execute(
        "INSERT INTO audit_log (seq, at, user_id, username, action, entity, entity_id, summary, prev_hash, hash)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (seq, at, user_id, username, action, entity, str(entity_id),
         json.dumps(summary, ensure_ascii=False, sort_keys=True), prev, digest),
    )
    conn.execute("UPDATE meta SET value = ? WHERE key = 'audit_head_seq'", (str(seq),))
    conn.execute("UPDATE meta SET value = ? WHERE key = 'audit_head_hash'", (digest,))
    return AuditEntry(seq, at, user_id, username, action, entity, str(entity_id), summary, prev, digest)


def append(
    store: Store, user_id: int | None, username: str, action: str, entity: str, entity_id: str | int,
    summary: dict[str, Any] | None = None, at: str | None = None,
) -> AuditEntry:
    """Adds one entry to the chain. Runs in (or joins) a transaction, so the change and its entry land together."""
    summary = summary or {}
    at = at or to_iso(now())
    key = chain_key(store)
    with store.transaction() as conn:
        return append_on(conn, key, user_id, username, action, entity, entity_id, summary, at)


# --- sealing the desk's rows ---------------------------------------------------------------------

def sealed_value(v: Any) -> Any:
    """A column's value as a seal covers it: a BLOB (an attachment's file) as the SHA-256 of its bytes."""
    return ("sha256:" + hashlib.sha256(v).hexdigest()) if isinstance(v, bytes | memoryview) else v


def _content(r: sqlite3.Row, columns: tuple[str, ...]) -> dict[str, Any]:
    """The sealed columns; a BLOB (an attachment's file) as the SHA-256 of its bytes, so the seal covers them."""
    return {c: sealed_value(r[c]) for c in columns}


def _members(runner: sqlite3.Connection, decision_id: str) -> list[list[Any]]:
    return [[m[0], m[1]] for m in runner.execute(
        "SELECT user_id, full_name FROM decision_members WHERE decision_id = ? ORDER BY user_id", (decision_id,))]


def row_content(runner: sqlite3.Connection, table: str, key: str | int) -> dict[str, Any] | None:
    """The sealed columns of one desk row (a decision with its members), or None when it does not exist."""
    spec = SEALED[table]  # the table name comes from this fixed list, never from outside
    r = runner.execute(f"SELECT {', '.join(spec.columns)} FROM {table} WHERE {spec.key} = ?", (key,)).fetchone()
    if r is None:
        return None
    content = _content(r, spec.columns)
    if table == "decisions":
        content["members"] = _members(runner, r["id"])
    return content


def seal_on(conn: sqlite3.Connection, key: bytes | None, table: str, row_key: str | int, user_id: int | None,
            username: str, at: str) -> AuditEntry:
    content = row_content(conn, table, row_key)
    if content is None:
        raise ValueError(f"no row {row_key!r} in {table}")
    return append_on(conn, key, user_id, username, SEAL_ACTION, SEALED[table].label, seal_entity_id(table, row_key),
                     seal_summary(table, row_key, row_digest(table, content)), at)


def seal_many_on(conn: sqlite3.Connection, key: bytes | None, table: str, row_keys: list[str], user_id: int | None,
                 username: str, at: str) -> None:
    """Seals many rows of one table just written (a record's event origins, v018) inside the caller's
    transaction: the same entries `seal_on` writes one by one, chained here and written with one executemany
    and one head update (2,000 origins one by one tripled the record import, bench/exchange.py)."""
    head = dict(conn.execute("SELECT key, value FROM meta WHERE key IN ('audit_head_seq', 'audit_head_hash')").fetchall())
    seq, prev = int(head["audit_head_seq"]), head["audit_head_hash"]
    label, entries = SEALED[table].label, []
    for row_key in row_keys:
        content = row_content(conn, table, row_key)
        if content is None:
            raise ValueError(f"no row {row_key!r} in {table}")
        seq += 1
        summary = seal_summary(table, row_key, row_digest(table, content))
        entity_id = seal_entity_id(table, row_key)
        digest = entry_hash(prev, seq, at, user_id, username, SEAL_ACTION, label, entity_id, summary, key)
        entries.append((seq, at, user_id, username, SEAL_ACTION, label, entity_id,
                        json.dumps(summary, ensure_ascii=False, sort_keys=True), prev, digest))
        prev = digest
    if not entries:
        return
    conn.executemany(
        "INSERT INTO audit_log (seq, at, user_id, username, action, entity, entity_id, summary, prev_hash, hash)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", entries)
    conn.execute("UPDATE meta SET value = ? WHERE key = 'audit_head_seq'", (str(seq),))
    conn.execute("UPDATE meta SET value = ? WHERE key = 'audit_head_hash'", (prev,))


def seal(store: Store, table: str, row_key: str | int, user_id: int | None = None, username: str = "systeem",
         at: str | None = None) -> AuditEntry:
    """Seals a desk row just written, in the same transaction: an audit entry with its content hash."""
    key = chain_key(store)
    with store.transaction() as conn:
        return seal_on(conn, key, table, row_key, user_id, username, at or to_iso(now()))


def all_rows(store: Store, table: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """(key as text, sealed content) of every row of a desk table, for the full check."""
    spec = SEALED[table]
    members: dict[str, list[list[Any]]] = {}
    if table == "decisions":
        for m in store.conn.execute("SELECT decision_id, user_id, full_name FROM decision_members"
                                    " ORDER BY decision_id, user_id"):
            members.setdefault(m[0], []).append([m[1], m[2]])
    for r in store.conn.execute(f"SELECT {', '.join(spec.columns)} FROM {table}"):
        content = _content(r, spec.columns)
        if table == "decisions":
            content["members"] = members.get(r["id"], [])
        yield str(r[spec.key]), content


def rows_after(store: Store, table: str, rowid: int) -> list[tuple[int, str, dict[str, Any]]]:
    """(rowid, key, content) of the rows added after `rowid`: what the startup check looks at."""
    spec = SEALED[table]
    result = []
    for r in store.conn.execute(f"SELECT rowid AS _rowid, {', '.join(spec.columns)} FROM {table} WHERE rowid > ?"
                                " ORDER BY rowid", (rowid,)).fetchall():
        content = _content(r, spec.columns)
        if table == "decisions":
            content["members"] = _members(store.conn, r["id"])
        result.append((r["_rowid"], str(r[spec.key]), content))
    return result


def max_rowid(store: Store, table: str) -> int:
    SEALED[table]  # only the sealed tables
    return store.query_one(f"SELECT coalesce(max(rowid), 0) FROM {table}")[0]


def seals_after(store: Store, seq: int) -> dict[tuple[str, str], str]:
    """(table, key) → content hash of the seal entries after `seq`."""
    found: dict[tuple[str, str], str] = {}
    for r in store.conn.execute("SELECT summary FROM audit_log WHERE seq > ? AND action = ?", (seq, SEAL_ACTION)):
        try:
            summary = json.loads(r[0])
        except ValueError:
            continue
        table, key, digest = summary.get("tabel"), summary.get("sleutel"), summary.get("inhoud")
        if table in SEALED and isinstance(key, str) and isinstance(digest, str):
            found[(table, key)] = digest
    return found


def seal_of(store: Store, table: str, key: str) -> str | None:
    """The content hash a row was sealed with (the newest seal of it), or None."""
    label = SEALED[table].label
    for r in store.conn.execute("SELECT summary FROM audit_log WHERE action = ? AND entity = ? AND entity_id = ?"
                                " ORDER BY seq DESC", (SEAL_ACTION, label, seal_entity_id(table, key))):
        try:
            summary = json.loads(r[0])
        except ValueError:
            continue
        if summary.get("tabel") == table and isinstance(summary.get("inhoud"), str):
            return summary["inhoud"]
    return None


# --- reading ---------------------------------------------------------------------------------------

def _entry(row: Any) -> AuditEntry:
    try:
        summary = json.loads(row["summary"])
    except (TypeError, ValueError):
        summary = {"_onleesbaar": row["summary"]}
    return AuditEntry(row["seq"], row["at"], row["user_id"], row["username"], row["action"], row["entity"],
                      row["entity_id"], summary, row["prev_hash"], row["hash"])


def all_entries(store: Store) -> list[AuditEntry]:
    return list(iter_entries(store))


def iter_entries(store: Store, after: int = 0) -> Iterator[AuditEntry]:
    """The entries after seq `after`, in order, read as they are needed (a long log is never all in memory)."""
    cursor = store.conn.execute("SELECT * FROM audit_log WHERE seq > ? ORDER BY seq", (after,))
    while True:
        rows = cursor.fetchmany(2000)
        if not rows:
            return
        for r in rows:
            yield _entry(r)


def with_action(store: Store, action: str) -> list[AuditEntry]:
    """Every entry of one action, in order (through the index on action)."""
    return [_entry(r) for r in store.query("SELECT * FROM audit_log WHERE action = ? ORDER BY seq", (action,))]


def with_actions(store: Store, actions: tuple[str, ...], newest_first: bool = False) -> Iterator[AuditEntry]:
    """The entries of a few actions, in chain order or newest first, through the index on action (the
    account ledger at start, the login's password check)."""
    order = "DESC" if newest_first else ""
    cursor = store.conn.execute(f"SELECT * FROM audit_log WHERE action IN ({','.join('?' * len(actions))})"
                                f" ORDER BY seq {order}", actions)
    for r in cursor:
        yield _entry(r)


def passwords_summary(store: Store, hashes: dict[int, str]) -> dict[str, Any]:
    """The keyed digests of password hashes just stored, for the audit entry that records them (empty for a
    chain from before v007, which has no key)."""
    from examdesk.domain.audit_ledgers import passwords_summary as summary_of

    key = chain_key(store)
    return summary_of(key, hashes) if key is not None else {}


def hash_at(store: Store, seq: int) -> str | None:
    row = store.query_one("SELECT hash FROM audit_log WHERE seq = ?", (seq,))
    return row[0] if row else None


def changed_after(store: Store, seq: int, unchanged: frozenset[str]) -> bool:
    """Whether an entry after `seq` has an action other than `unchanged` (a range of the log's key)."""
    actions = sorted(unchanged)
    return store.query_one(f"SELECT 1 FROM audit_log WHERE seq > ? AND action NOT IN ({','.join('?' * len(actions))})"
                           " LIMIT 1", (seq, *actions)) is not None


def head(store: Store) -> tuple[int, str]:
    rows = dict(store.query("SELECT key, value FROM meta WHERE key IN ('audit_head_seq', 'audit_head_hash')"))
    return int(rows["audit_head_seq"]), rows["audit_head_hash"]


def _next_day(iso_date: str) -> str:
    from datetime import date, timedelta

    return (date.fromisoformat(iso_date) + timedelta(days=1)).isoformat()


def _where(store: Store, f: AuditFilter) -> tuple[str, list[Any]]:
    """The filter on indexed columns: typed text through the full-text index (`data/search`: a prefix
    search per word in action, object, user and summary), dates as a range of ``at``."""
    from examdesk.data import search

    clauses, params = [], []
    if f.text.strip():
        query = search.match_query(f.text)
        if query is None:
            clauses.append("0")
        else:
            search.ensure(store)
            clauses.append("seq IN (SELECT rowid FROM audit_search WHERE audit_search MATCH ?)")
            params.append(query)
    if f.action:
        clauses.append("action = ?")
        params.append(f.action)
    if f.username:
        clauses.append("username = ?")
        params.append(f.username)
    if f.date_from:
        clauses.append("at >= ?")
        params.append(f.date_from)
    if f.date_to:
        clauses.append("at < ?")
        params.append(_next_day(f.date_to))
    if f.candidate_id is not None:   # entries linked to the candidate (v015), and those naming their number
        clauses.append("(seq IN (SELECT seq FROM audit_subjects WHERE candidate_id = ?) OR (entity = 'kandidaat'"
                       " AND entity_id = (SELECT student_number FROM candidates WHERE id = ?)))")
        params += [f.candidate_id, f.candidate_id]
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


_COUNT_MEMO = "audit_count"


def count(store: Store, f: AuditFilter) -> int:
    """How many entries the filter holds. Without a filter that is the head's number (the chain has no
    gaps: `verify` says so when it has). The screen asks for the count and then the page for the same
    filter; a second count for it comes from the memo while the database is unchanged."""
    return while_unchanged(store, _COUNT_MEMO, (f,), lambda: _count(store, f))


def _count(store: Store, f: AuditFilter) -> int:
    from examdesk.data import search

    query = search.match_query(f.text)
    if query is not None and f == AuditFilter(text=f.text):   # typed text alone: the search index counts
        search.ensure(store)
        total = store.query_one("SELECT count(*) FROM audit_search WHERE audit_search MATCH ?", (query,))[0]
    else:
        where, params = _where(store, f)
        total = head(store)[0] if not where else store.query_one(f"SELECT count(*) FROM audit_log{where}",
                                                                 params)[0]
    return total


def page(store: Store, f: AuditFilter, offset: int, limit: int) -> list[AuditEntry]:
    """Newest first, one page at a time, so a long log opens as fast as a short one. Typed text alone is
    read from the search index newest first (its rowid is the entry's number): the page stops as soon as
    it is full, however many entries match."""
    from examdesk.data import search

    query = search.match_query(f.text)
    if query is not None and f == AuditFilter(text=f.text):
        search.ensure(store)
        rows = store.query("SELECT a.* FROM audit_search JOIN audit_log a ON a.seq = audit_search.rowid"
                           " WHERE audit_search MATCH ? ORDER BY audit_search.rowid DESC LIMIT ? OFFSET ?",
                           (query, limit, offset))
    else:
        where, params = _where(store, f)
        rows = store.query(f"SELECT * FROM audit_log{where} ORDER BY seq DESC LIMIT ? OFFSET ?",
                           [*params, limit, offset])
    return [_entry(r) for r in rows]


def distinct_actions(store: Store) -> list[str]:
    """The actions in the log, one probe of the action index each (never a read of the whole log)."""
    found = []
    r = store.query_one("SELECT min(action) FROM audit_log")
    while r is not None and r[0] is not None:
        found.append(r[0])
        r = store.query_one("SELECT min(action) FROM audit_log WHERE action > ?", (r[0],))
    return found


def table_names(store: Store) -> frozenset[str]:
    """The tables this database file has (for checks that must work on a file at an older version)."""
    return frozenset(r[0] for r in store.query("SELECT name FROM sqlite_master WHERE type = 'table'"))
