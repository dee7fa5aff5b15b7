"""Privacy in the database: what is held about one candidate (found by following the schema's candidate
references), when their data is due, anonymising them through the sanctioned redaction path, leaving no
trace in the file, and an exam PC forgetting a session.

Which tables hold a candidate's rows is **introspected** (`subject_tables`): a table with a column
``candidate_id`` (or a foreign key to ``candidates``) holds that candidate's rows; a table with a foreign key
to a table that does (a decision, an incident of theirs) holds rows about their case. A new table of the
desk or the casework joins the subject-access export without code here; `tests/data/test_privacy_data.py`
fails when a table refers to candidates in a way these rules do not follow.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from examdesk.data import retention
from examdesk.data.db import Store
from examdesk.domain.fingerprint import sha256_hex
from examdesk.domain.privacy import (
    CandidateFacts,
    Redaction,
    SchoolYearKept,
    desk_reasons,
    event_names,
)

# Tables never followed as the parent of "about this candidate": a session, a user or a room is not about
# one candidate (their rows about the candidate are found through the candidate's own references).
_NOT_A_CASE = frozenset({"sessions", "users", "rooms", "locations", "instruments", "qualifications", "session_events",
                         "audit_log", "exchange_log"})
# Derived or scratch tables: copies of what the export already holds (or nothing about a person).
_DERIVED = frozenset({"letters_due", "incident_versions", "audit_subjects", "redactions"})
def has_privacy_tables(store: Store) -> bool:
    if "privacy" not in store.memo:
        store.memo["privacy"] = store.query_one(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'redactions'") is not None
    return bool(store.memo["privacy"])


# --- the schema's candidate references -------------------------------------------------------------

@dataclass(frozen=True)
class SubjectTable:
    """How one table's rows about a candidate are found: an SQL condition on the table (parameter: the
    candidate id, as often as `params` says), or `None` for the tables read in Python (events, audit)."""

    table: str
    where: str | None
    params: int
    via: str   # Dutch: how the rows are linked to the candidate


def _tables(store: Store) -> list[str]:
    return [r[0] for r in store.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                                      " AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' ORDER BY name")
            if not r[0].endswith(("_content", "_data", "_idx", "_docsize", "_config"))]


def _columns(store: Store, table: str) -> list[str]:
    return [r["name"] for r in store.query(f"PRAGMA table_info('{table}')")]


def _foreign_keys(store: Store, table: str) -> list[tuple[str, str, str]]:
    """(column, parent table, parent column) of each foreign key."""
    return [(r["from"], r["table"], r["to"] or "rowid") for r in store.query(f"PRAGMA foreign_key_list('{table}')")]


def subject_tables(store: Store) -> dict[str, SubjectTable]:
    """Every table holding rows about one candidate, and how they are found (see the module docstring)."""
    plan: dict[str, SubjectTable] = {"candidates": SubjectTable("candidates", "id = ?", 1, "de kandidaat")}
    tables = _tables(store)
    for t in tables:
        if t in plan or t in _DERIVED:
            continue
        direct = [c for c, parent, _ in _foreign_keys(store, t) if parent == "candidates"]
        if "candidate_id" in _columns(store, t) and "candidate_id" not in direct:
            direct.append("candidate_id")
        if direct:
            plan[t] = SubjectTable(t, " OR ".join(f"{c} = ?" for c in direct), len(direct), "de kandidaat")
    plan["incident_index"] = SubjectTable(
        "incident_index", "incident_id IN (SELECT incident_id FROM incident_candidates WHERE candidate_id = ?)", 1,
        "een incident waarbij de kandidaat betrokken is")
    changed = True
    while changed:          # follow foreign keys to the rows of the candidate's case, until nothing is added
        changed = False
        for t in tables:
            if t in plan or t in _DERIVED or t in _NOT_A_CASE:
                continue
            parts, params = [], 0
            for column, parent, key in _foreign_keys(store, t):
                p = plan.get(parent)
                if p is None or parent in _NOT_A_CASE or p.where is None:
                    continue
                parts.append(f"{column} IN (SELECT {key} FROM {parent} WHERE {p.where})")
                params += p.params
            if parts:
                plan[t] = SubjectTable(t, " OR ".join(parts), params, "het dossier van de kandidaat")
                changed = True
    if "attachments" in tables:    # the evidence of their incidents too, not only of their own hearings
        from examdesk.data.casework import ATTACHMENTS_OF_CANDIDATE

        plan["attachments"] = SubjectTable("attachments", ATTACHMENTS_OF_CANDIDATE, 2,
                                           "bewijs bij het horen of een incident van de kandidaat")
    plan["sessions"] = SubjectTable("sessions", "id IN (SELECT session_id FROM session_candidates WHERE candidate_id = ?)",
                                    1, "een afname van de kandidaat")
    plan["session_events"] = SubjectTable("session_events", None, 0, "een registratie die de kandidaat noemt")
    plan["audit_log"] = SubjectTable("audit_log", None, 0, "een auditregel over de kandidaat")
    plan["documents"] = SubjectTable("documents", None, 0, "een document over een afname of besluit van de kandidaat")
    return plan


def candidate_reference_columns(store: Store) -> dict[str, list[str]]:
    """Every table with a column that refers to candidates by its name or foreign key (what the coverage
    test compares with `subject_tables`)."""
    found: dict[str, list[str]] = {}
    for t in _tables(store):
        cols = [c for c in _columns(store, t) if "candidate" in c or c == "student_number"]
        cols += [c for c, parent, _ in _foreign_keys(store, t) if parent == "candidates" and c not in cols]
        if cols:
            found[t] = cols
    return found


def _row_dict(r: sqlite3.Row) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k in r.keys():
        v = r[k]
        out[k] = {"bytes": len(v), "sha256": sha256_hex(v)} if isinstance(v, bytes) else v
    return out


def _candidate_sessions(store: Store, candidate_id: int) -> list[str]:
    return [r[0] for r in store.query("SELECT session_id FROM session_candidates WHERE candidate_id = ?", (candidate_id,))]


def _events_naming(store: Store, candidate_id: int) -> list[sqlite3.Row]:
    sessions = _candidate_sessions(store, candidate_id)
    rows = []
    for sid in sessions:
        for r in store.query("SELECT * FROM session_events WHERE session_id = ? ORDER BY seq", (sid,)):
            payload = json.loads(r["data"])
            if isinstance(payload, dict) and event_names(r["kind"], payload, candidate_id):
                rows.append(r)
    return rows


def _audit_about(store: Store, candidate_id: int, student_number: str) -> list[sqlite3.Row]:
    subjects = "seq IN (SELECT seq FROM audit_subjects WHERE candidate_id = ?)" if has_privacy_tables(store) else "0"
    params: tuple[Any, ...] = (student_number, candidate_id) if has_privacy_tables(store) else (student_number,)
    return store.query(f"SELECT * FROM audit_log WHERE (entity = 'kandidaat' AND entity_id = ?) OR {subjects}"
                       " ORDER BY seq", params)


def case_ids(store: Store, candidate_id: int) -> tuple[list[str], list[str], list[str]]:
    """(session ids, incident ids, decision ids) of the candidate."""
    sessions = _candidate_sessions(store, candidate_id)
    incidents = [r[0] for r in store.query("SELECT incident_id FROM incident_candidates WHERE candidate_id = ?",
                                           (candidate_id,))]
    decisions = [r[0] for r in store.query("SELECT id FROM decisions WHERE candidate_id = ?", (candidate_id,))]
    return sessions, incidents, decisions


def documents_about(store: Store, candidate_id: int) -> list[sqlite3.Row]:
    sessions, incidents, decisions = case_ids(store, candidate_id)
    subjects = sessions + incidents + decisions
    rows: list[sqlite3.Row] = []
    for start in range(0, len(subjects), 500):
        chunk = subjects[start:start + 500]
        rows += store.query(f"SELECT * FROM documents WHERE subject_id IN ({','.join('?' * len(chunk))})", chunk)
    return rows


def subject_rows(store: Store, candidate_id: int, student_number: str) -> dict[str, list[dict[str, Any]]]:
    """Every row ExamDesk holds about one candidate, per table (blobs as their size and SHA-256)."""
    result: dict[str, list[dict[str, Any]]] = {}
    for name, spec in sorted(subject_tables(store).items()):
        if spec.where is not None:
            rows = store.query(f"SELECT * FROM {name} WHERE {spec.where}", (candidate_id,) * spec.params)
        elif name == "session_events":
            rows = _events_naming(store, candidate_id)
        elif name == "audit_log":
            rows = _audit_about(store, candidate_id, student_number)
        else:
            rows = documents_about(store, candidate_id)
        dicts = [_row_dict(r) for r in rows]
        for d in dicts:
            for key in ("data", "summary", "facilities", "measures", "candidate_ids"):
                if isinstance(d.get(key), str) and d[key][:1] in "[{":
                    try:
                        d[key] = json.loads(d[key])
                    except ValueError:
                        pass
        if dicts:
            result[name] = dicts
    return result


# --- who looked: audit entries about a candidate ------------------------------------------------------

def add_audit_subject(store: Store, seq: int, candidate_ids: Iterable[int]) -> None:
    if has_privacy_tables(store):
        store.conn.executemany("INSERT OR IGNORE INTO audit_subjects (seq, candidate_id) VALUES (?, ?)",
                               [(seq, c) for c in set(candidate_ids)])






# --- retention: the facts per candidate -----------------------------------------------------------------

# Extension point: (store, candidate ids, today) -> {candidate id: [Dutch reason, …]} for cases that are still
# open. The casework's appeals (lodged without a ruling, or a letter whose appeal term still runs) are here; the
# Inspectie and the desk's own are below.
def _open_appeals(store: Store, ids: list[int], today: date) -> dict[int, list[str]]:
    """`data/casework.open_appeals`, imported when a due list is made: the startup check reads this module's
    redactions, and has no use for the casework (and its domain) before the login window (issue 16)."""
    from examdesk.data.casework import open_appeals

    return open_appeals(store, ids, today)


OPEN_CASE_CHECKS: list[Callable[[Store, list[int], date], dict[int, list[str]]]] = [_open_appeals]


def _open_desk_cases(store: Store, ids: list[int]) -> dict[int, list[str]]:
    """The desk's open incidents of these candidates, worked out from the index (what `data/retention` stores)."""
    found: dict[int, list[str]] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        for r in store.query(f"SELECT c.id, {retention.OPEN_DESK} FROM candidates c"
                             f" WHERE c.id IN ({','.join('?' * len(chunk))})", chunk):
            if r[1]:
                found[r[0]] = desk_reasons(r[1])
    return found


