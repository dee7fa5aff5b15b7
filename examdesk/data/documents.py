"""Issued documents: their fingerprint and the exact PDF bytes, kept unchanged."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from examdesk.data.db import Store
from examdesk.domain.documents import DocumentRecord
from examdesk.domain.fingerprint import sha256_hex

_COLUMNS = "id, kind, subject_id, title, fingerprint, created_at, created_by, model, audit_seq, audit_hash"


def _record(row: Any) -> DocumentRecord:
    return DocumentRecord(row["id"], row["kind"], row["subject_id"], row["title"], row["fingerprint"],
                          row["created_at"], row["created_by"], row["model"], row["audit_seq"], row["audit_hash"])


def insert(store: Store, record: DocumentRecord, pdf: bytes) -> None:
    """With the audit head the document printed: a witness `verify` holds the chain against."""
    store.write(
        f"INSERT INTO documents ({_COLUMNS}, pdf) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (record.id, record.kind, record.subject_id, record.title, record.fingerprint, record.created_at,
         record.created_by, record.model, record.audit_seq, record.audit_hash, pdf),
    )


def get(store: Store, document_id: str) -> DocumentRecord | None:
    row = store.query_one(f"SELECT {_COLUMNS} FROM documents WHERE id = ?", (document_id,))
    return _record(row) if row else None


def pdf(store: Store, document_id: str) -> bytes | None:
    row = store.query_one("SELECT pdf FROM documents WHERE id = ?", (document_id,))
    return bytes(row[0]) if row else None


def by_fingerprint(store: Store, digest: str) -> list[DocumentRecord]:
    rows = store.query(f"SELECT {_COLUMNS} FROM documents WHERE fingerprint = ? ORDER BY created_at DESC", (digest,))
    return [_record(r) for r in rows]


def latest_for(store: Store, kind: str, subject_id: str) -> DocumentRecord | None:
    row = store.query_one(
        f"SELECT {_COLUMNS} FROM documents WHERE kind = ? AND subject_id = ? ORDER BY created_at DESC, rowid DESC"
        " LIMIT 1", (kind, subject_id))
    return _record(row) if row else None


def latest_for_any_submitter(store: Store, kind: str, base_subject: str) -> DocumentRecord | None:
    """The newest document of a personal kind ('incident-id;indiener=…') for the subject, whoever made it."""
    row = store.query_one(
        f"SELECT {_COLUMNS} FROM documents WHERE kind = ? AND (subject_id = ? OR"
        " substr(subject_id, 1, length(?) + 1) = ? || ';') ORDER BY created_at DESC, rowid DESC LIMIT 1",
        (kind, base_subject, base_subject, base_subject))
    return _record(row) if row else None


def recent(store: Store, limit: int = 500) -> list[DocumentRecord]:
    rows = store.query(f"SELECT {_COLUMNS} FROM documents ORDER BY created_at DESC, rowid DESC LIMIT ?", (limit,))
    return [_record(r) for r in rows]


def all_fingerprints(store: Store) -> list[DocumentRecord]:
    return [_record(r) for r in store.query(f"SELECT {_COLUMNS} FROM documents")]


def stored_digests(store: Store) -> Iterator[tuple[str, str, str, str]]:
    """(id, title, fingerprint, SHA-256 of the stored PDF) of every issued document, one row at a time."""
    cursor = store.conn.execute("SELECT id, title, fingerprint, pdf FROM documents ORDER BY rowid")
    for r in cursor:
        yield r[0], r[1], r[2], sha256_hex(bytes(r[3]))
