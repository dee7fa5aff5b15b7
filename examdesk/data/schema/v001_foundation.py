"""Version 1: institution, users and roles, settings, and the append-only audit log."""

from __future__ import annotations

import sqlite3


def upgrade(conn: sqlite3.Connection) -> None:
    from examdesk.data.migrations import run_sql

    run_sql(conn, """
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE institution (
    id                      INTEGER PRIMARY KEY CHECK (id = 1),
    name                    TEXT NOT NULL,
    brin                    TEXT NOT NULL,
    commission_name         TEXT NOT NULL,
    place                   TEXT NOT NULL DEFAULT '',
    late_admission_minutes  INTEGER NOT NULL DEFAULT 30,
    appeal_term_days        INTEGER NOT NULL DEFAULT 42,
    appeal_body             TEXT NOT NULL DEFAULT 'Commissie van beroep voor de examens'
);
CREATE TABLE users (
    id               INTEGER PRIMARY KEY,
    username         TEXT NOT NULL UNIQUE,
    full_name        TEXT NOT NULL,
    password_hash    TEXT NOT NULL,
    active           INTEGER NOT NULL DEFAULT 1,
    function         TEXT NOT NULL DEFAULT '',
    phone            TEXT NOT NULL DEFAULT '',
    email            TEXT NOT NULL DEFAULT '',
    failed_attempts  INTEGER NOT NULL DEFAULT 0,
    locked_until     TEXT,
    created_at       TEXT NOT NULL
);
CREATE TABLE user_roles (
    user_id  INTEGER NOT NULL REFERENCES users(id),
    role     TEXT NOT NULL CHECK (role IN ('beheerder', 'examencommissie', 'examenbureau', 'surveillant')),
    PRIMARY KEY (user_id, role)
);
CREATE TABLE audit_log (
    seq        INTEGER PRIMARY KEY,
    at         TEXT NOT NULL,
    user_id    INTEGER,
    username   TEXT NOT NULL,
    action     TEXT NOT NULL,
    entity     TEXT NOT NULL,
    entity_id  TEXT NOT NULL,
    summary    TEXT NOT NULL,
    prev_hash  TEXT NOT NULL,
    hash       TEXT NOT NULL
);
CREATE INDEX audit_log_at ON audit_log(at);
CREATE INDEX audit_log_action ON audit_log(action);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'Het auditlogboek kan niet worden gewijzigd.');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'Het auditlogboek kan niet worden gewijzigd.');
END;
INSERT INTO meta (key, value) VALUES ('application', 'ExamDesk');
INSERT INTO meta (key, value) VALUES ('audit_head_seq', '0');
INSERT INTO meta (key, value) VALUES ('audit_head_hash', '0000000000000000000000000000000000000000000000000000000000000000');
""")
