"""What the retention check needs, per candidate, stored where it is written (issue 16, issue 18).

The due list asks of every candidate not yet anonymised: the date of their last session (results), of their
last incident or decision (the dossier), and whether an incident of theirs is still open at the desk. Worked
out from the history each time, that is a grouped pass over every roster row, incident and decision of ten
years (18–36 s on a large school). ``candidate_retention`` holds those facts, one row per candidate not yet
anonymised, brought up to date by `refresh` in the transaction of the code that writes what they come from:

* a candidate registered (`data/sessions.upsert_candidate`, the exam PC's package);
* a roster written or a session re-dated or cancelled (`data/sessions`, the exam PC's package);
* an incident (re)projected into the index (`data/incident_index.project_session`: the desk's state);
* a decision recorded (`data/incident_desk.insert_decision`);
* a candidate anonymised (their row leaves) or an exam PC forgetting a session.

`refresh` recomputes the facts of the candidates it is given from their own rows (indexed look-ups), so a call
too many is harmless and a write and its facts cannot disagree. `RECOMPUTE` is that computation for everyone:
the migration's backfill, and what the tests compare the stored rows with. The due list is then a range scan
of ``candidate_retention_due`` (`data/privacy.due_facts`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

# The desk's open incidents per candidate as bit flags (`domain/privacy.desk_reasons` turns them into Dutch):
# 1 a report to the Inspectie awaits an answer, 2 an incident must still be reported, 4 an incident is still
# 'open', 8 still 'in behandeling'. Over the candidate's incidents that stand; sum(DISTINCT) of powers of two is
# their OR.
_OPEN = "ii.voided = 0 AND (ii.open_report = 1 OR ii.to_report = 1 OR ii.status IN ('open', 'in behandeling'))"
_FLAG = ("CASE WHEN ii.open_report = 1 OR ii.status = 'gemeld bij Inspectie' THEN 1 WHEN ii.to_report = 1 THEN 2"
         " WHEN ii.status = 'open' THEN 4 ELSE 8 END")
OPEN_DESK = (f"(SELECT coalesce(sum(DISTINCT {_FLAG}), 0) FROM incident_candidates ic"
             f" JOIN incident_index ii ON ii.incident_id = ic.incident_id WHERE ic.candidate_id = c.id AND {_OPEN})")
_LAST_CASE = "CASE WHEN li IS NULL THEN ld WHEN ld IS NULL THEN li ELSE max(li, ld) END"
_NOT_ANONYMISED = "c.id NOT IN (SELECT candidate_id FROM candidate_anonymisations)"

# The facts of a few candidates (`{where}`), each from their own rows through the candidate indexes.
_FACTS = (
    f"SELECT c.id, ls, coalesce(ls, substr(c.created_at, 1, 10)), {_LAST_CASE}, od"
    " FROM (SELECT c.id, c.created_at,"
    "  (SELECT max(s.session_date) FROM session_candidates sc JOIN sessions s ON s.id = sc.session_id"
    "   WHERE sc.candidate_id = c.id AND s.status != 'geannuleerd') AS ls,"
    "  (SELECT substr(max(ii.session_date), 1, 10) FROM incident_candidates ic"
    "   JOIN incident_index ii ON ii.incident_id = ic.incident_id WHERE ic.candidate_id = c.id) AS li,"
    "  (SELECT substr(max(decided_on), 1, 10) FROM decisions WHERE candidate_id = c.id) AS ld,"
    f"  {OPEN_DESK} AS od"
    f"  FROM candidates c WHERE {{where}} AND {_NOT_ANONYMISED}) c")

# Every candidate's facts from the history, in one pass per table in the order it is stored (sessions then their
# rosters, incidents then their candidates: a look-up per roster row through the candidate index costs 6× more
# on ten years): the migration's backfill, and what the tests compare the stored rows with.
RECOMPUTE = (
    "WITH s AS (SELECT sc.candidate_id AS cid, max(s.session_date) AS ls FROM sessions s"
    "  CROSS JOIN session_candidates sc ON sc.session_id = s.id WHERE s.status != 'geannuleerd'"
    "  GROUP BY sc.candidate_id),"
    " i AS (SELECT ic.candidate_id AS cid, substr(max(ii.session_date), 1, 10) AS li,"
    f"  coalesce(sum(DISTINCT CASE WHEN {_OPEN} THEN {_FLAG} END), 0) AS od"
    "  FROM incident_index ii CROSS JOIN incident_candidates ic ON ic.incident_id = ii.incident_id"
    "  GROUP BY ic.candidate_id),"
    " d AS (SELECT candidate_id AS cid, substr(max(decided_on), 1, 10) AS ld FROM decisions"
    "  WHERE candidate_id IS NOT NULL GROUP BY candidate_id)"
    f" SELECT c.id, ls, coalesce(ls, substr(c.created_at, 1, 10)), {_LAST_CASE}, coalesce(od, 0)"
    " FROM candidates c LEFT JOIN s ON s.cid = c.id LEFT JOIN i ON i.cid = c.id LEFT JOIN d ON d.cid = c.id"
    f" WHERE {_NOT_ANONYMISED}")

COLUMNS = "candidate_id, last_session, results_from, last_case, open_desk"


def available(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'candidate_retention'"
                        ).fetchone() is not None


def rebuild(conn: sqlite3.Connection) -> int:
    """Every candidate's row again from the history (the migration; a bulk load such as the bench generator's).
    Returns how many rows it holds."""
    conn.execute("DELETE FROM candidate_retention")
    conn.execute(f"INSERT INTO candidate_retention ({COLUMNS}) {RECOMPUTE}")
    return int(conn.execute("SELECT count(*) FROM candidate_retention").fetchone()[0])


def refresh(conn: sqlite3.Connection, candidate_ids: Iterable[int | None]) -> None:
    """The rows of these candidates again from their own rows, in the caller's transaction: a candidate that is
    gone or anonymised has none. A database older than the table (a step before v019 running) is left alone."""
    ids = sorted({int(c) for c in candidate_ids if c is not None})
    if not ids or not available(conn):
        return
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        marks = ",".join("?" * len(chunk))
        conn.execute(f"DELETE FROM candidate_retention WHERE candidate_id IN ({marks})", chunk)
        conn.execute(f"INSERT INTO candidate_retention ({COLUMNS}) {_FACTS.format(where=f'c.id IN ({marks})')}",
                     chunk)


def session_roster(conn: sqlite3.Connection, session_id: str) -> list[int]:
    return [r[0] for r in conn.execute("SELECT candidate_id FROM session_candidates WHERE session_id = ?",
                                       (session_id,))]


def involved(conn: sqlite3.Connection, incident_ids: Iterable[str]) -> list[int]:
    """The candidates the index now links to these incidents (before a re-projection changes that)."""
    ids = list(incident_ids)
    found: list[int] = []
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        found += [r[0] for r in conn.execute("SELECT candidate_id FROM incident_candidates WHERE incident_id IN"
                                             f" ({','.join('?' * len(chunk))})", chunk)]
    return found
