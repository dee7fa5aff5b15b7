"""Queries behind the official documents that look across sessions: incidents as they now stand
(latest correction, withdrawn ones left out) with their session context, and the sessions of a
period with the instrument they used."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from examdesk.data.db import Store
from examdesk.data.incident_index import indexed
from examdesk.domain.incident_desk import Decision

# An incident as it stands: the latest correction of its original, unless the original was withdrawn.
# `root` is the id of the original registration, which stays the incident's id in every document.
_CURRENT_INCIDENTS = """
SELECT coalesce(e.corrects, e.id) AS root, e.id, e.session_id, e.occurred_at, e.recorded_at, e.username, e.data,
       s.session_date, s.title, s.exam_kind, s.central_exam, s.variant, s.period, s.status AS session_status,
       s.instrument_id, r.name AS room_name, l.id AS location_id, l.name AS location_name
FROM session_events e
JOIN sessions s ON s.id = e.session_id
JOIN rooms r ON r.id = s.room_id
JOIN locations l ON l.id = r.location_id
WHERE e.kind = 'incident'
  AND NOT EXISTS (SELECT 1 FROM session_events v WHERE v.corrects = coalesce(e.corrects, e.id) AND v.kind = 'void')
  AND NOT EXISTS (SELECT 1 FROM session_events c WHERE c.corrects = coalesce(e.corrects, e.id)
                  AND c.kind = 'incident' AND c.seq > e.seq)
