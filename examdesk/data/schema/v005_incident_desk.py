"""Version 5: the commission's incident desk.

An incident is an ``incident`` event in ``session_events`` (v003); corrections are new events whose
``corrects`` names the one they replace, and ``void`` withdraws one. The desk needs one stable id per
incident, whatever its corrections: the id of the original (first) event of the chain.

* ``incident_versions`` maps every incident event (original or correction) to that stable id;
  ``incident_index`` holds one row per incident with the version that now stands and the route as
  recorded; ``incident_candidates`` the candidates involved in that version ("alle kandidaten" =
  the session's roster without those recorded absent or refused). All three are derived data,
  brought up to date from ``session_events`` when the desk reads them (``data/incident_index.py``;
  ``meta.desk_index_rowid`` remembers how far), so the session code knows nothing of the desk, the
  invigilator's save stays one small write, and an event that arrives by exchange lands on the desk
  the same way.
* The desk's own record is append-only (triggers refuse UPDATE and DELETE): ``incident_triage``
  (reclassification with the route it gives, doubtful case), ``inspectie_reports`` and
  ``inspectie_answers``, ``decisions`` (a revision is a new row whose ``supersedes`` names the old
  one) with ``decision_members``, ``resits`` (*herkansing nodig*, from a voiding decision or an
  Inspectie retake) with ``resit_withdrawals``, and ``incident_closures`` (closed / reopened).
* ``desk_incidents`` is the view the Incidenten screen reads: the current version, the route after
  triage, and the status derived from the desk's record.
"""

from __future__ import annotations

import sqlite3

_DESK_TABLES = ("incident_triage", "inspectie_reports", "inspectie_answers", "decisions", "decision_members",
                "resits", "resit_withdrawals", "incident_closures")


