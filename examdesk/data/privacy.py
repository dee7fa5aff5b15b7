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

from examdesk.data import audit as audit_data
from examdesk.data import incident_index, search
from examdesk.data.db import Store
from examdesk.domain.audit import entry_hash
from examdesk.domain.fingerprint import canonical_json, sha256_hex
from examdesk.domain.integrity import SEALED, row_digest
from examdesk.domain.privacy import (
    REMOVED,
    CandidateFacts,
    Pseudonym,
    Redaction,
    blank_free_texts,
    event_names,
    make_redaction,
    scrub_text,
    scrub_value,
)
from examdesk.domain.session_events import chain_hash

# Tables never followed as the parent of "about this candidate": a session, a user or a room is not about
# one candidate (their rows about the candidate are found through the candidate's own references).
_NOT_A_CASE = frozenset({"sessions", "users", "rooms", "locations", "instruments", "qualifications", "session_events",
                         "audit_log", "exchange_log"})
# Derived or scratch tables: copies of what the export already holds (or nothing about a person).
_DERIVED = frozenset({"letters_due", "incident_versions", "audit_subjects", "redactions"})
# free-text columns of the desk's records that are about the candidates of the case
CASE_FREE_TEXTS: dict[str, tuple[str, ...]] = {
    "decisions": ("reasoning", "no_measure_reason", "revision_reason"),
    "incident_triage": ("reason",),
    "inspectie_reports": ("remark",),
    "inspectie_answers": ("remark",),
    "incident_closures": ("note",),
    "minor_answers": ("note",),
}
# the columns anonymisation may replace in the append-only records (the v015 triggers allow exactly these)


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


def _case_ids(store: Store, candidate_id: int) -> tuple[list[str], list[str], list[str]]:
    """(session ids, incident ids, decision ids) of the candidate."""
    sessions = _candidate_sessions(store, candidate_id)
    incidents = [r[0] for r in store.query("SELECT incident_id FROM incident_candidates WHERE candidate_id = ?",
                                           (candidate_id,))]
    decisions = [r[0] for r in store.query("SELECT id FROM decisions WHERE candidate_id = ?", (candidate_id,))]
    return sessions, incidents, decisions


def _documents_about(store: Store, candidate_id: int) -> list[sqlite3.Row]:
    sessions, incidents, decisions = _case_ids(store, candidate_id)
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
            rows = _documents_about(store, candidate_id)
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


def candidate_of_decision(store: Store, decision_id: str) -> int | None:
    row = store.query_one("SELECT candidate_id FROM decisions WHERE id = ?", (decision_id,))
    return row[0] if row else None


def audit_seqs_about(store: Store, candidate_id: int, student_number: str) -> list[int]:
    return [r["seq"] for r in _audit_about(store, candidate_id, student_number)]


# --- retention: the facts per candidate -----------------------------------------------------------------

# Extension point: (store, candidate ids) -> {candidate id: [Dutch reason, …]} for cases that are still open
# (an appeal of the casework registers its check here). The Inspectie and the desk's own are below.
OPEN_CASE_CHECKS: list[Callable[[Store, list[int]], dict[int, list[str]]]] = []


