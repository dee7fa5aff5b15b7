"""Version 3: locations and rooms, candidates, sessions (afnames) and their append-only event record.

What the later parts read (incident desk, documents, exchange):

* ``session_events`` is the durable record of everything that happened in a session. One row per
  action, never updated or deleted (triggers refuse it). ``kind`` is an English code (receipt,
  present, absent, start, late, pause, resume, incident, candidate_status, remark, end, close,
  reopen, end_time_decision, void); ``data`` is JSON whose keys per kind are documented in
  ``examdesk/domain/session_events.py``. A correction is a new row of the same kind whose
  ``corrects`` names the row it replaces; ``void`` withdraws the row it ``corrects``.
  ``seq`` numbers the events of one session from 1; ``hash`` = SHA-256 over ``prev_hash`` and the
  canonical JSON of the row, so the rows of one session form a chain that an exchange can verify.
* ``session_incidents`` is a view over the current (not corrected, not withdrawn) incident events,
  with the category, its handling route as it stood when the incident was recorded, and the texts.
* ``incident_drafts`` holds what an invigilator is typing in an open incident form; it is scratch
  space (replaced and deleted freely) and never part of the record.
"""

from __future__ import annotations

import sqlite3


def upgrade(conn: sqlite3.Connection) -> None:
    from examdesk.data.migrations import run_sql

    run_sql(conn, """
CREATE TABLE locations (
    id       INTEGER PRIMARY KEY,
    name     TEXT NOT NULL UNIQUE,
    address  TEXT NOT NULL DEFAULT ''
);
CREATE TABLE rooms (
    id            INTEGER PRIMARY KEY,
    location_id   INTEGER NOT NULL REFERENCES locations(id),
    name          TEXT NOT NULL,
    workstations  INTEGER NOT NULL CHECK (workstations BETWEEN 1 AND 500),
    UNIQUE (location_id, name)
);
CREATE TABLE candidates (
    id               INTEGER PRIMARY KEY,
    student_number   TEXT NOT NULL UNIQUE,
    last_name        TEXT NOT NULL,
    prefix           TEXT NOT NULL DEFAULT '',
    first_name       TEXT NOT NULL DEFAULT '',
    birth_date       TEXT,
    crebo            TEXT NOT NULL DEFAULT '',
    cohort           TEXT NOT NULL DEFAULT '',
    target_group     TEXT NOT NULL DEFAULT 'regulier'
                     CHECK (target_group IN ('regulier', 'extraneus', 'vmbo', 'isk', 'onderwijsroute')),
    extra_minutes    INTEGER NOT NULL DEFAULT 0 CHECK (extra_minutes BETWEEN 0 AND 240),
    extra_reason     TEXT NOT NULL DEFAULT '',
    facilities       TEXT NOT NULL DEFAULT '[]',
    facility_other   TEXT NOT NULL DEFAULT '',
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);
CREATE INDEX candidates_crebo ON candidates(crebo, cohort);
CREATE INDEX candidates_name ON candidates(last_name, first_name);
CREATE TABLE candidate_mappings (
    source      TEXT PRIMARY KEY,
    mapping     TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE TABLE sessions (
    id                  TEXT PRIMARY KEY,
    exam_kind           TEXT NOT NULL CHECK (exam_kind IN ('instelling', 'centraal')),
    instrument_id       TEXT REFERENCES instruments(id),
    central_exam        TEXT CHECK (central_exam IN ('Ned2F', 'Ned3F', 'Rek2F', 'Rek3F')),
    title               TEXT NOT NULL,
    session_date        TEXT NOT NULL,
    starts_at           TEXT NOT NULL,
    duration_minutes    INTEGER NOT NULL CHECK (duration_minutes BETWEEN 1 AND 600),
    room_id             INTEGER NOT NULL REFERENCES rooms(id),
    variant             TEXT NOT NULL DEFAULT '',
    period              TEXT NOT NULL DEFAULT '',
    late_limit_minutes  INTEGER NOT NULL CHECK (late_limit_minutes BETWEEN 0 AND 30),
    status              TEXT NOT NULL DEFAULT 'gepland'
                        CHECK (status IN ('gepland', 'bezig', 'afgesloten', 'geannuleerd')),
    created_at          TEXT NOT NULL,
    created_by          TEXT NOT NULL,
    CHECK ((exam_kind = 'instelling' AND instrument_id IS NOT NULL AND central_exam IS NULL)
        OR (exam_kind = 'centraal' AND central_exam IS NOT NULL AND instrument_id IS NULL))
);
CREATE INDEX sessions_date ON sessions(session_date, starts_at);
CREATE INDEX sessions_status ON sessions(status);
CREATE TABLE session_invigilators (
    session_id  TEXT NOT NULL REFERENCES sessions(id),
    user_id     INTEGER NOT NULL REFERENCES users(id),
    PRIMARY KEY (session_id, user_id)
);
CREATE INDEX session_invigilators_user ON session_invigilators(user_id);
CREATE TABLE session_candidates (
    session_id     TEXT NOT NULL REFERENCES sessions(id),
    candidate_id   INTEGER NOT NULL REFERENCES candidates(id),
    workstation    INTEGER NOT NULL CHECK (workstation >= 1),
    extra_minutes  INTEGER NOT NULL DEFAULT 0,
    facilities     TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (session_id, candidate_id),
    UNIQUE (session_id, workstation)
);
CREATE INDEX session_candidates_candidate ON session_candidates(candidate_id);
CREATE TABLE session_events (
    id           TEXT PRIMARY KEY,
    session_id   TEXT NOT NULL REFERENCES sessions(id),
    seq          INTEGER NOT NULL,
    occurred_at  TEXT NOT NULL,
    recorded_at  TEXT NOT NULL,
    user_id      INTEGER REFERENCES users(id),
    username     TEXT NOT NULL,
    kind         TEXT NOT NULL,
    data         TEXT NOT NULL,
    corrects     TEXT REFERENCES session_events(id),
    prev_hash    TEXT NOT NULL,
    hash         TEXT NOT NULL,
    UNIQUE (session_id, seq)
);
CREATE INDEX session_events_kind ON session_events(kind, session_id);
CREATE INDEX session_events_corrects ON session_events(corrects);
CREATE TRIGGER session_events_no_update BEFORE UPDATE ON session_events
BEGIN
    SELECT RAISE(ABORT, 'Het verslag van een afname kan niet worden gewijzigd; leg een correctie vast.');
END;
CREATE TRIGGER session_events_no_delete BEFORE DELETE ON session_events
BEGIN
    SELECT RAISE(ABORT, 'Het verslag van een afname kan niet worden gewijzigd; leg een correctie vast.');
END;
CREATE TABLE incident_drafts (
    session_id  TEXT NOT NULL REFERENCES sessions(id),
    user_id     INTEGER NOT NULL REFERENCES users(id),
    data        TEXT NOT NULL,
    saved_at    TEXT NOT NULL,
    PRIMARY KEY (session_id, user_id)
);
CREATE VIEW session_incidents AS
SELECT e.id                                            AS id,
       e.session_id                                    AS session_id,
       e.occurred_at                                   AS occurred_at,
       e.recorded_at                                   AS recorded_at,
       e.username                                      AS username,
       coalesce(e.corrects, '')                        AS corrects,
       json_extract(e.data, '$.category')              AS category,
       json_extract(e.data, '$.catalogue_version')     AS catalogue_version,
       json_extract(e.data, '$.route.handler')         AS handler,
       json_extract(e.data, '$.route.protocol_point')  AS protocol_point,
       json_extract(e.data, '$.route.letter')          AS letter,
       json_extract(e.data, '$.route.decision_to_inspectie') AS decision_to_inspectie,
       json_extract(e.data, '$.route.serious')         AS serious,
       json_extract(e.data, '$.all_candidates')        AS all_candidates,
       json_extract(e.data, '$.candidate_ids')         AS candidate_ids,
       json_extract(e.data, '$.duration_minutes')      AS duration_minutes,
       json_extract(e.data, '$.what_happened')         AS what_happened,
       json_extract(e.data, '$.what_was_done')         AS what_was_done
FROM session_events e
WHERE e.kind = 'incident'
  AND NOT EXISTS (SELECT 1 FROM session_events c WHERE c.corrects = e.id);
""")
