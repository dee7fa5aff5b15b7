"""Anonymising one candidate in the database (docs/privacy.md, "Anonymisation"): every personal value
replaced — through a MAC'd redaction for the rows of an append-only record, so its chain and seals still
verify — every derived copy rebuilt, and afterwards the file rebuilt so no old byte remains. Also the
accounts of staff who left."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import date

from examdesk.data import audit as audit_data
from examdesk.data import incident_index, retention, search
from examdesk.data.db import Store
from examdesk.data.privacy import case_ids, documents_about
from examdesk.domain.audit import entry_hash
from examdesk.domain.fingerprint import canonical_json, sha256_hex
from examdesk.domain.integrity import SEALED, row_digest
from examdesk.domain.privacy import (
    REMOVED,
    Pseudonym,
    Redaction,
    blank_free_texts,
    event_names,
    make_redaction,
    scrub_text,
    scrub_value,
)
from examdesk.domain.session_events import chain_hash

# free-text columns of the desk's records that are about the candidates of the case
CASE_FREE_TEXTS: dict[str, tuple[str, ...]] = {
    "decisions": ("reasoning", "no_measure_reason", "revision_reason"),
    "incident_triage": ("reason",),
    "inspectie_reports": ("remark",),
    "inspectie_answers": ("remark",),
    "incident_closures": ("note",),
    "minor_answers": ("note",),
    # the casework (v014; the v016 triggers allow exactly these): the hearing in the candidate's own words and
    # who came with them, the appeal's lodger and notes, the evidence's name and description and its file (the
    # bytes removed; SHA-256, size and type stay, as the procesverbaal and the letter list the hash)
    "hearings": ("account", "representative", "interpreter", "reason"),
    "appeals": ("lodged_by", "late_reason"),
    "appeal_hearings": ("note",),
    "appeal_outcomes": ("note",),
    "attachments": ("file_name", "description", "content"),
}
# free texts of audit entries about the candidate's case that the casework writes (who lodged an appeal, an
# evidence file's name): "[verwijderd]" like the records they describe
AUDIT_FREE_TEXTS: dict[str, tuple[str, ...]] = {
    "beroep ingesteld": ("door", "buiten de termijn"),
    "bijlage toegevoegd": ("bestand",),
    "bijlage ingezien": ("bestand",),
}
_THEIR_APPEALS = "SELECT id FROM appeals WHERE candidate_id = ? OR decision_id IN (SELECT id FROM decisions WHERE" \
                 " candidate_id = ?)"


def _case_rows(table: str, candidate_id: int, incidents: list[str]) -> tuple[str, list[object]]:
    """Which rows of a sealed table of the case are about this candidate (WHERE clause and parameters)."""
    in_incidents = f"incident_id IN ({','.join('?' * len(incidents)) or 'NULL'})"
    if table == "decisions":
        return "candidate_id = ?", [candidate_id]
    if table == "minor_answers":
        return "decision_id IN (SELECT id FROM decisions WHERE candidate_id = ?)", [candidate_id]
    if table == "hearings":
        return "candidate_id = ?", [candidate_id]
    if table == "appeals":
        return f"id IN ({_THEIR_APPEALS})", [candidate_id, candidate_id]
    if table in ("appeal_hearings", "appeal_outcomes"):
        return f"appeal_id IN ({_THEIR_APPEALS})", [candidate_id, candidate_id]
    if table == "attachments":    # their hearings' evidence, and the evidence of an incident that names them
        return f"candidate_id = ? OR (candidate_id IS NULL AND {in_incidents})", [candidate_id, *incidents]
    return in_incidents, list(incidents)


def _removed(value: object) -> object:
    """A free text becomes "[verwijderd]", a file's bytes are removed; empty stays empty."""
    if isinstance(value, bytes | memoryview):
        return b""
    return REMOVED if value else value


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


