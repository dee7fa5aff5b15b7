"""Version 14 (issue 13): the commission's whole case — evidence, the hearing, who decided, the appeal.

* ``incident_index.found_on``: the day an incident found afterwards came to light (event kind
  ``found_incident``); NULL for one the invigilator recorded in the room. ``desk_incidents`` is re-created
  with it (still a join only), and the index re-projects on the next read.
* ``hearings``: *hoor en wederhoor* of one candidate about one incident — the invitation (date, how), the
  hearing (date, who heard, the candidate's account in their own words, a representative or interpreter),
  or that the candidate waived it or did not come; and, as outcome ``niet_gehoord``, the reason a decision
  took a measure without a hearing (the letter states it).
* ``attachments``: evidence (photo, screenshot, scan, e-mail as PDF) on an incident or a hearing, stored
  inside the database with its SHA-256, size and media type (checked by content, `domain/casework`).
* ``decision_signers``: each commission member who confirmed a decision with their own login.
* ``appeals``, ``appeal_hearings``, ``appeal_outcomes``: the appeal to the commissie van beroep — lodged
  (date, by whom, its term from the letter's send date, a reason when late), its hearing, its outcome and
  the new decision that supersedes the old one when the appeal changed it.

Every new table is append-only and every row is sealed in the keyed audit chain from its creation
(`domain/integrity.SEALED_TABLES`). Candidate references: ``hearings.candidate_id``,
``attachments.candidate_id`` (a hearing's evidence), ``appeals.candidate_id``; the rest through their
incident or decision.
"""

from __future__ import annotations

import sqlite3

_APPEND_ONLY = ("hearings", "attachments", "decision_signers", "appeals", "appeal_hearings", "appeal_outcomes")


