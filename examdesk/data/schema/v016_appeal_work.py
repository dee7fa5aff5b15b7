"""Version 16 (issue 13 follow-up): ``appeal_work``, the commission's open appeal work — derived, like
``letters_due`` (v013), never sealed: every row follows from sealed rows (``letter_dispatches``, ``appeals``,
``appeal_outcomes``, ``decisions``) and is rebuilt from them when ``meta.appeal_work_days`` is empty or no
longer the institution's appeal term.

One row per decision with open appeal work: its letter was sent and the term to appeal still runs (``sent_on``,
no ``appeal_id``), or an appeal was lodged and has no ruling yet (``appeal_id``, ``lodged_on``). Kept in the same
transaction as the records it follows (`data/casework`); a term that has run out is taken out when the work is
read. The Overzicht and the Incidenten filter "beroep loopt" read this small table instead of the ``appeals``
and ``letter_dispatches`` that grow with the years.
"""

from __future__ import annotations

import sqlite3


def upgrade(conn: sqlite3.Connection) -> None:
    from examdesk.data.migrations import run_sql

    run_sql(conn, """
CREATE TABLE appeal_work (
    decision_id  TEXT PRIMARY KEY REFERENCES decisions(id),
    incident_id  TEXT NOT NULL,
    sent_on      TEXT,
    appeal_id    INTEGER REFERENCES appeals(id),
    lodged_on    TEXT,
    CHECK ((appeal_id IS NULL) <> (sent_on IS NULL))
);
CREATE INDEX appeal_work_incident ON appeal_work(incident_id);
CREATE INDEX appeal_work_sent ON appeal_work(sent_on);
CREATE INDEX appeal_work_appeal ON appeal_work(appeal_id);
INSERT INTO meta (key, value) VALUES ('appeal_work_days', '')
    ON CONFLICT (key) DO UPDATE SET value = excluded.value;
""")