def open_cases(store: Store, ids: list[int], today: date,
               desk: dict[int, list[str]] | None = None) -> dict[int, list[str]]:
    """Why each of these candidates may not be anonymised on `today` (an appeal term counts from a date).
    `desk`: their open incidents as already read (`due_facts`), else worked out from the index."""
    found = _open_desk_cases(store, ids) if desk is None else {cid: list(desk[cid]) for cid in ids if cid in desk}
    for check in OPEN_CASE_CHECKS:
        for cid, reasons in check(store, ids, today).items():
            found.setdefault(cid, []).extend(reasons)
    return found


def candidate_facts(store: Store, candidate_ids: list[int] | None = None,
                    today: date | None = None) -> list[CandidateFacts]:
    """The facts of every candidate not yet anonymised (or of the ones named): one pass per table, grouped
    (a school of ten years has tens of thousands of candidates). `today`: also their open cases on that day
    (the caller may instead ask `open_cases` for the few that are due). Worked out from the history: what the
    anonymisation checks its few candidates against, and what `due_facts`' stored rows are compared with."""
    where = "c.id NOT IN (SELECT candidate_id FROM candidate_anonymisations)" if has_privacy_tables(store) else "1"
    params: list[Any] = []
    if candidate_ids is not None:
        where += f" AND c.id IN ({','.join('?' * len(candidate_ids)) or 'NULL'})"
        params = list(candidate_ids)
    rows = store.query(
        "WITH ls AS (SELECT sc.candidate_id AS cid, max(s.session_date) AS d FROM session_candidates sc"
        "  JOIN sessions s ON s.id = sc.session_id WHERE s.status != 'geannuleerd' GROUP BY sc.candidate_id),"
        " li AS (SELECT ic.candidate_id AS cid, max(ii.session_date) AS d FROM incident_candidates ic"
        "  JOIN incident_index ii ON ii.incident_id = ic.incident_id GROUP BY ic.candidate_id),"
        " ld AS (SELECT candidate_id AS cid, max(decided_on) AS d FROM decisions WHERE candidate_id IS NOT NULL"
        "  GROUP BY candidate_id)"
        " SELECT c.id, c.student_number, c.first_name, c.prefix, c.last_name, c.created_at,"
        " ls.d AS last_session, li.d AS last_incident, ld.d AS last_decision"
        " FROM candidates c LEFT JOIN ls ON ls.cid = c.id LEFT JOIN li ON li.cid = c.id LEFT JOIN ld ON ld.cid = c.id"
        f" WHERE {where}", params)
    found = open_cases(store, [r["id"] for r in rows], today) if today is not None else {}
    facts = []
    for r in rows:
        case_dates = [date.fromisoformat(v[:10]) for v in (r["last_incident"], r["last_decision"]) if v]
        name = " ".join(p for p in (r["first_name"], r["prefix"], r["last_name"]) if p)
        facts.append(CandidateFacts(
            r["id"], r["student_number"], name, date.fromisoformat(r["created_at"][:10]),
            date.fromisoformat(r["last_session"]) if r["last_session"] else None,
            max(case_dates) if case_dates else None, tuple(found.get(r["id"], ()))))
    return facts


