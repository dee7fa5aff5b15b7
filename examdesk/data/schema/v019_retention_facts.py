"""Version 19 (issue 16, issue 18): the retention check's facts stored per candidate.

``candidate_retention`` holds, for every candidate not yet anonymised, what decides when their data is due:
the date of their last session that was not cancelled, the date their results are counted from (that, or
their registration), the date of their last incident or decision, and the desk's open incidents as flags
(`data/retention`). The code that writes rosters, sessions, incidents and decisions keeps it in its own
transaction; the due list is a range scan of ``candidate_retention_due`` instead of a pass over ten years
of history. The rows are filled once here from the history, in one statement.
"""

from __future__ import annotations

import sqlite3

SCHEMA = """
CREATE TABLE candidate_retention (
    candidate_id INTEGER PRIMARY KEY,
    last_session TEXT,
    results_from TEXT NOT NULL,
    last_case TEXT,
    open_desk INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX candidate_retention_due ON candidate_retention (results_from, last_case);
"""


def upgrade(conn: sqlite3.Connection) -> None:
    from examdesk.data import retention
    from examdesk.data.migrations import run_sql

    run_sql(conn, SCHEMA)
    retention.rebuild(conn)
