"""Version 2: the instrument register — kwalificaties, suppliers, instruments with an append-only
status history, and the route choice per kwalificatie per school year.

Dates are ISO dates (jjjj-mm-dd), moments ISO 8601 with offset. Instrument and supplier ids are
uuid4 strings, so a register can travel to another machine without collisions.
"""

from __future__ import annotations

import sqlite3


def upgrade(conn: sqlite3.Connection) -> None:
    from examdesk.data.migrations import run_sql

    run_sql(conn, """
CREATE TABLE qualifications (
    crebo          TEXT PRIMARY KEY CHECK (crebo GLOB '[0-9][0-9][0-9][0-9][0-9]'),
    name           TEXT NOT NULL CHECK (name <> ''),
    niveau         INTEGER NOT NULL CHECK (niveau BETWEEN 1 AND 4),
    dossier        TEXT NOT NULL DEFAULT '',
    dossier_crebo  TEXT NOT NULL DEFAULT '',
    domain         TEXT NOT NULL DEFAULT '',
    kind           TEXT NOT NULL DEFAULT 'kwalificatie'
                   CHECK (kind IN ('kwalificatie', 'mbo-certificaat', 'generiek')),
    valid_from     TEXT,
    valid_until    TEXT,
    updated_at     TEXT NOT NULL,
    CHECK (valid_from IS NULL OR valid_until IS NULL OR valid_from <= valid_until)
);
CREATE INDEX qualifications_name ON qualifications(name);

CREATE TABLE suppliers (
    id                  TEXT PRIMARY KEY,
    name                TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (name <> ''),
    authority           TEXT NOT NULL DEFAULT '',
    certificate_number  TEXT NOT NULL DEFAULT '',
    certified_from      TEXT,
    certified_until     TEXT,
    updated_at          TEXT NOT NULL,
    CHECK (certified_from IS NULL OR certified_until IS NULL OR certified_from <= certified_until)
);

CREATE TABLE instruments (
    id               TEXT PRIMARY KEY,
    code             TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (code <> ''),
    title            TEXT NOT NULL CHECK (title <> ''),
    crebo            TEXT NOT NULL REFERENCES qualifications(crebo),
    part             TEXT NOT NULL DEFAULT '',
    kind             TEXT NOT NULL,
    formative        INTEGER NOT NULL DEFAULT 0 CHECK (formative IN (0, 1)),
    route            INTEGER NOT NULL CHECK (route BETWEEN 1 AND 3),
    supplier_id      TEXT REFERENCES suppliers(id),
    validator        TEXT NOT NULL DEFAULT '',
    validation_date  TEXT,
    version          TEXT NOT NULL DEFAULT '1',
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    CHECK (route <> 1 OR supplier_id IS NOT NULL)
);
CREATE INDEX instruments_crebo ON instruments(crebo);
CREATE INDEX instruments_supplier ON instruments(supplier_id);

CREATE TABLE instrument_status (
    seq              INTEGER PRIMARY KEY,
    instrument_id    TEXT NOT NULL REFERENCES instruments(id),
    status           TEXT NOT NULL
                     CHECK (status IN ('concept', 'vastgesteld', 'gewijzigd', 'voorbehoud', 'ingetrokken')),
    effective_on     TEXT NOT NULL,
    decision_number  TEXT NOT NULL DEFAULT '',
    reason           TEXT NOT NULL DEFAULT '',
    recorded_at      TEXT NOT NULL,
    recorded_by      TEXT NOT NULL,
    CHECK (status <> 'vastgesteld' OR decision_number <> ''),
    CHECK (status NOT IN ('gewijzigd', 'voorbehoud', 'ingetrokken') OR reason <> '')
);
CREATE INDEX instrument_status_instrument ON instrument_status(instrument_id, effective_on, seq);
CREATE TRIGGER instrument_status_no_update BEFORE UPDATE ON instrument_status
BEGIN
    SELECT RAISE(ABORT, 'De statusgeschiedenis van een instrument kan niet worden gewijzigd.');
END;
CREATE TRIGGER instrument_status_no_delete BEFORE DELETE ON instrument_status
BEGIN
    SELECT RAISE(ABORT, 'De statusgeschiedenis van een instrument kan niet worden gewijzigd.');
END;

CREATE TABLE route_choices (
    crebo           TEXT NOT NULL REFERENCES qualifications(crebo),
    school_year     TEXT NOT NULL CHECK (school_year GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9][0-9][0-9]'),
    routes          TEXT NOT NULL CHECK (routes IN ('1', '2', '3', '1,2', '1,3', '2,3', '1,2,3')),
    considerations  TEXT NOT NULL DEFAULT '',
    adopted_by      TEXT NOT NULL,
    adopted_on      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    PRIMARY KEY (crebo, school_year),
    CHECK (routes = '1' OR considerations <> '')
);
""")