def anonymise(store: Store, candidate_id: int, key: bytes, pseudo: Pseudonym, pairs: tuple[tuple[str, str], ...],
              minor_on: dict[str, bool | None], anonymisation: str, at: str) -> Anonymisation:
    """Replaces one candidate's personal data everywhere, in the caller's transaction (see docs/privacy.md):
    the candidate row, the free texts and names in session events, audit entries and the desk's records
    (each through a MAC'd redaction, so their chains and seals still verify), the stored PDFs about them,
    and every derived copy (incident index, search tables)."""
    conn = store.conn
    replacements = {"__NAME__": pseudo.last_name, "__NUMBER__": pseudo.student_number}
    sessions, all_incidents, decisions = case_ids(store, candidate_id)
    # the incidents that name this candidate (a collective incident's texts are about everyone: they stay)
    incidents = [r[0] for r in store.query(
        "SELECT ic.incident_id FROM incident_candidates ic JOIN incident_index ii ON ii.incident_id = ic.incident_id"
        " WHERE ic.candidate_id = ? AND ii.all_candidates = 0", (candidate_id,))]
    row = store.query_one("SELECT student_number FROM candidates WHERE id = ?", (candidate_id,))
    student_number = row[0]
    redacted = 0

    # 1. session events of the candidate's sessions: their free texts, and their name and number (a name is
    #    only sought where it can mean them: a namesake elsewhere keeps their name)
    marks = ",".join("?" * len(sessions))
    events = conn.execute(f"SELECT * FROM session_events WHERE session_id IN ({marks or 'NULL'}) ORDER BY session_id, seq",
                          sessions).fetchall()
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

    # 2. the desk's sealed records of the candidate's case: their free texts replaced
    for table, columns in CASE_FREE_TEXTS.items():
        spec = SEALED[table]
        where, params = _case_rows(table, candidate_id, incidents)
        for r in conn.execute(f"SELECT * FROM {table} WHERE {where}", params).fetchall():
            new = {c: _removed(r[c]) for c in columns}
            if all(new[c] == r[c] for c in columns):
                continue
            original = audit_data.seal_of(store, table, str(r[spec.key]))
            if original is None:
                continue   # an unsealed row (a forged one) is left for verify to name
            content = audit_data.row_content(conn, table, r[spec.key])
            content.update({c: audit_data.sealed_value(v) for c, v in new.items() if c in content})
            _insert_redaction(conn, make_redaction(key, table, r[spec.key], original, row_digest(table, content),
                                                   anonymisation), at)
            conn.execute(f"UPDATE {table} SET {', '.join(f'{c} = ?' for c in columns)} WHERE {spec.key} = ?",
                         [*(new[c] for c in columns), r[spec.key]])
            redacted += 1

    # 3. the audit log: entries about the candidate (their number as object, linked to them, about their
    #    decisions, incidents or sessions and the documents of those, or naming their number anywhere — found
    #    through the audit's search index, not by reading the whole log)
    seqs = {r[0] for r in conn.execute("SELECT seq FROM audit_subjects WHERE candidate_id = ?", (candidate_id,))}
    seqs |= {r[0] for r in conn.execute("SELECT seq FROM audit_log WHERE entity = 'kandidaat' AND entity_id = ?",
                                        (student_number,))}
    about = [*decisions, *all_incidents, *sessions]   # entries about their decisions, incidents, sessions, documents
    for start in range(0, len(about), 500):
        chunk = about[start:start + 500]
        seqs |= {r[0] for r in conn.execute(
            f"SELECT seq FROM audit_log WHERE entity_id IN ({','.join('?' * len(chunk))})", chunk)}
    query = search.match_query(student_number)
    if query is not None and search.available(store):
        search.ensure(store)
        seqs |= {r[0] for r in conn.execute("SELECT rowid FROM audit_search WHERE audit_search MATCH ?", (query,))}
    own_case = {*decisions, *incidents}       # a collective incident's evidence stays, and so does its name
    changed_entries: list[int] = []
    for seq in sorted(seqs):
        a = conn.execute("SELECT * FROM audit_log WHERE seq = ?", (seq,)).fetchone()
        summary = json.loads(a["summary"])
        new_summary = scrub_value(summary, pairs, replacements)
        if isinstance(new_summary, dict) and isinstance(new_summary.get("wijzigingen"), dict) \
                and a["entity_id"] == student_number:
            new_summary["wijzigingen"] = {k: REMOVED for k in new_summary["wijzigingen"]}
        if isinstance(new_summary, dict) and a["action"] in AUDIT_FREE_TEXTS and a["entity_id"] in own_case:
            new_summary.update({k: REMOVED for k in AUDIT_FREE_TEXTS[a["action"]] if new_summary.get(k)})
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
        changed_entries.append(a["seq"])

    # 4. stored PDFs about the candidate: removed; the document's record and fingerprint stay
    documents = {r["id"]: r for r in documents_about(store, candidate_id)}
    documents.update({r["id"]: r for r in conn.execute("SELECT * FROM documents WHERE title LIKE ?",
                                                       (f"%{student_number}%",))})
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
    for r in conn.execute(f"SELECT id, text FROM session_planning_notes WHERE session_id IN ({marks or 'NULL'})",
                          sessions).fetchall():
        text = scrub_text(r[1], pairs, replacements)
        if text != r[1]:
            conn.execute("UPDATE session_planning_notes SET text = ? WHERE id = ?", (text, r[0]))
    conn.execute(f"DELETE FROM incident_drafts WHERE session_id IN ({marks or 'NULL'})", sessions)
    conn.execute("INSERT INTO candidate_anonymisations (candidate_id, anonymised_at, pseudonym, minor_on)"
                 " VALUES (?, ?, ?, ?)", (candidate_id, at, pseudo.last_name, json.dumps(minor_on, sort_keys=True)))
    retention.refresh(conn, [candidate_id])    # anonymised: off the due list for good

    # 6. derived copies: the incident index from the redacted events, the search rows of what changed (merged
    #    by the caller once after a batch: `search.merge`)
    for sid in sorted(touched_sessions | set(sessions)):
        incident_index.project_session(store, sid)      # re-indexes their incidents for the search too
    search.reindex_rows(store, "candidate_search", [candidate_id])
    search.reindex_rows(store, "audit_search", changed_entries)
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


# --- accounts of staff who left ----------------------------------------------------------------------------

def switched_off_accounts(store: Store, anonymised_name: str) -> list[tuple[int, str, str, date]]:
    """(id, username, name, switched off on) of every inactive account not yet anonymised; the moment is its
    last 'gebruiker gedeactiveerd' audit entry (or its creation, when the log has none)."""
    rows = store.query(
        "SELECT u.id, u.username, u.full_name, coalesce((SELECT max(a.at) FROM audit_log a WHERE a.entity = 'gebruiker'"
        " AND a.entity_id = CAST(u.id AS TEXT) AND a.action = 'gebruiker gedeactiveerd'), u.created_at) AS off"
        " FROM users u WHERE u.active = 0 AND u.full_name NOT LIKE ?", (anonymised_name,))
    return [(r[0], r[1], r[2], date.fromisoformat(r[3][:10])) for r in rows]


def anonymise_account(store: Store, user_id: int, name: str) -> None:
    """Name, function and contact details of a switched-off account replaced; the username stays."""
    store.conn.execute("UPDATE users SET full_name = ?, function = '', phone = '', email = '' WHERE id = ? AND active = 0",
                       (name, user_id))