def _open_desk_cases(store: Store, ids: list[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        for r in store.query(
                "SELECT ic.candidate_id, ii.incident_id, ii.status, ii.open_report, ii.to_report"
                " FROM incident_candidates ic JOIN incident_index ii ON ii.incident_id = ic.incident_id"
                f" WHERE ii.voided = 0 AND ic.candidate_id IN ({','.join('?' * len(chunk))})"
                " AND (ii.open_report = 1 OR ii.to_report = 1 OR ii.status IN ('open', 'in behandeling'))", chunk):
            if r["open_report"] or r["status"] == "gemeld bij Inspectie":
                why = "een melding bij de Inspectie wacht op antwoord"
            elif r["to_report"]:
                why = "een incident moet nog bij de Inspectie worden gemeld"
            else:
                why = f"een incident is nog {r['status']}"
            found.setdefault(r["candidate_id"], [])
            if why not in found[r["candidate_id"]]:
                found[r["candidate_id"]].append(why)
    return found


def open_cases(store: Store, ids: list[int]) -> dict[int, list[str]]:
    found = _open_desk_cases(store, ids)
    for check in OPEN_CASE_CHECKS:
        for cid, reasons in check(store, ids).items():
            found.setdefault(cid, []).extend(reasons)
    return found


def candidate_facts(store: Store, candidate_ids: list[int] | None = None) -> list[CandidateFacts]:
    """The facts of every candidate not yet anonymised (or of the ones named)."""
    where = "c.id NOT IN (SELECT candidate_id FROM candidate_anonymisations)" if has_privacy_tables(store) else "1"
    params: list[Any] = []
    if candidate_ids is not None:
        where += f" AND c.id IN ({','.join('?' * len(candidate_ids))})"
        params = list(candidate_ids)
    rows = store.query(
        "SELECT c.id, c.student_number, c.first_name, c.prefix, c.last_name, c.created_at,"
        " (SELECT max(s.session_date) FROM session_candidates sc JOIN sessions s ON s.id = sc.session_id"
        "  WHERE sc.candidate_id = c.id AND s.status != 'geannuleerd') AS last_session,"
        " (SELECT max(ii.session_date) FROM incident_candidates ic JOIN incident_index ii"
        "  ON ii.incident_id = ic.incident_id WHERE ic.candidate_id = c.id) AS last_incident,"
        " (SELECT max(d.decided_on) FROM decisions d WHERE d.candidate_id = c.id) AS last_decision"
        f" FROM candidates c WHERE {where}", params)
    cases = open_cases(store, [r["id"] for r in rows])
    facts = []
    for r in rows:
        case_dates = [date.fromisoformat(v[:10]) for v in (r["last_incident"], r["last_decision"]) if v]
        name = " ".join(p for p in (r["first_name"], r["prefix"], r["last_name"]) if p)
        facts.append(CandidateFacts(
            r["id"], r["student_number"], name, date.fromisoformat(r["created_at"][:10]),
            date.fromisoformat(r["last_session"]) if r["last_session"] else None,
            max(case_dates) if case_dates else None, tuple(cases.get(r["id"], ()))))
    return facts


def dates_that_matter(store: Store, candidate_id: int) -> list[date]:
    """The candidate's session dates and the dates of decisions about them: where minor/adult counts."""
    rows = store.query("SELECT s.session_date FROM session_candidates sc JOIN sessions s ON s.id = sc.session_id"
                       " WHERE sc.candidate_id = ? UNION SELECT decided_on FROM decisions WHERE candidate_id = ?",
                       (candidate_id, candidate_id))
    return [date.fromisoformat(r[0][:10]) for r in rows if r[0]]


def is_anonymised(store: Store, candidate_id: int) -> bool:
    return has_privacy_tables(store) and store.query_one(
        "SELECT 1 FROM candidate_anonymisations WHERE candidate_id = ?", (candidate_id,)) is not None


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


def _insert_redaction(conn: sqlite3.Connection, r: Redaction, at: str) -> None:
    conn.execute("INSERT INTO redactions (record, row_key, original, content, anonymisation, mac, at)"
                 " VALUES (?, ?, ?, ?, ?, ?, ?)", (r.record, r.row_key, r.original, r.content, r.anonymisation,
                                                   r.mac, at))


@dataclass(frozen=True)
class Anonymisation:
    """What one anonymisation changed (counts only: nothing personal)."""

    records: int       # rows of append-only records redacted
    documents: int     # stored PDFs removed
    sessions: int      # sessions whose incidents were projected again


def _needle_where(column: str, pairs: tuple[tuple[str, str], ...]) -> tuple[str, list[str]]:
    return " OR ".join(f"{column} LIKE ?" for _ in pairs) or "0", [f"%{n}%" for n, _ in pairs]


def anonymise(store: Store, candidate_id: int, key: bytes, pseudo: Pseudonym, pairs: tuple[tuple[str, str], ...],
              minor_on: dict[str, bool | None], anonymisation: str, at: str) -> Anonymisation:
    """Replaces one candidate's personal data everywhere, in the caller's transaction (see docs/privacy.md):
    the candidate row, the free texts and names in session events, audit entries and the desk's records
    (each through a MAC'd redaction, so their chains and seals still verify), the stored PDFs about them,
    and every derived copy (incident index, search tables)."""
    conn = store.conn
    replacements = {"__NAME__": pseudo.last_name, "__NUMBER__": pseudo.student_number}
    sessions, _all_incidents, decisions = _case_ids(store, candidate_id)
    # the incidents that name this candidate (a collective incident's texts are about everyone: they stay)
    incidents = [r[0] for r in store.query(
        "SELECT ic.incident_id FROM incident_candidates ic JOIN incident_index ii ON ii.incident_id = ic.incident_id"
        " WHERE ic.candidate_id = ? AND ii.all_candidates = 0", (candidate_id,))]
    row = store.query_one("SELECT student_number FROM candidates WHERE id = ?", (candidate_id,))
    student_number = row[0]
    redacted = 0

    # 1. session events: the candidate's free texts, and their name and number anywhere
    like, like_params = _needle_where("data", pairs)
    marks = ",".join("?" * len(sessions))
    events = conn.execute(
        f"SELECT * FROM session_events WHERE session_id IN ({marks or 'NULL'}) OR {like} ORDER BY session_id, seq",
        [*sessions, *like_params]).fetchall()
    touched_sessions: set[str] = set()
    for e in events:
        payload = json.loads(e["data"])
        new = payload
        if isinstance(payload, dict) and event_names(e["kind"], payload, candidate_id):
            new = blank_free_texts(e["kind"], payload)
        new = scrub_value(new, pairs, replacements)
        if new == payload:
            continue
        text = canonical_json(new).decode("utf-8")
        content = chain_hash(e["prev_hash"], e["id"], e["session_id"], e["seq"], e["occurred_at"], e["recorded_at"],
                             e["user_id"], e["username"], e["kind"], text, e["corrects"])
        _insert_redaction(conn, make_redaction(key, "session_events", e["id"], e["hash"], content, anonymisation), at)
        conn.execute("UPDATE session_events SET data = ? WHERE id = ?", (text, e["id"]))
        touched_sessions.add(e["session_id"])
        redacted += 1

    # 2. the desk's sealed records: the free texts of the candidate's case, names anywhere
    for table, columns in CASE_FREE_TEXTS.items():
        spec = SEALED[table]
        conds, params = [], []
        if table == "decisions":
            conds.append("candidate_id = ?")
            params.append(candidate_id)
        elif table == "minor_answers":
            conds.append("decision_id IN (SELECT id FROM decisions WHERE candidate_id = ?)")
            params.append(candidate_id)
        else:
            conds.append(f"incident_id IN ({','.join('?' * len(incidents)) or 'NULL'})")
            params += incidents
        for c in columns:
            w, p = _needle_where(c, pairs)
            conds.append(f"({w})")
            params += p
        for r in conn.execute(f"SELECT * FROM {table} WHERE {' OR '.join(conds)}", params).fetchall():
            about = ((table == "decisions" and r["candidate_id"] == candidate_id)
                     or (table == "minor_answers" and r["decision_id"] in decisions)
                     or (table not in ("decisions", "minor_answers") and r["incident_id"] in incidents))
            new = {c: (REMOVED if about and r[c] else scrub_text(r[c] or "", pairs, replacements) if r[c] else r[c])
                   for c in columns}
            if all(new[c] == r[c] for c in columns):
                continue
            original = audit_data.seal_of(store, table, str(r[spec.key]))
            if original is None:
                continue   # an unsealed row (a forged one) is left for verify to name
            content = audit_data.row_content(conn, table, r[spec.key])
            content.update({c: v for c, v in new.items() if c in content})
            _insert_redaction(conn, make_redaction(key, table, r[spec.key], original, row_digest(table, content),
                                                   anonymisation), at)
            conn.execute(f"UPDATE {table} SET {', '.join(f'{c} = ?' for c in columns)} WHERE {spec.key} = ?",
                         [*(new[c] for c in columns), r[spec.key]])
            redacted += 1

    # 3. the audit log: entries about the candidate, and their name or number in any other
    like_s, params_s = _needle_where("summary", pairs)
    like_e, params_e = _needle_where("entity_id", pairs)
    entries = conn.execute(
        "SELECT * FROM audit_log WHERE (entity = 'kandidaat' AND entity_id = ?)"
        f" OR seq IN (SELECT seq FROM audit_subjects WHERE candidate_id = ?) OR {like_s} OR {like_e} ORDER BY seq",
        [student_number, candidate_id, *params_s, *params_e]).fetchall()
    for a in entries:
        summary = json.loads(a["summary"])
        new_summary = scrub_value(summary, pairs, replacements)
        if isinstance(new_summary, dict) and isinstance(new_summary.get("wijzigingen"), dict) \
                and a["entity_id"] == student_number:
            new_summary["wijzigingen"] = {k: REMOVED for k in new_summary["wijzigingen"]}
        entity_id = pseudo.student_number if a["entity_id"] == student_number else \
            scrub_text(a["entity_id"], pairs, replacements)
        if new_summary == summary and entity_id == a["entity_id"]:
            continue
        content = entry_hash(a["prev_hash"], a["seq"], a["at"], a["user_id"], a["username"], a["action"], a["entity"],
                             entity_id, new_summary)
        _insert_redaction(conn, make_redaction(key, "audit_log", a["seq"], a["hash"], content, anonymisation), at)
        conn.execute("UPDATE audit_log SET entity_id = ?, summary = ? WHERE seq = ?",
                     (entity_id, json.dumps(new_summary, ensure_ascii=False, sort_keys=True), a["seq"]))
        redacted += 1

    # 4. stored PDFs about the candidate: removed; the document's record and fingerprint stay
    like_t, params_t = _needle_where("title", pairs)
    documents = {r["id"]: r for r in _documents_about(store, candidate_id)}
    documents.update({r["id"]: r for r in conn.execute(f"SELECT * FROM documents WHERE {like_t}", params_t)})
    removed_pdfs = 0
    for d in documents.values():
        title = scrub_text(d["title"], pairs, replacements)
        if title == d["title"] and not d["pdf"]:
            continue
        content = sha256_hex(canonical_json({"title": title, "pdf": ""}))
        _insert_redaction(conn, make_redaction(key, "documents", d["id"], d["fingerprint"], content, anonymisation), at)
        conn.execute("UPDATE documents SET title = ?, pdf = X'' WHERE id = ?", (title, d["id"]))
        removed_pdfs += 1

    # 5. plain tables: the candidate, texts that name them, scratch space
    conn.execute("UPDATE candidates SET student_number = ?, last_name = ?, prefix = '', first_name = '',"
                 " birth_date = NULL, extra_reason = CASE WHEN extra_reason = '' THEN '' ELSE ? END,"
                 " facility_other = CASE WHEN facility_other = '' THEN '' ELSE ? END, updated_at = ? WHERE id = ?",
                 (pseudo.student_number, pseudo.last_name, REMOVED, REMOVED, at, candidate_id))
    for table, column, keycol in (("session_planning_notes", "text", "id"), ("sessions", "title", "id"),
                                  ("incident_drafts", "data", "rowid")):
        w, p = _needle_where(column, pairs)
        for r in conn.execute(f"SELECT {keycol}, {column} FROM {table} WHERE {w}", p).fetchall():
            if table == "incident_drafts":
                conn.execute("DELETE FROM incident_drafts WHERE rowid = ?", (r[0],))
            else:
                conn.execute(f"UPDATE {table} SET {column} = ? WHERE {keycol} = ?",
                             (scrub_text(r[1], pairs, replacements), r[0]))
    conn.execute(f"DELETE FROM incident_drafts WHERE session_id IN ({marks or 'NULL'})", sessions)
    conn.execute("INSERT INTO candidate_anonymisations (candidate_id, anonymised_at, pseudonym, minor_on)"
                 " VALUES (?, ?, ?, ?)", (candidate_id, at, pseudo.last_name, json.dumps(minor_on, sort_keys=True)))

    # 6. derived copies: the incident index from the redacted events, the search tables rebuilt and merged
    for sid in sorted(touched_sessions | set(sessions)):
        incident_index.project_session(store, sid)
    search.rebuild(store)
    return Anonymisation(redacted, removed_pdfs, len(touched_sessions))


def leave_no_trace(store: Store) -> None:
    """After an anonymisation has committed: overwrite freed pages, rebuild the file, and empty the WAL, so
    no earlier version of a row survives in the database's bytes. Skipped when a caller still holds a
    transaction (the pages are then rewritten by the next one that runs this)."""
    if store.in_transaction:
        return
    store.conn.execute("PRAGMA secure_delete = ON")
    store.conn.execute("VACUUM")
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def minor_flags_of(store: Store, candidate_id: int) -> dict[str, bool | None]:
    if not has_privacy_tables(store):
        return {}
    row = store.query_one("SELECT minor_on FROM candidate_anonymisations WHERE candidate_id = ?", (candidate_id,))
    return json.loads(row[0]) if row else {}


# --- exam PCs forget ---------------------------------------------------------------------------------------

def origin_heads(store: Store, session_ids: list[str]) -> list[tuple[str, str, int, str]]:
    """(exam PC, session, its last seq the commission holds, that event's hash there) per session and exam PC
    whose record was read in here (``event_origins``)."""
    found = []
    for sid in session_ids:
        for r in store.query(
                "SELECT o.origin, max(o.origin_seq) FROM event_origins o JOIN session_events e ON e.id = o.event_id"
                " WHERE e.session_id = ? GROUP BY o.origin", (sid,)):
            head = store.query_one(
                "SELECT o.origin_hash FROM event_origins o JOIN session_events e ON e.id = o.event_id"
                " WHERE e.session_id = ? AND o.origin = ? AND o.origin_seq = ?", (sid, r[0], r[1]))[0]
            found.append((r[0], sid, r[1], head))
    return found


def forget_session(store: Store, session_id: str, receipt_sha256: str, signer: str, at: str) -> int:
    """On an exam PC, in the caller's transaction: the session's candidate data removed — its events, incidents,
    drafts and roster, and the candidates no other session here still needs. The session itself (title, date,
    room) stays, with the receipt that allowed this. Returns how many candidates were removed."""
    conn = store.conn
    conn.execute("INSERT INTO exam_pc_receipts (session_id, receipt_sha256, signer, received_at, forgotten_at)"
                 " VALUES (?, ?, ?, ?, ?) ON CONFLICT (session_id) DO UPDATE SET receipt_sha256 = excluded.receipt_sha256,"
                 " signer = excluded.signer, received_at = excluded.received_at, forgotten_at = excluded.forgotten_at",
                 (session_id, receipt_sha256, signer, at, at))
    roster = [r[0] for r in conn.execute("SELECT candidate_id FROM session_candidates WHERE session_id = ?",
                                         (session_id,))]
    if search.available(store):
        conn.execute("DELETE FROM incident_search WHERE rowid IN (SELECT rowid FROM incident_index WHERE session_id = ?)",
                     (session_id,))
    conn.execute("DELETE FROM incident_candidates WHERE incident_id IN"
                 " (SELECT incident_id FROM incident_index WHERE session_id = ?)", (session_id,))
    conn.execute("DELETE FROM incident_versions WHERE event_id IN (SELECT id FROM session_events WHERE session_id = ?)",
                 (session_id,))
    conn.execute("DELETE FROM incident_index WHERE session_id = ?", (session_id,))
    conn.execute("DELETE FROM session_events WHERE session_id = ?", (session_id,))
    conn.execute("DELETE FROM incident_drafts WHERE session_id = ?", (session_id,))
    conn.execute("DELETE FROM session_candidates WHERE session_id = ?", (session_id,))
    removed = 0
    for cid in roster:
        if conn.execute("SELECT 1 FROM session_candidates WHERE candidate_id = ? UNION ALL"
                        " SELECT 1 FROM incident_candidates WHERE candidate_id = ? UNION ALL"
                        " SELECT 1 FROM decisions WHERE candidate_id = ? LIMIT 1", (cid, cid, cid)).fetchone():
            continue
        conn.execute("DELETE FROM audit_subjects WHERE candidate_id = ?", (cid,))
        if search.available(store):
            conn.execute("DELETE FROM candidate_search WHERE rowid = ?", (cid,))
        conn.execute("DELETE FROM candidates WHERE id = ?", (cid,))
        removed += 1
    return removed


@dataclass(frozen=True)
class HeldSession:
    session_id: str
    title: str
    session_date: str
    candidates: int
    events: int
    forgotten_at: str | None


def held(store: Store) -> tuple[list[HeldSession], int]:
    """What personal data this database still holds per session (roster and events), and how many candidates."""
    forgotten = "(SELECT forgotten_at FROM exam_pc_receipts p WHERE p.session_id = s.id)" \
        if has_privacy_tables(store) else "NULL"
    rows = store.query(
        "SELECT s.id, s.title, s.session_date,"
        " (SELECT count(*) FROM session_candidates sc WHERE sc.session_id = s.id),"
        " (SELECT count(*) FROM session_events e WHERE e.session_id = s.id),"
        f" {forgotten} FROM sessions s ORDER BY s.session_date, s.starts_at")
    total = store.query_one("SELECT count(*) FROM candidates")[0]
    return [HeldSession(*r) for r in rows], total
