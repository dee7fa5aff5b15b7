"""Version 12: the incident rules and documents as the sources write them (issue 12).

* ``incident_index.measure_count``: the current decisions that take a measure. Examenprotocol point 7
  reports to the Inspectie only "het besluit waarbij bedoelde maatregel wordt genomen"; the projection
  (`domain/incident_state.project`) counts them and the desk's rules read the column. ``desk_incidents``
  is re-created with it (still a join only), and now also lists an incident the examencommissie withdrew
  (status ``ingetrokken``, with its reason in the session's record); one the invigilator voided stays out.
* ``letter_dispatches``: the day a decision letter was sent ("Brief verzonden op …"); the appeal term
  runs from that day.
* ``minor_answers``: the commission's answer, when a candidate's birth date is unknown, to "was the
  candidate a minor on the decision date?" — asked before the letter is made, so the copy for the legal
  representatives (points 6, 7, 8C) is never dropped silently.
* ``commission_policies``: the commission's policy and considerations per school year for the annual
  report (seed 000 §5, "op basis van zijn visie"); every save is a new version.
* ``grade_determinations``: the examenbureau's record that a closed session's results were processed
  (date, by whom, which system): the procesverbaal runs "tot en met de cijferbepaling" (Beleidsregel,
  toelichting bij artikel 3).

Each new table is append-only (a correction is a new row; the newest counts) and each row is sealed in
the keyed audit chain (`domain/integrity.SEALED_TABLES`).
"""

from __future__ import annotations

import sqlite3

_APPEND_ONLY = ("letter_dispatches", "minor_answers", "commission_policies", "grade_determinations")


def upgrade(conn: sqlite3.Connection) -> None:
    from examdesk.data.migrations import run_sql

    run_sql(conn, """
ALTER TABLE incident_index ADD COLUMN measure_count INTEGER NOT NULL DEFAULT 0;
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
       s.exam_kind, s.title AS session_title, s.central_exam, s.instrument_id, s.period, s.variant,
       r.name AS room_name, l.name AS location_name
FROM incident_index ii
JOIN sessions s ON s.id = ii.session_id
JOIN rooms r ON r.id = s.room_id
JOIN locations l ON l.id = r.location_id
WHERE ii.voided = 0;

CREATE TABLE letter_dispatches (
    id           INTEGER PRIMARY KEY,
    decision_id  TEXT NOT NULL REFERENCES decisions(id),
    sent_on      TEXT NOT NULL,
    recorded_at  TEXT NOT NULL,
    user_id      INTEGER REFERENCES users(id),
    username     TEXT NOT NULL
);
CREATE INDEX letter_dispatches_decision ON letter_dispatches(decision_id);

CREATE TABLE minor_answers (
    id           INTEGER PRIMARY KEY,
    decision_id  TEXT NOT NULL REFERENCES decisions(id),
    minor        INTEGER NOT NULL CHECK (minor IN (0, 1)),
    note         TEXT NOT NULL DEFAULT '',
    recorded_at  TEXT NOT NULL,
    user_id      INTEGER REFERENCES users(id),
    username     TEXT NOT NULL
);
CREATE INDEX minor_answers_decision ON minor_answers(decision_id);

CREATE TABLE commission_policies (
    id           INTEGER PRIMARY KEY,
    school_year  TEXT NOT NULL CHECK (length(school_year) = 9),
    text         TEXT NOT NULL CHECK (length(trim(text)) > 0),
    recorded_at  TEXT NOT NULL,
    user_id      INTEGER REFERENCES users(id),
    username     TEXT NOT NULL
);
CREATE INDEX commission_policies_year ON commission_policies(school_year);

CREATE TABLE grade_determinations (
    id            INTEGER PRIMARY KEY,
    session_id    TEXT NOT NULL REFERENCES sessions(id),
    processed_on  TEXT NOT NULL,
    processed_by  TEXT NOT NULL CHECK (length(trim(processed_by)) > 0),
    system        TEXT NOT NULL CHECK (length(trim(system)) > 0),
    remark        TEXT NOT NULL DEFAULT '',
    recorded_at   TEXT NOT NULL,
    user_id       INTEGER REFERENCES users(id),
    username      TEXT NOT NULL
);
CREATE INDEX grade_determinations_session ON grade_determinations(session_id);
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
