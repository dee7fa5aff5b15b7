"""Issued documents: fingerprint and PDF bytes, append-only (a document is never changed)."""

from __future__ import annotations

import sqlite3


def upgrade(conn: sqlite3.Connection) -> None:
    from examdesk.data.migrations import run_sql

    run_sql(conn, """
CREATE TABLE documents (
    id           TEXT PRIMARY KEY,
    kind         TEXT NOT NULL,
    subject_id   TEXT NOT NULL,
    title        TEXT NOT NULL,
    fingerprint  TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    created_by   TEXT NOT NULL,
    model        TEXT NOT NULL,
    pdf          BLOB NOT NULL
);
CREATE INDEX documents_subject ON documents(kind, subject_id);
CREATE INDEX documents_fingerprint ON documents(fingerprint);
CREATE TRIGGER documents_no_update BEFORE UPDATE ON documents
BEGIN
    SELECT RAISE(ABORT, 'Een uitgegeven document kan niet worden gewijzigd.');
END;
CREATE TRIGGER documents_no_delete BEFORE DELETE ON documents
BEGIN
    SELECT RAISE(ABORT, 'Een uitgegeven document kan niet worden verwijderd.');
END;
""")