def upgrade(conn: sqlite3.Connection) -> None:
    from examdesk.data.migrations import run_sql

    run_sql(conn, """
CREATE TABLE incident_versions (
    event_id     TEXT PRIMARY KEY REFERENCES session_events(id),
    incident_id  TEXT NOT NULL
);
CREATE INDEX incident_versions_incident ON incident_versions(incident_id);
CREATE TABLE incident_index (
    incident_id            TEXT PRIMARY KEY REFERENCES session_events(id),
    session_id             TEXT NOT NULL REFERENCES sessions(id),
    current_id             TEXT NOT NULL REFERENCES session_events(id),
    current_seq            INTEGER NOT NULL,
    corrections            INTEGER NOT NULL DEFAULT 0,
    voided                 INTEGER NOT NULL DEFAULT 0,
    occurred_at            TEXT NOT NULL,
    category               TEXT NOT NULL,
    handler                TEXT NOT NULL,
    protocol_point         INTEGER,
    letter                 TEXT,
    serious                INTEGER NOT NULL DEFAULT 0,
    decision_to_inspectie  INTEGER NOT NULL DEFAULT 0,
    all_candidates         INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX incident_index_occurred ON incident_index(occurred_at);
CREATE INDEX incident_index_session ON incident_index(session_id);
CREATE INDEX incident_index_category ON incident_index(category);
CREATE TABLE incident_candidates (
    incident_id   TEXT NOT NULL REFERENCES incident_index(incident_id),
    candidate_id  INTEGER NOT NULL REFERENCES candidates(id),
    PRIMARY KEY (incident_id, candidate_id)
);
CREATE INDEX incident_candidates_candidate ON incident_candidates(candidate_id);

CREATE TABLE incident_triage (
    id                     INTEGER PRIMARY KEY,
    incident_id            TEXT NOT NULL REFERENCES incident_index(incident_id),
    kind                   TEXT NOT NULL CHECK (kind IN ('herclassificatie', 'twijfelgeval')),
    previous_category      TEXT NOT NULL,
    category               TEXT,
    handler                TEXT,
    protocol_point         INTEGER,
    letter                 TEXT,
    serious                INTEGER NOT NULL DEFAULT 0,
    decision_to_inspectie  INTEGER NOT NULL DEFAULT 0,
    reason                 TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    recorded_at            TEXT NOT NULL,
    user_id                INTEGER REFERENCES users(id),
    username               TEXT NOT NULL,
    CHECK (kind = 'twijfelgeval' OR (category IS NOT NULL AND handler IS NOT NULL))
);
CREATE INDEX incident_triage_incident ON incident_triage(incident_id, kind);

CREATE TABLE inspectie_reports (
    id           INTEGER PRIMARY KEY,
    incident_id  TEXT NOT NULL REFERENCES incident_index(incident_id),
    subject      TEXT NOT NULL CHECK (subject IN ('melding', 'twijfelgeval', 'besluit')),
    reported_on  TEXT NOT NULL,
    reference    TEXT NOT NULL DEFAULT '',
    reported_by  INTEGER NOT NULL REFERENCES users(id),
    remark       TEXT NOT NULL DEFAULT '',
    recorded_at  TEXT NOT NULL,
    user_id      INTEGER REFERENCES users(id),
    username     TEXT NOT NULL
);
CREATE INDEX inspectie_reports_incident ON inspectie_reports(incident_id);
CREATE TABLE inspectie_answers (
    id             INTEGER PRIMARY KEY,
    report_id      INTEGER NOT NULL UNIQUE REFERENCES inspectie_reports(id),
    incident_id    TEXT NOT NULL REFERENCES incident_index(incident_id),
    outcome        TEXT NOT NULL CHECK (outcome IN ('terugverwezen', 'opnieuw_afnemen')),
    scope          TEXT CHECK (scope IN ('geheel', 'gedeeltelijk')),
    candidate_ids  TEXT NOT NULL DEFAULT '[]',
    answered_on    TEXT NOT NULL,
    reference      TEXT NOT NULL DEFAULT '',
    remark         TEXT NOT NULL DEFAULT '',
    recorded_at    TEXT NOT NULL,
    user_id        INTEGER REFERENCES users(id),
    username       TEXT NOT NULL,
    CHECK ((outcome = 'terugverwezen') = (scope IS NULL))
);
CREATE INDEX inspectie_answers_incident ON inspectie_answers(incident_id);

CREATE TABLE decisions (
    id                 TEXT PRIMARY KEY,
    number             INTEGER NOT NULL UNIQUE,
    incident_id        TEXT NOT NULL REFERENCES incident_index(incident_id),
    candidate_id       INTEGER REFERENCES candidates(id),
    decided_on         TEXT NOT NULL,
    protocol_point     INTEGER,
    measures           TEXT NOT NULL,
    retake_scope       TEXT CHECK (retake_scope IN ('geheel', 'gedeeltelijk')),
    no_measure_reason  TEXT NOT NULL DEFAULT '',
    reasoning          TEXT NOT NULL CHECK (length(trim(reasoning)) > 0),
    heard              INTEGER NOT NULL CHECK (heard IN (0, 1)),
    heard_on           TEXT,
    minor              INTEGER CHECK (minor IN (0, 1)),
    supersedes         TEXT UNIQUE REFERENCES decisions(id),
    revision_reason    TEXT NOT NULL DEFAULT '',
    recorded_at        TEXT NOT NULL,
    user_id            INTEGER REFERENCES users(id),
    username           TEXT NOT NULL,
    CHECK (measures != '[]' OR length(trim(no_measure_reason)) > 0),
    CHECK (heard = 1 OR heard_on IS NULL)
);
CREATE INDEX decisions_incident ON decisions(incident_id, candidate_id);
CREATE TABLE decision_members (
    decision_id  TEXT NOT NULL REFERENCES decisions(id),
    user_id      INTEGER NOT NULL REFERENCES users(id),
    full_name    TEXT NOT NULL,
    PRIMARY KEY (decision_id, user_id)
);
CREATE VIEW current_decisions AS
SELECT d.* FROM decisions d WHERE NOT EXISTS (SELECT 1 FROM decisions n WHERE n.supersedes = d.id);

CREATE TABLE resits (
    id                      INTEGER PRIMARY KEY,
    candidate_id            INTEGER NOT NULL REFERENCES candidates(id),
    incident_id             TEXT NOT NULL REFERENCES incident_index(incident_id),
    decision_id             TEXT REFERENCES decisions(id),
    answer_id               INTEGER REFERENCES inspectie_answers(id),
    scope                   TEXT NOT NULL CHECK (scope IN ('geheel', 'gedeeltelijk')),
    not_before_next_period  INTEGER NOT NULL DEFAULT 0,
    created_at              TEXT NOT NULL,
    CHECK ((decision_id IS NULL) != (answer_id IS NULL))
);
CREATE INDEX resits_candidate ON resits(candidate_id);
CREATE INDEX resits_decision ON resits(decision_id);
CREATE TABLE resit_withdrawals (
    resit_id     INTEGER PRIMARY KEY REFERENCES resits(id),
    decision_id  TEXT NOT NULL REFERENCES decisions(id),
    at           TEXT NOT NULL
);

CREATE TABLE incident_closures (
    id           INTEGER PRIMARY KEY,
    incident_id  TEXT NOT NULL REFERENCES incident_index(incident_id),
    action       TEXT NOT NULL CHECK (action IN ('afgesloten', 'heropend')),
    note         TEXT NOT NULL DEFAULT '',
    at           TEXT NOT NULL,
    user_id      INTEGER REFERENCES users(id),
    username     TEXT NOT NULL
);
CREATE INDEX incident_closures_incident ON incident_closures(incident_id);

CREATE VIEW desk_incidents AS
SELECT x.*,
       CASE
           WHEN x.closed THEN 'afgesloten'
           WHEN x.open_report THEN 'gemeld bij Inspectie'
           WHEN x.last_answer = 'opnieuw_afnemen' OR (x.decision_count > 0 AND x.undecided = 0) THEN 'besloten'
           WHEN x.activity THEN 'in behandeling'
           ELSE 'open'
       END AS status,
       CASE
           WHEN x.last_answer = 'terugverwezen' THEN 'examencommissie'
           WHEN x.doubtful AND x.exam_kind = 'centraal' THEN 'inspectie'
           ELSE x.route_handler
       END AS effective_handler,
       (x.exam_kind = 'centraal' AND NOT x.closed AND (
            (x.last_answer IS NULL AND NOT x.reported
             AND (x.route_handler = 'inspectie' OR x.doubtful))
         OR (x.route_to_inspectie AND x.decision_count > 0 AND NOT x.decision_reported))) AS to_report
FROM (
    SELECT ii.incident_id, ii.session_id, ii.current_id, ii.corrections, ii.occurred_at,
           ii.category AS recorded_category, ii.handler AS recorded_handler,
           ii.protocol_point AS recorded_point, ii.letter AS recorded_letter, ii.serious AS recorded_serious,
           ii.all_candidates,
           CASE WHEN t.id IS NULL THEN ii.category ELSE t.category END AS category,
           CASE WHEN t.id IS NULL THEN ii.handler ELSE t.handler END AS route_handler,
           CASE WHEN t.id IS NULL THEN ii.protocol_point ELSE t.protocol_point END AS protocol_point,
           CASE WHEN t.id IS NULL THEN ii.letter ELSE t.letter END AS letter,
           CASE WHEN t.id IS NULL THEN ii.serious ELSE t.serious END AS serious,
           CASE WHEN t.id IS NULL THEN ii.decision_to_inspectie ELSE t.decision_to_inspectie END
               AS route_to_inspectie,
           t.id IS NOT NULL AS reclassified,
           EXISTS (SELECT 1 FROM incident_triage d WHERE d.incident_id = ii.incident_id AND d.kind = 'twijfelgeval')
               AS doubtful,
           EXISTS (SELECT 1 FROM inspectie_reports r WHERE r.incident_id = ii.incident_id
                   AND r.subject IN ('melding', 'twijfelgeval')) AS reported,
           EXISTS (SELECT 1 FROM inspectie_reports r WHERE r.incident_id = ii.incident_id AND r.subject = 'besluit')
               AS decision_reported,
           (SELECT min(r.reported_on) FROM inspectie_reports r WHERE r.incident_id = ii.incident_id
                   AND r.subject IN ('melding', 'twijfelgeval')) AS reported_on,
           EXISTS (SELECT 1 FROM inspectie_reports r WHERE r.incident_id = ii.incident_id
                   AND r.subject IN ('melding', 'twijfelgeval')
                   AND NOT EXISTS (SELECT 1 FROM inspectie_answers a WHERE a.report_id = r.id)) AS open_report,
           (SELECT a.outcome FROM inspectie_answers a WHERE a.incident_id = ii.incident_id
                   ORDER BY a.id DESC LIMIT 1) AS last_answer,
           (SELECT count(*) FROM current_decisions d WHERE d.incident_id = ii.incident_id) AS decision_count,
           (SELECT count(*) FROM incident_candidates ic WHERE ic.incident_id = ii.incident_id
                   AND NOT EXISTS (SELECT 1 FROM current_decisions d WHERE d.incident_id = ic.incident_id
                                   AND d.candidate_id = ic.candidate_id)) AS undecided,
           (SELECT count(*) FROM incident_candidates ic WHERE ic.incident_id = ii.incident_id) AS candidate_count,
           coalesce((SELECT c.action = 'afgesloten' FROM incident_closures c WHERE c.incident_id = ii.incident_id
                     ORDER BY c.id DESC LIMIT 1), 0) AS closed,
           (EXISTS (SELECT 1 FROM incident_triage t2 WHERE t2.incident_id = ii.incident_id)
            OR EXISTS (SELECT 1 FROM inspectie_reports r WHERE r.incident_id = ii.incident_id)
            OR EXISTS (SELECT 1 FROM decisions d WHERE d.incident_id = ii.incident_id)
            OR EXISTS (SELECT 1 FROM incident_closures c WHERE c.incident_id = ii.incident_id)) AS activity,
           s.exam_kind, s.title AS session_title, s.session_date, s.central_exam, s.instrument_id, s.period,
           s.variant, r.name AS room_name, l.id AS location_id, l.name AS location_name,
           json_extract(e.data, '$.what_happened') AS what_happened,
           json_extract(e.data, '$.what_was_done') AS what_was_done
    FROM incident_index ii
    JOIN session_events e ON e.id = ii.current_id
    JOIN sessions s ON s.id = ii.session_id
    JOIN rooms r ON r.id = s.room_id
    JOIN locations l ON l.id = r.location_id
    LEFT JOIN incident_triage t ON t.id = (SELECT max(t1.id) FROM incident_triage t1
                                           WHERE t1.incident_id = ii.incident_id AND t1.kind = 'herclassificatie')
    WHERE ii.voided = 0
) x;
""")
    for table in _DESK_TABLES:
        run_sql(conn, f"""
CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}
BEGIN
    SELECT RAISE(ABORT, 'Het dossier van een incident kan niet worden gewijzigd; leg een nieuw feit vast.');
END;
CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table}
BEGIN
    SELECT RAISE(ABORT, 'Het dossier van een incident kan niet worden gewijzigd; leg een nieuw feit vast.');
END;
""")
    # the index is brought up to date from session_events when the desk reads it (data/incident_index.py)
    conn.execute("INSERT INTO meta (key, value) VALUES ('desk_index_rowid', '0')")
