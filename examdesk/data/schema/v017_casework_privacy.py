"""Version 17 (issues 13 and 18 together): the casework's records join the sanctioned redaction path.

Anonymising a candidate replaces the free texts of their hearings and appeals with "[verwijderd]" and removes
their evidence files, keeping each file's SHA-256, size and type (the procesverbaal and the decision letter
list the hash). Those rows are sealed and append-only (v014), so:

* the UPDATE triggers of ``hearings``, ``attachments``, ``appeals``, ``appeal_hearings`` and
  ``appeal_outcomes`` are replaced by ones that allow **exactly** the redaction path (as v015 did for the desk's
  records): a redaction for that row exists and only the personal columns change. DELETE stays refused.
* ``attachments`` is rebuilt with a CHECK that allows an emptied ``content`` (length 0) beside the size it had:
  v014's CHECK ``length(content) = size`` would refuse the removal. The rows are copied unchanged (their seals
  still verify), then the indexes and triggers are made again.
"""

from __future__ import annotations

import sqlite3

# record -> (key column, the personal columns anonymisation may replace); `data/anonymise` redacts these
REDACTABLE: dict[str, tuple[str, tuple[str, ...]]] = {
    "hearings": ("id", ("account", "representative", "interpreter", "reason")),
    "attachments": ("id", ("file_name", "content", "description")),
    "appeals": ("id", ("lodged_by", "late_reason")),
    "appeal_hearings": ("id", ("note",)),
    "appeal_outcomes": ("id", ("note",)),
}
_MESSAGE = "Deze vastlegging kan niet worden gewijzigd; leg een nieuwe vast."
_ATTACHMENT_COLUMNS = ("id, incident_id, hearing_id, candidate_id, file_name, media_type, size, sha256, content, "
                       "description, recorded_at, user_id, username")


def upgrade(conn: sqlite3.Connection) -> None:
    from examdesk.data.migrations import run_sql

    run_sql(conn, f"""
CREATE TABLE attachments_v016 (
    id            INTEGER PRIMARY KEY,
    incident_id   TEXT NOT NULL,
    hearing_id    INTEGER REFERENCES hearings(id),
    candidate_id  INTEGER REFERENCES candidates(id),
    file_name     TEXT NOT NULL CHECK (length(trim(file_name)) > 0),
    media_type    TEXT NOT NULL CHECK (media_type IN ('image/png', 'image/jpeg', 'application/pdf')),
    size          INTEGER NOT NULL CHECK (size > 0 AND size <= 10485760),
    sha256        TEXT NOT NULL CHECK (length(sha256) = 64),
    content       BLOB NOT NULL CHECK (length(content) = size OR length(content) = 0),
    description   TEXT NOT NULL DEFAULT '',
    recorded_at   TEXT NOT NULL,
    user_id       INTEGER REFERENCES users(id),
    username      TEXT NOT NULL
);
INSERT INTO attachments_v016 ({_ATTACHMENT_COLUMNS}) SELECT {_ATTACHMENT_COLUMNS} FROM attachments ORDER BY id;
DROP TABLE attachments;
ALTER TABLE attachments_v016 RENAME TO attachments;
CREATE INDEX attachments_incident ON attachments(incident_id);
CREATE INDEX attachments_candidate ON attachments(candidate_id);
CREATE TRIGGER attachments_no_delete BEFORE DELETE ON attachments
BEGIN
    SELECT RAISE(ABORT, '{_MESSAGE}');
END;
""")
    for table, (key, personal) in REDACTABLE.items():
        columns = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
        unchanged = " AND ".join(f"NEW.{c} IS OLD.{c}" for c in columns if c not in personal)
        run_sql(conn, f"""
DROP TRIGGER IF EXISTS {table}_no_update;
CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}
WHEN NOT ({unchanged} AND EXISTS (SELECT 1 FROM redactions r WHERE r.record = '{table}'
                                  AND r.row_key = CAST(OLD.{key} AS TEXT)))
BEGIN
    SELECT RAISE(ABORT, '{_MESSAGE}');
END;
""")