_DUE = ("FROM candidate_retention r JOIN candidates c ON c.id = r.candidate_id"
        " WHERE r.results_from <= ? AND (r.last_case IS NULL OR r.last_case <= ?)")
# Counted without the candidates: ``candidate_retention`` holds a row for every candidate not yet anonymised and
# for no one else (`data/retention.refresh` removes the row of one anonymised or gone; the tests compare it with
# `retention.RECOMPUTE`), so the join would only add a look-up per row (40 ms of 70 on ten years).
_DUE_STORED = ("FROM candidate_retention r"
               " WHERE r.results_from <= ? AND (r.last_case IS NULL OR r.last_case <= ?)")


def due_facts(store: Store, today: date, results: date, cases: date) -> list[CandidateFacts]:
    """The facts of the candidates due on `today`, from the stored ``candidate_retention`` (one range scan of its
    due index, whatever the history holds), with their open cases — the desk's as stored, the appeals' asked for
    these candidates. `results`, `cases`: the cut-offs `domain/privacy.due_cutoffs` computes for `today` (exact:
    a candidate is due exactly when both dates are on or before them). The same as `candidate_facts` filtered by
    `domain/privacy.due` (the tests compare the two)."""
    return _due_rows(store, today, store.query(f"SELECT {_FACT_COLUMNS} {_DUE}", (results.isoformat(),
                                                                                  cases.isoformat())))


