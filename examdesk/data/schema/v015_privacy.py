"""Version 15 (issue 18): privacy — anonymisation as the one sanctioned change to append-only records,
who looked at a candidate, and exam PCs that forget.

* ``redactions``: one row per row of an append-only record whose personal values anonymisation replaced
  (see `domain/privacy.Redaction`): the record and row, the proof the row had before (chain hash or sealed
  digest), the plain SHA-256 of the row as it now stands, and an HMAC under the database's key over all of
  it. Append-only itself.
* The triggers that refuse UPDATE on the audit log, the session events, the desk's free-text tables and the
  documents are replaced by ones that allow **exactly** this path: the row has a redaction, and only its
  personal columns change (the summary of an audit entry, the data of an event, the free texts of a desk
  row, the title and PDF of a document). DELETE stays refused everywhere — except the events of a session
  an exam PC forgets after the commission's receipt (``exam_pc_receipts``).
* ``candidate_anonymisations``: who was anonymised when, their pseudonym, and the minor/adult flag on the
  dates that matter (the birth date itself is gone).
* ``audit_subjects``: which audit entries are about which candidate (who looked at a file, a decision, the
  accommodations; an export of everything held), so the audit log filters per candidate.
* ``exam_pc_receipts``: on an exam PC, the sessions whose record the commission confirmed it imported
  (a signed receipt), and when their candidate data was removed.
"""

from __future__ import annotations

import re
import sqlite3

# record -> (key column, the personal columns anonymisation may replace)
REDACTABLE: dict[str, tuple[str, tuple[str, ...]]] = {
    "audit_log": ("seq", ("entity_id", "summary")),
    "session_events": ("id", ("data",)),
    "decisions": ("id", ("reasoning", "no_measure_reason", "revision_reason")),
    "incident_triage": ("id", ("reason",)),
    "inspectie_reports": ("id", ("remark",)),
    "inspectie_answers": ("id", ("remark",)),
    "incident_closures": ("id", ("note",)),
    "minor_answers": ("id", ("note",)),
    "documents": ("id", ("title", "pdf")),
}

# tables whose rows belong to one session, deleted when an exam PC forgets it (in this order)
FORGETTABLE: tuple[str, ...] = ("session_events",)


def _message(conn: sqlite3.Connection, trigger: str) -> str:
    sql = conn.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", (trigger,)).fetchone()[0]
    found = re.search(r"RAISE\s*\(\s*ABORT\s*,\s*'((?:[^']|'')*)'", sql)
    return found.group(1) if found else "Deze vastlegging kan niet worden gewijzigd."


def upgrade(conn: sqlite3.Connection) -> None:
    from examdesk.data.migrations import run_sql

    run_sql(conn, """
CREATE TABLE redactions (
    id             INTEGER PRIMARY KEY,
    record         TEXT NOT NULL,
    row_key        TEXT NOT NULL,
    original       TEXT NOT NULL,
    content        TEXT NOT NULL,
    anonymisation  TEXT NOT NULL,
    mac            TEXT NOT NULL,
    at             TEXT NOT NULL
);
CREATE INDEX redactions_row ON redactions(record, row_key);
CREATE TRIGGER redactions_no_update BEFORE UPDATE ON redactions
BEGIN
    SELECT RAISE(ABORT, 'Een anonimisering kan niet worden gewijzigd.');
END;
CREATE TRIGGER redactions_no_delete BEFORE DELETE ON redactions
BEGIN
    SELECT RAISE(ABORT, 'Een anonimisering kan niet worden gewijzigd.');
END;
CREATE TABLE candidate_anonymisations (
    candidate_id   INTEGER PRIMARY KEY REFERENCES candidates(id),
    anonymised_at  TEXT NOT NULL,
    pseudonym      TEXT NOT NULL,
    minor_on       TEXT NOT NULL DEFAULT '{}'
);
CREATE TABLE audit_subjects (
    seq           INTEGER NOT NULL,
    candidate_id  INTEGER NOT NULL REFERENCES candidates(id),
    PRIMARY KEY (candidate_id, seq)
);
CREATE TABLE exam_pc_receipts (
    session_id      TEXT PRIMARY KEY,
    receipt_sha256  TEXT NOT NULL,
    signer          TEXT NOT NULL,
    received_at     TEXT NOT NULL,
    forgotten_at    TEXT
);
""")
    for table, (key, personal) in REDACTABLE.items():
        message = _message(conn, f"{table}_no_update")
        columns = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
        unchanged = " AND ".join(f"NEW.{c} IS OLD.{c}" for c in columns if c not in personal)
        run_sql(conn, f"""
DROP TRIGGER {table}_no_update;
CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}
WHEN NOT ({unchanged} AND EXISTS (SELECT 1 FROM redactions r WHERE r.record = '{table}'
                                  AND r.row_key = CAST(OLD.{key} AS TEXT)))
BEGIN
    SELECT RAISE(ABORT, '{message}');
END;
""")
    for table in FORGETTABLE:
        message = _message(conn, f"{table}_no_delete")
        run_sql(conn, f"""
DROP TRIGGER {table}_no_delete;
CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table}
WHEN NOT EXISTS (SELECT 1 FROM exam_pc_receipts p WHERE p.session_id = OLD.session_id)
BEGIN
    SELECT RAISE(ABORT, '{message}');
END;
""")
