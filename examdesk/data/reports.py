"""Queries behind the official documents that look across sessions: the incidents of a period as the
desk index stores them (their state computed by `domain/incident_state`), and the sessions of a period
with the instrument they used."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from examdesk.data.db import Store
from examdesk.data.incident_index import indexed
from examdesk.domain.incident_desk import Decision
from examdesk.domain.session_state import SessionStatus


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
        " WHERE s.instrument_id IS NOT NULL AND s.status != ? AND s.session_date BETWEEN ? AND ?"
        " ORDER BY s.session_date, s.starts_at", (SessionStatus.GEANNULEERD, date_from, date_to))
    return [SessionUse(r["id"], r["session_date"], r["title"], r["status"], r["instrument_id"], r["room_name"],
                       r["location_name"]) for r in rows]


def session_counts(store: Store, date_from: str, date_to: str) -> dict[str, int]:
    rows = store.query("SELECT exam_kind, count(*) FROM sessions WHERE status != ?"
                       " AND session_date BETWEEN ? AND ? GROUP BY exam_kind",
                       (SessionStatus.GEANNULEERD, date_from, date_to))
    return {r[0]: r[1] for r in rows}


def incident_years(store: Store) -> list[str]:
    """The session dates that have any session, for choosing a school year."""
    rows = store.query("SELECT min(session_date), max(session_date) FROM sessions")
    return [v for v in rows[0] if v] if rows else []


def all_decisions(store: Store) -> list[Decision]:
    """Every decision, newest first (for checks and tests; a screen asks `decision_choices` for a page)."""
    from examdesk.data.incident_desk import _DECISION_SQL, decisions_of

    return decisions_of(store, store.query(_DECISION_SQL + " ORDER BY d.decided_on DESC, d.number DESC"))


@dataclass(frozen=True)
class DecisionWord:
    """Where one typed word may occur in a decision's line on the Rapporten screen, as far as an index can
    tell; a decision passes when any of these holds (the line itself is checked after). `anything`: the
    word may be in every line (its fixed words, a number, a measure's label)."""

    name: str | None = None          # a prefix query for the candidate's name or student number
    decided_on: str | None = None    # the decision date, when the word is one ('2027-03-12')
    no_measure: bool = False         # the word may be in the reason a decision without a measure gives
    anything: bool = False


def _decision_word(store: Store, w: DecisionWord) -> tuple[str, list[Any]]:
    from examdesk.data import search

    if w.anything:
        return "1", []
    parts, params = [], []
    if w.name:
        search.ensure(store)
        parts.append("d.candidate_id IN (SELECT rowid FROM candidate_search WHERE candidate_search MATCH ?)")
        params.append(w.name)
    if w.decided_on:
        parts.append("d.decided_on = ?")
        params.append(w.decided_on)
    if w.no_measure:
        parts.append("d.measures = '[]'")
    return "(" + (" OR ".join(parts) or "0") + ")", params


def decision_choices(store: Store, words: list[DecisionWord], offset: int, limit: int) -> list[Decision]:
    """Decisions about a candidate matching every word, newest first, one page — the decision letters to
    choose from — in one query, with the members and letters of the whole page in one more each. The
    newest-first walk of ``decisions_newest`` stops as soon as the page is full."""
    from examdesk.data.incident_desk import _DECISION_SQL, decisions_of

    clauses, params = ["d.candidate_id IS NOT NULL"], []
    for w in words:
        clause, values = _decision_word(store, w)
        clauses.append(clause)
        params += values
    rows = store.query(_DECISION_SQL + " WHERE " + " AND ".join(clauses)
                       + " ORDER BY d.decided_on DESC, d.number DESC LIMIT ? OFFSET ?", [*params, limit, offset])
    return decisions_of(store, rows)


# --- the annual report ------------------------------------------------------------------------------

@indexed
def incident_counts(store: Store, date_from: str, date_to: str) -> list[tuple[str, str, str, str, int]]:
    """(category after triage, location, month jjjj-mm, handler after triage, count) for the incidents
    of the sessions in the period that stand (not withdrawn)."""
    rows = store.query(
        "SELECT ii.route_category AS category, l.name AS location, substr(ii.session_date, 1, 7)"
        " AS month, ii.route_handler AS handler, count(*) AS n"
        " FROM incident_index ii JOIN locations l ON l.id = ii.location_id"
        " WHERE ii.voided = 0 AND ii.status != 'ingetrokken' AND ii.session_date BETWEEN ? AND ?"
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
        "SELECT r.incident_id, ii.occurred_at, ii.route_category AS category, r.subject,"
        " r.reported_on, r.reference, a.outcome, a.scope, a.answered_on, a.reference"
        " FROM inspectie_reports r JOIN incident_index ii ON ii.incident_id = r.incident_id"
        " LEFT JOIN inspectie_answers a ON a.report_id = r.id"
        " WHERE r.reported_on BETWEEN ? AND ? ORDER BY r.reported_on, r.id", (date_from, date_to))
    return [ReportToInspectie(r[0], r[1], r[2], r[3], r[4], r[5], r[6] or "", r[7] or "", r[8] or "",
                              r[9] or "") for r in rows]


def decision_cases_in(store: Store, date_from: str, date_to: str) -> list[tuple[str, int | None, bool]]:
    """(incident, protocol point, takes a measure) of each current decision taken in the period: the annual
    report counts decisions per case (incident) as well as per candidate. Decisions about an incident the
    commission withdrew are left out."""
    rows = store.query(
        "SELECT d.incident_id, d.protocol_point, d.measures != '[]' FROM current_decisions d"
        " WHERE d.decided_on BETWEEN ? AND ? AND d.incident_id NOT IN"
        " (SELECT incident_id FROM incident_index WHERE status = 'ingetrokken')", (date_from, date_to))
    return [(r[0], r[1], bool(r[2])) for r in rows]