_FACT_COLUMNS = ("r.candidate_id, c.student_number, c.first_name, c.prefix, c.last_name, c.created_at, r.last_session,"
                 " r.last_case, r.open_desk")


def _due_rows(store: Store, today: date, rows: list[sqlite3.Row]) -> list[CandidateFacts]:
    """The candidates' facts from rows of `_FACT_COLUMNS`, with their open cases (the desk's as stored)."""
    found = open_cases(store, [r[0] for r in rows], today, {r[0]: desk_reasons(r[8]) for r in rows if r[8]})
    iso = date.fromisoformat
    return [CandidateFacts(r[0], r[1], " ".join(p for p in (r[2], r[3], r[4]) if p), iso(r[5][:10]),
                           iso(r[6]) if r[6] else None, iso(r[7]) if r[7] else None, tuple(found.get(r[0], ())))
            for r in rows]


def due_span(store: Store, results: date, cases: date) -> date | None:
    """The earliest date among those due's results and case dates (the covering due index alone), or None when
    none is due: from where `due_page` needs the school years."""
    row = store.query_one(f"SELECT min(r.results_from), min(r.last_case) {_DUE_STORED}",
                          (results.isoformat(), cases.isoformat()))
    found = [date.fromisoformat(v) for v in (row[0], row[1]) if v] if row else []
    return min(found) if found else None


