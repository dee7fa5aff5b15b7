"""Version 13 (issue 16): lists that stay fast after ten years — full-text search and indexes for open work.

* **Full-text search (SQLite FTS5)** for the free text people type a part of: ``incident_search`` (what
  happened, what was done, the session's title, variant, period, room and location, and the names and
  student numbers of the candidates involved — for the incidents that stand, each with its status as a
  token in a column of its own, so a search counts per status in the index alone), ``session_search`` (title, variant, period, room,
  location), ``candidate_search`` (student number and names) and ``audit_search`` (action, object,
  user, the summary). Each is an FTS5 table whose rowid is its row's rowid (the audit's ``seq``, the
  candidate's ``id``); the tokenizer folds diacritics (``Şahin`` is found as ``sahin``) and keeps
  prefix indexes for two and three characters (typing is a prefix search). No triggers: the code that
  writes a row indexes it (`data/search.py`), so saving an incident in the exam room stays one small
  write. This step only creates the tables; ``meta.search_version`` is left empty, so the first open
  by this version fills them (`search.ensure`, run right after the upgrade).
* **Indexes for the desk's list** that hold only incidents that stand (``WHERE voided = 0``, which the
  list's view adds to every query), so a filter, a sort or a count per status reads the index alone
  (the status index carries ``voided`` too: SQLite reads the column it tests from the index itself);
  they replace v008's status, handler, category, location and to-report indexes. The open work — what is
  still to be reported to the Inspectie — has its own small index (``incident_list_to_report``), and the
  decisions still owed a letter their own small table (below).
* ``letters_due``: the decisions whose letter is still to be made (the Overzicht's "besluiten zonder
  brief" and the desk's filter for them), kept by the code that writes decisions and catching up with the
  documents issued since it last looked (`data/incident_desk`); filled on the first open by this version.
* Indexes for what other lists sort or filter on: the audit log by user name, decisions newest first
  and by candidate, sessions by room and by status with their date, resits by incident (an incident's
  file lists its resits).
"""

from __future__ import annotations

import sqlite3

_TOKENS = "tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'"


def upgrade(conn: sqlite3.Connection) -> None:
    from examdesk.data.migrations import run_sql

    run_sql(conn, f"""
CREATE VIRTUAL TABLE incident_search USING fts5(body, state, {_TOKENS});
CREATE VIRTUAL TABLE session_search USING fts5(body, {_TOKENS});
CREATE VIRTUAL TABLE candidate_search USING fts5(body, {_TOKENS});
CREATE VIRTUAL TABLE audit_search USING fts5(body, {_TOKENS});
DROP INDEX incident_index_status;
DROP INDEX incident_index_handler;
DROP INDEX incident_index_route_category;
DROP INDEX incident_index_location;
CREATE INDEX incident_list_time ON incident_index(occurred_at) WHERE voided = 0;
CREATE INDEX incident_list_status ON incident_index(status, voided, occurred_at) WHERE voided = 0;
CREATE INDEX incident_list_rank ON incident_index(status_rank, occurred_at) WHERE voided = 0;
CREATE INDEX incident_list_handler ON incident_index(effective_handler, occurred_at) WHERE voided = 0;
CREATE INDEX incident_list_category ON incident_index(route_category, occurred_at) WHERE voided = 0;
CREATE INDEX incident_list_location ON incident_index(location_id, occurred_at) WHERE voided = 0;
CREATE INDEX incident_list_candidates ON incident_index(candidate_count, occurred_at) WHERE voided = 0;
CREATE INDEX incident_list_session ON incident_index(session_id, occurred_at) WHERE voided = 0;
CREATE INDEX incident_list_to_report ON incident_index(to_report, occurred_at) WHERE voided = 0 AND to_report = 1;
DROP INDEX incident_index_to_report;
CREATE INDEX audit_log_username ON audit_log(username);
CREATE INDEX decisions_newest ON decisions(decided_on, number);
CREATE INDEX decisions_candidate ON decisions(candidate_id);
CREATE INDEX sessions_room ON sessions(room_id, session_date);
CREATE INDEX resits_incident ON resits(incident_id);
CREATE INDEX sessions_status_date ON sessions(status, session_date, starts_at);
CREATE TABLE letters_due (
    decision_id  TEXT PRIMARY KEY REFERENCES decisions(id),
    incident_id  TEXT NOT NULL
);
CREATE INDEX letters_due_incident ON letters_due(incident_id);
INSERT INTO meta (key, value) VALUES ('search_version', '')
    ON CONFLICT (key) DO UPDATE SET value = excluded.value;
INSERT INTO meta (key, value) VALUES ('letters_due_rowid', '')
    ON CONFLICT (key) DO UPDATE SET value = excluded.value;
""")