def upgrade(conn: sqlite3.Connection) -> None:
    from examdesk.data.migrations import run_sql

    run_sql(conn, """
ALTER TABLE incident_index ADD COLUMN found_on TEXT;
DROP VIEW desk_incidents;
CREATE VIEW desk_incidents AS
SELECT ii.incident_id, ii.session_id, ii.current_id, ii.corrections, ii.occurred_at,
       ii.category AS recorded_category, ii.handler AS recorded_handler, ii.protocol_point AS recorded_point,
       ii.letter AS recorded_letter, ii.serious AS recorded_serious, ii.all_candidates,
       ii.route_category AS category, ii.route_handler, ii.route_point AS protocol_point, ii.route_letter AS letter,
       ii.route_serious AS serious, ii.route_to_inspectie, ii.reclassified, ii.doubtful, ii.reported,
       ii.reported_on, ii.open_report, ii.last_answer, ii.decision_reported, ii.decision_count, ii.undecided,
       ii.candidate_count, ii.closed, ii.activity, ii.status, ii.status_rank, ii.effective_handler, ii.to_report,
       ii.what_happened, ii.what_was_done, ii.duration_minutes, ii.session_date, ii.location_id, ii.measure_count,
       ii.found_on,
       s.exam_kind, s.title AS session_title, s.central_exam, s.instrument_id, s.period, s.variant,
       r.name AS room_name, l.name AS location_name
FROM incident_index ii
JOIN sessions s ON s.id = ii.session_id
JOIN rooms r ON r.id = s.room_id
JOIN locations l ON l.id = r.location_id
WHERE ii.voided = 0;

CREATE TABLE hearings (
    id              INTEGER PRIMARY KEY,
    incident_id     TEXT NOT NULL,
    candidate_id    INTEGER NOT NULL REFERENCES candidates(id),
    invited_on      TEXT NOT NULL,
    invited_how     TEXT NOT NULL,
    outcome         TEXT NOT NULL CHECK (outcome IN ('gehoord', 'afgezien', 'niet_verschenen', 'niet_gehoord')),
    held_on         TEXT,
    heard_by        TEXT NOT NULL DEFAULT '[]',
    account         TEXT NOT NULL DEFAULT '',
    representative  TEXT NOT NULL DEFAULT '',
    interpreter     TEXT NOT NULL DEFAULT '',
    reason          TEXT NOT NULL DEFAULT '',
    decision_id     TEXT REFERENCES decisions(id),
    recorded_at     TEXT NOT NULL,
    user_id         INTEGER REFERENCES users(id),
    username        TEXT NOT NULL
);
CREATE INDEX hearings_incident ON hearings(incident_id, candidate_id);
CREATE INDEX hearings_candidate ON hearings(candidate_id);

CREATE TABLE attachments (
    id            INTEGER PRIMARY KEY,
    incident_id   TEXT NOT NULL,
    hearing_id    INTEGER REFERENCES hearings(id),
    candidate_id  INTEGER REFERENCES candidates(id),
    file_name     TEXT NOT NULL CHECK (length(trim(file_name)) > 0),
    media_type    TEXT NOT NULL CHECK (media_type IN ('image/png', 'image/jpeg', 'application/pdf')),
    size          INTEGER NOT NULL CHECK (size > 0 AND size <= 10485760),
    sha256        TEXT NOT NULL CHECK (length(sha256) = 64),
    content       BLOB NOT NULL CHECK (length(content) = size),
    description   TEXT NOT NULL DEFAULT '',
    recorded_at   TEXT NOT NULL,
    user_id       INTEGER REFERENCES users(id),
    username      TEXT NOT NULL
);
CREATE INDEX attachments_incident ON attachments(incident_id);
CREATE INDEX attachments_candidate ON attachments(candidate_id);

CREATE TABLE decision_signers (
    id            INTEGER PRIMARY KEY,
    decision_id   TEXT NOT NULL REFERENCES decisions(id),
    user_id       INTEGER NOT NULL REFERENCES users(id),
    username      TEXT NOT NULL,
    full_name     TEXT NOT NULL,
    how           TEXT NOT NULL CHECK (how IN ('ingelogd', 'tweede inlog')),
    confirmed_at  TEXT NOT NULL,
    UNIQUE (decision_id, user_id)
);

CREATE TABLE appeals (
    id            INTEGER PRIMARY KEY,
    decision_id   TEXT NOT NULL REFERENCES decisions(id),
    candidate_id  INTEGER REFERENCES candidates(id),
    lodged_on     TEXT NOT NULL,
    lodged_by     TEXT NOT NULL CHECK (length(trim(lodged_by)) > 0),
    term_until    TEXT,
    late_reason   TEXT NOT NULL DEFAULT '',
    recorded_at   TEXT NOT NULL,
    user_id       INTEGER REFERENCES users(id),
    username      TEXT NOT NULL
);
CREATE INDEX appeals_decision ON appeals(decision_id);
CREATE INDEX appeals_candidate ON appeals(candidate_id);

CREATE TABLE appeal_hearings (
    id            INTEGER PRIMARY KEY,
    appeal_id     INTEGER NOT NULL REFERENCES appeals(id),
    held_on       TEXT NOT NULL,
    note          TEXT NOT NULL DEFAULT '',
    recorded_at   TEXT NOT NULL,
    user_id       INTEGER REFERENCES users(id),
    username      TEXT NOT NULL
);
CREATE INDEX appeal_hearings_appeal ON appeal_hearings(appeal_id);

CREATE TABLE appeal_outcomes (
    id               INTEGER PRIMARY KEY,
    appeal_id        INTEGER NOT NULL UNIQUE REFERENCES appeals(id),
    outcome          TEXT NOT NULL CHECK (outcome IN ('in_stand', 'vernietigd', 'gewijzigd')),
    decided_on       TEXT NOT NULL,
    new_decision_id  TEXT REFERENCES decisions(id),
    note             TEXT NOT NULL DEFAULT '',
    recorded_at      TEXT NOT NULL,
    user_id          INTEGER REFERENCES users(id),
    username         TEXT NOT NULL
);
UPDATE meta SET value = '' WHERE key = 'desk_index_version';
""")
    for table in _APPEND_ONLY:
        run_sql(conn, f"""
CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}
BEGIN
    SELECT RAISE(ABORT, 'Deze vastlegging kan niet worden gewijzigd; leg een nieuwe vast.');
END;
CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table}
BEGIN
    SELECT RAISE(ABORT, 'Deze vastlegging kan niet worden gewijzigd; leg een nieuwe vast.');
END;
""")