def due_page(store: Store, today: date, results: date, cases: date, years: list[SchoolYearKept], offset: int,
             limit: int) -> list[CandidateFacts]:
    """One page of `due_facts` in the due list's order (kept until, then studentnummer), sorted in SQL: `years`
    (`domain/privacy.kept_by_school_year`, covering every due date, in order) say how long each school year is
    kept, so the order needs no copy of the rule here. Only the page's candidates are asked for open cases."""
    if not years:
        return []
    # each date's school year is the first whose last day it is on or before (`years` are in order and cover it)
    results_key = "CASE" + " WHEN r.results_from <= ? THEN ?" * len(years) + " END"
    case_key = "CASE WHEN r.last_case IS NULL THEN ''" + " WHEN r.last_case <= ? THEN ?" * len(years) + " END"
    keys = [v.isoformat() for y in years for v in (y.last_day, y.results_until)]
    keys += [v.isoformat() for y in years for v in (y.last_day, y.case_until)]
    rows = store.query(f"SELECT {_FACT_COLUMNS} {_DUE} ORDER BY max({results_key}, {case_key}), c.student_number"
                       " LIMIT ? OFFSET ?", [results.isoformat(), cases.isoformat(), *keys, limit, offset])
    return _due_rows(store, today, rows)


def due_counts(store: Store, today: date, results: date, cases: date) -> tuple[int, int]:
    """(due, waiting on an open case) on `today`: what `due_facts` lists, counted in SQL (the Overzicht's card,
    issue 16: tens of thousands due on ten years, and three numbers to show). The desk's open incidents are
    counted from the stored flags; the other open cases (`OPEN_CASE_CHECKS`: appeals) are asked for the due
    candidates without such a flag, as `open_cases` would (a few running appeals, whatever the ids)."""
    cut = (results.isoformat(), cases.isoformat())
    total, desk = store.query_one(f"SELECT count(*), coalesce(sum(r.open_desk != 0), 0) {_DUE_STORED}", cut)
    if total == desk:
        return int(total), int(desk)
    ids = [r[0] for r in store.query(f"SELECT r.candidate_id {_DUE_STORED} AND r.open_desk = 0", cut)]
    wanted, other = set(ids), set()
    for check in OPEN_CASE_CHECKS:
        other.update(cid for cid, reasons in check(store, ids, today).items() if reasons and cid in wanted)
    return int(total), int(desk) + len(other)


def dates_that_matter(store: Store, candidate_id: int) -> list[date]:
    """The candidate's session dates and the dates of decisions about them: where minor/adult counts."""
    rows = store.query("SELECT s.session_date FROM session_candidates sc JOIN sessions s ON s.id = sc.session_id"
                       " WHERE sc.candidate_id = ? UNION SELECT decided_on FROM decisions WHERE candidate_id = ?",
                       (candidate_id, candidate_id))
    return [date.fromisoformat(r[0][:10]) for r in rows if r[0]]




def anonymised_count(store: Store) -> int:
    return store.query_one("SELECT count(*) FROM candidate_anonymisations")[0] if has_privacy_tables(store) else 0


# --- the redactions ----------------------------------------------------------------------------------

def redactions(store: Store, record: str | None = None) -> list[Redaction]:
    """Every redaction (of one record), oldest first."""
    if not has_privacy_tables(store):
        return []
    sql = "SELECT record, row_key, original, content, anonymisation, mac FROM redactions"
    rows = store.query(sql + (" WHERE record = ? ORDER BY id" if record else " ORDER BY id"),
                       (record,) if record else ())
    return [Redaction(*r) for r in rows]


def minor_flags_of(store: Store, candidate_id: int) -> dict[str, bool | None]:
    if not has_privacy_tables(store):
        return {}
    row = store.query_one("SELECT minor_on FROM candidate_anonymisations WHERE candidate_id = ?", (candidate_id,))
    return json.loads(row[0]) if row else {}