"""


@dataclass(frozen=True)
class IncidentQuery:
    date_from: str = ""          # ISO date, inclusive
    date_to: str = ""            # ISO date, inclusive
    category: str = ""
    handler: str = ""            # examencommissie | inspectie | minister (as recorded)
    location_id: int | None = None
    session_id: str = ""
    candidate_id: int | None = None
    exam_kind: str = ""          # instelling | centraal


@dataclass(frozen=True)
class IncidentRow:
    id: str                       # the original registration's id
    event_id: str                 # the registration as it now stands (a correction, or the original)
    session_id: str
    occurred_at: str
    recorded_at: str
    username: str
    data: dict[str, Any]
    session_date: str
    session_title: str
    exam_kind: str
    central_exam: str
    variant: str
    period: str
    session_status: str
    instrument_id: str
    room_name: str
    location_id: int
    location_name: str


def incidents(store: Store, q: IncidentQuery) -> list[IncidentRow]:
    clauses: list[str] = []
    params: list[Any] = []
    if q.date_from:
        clauses.append("s.session_date >= ?")
        params.append(q.date_from)
    if q.date_to:
        clauses.append("s.session_date <= ?")
        params.append(q.date_to)
    if q.category:
        clauses.append("json_extract(e.data, '$.category') = ?")
        params.append(q.category)
    if q.handler:
        clauses.append("json_extract(e.data, '$.route.handler') = ?")
        params.append(q.handler)
    if q.location_id is not None:
        clauses.append("l.id = ?")
        params.append(q.location_id)
    if q.session_id:
        clauses.append("e.session_id = ?")
        params.append(q.session_id)
    if q.exam_kind:
        clauses.append("s.exam_kind = ?")
        params.append(q.exam_kind)
    if q.candidate_id is not None:
        clauses.append(
            "(EXISTS (SELECT 1 FROM json_each(e.data, '$.candidate_ids') j WHERE j.value = ?)"
            " OR (json_extract(e.data, '$.all_candidates') AND EXISTS (SELECT 1 FROM session_candidates sc"
            " WHERE sc.session_id = e.session_id AND sc.candidate_id = ?)))")
        params += [q.candidate_id, q.candidate_id]
    sql = _CURRENT_INCIDENTS + "".join(f" AND {c}" for c in clauses) + " ORDER BY e.occurred_at, e.seq"
    return [IncidentRow(
        id=r["root"], event_id=r["id"], session_id=r["session_id"], occurred_at=r["occurred_at"],
        recorded_at=r["recorded_at"], username=r["username"], data=json.loads(r["data"]),
        session_date=r["session_date"], session_title=r["title"], exam_kind=r["exam_kind"],
        central_exam=r["central_exam"] or "", variant=r["variant"], period=r["period"],
        session_status=r["session_status"], instrument_id=r["instrument_id"] or "", room_name=r["room_name"],
        location_id=r["location_id"], location_name=r["location_name"],
    ) for r in store.query(sql, params)]


def incident(store: Store, incident_id: str) -> IncidentRow | None:
    """One incident by the id of its original registration (or of any of its corrections)."""
    row = store.query_one("SELECT coalesce(corrects, id) FROM session_events WHERE id = ? AND kind = 'incident'",
                          (incident_id,))
    if row is None:
        return None
    root = row[0]
    session = store.query_one("SELECT session_id FROM session_events WHERE id = ?", (root,))
    found = [r for r in incidents(store, IncidentQuery(session_id=session[0])) if r.id == root]
    return found[0] if found else None


def took_part_count(store: Store, session_id: str) -> int:
    """Candidates planned minus those recorded absent or refused (as the record now stands)."""
    planned = store.query_one("SELECT count(*) FROM session_candidates WHERE session_id = ?", (session_id,))[0]
    rows = store.query(
        "SELECT DISTINCT json_extract(e.data, '$.candidate_id') FROM session_events e"
        " WHERE e.session_id = ? AND (e.kind = 'absent' OR (e.kind = 'late' AND NOT json_extract(e.data, '$.admitted')))"
        " AND e.corrects IS NULL AND NOT EXISTS (SELECT 1 FROM session_events v WHERE v.corrects = e.id)",
        (session_id,))
    return planned - len(rows)


@dataclass(frozen=True)
class SessionUse:
    id: str
    session_date: str
    title: str
    status: str
    instrument_id: str
    room_name: str
    location_name: str


def sessions_with_instrument(store: Store, date_from: str, date_to: str) -> list[SessionUse]:
    rows = store.query(
        "SELECT s.id, s.session_date, s.title, s.status, s.instrument_id, r.name AS room_name, l.name AS location_name"
        " FROM sessions s JOIN rooms r ON r.id = s.room_id JOIN locations l ON l.id = r.location_id"
        " WHERE s.instrument_id IS NOT NULL AND s.status != 'geannuleerd' AND s.session_date BETWEEN ? AND ?"
        " ORDER BY s.session_date, s.starts_at", (date_from, date_to))
    return [SessionUse(r["id"], r["session_date"], r["title"], r["status"], r["instrument_id"], r["room_name"],
                       r["location_name"]) for r in rows]


def session_counts(store: Store, date_from: str, date_to: str) -> dict[str, int]:
    rows = store.query("SELECT exam_kind, count(*) FROM sessions WHERE status != 'geannuleerd'"
                       " AND session_date BETWEEN ? AND ? GROUP BY exam_kind", (date_from, date_to))
    return {r[0]: r[1] for r in rows}


def incident_years(store: Store) -> list[str]:
    """The session dates that have any session, for choosing a school year."""
    rows = store.query("SELECT min(session_date), max(session_date) FROM sessions")
    return [v for v in rows[0] if v] if rows else []


def all_decisions(store: Store) -> list[Decision]:
    """Every decision, newest first: the decision letters to choose from."""
    from examdesk.data.incident_desk import _DECISION_SQL, _decision

    rows = store.query(_DECISION_SQL + " ORDER BY d.decided_on DESC, d.number DESC")
    return [_decision(store, r) for r in rows]


# --- the annual report ------------------------------------------------------------------------------

_LATEST_TRIAGE = ("LEFT JOIN incident_triage t ON t.id = (SELECT max(t1.id) FROM incident_triage t1"
                  " WHERE t1.incident_id = ii.incident_id AND t1.kind = 'herclassificatie')")


@indexed
def incident_counts(store: Store, date_from: str, date_to: str) -> list[tuple[str, str, str, str, int]]:
    """(category after triage, location, month jjjj-mm, handler after triage, count) for the incidents
    of the sessions in the period that stand (not withdrawn)."""
    rows = store.query(
        "SELECT coalesce(t.category, ii.category) AS category, l.name AS location, substr(s.session_date, 1, 7)"
        " AS month, coalesce(t.handler, ii.handler) AS handler, count(*) AS n"
        " FROM incident_index ii JOIN sessions s ON s.id = ii.session_id JOIN rooms r ON r.id = s.room_id"
        f" JOIN locations l ON l.id = r.location_id {_LATEST_TRIAGE}"
        " WHERE ii.voided = 0 AND s.session_date BETWEEN ? AND ?"
        " GROUP BY 1, 2, 3, 4", (date_from, date_to))
    return [(r[0], r[1], r[2], r[3], r[4]) for r in rows]


def decisions_in(store: Store, date_from: str, date_to: str) -> list[tuple[str, int | None, bool, bool]]:
    """(measures JSON, protocol point, minor, for a candidate) of the current decisions taken in the period."""
    rows = store.query(
        "SELECT measures, protocol_point, coalesce(minor, 0), candidate_id IS NOT NULL FROM current_decisions"
        " WHERE decided_on BETWEEN ? AND ?", (date_from, date_to))
    return [(r[0], r[1], bool(r[2]), bool(r[3])) for r in rows]


@dataclass(frozen=True)
class ReportToInspectie:
    incident_id: str
    occurred_at: str
    category: str
    subject: str
    reported_on: str
    reference: str
    outcome: str
    scope: str
    answered_on: str
    answer_reference: str


@indexed
def inspectie_reports_in(store: Store, date_from: str, date_to: str) -> list[ReportToInspectie]:
    rows = store.query(
        "SELECT r.incident_id, ii.occurred_at, coalesce(t.category, ii.category) AS category, r.subject,"
        " r.reported_on, r.reference, a.outcome, a.scope, a.answered_on, a.reference"
        f" FROM inspectie_reports r JOIN incident_index ii ON ii.incident_id = r.incident_id {_LATEST_TRIAGE}"
        " LEFT JOIN inspectie_answers a ON a.report_id = r.id"
        " WHERE r.reported_on BETWEEN ? AND ? ORDER BY r.reported_on, r.id", (date_from, date_to))
    return [ReportToInspectie(r[0], r[1], r[2], r[3], r[4], r[5], r[6] or "", r[7] or "", r[8] or "",
                              r[9] or "") for r in rows]
