"""Version 8: the incident's state as plain, indexed columns — the views only join.

Until now the rules of the incident desk lived in SQL: the ``desk_incidents`` view (v005) derived the
status, the effective handler and what is still to be reported with ``CASE`` expressions and a dozen
correlated subqueries per row, and ``session_incidents`` (v003) decided which version of an incident
stands. The rules are now one pure function in the domain (`examdesk/domain/incident_state.py`);
``incident_index`` stores its result:

* the route after triage (``route_category``, ``route_handler``, ``route_point``, ``route_letter``,
  ``route_serious``, ``route_to_inspectie``, ``reclassified``), the desk's facts (``doubtful``,
  ``reported``, ``reported_on``, ``open_report``, ``last_answer``, ``decision_reported``,
  ``decision_count``, ``undecided``, ``candidate_count``, ``closed``, ``activity``) and what follows
  from them (``status`` with its ``status_rank`` for sorting, ``effective_handler``, ``to_report``);
* what the list shows and searches (``what_happened``, ``what_was_done``, ``duration_minutes``) and
  filters and sorts on (``session_date``, ``location_id``), each column the list filters or sorts on
  indexed (``to_report`` as a partial index: the open work).

``desk_incidents`` is re-created as a join of that table with its session, room and location.
``session_incidents`` is dropped (it ignored withdrawn incidents; nothing reads it any more).

The columns are filled by `data/incident_index.catch_up`, which re-projects every incident when
``meta.desk_index_version`` differs from the domain's ``PROJECTION_VERSION``: this step empties the
version, and the upgrade brings the index up to date right after the last step (so an existing
database is backfilled when it is opened by this version, with the rules as they are then).
"""

from __future__ import annotations

import sqlite3

_COLUMNS = (
    ("route_category", "TEXT"), ("route_handler", "TEXT"), ("route_point", "INTEGER"), ("route_letter", "TEXT"),
    ("route_serious", "INTEGER NOT NULL DEFAULT 0"), ("route_to_inspectie", "INTEGER NOT NULL DEFAULT 0"),
    ("reclassified", "INTEGER NOT NULL DEFAULT 0"), ("doubtful", "INTEGER NOT NULL DEFAULT 0"),
    ("reported", "INTEGER NOT NULL DEFAULT 0"), ("reported_on", "TEXT"), ("open_report", "INTEGER NOT NULL DEFAULT 0"),
    ("last_answer", "TEXT"), ("decision_reported", "INTEGER NOT NULL DEFAULT 0"),
    ("decision_count", "INTEGER NOT NULL DEFAULT 0"), ("undecided", "INTEGER NOT NULL DEFAULT 0"),
    ("candidate_count", "INTEGER NOT NULL DEFAULT 0"), ("closed", "INTEGER NOT NULL DEFAULT 0"),
    ("activity", "INTEGER NOT NULL DEFAULT 0"), ("status", "TEXT"), ("status_rank", "INTEGER"),
    ("effective_handler", "TEXT"), ("to_report", "INTEGER NOT NULL DEFAULT 0"),
    ("what_happened", "TEXT NOT NULL DEFAULT ''"), ("what_was_done", "TEXT NOT NULL DEFAULT ''"),
    ("duration_minutes", "INTEGER"), ("session_date", "TEXT"), ("location_id", "INTEGER"),
)


def upgrade(conn: sqlite3.Connection) -> None:
    from examdesk.data.migrations import run_sql

    run_sql(conn, "DROP VIEW desk_incidents;\nDROP VIEW session_incidents;\n")
    for name, kind in _COLUMNS:
        conn.execute(f"ALTER TABLE incident_index ADD COLUMN {name} {kind}")
    run_sql(conn, """
CREATE INDEX incident_index_status ON incident_index(status, occurred_at);
CREATE INDEX incident_index_handler ON incident_index(effective_handler, occurred_at);
CREATE INDEX incident_index_route_category ON incident_index(route_category, occurred_at);
CREATE INDEX incident_index_location ON incident_index(location_id, occurred_at);
CREATE INDEX incident_index_day ON incident_index(session_date, occurred_at);
CREATE INDEX incident_index_to_report ON incident_index(occurred_at) WHERE to_report = 1;
CREATE VIEW desk_incidents AS
SELECT ii.incident_id, ii.session_id, ii.current_id, ii.corrections, ii.occurred_at,
       ii.category AS recorded_category, ii.handler AS recorded_handler, ii.protocol_point AS recorded_point,
       ii.letter AS recorded_letter, ii.serious AS recorded_serious, ii.all_candidates,
       ii.route_category AS category, ii.route_handler, ii.route_point AS protocol_point, ii.route_letter AS letter,
       ii.route_serious AS serious, ii.route_to_inspectie, ii.reclassified, ii.doubtful, ii.reported,
       ii.reported_on, ii.open_report, ii.last_answer, ii.decision_reported, ii.decision_count, ii.undecided,
       ii.candidate_count, ii.closed, ii.activity, ii.status, ii.status_rank, ii.effective_handler, ii.to_report,
       ii.what_happened, ii.what_was_done, ii.duration_minutes, ii.session_date, ii.location_id,
       s.exam_kind, s.title AS session_title, s.central_exam, s.instrument_id, s.period, s.variant,
       r.name AS room_name, l.name AS location_name
FROM incident_index ii
JOIN sessions s ON s.id = ii.session_id
JOIN rooms r ON r.id = s.room_id
JOIN locations l ON l.id = r.location_id
WHERE ii.voided = 0;
UPDATE meta SET value = '0' WHERE key = 'desk_index_rowid';
INSERT INTO meta (key, value) VALUES ('desk_index_version', '');
""")
